"""Value objects returned by message understanding."""

from __future__ import annotations

import msgspec

MAX_ORDERS_PER_MESSAGE = 100


class OrderIntent(msgspec.Struct, frozen=True):
    id: str
    intent: str  # refill | cancel | speed_up | other


class Understanding(msgspec.Struct, frozen=True):
    """What a customer message asks for."""

    intent: str  # refill | cancel | speed_up | other
    confidence: float  # 0..1
    lang: str  # BCP-47-ish ("ru", "hi-Latn"), "und" for a text without letters
    orders: tuple[OrderIntent, ...] = ()  # in message order, de-duplicated, at most 100
    # More than MAX_ORDERS_PER_MESSAGE IDs: `orders` is empty and the customer is asked
    # to split the request; nothing is silently dropped.
    too_many_orders: bool = False
    # The model was not sure enough to act somewhere (the message or one of its orders
    # fell back to `other`): a person, or the tenant's LLM, should read it.
    unsure: bool = False

    @property
    def order_ids(self) -> tuple[str, ...]:
        return tuple(order.id for order in self.orders)


class ProviderReply(msgspec.Struct, frozen=True):
    """What a provider's reply says about a forwarded request."""

    label: str  # confirm | decline | ambiguous
    order_ids: tuple[str, ...] = ()
