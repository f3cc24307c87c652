"""Provider messages in the providers' own form (spec/integrations.md, section 3)."""

from __future__ import annotations

import pytest

from supportai.integrations.telegram import (
    BatchItem,
    ProviderAction,
    group_batches,
    provider_batch_text,
)


@pytest.mark.parametrize(
    ("action", "external_ids", "text"),
    [
        (ProviderAction.REFILL, ["48213", 48214], "48213, 48214 refill"),
        (ProviderAction.CANCEL, [551200], "551200 cancel"),
        (ProviderAction.SPEED_UP, ["77123"], "77123 speed up"),
    ],
)
def test_one_line_per_action(
    action: ProviderAction, external_ids: list[str | int], text: str
) -> None:
    assert provider_batch_text(action, external_ids) == text


def test_a_line_needs_an_order() -> None:
    with pytest.raises(ValueError):
        provider_batch_text(ProviderAction.REFILL, [])


def test_batches_group_by_provider_and_action_in_arrival_order() -> None:
    items = [
        BatchItem("prov-a", ProviderAction.REFILL, "48213"),
        BatchItem("prov-b", ProviderAction.REFILL, 900),
        BatchItem("prov-a", ProviderAction.CANCEL, "551200"),
        BatchItem("prov-a", ProviderAction.REFILL, 48214),
        BatchItem("prov-a", ProviderAction.REFILL, 48213),  # same order again: sent once
    ]

    batches = group_batches(items)

    assert list(batches.items()) == [
        (("prov-a", ProviderAction.REFILL), ["48213", "48214"]),
        (("prov-b", ProviderAction.REFILL), ["900"]),
        (("prov-a", ProviderAction.CANCEL), ["551200"]),
    ]
    assert [provider_batch_text(action, ids) for (_, action), ids in batches.items()] == [
        "48213, 48214 refill",
        "900 refill",
        "551200 cancel",
    ]
