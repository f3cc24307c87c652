"""Assertions for texts the model reads right but may hold back for a person: below the
calibrated threshold an action goes to a person, never to a guessed action."""

from __future__ import annotations

from supportai.engine.understanding import understand
from supportai.engine.understanding.weighing import intent_model, most_likely, weigh

OTHER = "other"


def assert_read_as(text: str, intent: str) -> None:
    """The model's most likely reading is `intent`; it is acted on, or held back unsure."""
    assert most_likely(weigh(text, intent_model()).overall) == intent
    understanding = understand(text)
    assert understanding.intent == intent or (understanding.intent == OTHER and understanding.unsure)


def assert_orders_read_as(text: str, orders: list[tuple[str, str]]) -> None:
    """Each order's most likely reading is its intent; each is acted on or held back."""
    weighed = weigh(text, intent_model())
    assert [(order_id, most_likely(p)) for order_id, p in weighed.orders] == orders
    understanding = understand(text)
    assert understanding.unsure or [(o.id, o.intent) for o in understanding.orders] == orders
    for order, (order_id, intent) in zip(understanding.orders, orders, strict=True):
        assert order.id == order_id and order.intent in (intent, OTHER)
