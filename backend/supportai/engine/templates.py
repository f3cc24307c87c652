"""Customer reply templates: English defaults, validation of tenant edits, rendering.

A template is plain text with `{name}` placeholders (`{{` and `}}` for literal
braces). Each template key allows only the facts that are always known for it, so
a template that validates always renders. Every order-scoped template can use
`{order_id}` ("123", or "123, 124 and 125" for a group) and `{orders}` ("Order 123",
or "Orders 123, 124 and 125"). Translations of every template, and the words `{orders}` and
`{wait}` are made of, are in `engine/locales`; English is the default of both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from string import Formatter
from types import MappingProxyType

from supportai.engine.decisions import Decision, Outcome
from supportai.engine.locales import ENGLISH_WORDS, Words


class Notice(StrEnum):
    """Replies that are not decision outcomes."""

    TOO_MANY_ORDERS = "too_many_orders"
    PROVIDER_DECLINED = "provider_declined"
    REFILL_DONE = "refill_done"
    CANCEL_DONE = "cancel_done"
    SPEED_UP_DONE = "speed_up_done"


class TemplateError(ValueError):
    pass


_ORDER = frozenset({"order_id", "orders"})

ALLOWED_PLACEHOLDERS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        Outcome.ORDER_ID_MISSING: frozenset(),
        Outcome.ORDER_NOT_FOUND: _ORDER,
        Outcome.DUPLICATE_OPEN_REQUEST: _ORDER,
        Outcome.REFILL_NOT_AVAILABLE: _ORDER,
        Outcome.REFILL_PERIOD_EXPIRED: _ORDER | {"refill_days"},
        Outcome.ORDER_NOT_COMPLETED: _ORDER,
        Outcome.ORDER_CANCELED: _ORDER,
        Outcome.ORDER_PARTIAL: _ORDER,
        Outcome.BELOW_START_COUNT: _ORDER | {"current_count"},
        Outcome.NO_DROP: _ORDER | {"current_count", "expected_count"},
        Outcome.FORWARD_REFILL: _ORDER,
        Outcome.SCREENSHOT_REQUIRED: _ORDER,
        Outcome.CANNOT_CANCEL_COMPLETED: _ORDER,
        Outcome.ALREADY_PARTIAL: _ORDER,
        Outcome.ALREADY_CANCELED: _ORDER,
        Outcome.CANCEL_NOT_AVAILABLE: _ORDER,
        Outcome.FORWARD_CANCEL: _ORDER,
        Outcome.ALREADY_COMPLETED: _ORDER,
        Outcome.ORDER_CLOSED: _ORDER,
        Outcome.WITHIN_EXPECTED_TIME: _ORDER | {"wait"},
        Outcome.FORWARD_SPEED_UP: _ORDER,
        # The acknowledgement for the manual-review queue; "other" may name no order.
        Outcome.ESCALATE: frozenset(),
        Notice.TOO_MANY_ORDERS: frozenset({"max_orders"}),
        Notice.PROVIDER_DECLINED: _ORDER,
        Notice.REFILL_DONE: _ORDER,
        Notice.CANCEL_DONE: _ORDER,
        Notice.SPEED_UP_DONE: _ORDER,
    }
)

# Not a reply the pipeline sends: staff's saved replies, which may use any fact a request can
# have (supportai.domain.saved_replies); rendered against one request, so a fact may be missing.
SAVED_REPLY = "saved_reply"
SAVED_REPLY_PLACEHOLDERS = _ORDER | {"refill_days", "current_count", "expected_count", "wait"}

DEFAULT_TEMPLATES: Mapping[str, str] = MappingProxyType(
    {
        Outcome.ORDER_ID_MISSING: (
            "Please send the ID of the order you need help with, so we can check it."
        ),
        Outcome.ORDER_NOT_FOUND: (
            "{orders}: not found in your account. Please check the order ID."
        ),
        Outcome.DUPLICATE_OPEN_REQUEST: (
            "{orders}: we are already working on your request and will update you soon."
        ),
        Outcome.REFILL_NOT_AVAILABLE: (
            "{orders}: this service has no refill guarantee, so we cannot refill it."
        ),
        Outcome.REFILL_PERIOD_EXPIRED: (
            "{orders}: the {refill_days}-day refill period has ended, so we can no longer "
            "refill it."
        ),
        Outcome.ORDER_NOT_COMPLETED: (
            "{orders}: still being delivered. A refill is possible once it is completed."
        ),
        Outcome.ORDER_CANCELED: "{orders}: canceled, so there is nothing to refill.",
        Outcome.ORDER_PARTIAL: (
            "{orders}: completed partially, and refills are not available for partial orders."
        ),
        Outcome.BELOW_START_COUNT: (
            "{orders}: the current count ({current_count}) is below the count before the "
            "order started. A refill cannot cover a drop that large."
        ),
        Outcome.NO_DROP: (
            "{orders}: the current count is {current_count}, as expected "
            "({expected_count}). We found no drop, so no refill is needed."
        ),
        Outcome.FORWARD_REFILL: (
            "{orders}: we have asked the provider for a refill and will let you know "
            "when it is done."
        ),
        Outcome.SCREENSHOT_REQUIRED: (
            "{orders}: please send a screenshot showing the current count, so we can "
            "process your request."
        ),
        Outcome.CANNOT_CANCEL_COMPLETED: "{orders}: already completed, so it cannot be canceled.",
        Outcome.ALREADY_PARTIAL: (
            "{orders}: already closed as partial; the undelivered part was refunded."
        ),
        Outcome.ALREADY_CANCELED: "{orders}: already canceled.",
        Outcome.CANCEL_NOT_AVAILABLE: "{orders}: this service cannot be canceled.",
        Outcome.FORWARD_CANCEL: (
            "{orders}: we have asked the provider to cancel it and will let you know "
            "once it is canceled."
        ),
        Outcome.ALREADY_COMPLETED: "{orders}: already completed.",
        Outcome.ORDER_CLOSED: "{orders}: closed (canceled or partial), so it cannot be sped up.",
        Outcome.WITHIN_EXPECTED_TIME: (
            "{orders}: still within its normal delivery time. Please allow {wait} more; "
            "if it has not moved by then, write to us again."
        ),
        Outcome.FORWARD_SPEED_UP: (
            "{orders}: we have asked the provider to speed it up and will keep an eye on it."
        ),
        Outcome.ESCALATE: (
            "Thank you for your message. We have passed it to our team, who will get back "
            "to you soon."
        ),
        Notice.TOO_MANY_ORDERS: (
            "Your message lists more orders than we can handle at once. Please send at most "
            "{max_orders} order IDs per message."
        ),
        Notice.PROVIDER_DECLINED: (
            "{orders}: the provider could not carry out your request. Our team has been "
            "told and will contact you."
        ),
        Notice.REFILL_DONE: "{orders}: refilled. Thank you for your patience.",
        Notice.CANCEL_DONE: "{orders}: canceled and refunded.",
        Notice.SPEED_UP_DONE: "{orders}: delivery is moving again.",
    }
)

# One order's part of a reply: (template key, order ID or None, facts by placeholder).
ReplyItem = tuple[str, str | None, Mapping[str, str]]


def validate_template(key: str, text: str) -> list[str]:
    """Problems that stop `text` from being the template for `key`; empty when fine."""
    allowed = SAVED_REPLY_PLACEHOLDERS if key == SAVED_REPLY else ALLOWED_PLACEHOLDERS.get(key)
    if allowed is None:
        return [f"unknown template key {key!r}"]
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in Formatter().parse(text)
            if name is not None
        ]
    except ValueError as error:
        return [f"malformed braces: {error} (write {{{{ or }}}} for a literal brace)"]
    errors = []
    for name, spec, conversion in fields:
        if spec or conversion:
            errors.append(f"placeholder {{{name}}} takes no format options")
        elif name not in allowed:
            choices = ", ".join(f"{{{choice}}}" for choice in sorted(allowed)) or "none"
            errors.append(f"unknown placeholder {{{name}}} (allowed: {choices})")
    return errors


def render(key: str, text: str, facts: Mapping[str, str]) -> str:
    """Fill the template `text` for `key` with `facts`."""
    pieces = []
    for literal, name in _parse(key, text):
        pieces.append(literal)
        if name is not None:
            if name not in facts:
                raise TemplateError(f"template {key!r} needs {{{name}}}")
            pieces.append(facts[name])
    return "".join(pieces)


def render_combined_reply(
    items: Sequence[ReplyItem], templates: Mapping[str, str] = DEFAULT_TEMPLATES, words: Words = ENGLISH_WORDS
) -> str:
    """One message answering several orders: orders whose replies would read the same
    apart from the order ID share one paragraph ("Orders 1, 2 and 3: ...").

    `templates` is the tenant's full set (defaults merged with its edits) in the reply's
    language, `words` that language's label of `{orders}` and duration units. A `wait_seconds`
    fact, when present, is formatted in that language as `{wait}`.
    """
    items = [(key, order_id, _localised(facts, words)) for key, order_id, facts in items]
    order_ids_by_reply: dict[tuple[str, tuple[tuple[str, str | None], ...]], list[str]] = {}
    for key, order_id, facts in items:
        if key not in templates:
            raise TemplateError(f"no template for {key!r}")
        shared_facts = tuple(
            (name, facts.get(name))
            for _, name in _parse(key, templates[key])
            if name is not None and name not in _ORDER
        )
        order_ids = order_ids_by_reply.setdefault((key, shared_facts), [])
        if order_id is not None and order_id not in order_ids:
            order_ids.append(order_id)
    return "\n\n".join(
        render(key, templates[key], _known(shared_facts) | _order_facts(order_ids, words))
        for (key, shared_facts), order_ids in order_ids_by_reply.items()
    )


def reply_facts(decision: Decision) -> dict[str, str]:
    """The placeholders a decision fills, formatted for customers."""
    facts: dict[str, str] = {}
    if decision.current_count is not None:
        facts["current_count"] = f"{decision.current_count:,}"
    if decision.expected_count is not None:
        facts["expected_count"] = f"{decision.expected_count:,}"
    if decision.refill_days is not None:
        facts["refill_days"] = str(decision.refill_days)
    if decision.wait_seconds is not None:
        facts["wait"] = format_duration(decision.wait_seconds)
        # Kept so a reply in another language says the wait in its own words (`_localised`).
        facts["wait_seconds"] = str(decision.wait_seconds)
    return facts


def format_duration(seconds: int, words: Words = ENGLISH_WORDS) -> str:
    """Human-readable, rounded up at the precision shown: "1 minute",
    "5 hours 59 minutes", "2 days 3 hours" (units in the language of `words`)."""
    minutes = max(1, -(-seconds // 60))
    if minutes < 60:
        return _amounts((minutes, words.minute))
    if minutes < 24 * 60:
        hours, minutes = divmod(minutes, 60)
        return _amounts((hours, words.hour), (minutes, words.minute))
    days, hours = divmod(-(-minutes // 60), 24)
    return _amounts((days, words.day), (hours, words.hour))


def _amounts(*amounts: tuple[int, tuple[str, str]]) -> str:
    return " ".join(f"{amount} {unit[0] if amount == 1 else unit[1]}" for amount, unit in amounts if amount)


def _localised(facts: Mapping[str, str], words: Words) -> Mapping[str, str]:
    seconds = facts.get("wait_seconds")
    if seconds is None or not seconds.isdigit():
        return facts
    return {**facts, "wait": format_duration(int(seconds), words)}


def _parse(key: str, text: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder name or None) pairs of a valid template."""
    errors = validate_template(key, text)
    if errors:
        raise TemplateError(f"template {key!r}: " + "; ".join(errors))
    return [(literal, name) for literal, name, _, _ in Formatter().parse(text)]


def _known(facts: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    return {name: value for name, value in facts if value is not None}


def _order_facts(order_ids: Sequence[str], words: Words = ENGLISH_WORDS) -> dict[str, str]:
    if not order_ids:
        return {}
    *first, last = order_ids
    listed = f"{', '.join(first)} {words.and_} {last}" if first else last
    label = words.orders if first else words.order
    return {"order_id": listed, "orders": f"{label} {listed}"}
