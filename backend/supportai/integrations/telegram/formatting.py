"""Messages to providers, in the form providers use among themselves.

One line per action: the provider's own order IDs (the admin API's external_id,
never the panel's), then the verb: `48213, 48214 refill`, `551200 cancel`,
`77123 speed up`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

import msgspec


class ProviderAction(StrEnum):
    REFILL = "refill"
    CANCEL = "cancel"
    SPEED_UP = "speed_up"


_VERBS = {
    ProviderAction.REFILL: "refill",
    ProviderAction.CANCEL: "cancel",
    ProviderAction.SPEED_UP: "speed up",
}


class BatchItem(msgspec.Struct, frozen=True):
    """One order to forward: which provider, what to ask, the provider's order ID."""

    provider: str
    action: ProviderAction
    external_id: str | int


def provider_batch_text(action: ProviderAction, external_ids: Sequence[str | int]) -> str:
    """`48213, 48214 refill`: one line for one action on some of a provider's orders."""
    if not external_ids:
        raise ValueError("a provider message needs at least one order ID")
    return f"{', '.join(str(external_id) for external_id in external_ids)} {_VERBS[action]}"


def group_batches(items: Iterable[BatchItem]) -> dict[tuple[str, ProviderAction], list[str]]:
    """Order IDs per (provider, action), in arrival order, each ID once.

    IDs are compared as text because panels send them as strings or ints.
    """
    batches: dict[tuple[str, ProviderAction], list[str]] = {}
    for item in items:
        ids = batches.setdefault((item.provider, item.action), [])
        external_id = str(item.external_id)
        if external_id not in ids:
            ids.append(external_id)
    return batches
