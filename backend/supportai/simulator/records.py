"""The records the simulated world is made of. Mutable on purpose: the control
endpoints and the providers' scripted behaviour change them while the simulator runs."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import msgspec


class WorldRecipe(msgspec.Struct, frozen=True):
    """Everything a world is generated from; the same recipe gives the same world."""

    seed: str
    users: int = 20
    services: int = 40
    orders: int = 500
    providers: int = 3
    tickets: int = 10
    # Unix time the world's clock starts at; None means "now" when generated.
    start: float | None = None


class SimUser(msgspec.Struct):
    id: int
    username: str
    email: str
    balance: Decimal


class SimService(msgspec.Struct):
    """A row of an SMM API `services` catalogue (the panel's or a provider's)."""

    id: int
    name: str
    type: str
    category: str
    rate: Decimal  # per 1000
    min: int
    max: int
    refill: bool
    cancel: bool | None  # None: the catalogue leaves the field out, as some do
    # Panel services only: which provider service fulfils them (None: done by hand).
    provider: str | None = None
    provider_service_id: int | None = None


class Delivery(msgspec.Struct):
    """What both the panel and the provider report about one order.

    The panel's order and the provider's order hold the same instance, so the two
    always agree. `status` is kept as spelled, so a test can make a panel say
    `Refunded`; `current_count` is what the social network shows right now (the
    "count source")."""

    quantity: int
    start_count: int
    remains: int
    status: str
    current_count: int

    @property
    def delivered(self) -> int:
        return self.quantity - self.remains

    @property
    def expected_count(self) -> int:
        return self.start_count + self.delivered

    def is_status(self, *statuses: str) -> bool:
        return _status_family(self.status) in statuses


def _status_family(status: str) -> str:
    text = status.strip().lower()
    return "canceled" if text in {"cancelled", "refunded"} else text


class Behaviour(msgspec.Struct):
    """How the provider handles this order's refill and cancel requests."""

    refill: Literal["complete", "reject", "disabled"] = "complete"
    refill_delay: float = 3600.0  # seconds from accepted to Completed / Rejected
    cancel: Literal["accept", "reject"] = "accept"
    cancel_delay: float = 600.0  # seconds from accepted to Canceled


class ProviderOrder(msgspec.Struct):
    external_id: str
    service_id: int  # the provider's service
    charge: Decimal
    delivery: Delivery
    behaviour: Behaviour
    latest_refill_id: str | None = None
    cancel_requested: bool = False


class SimRefill(msgspec.Struct):
    id: str
    order_id: str
    status: str  # Pending, In progress, Completed, Rejected


class SimProvider(msgspec.Struct):
    name: str
    key: str
    balance: Decimal
    currency: str
    # Providers differ in small ways, as real ones do.
    numbers_as_strings: bool
    canceled_spelling: str  # "Canceled" or "Cancelled"
    services: dict[int, SimService] = msgspec.field(default_factory=dict)
    orders: dict[str, ProviderOrder] = msgspec.field(default_factory=dict)
    refills: dict[str, SimRefill] = msgspec.field(default_factory=dict)
    next_external_id: int = 1
    next_refill_id: int = 1


class SimOrder(msgspec.Struct):
    """An order as the panel knows it."""

    id: int
    user: str
    service_id: int
    link: str
    charge: Decimal
    created: int  # unix seconds
    provider: str | None
    external_id: str | None
    delivery: Delivery


class SimMessage(msgspec.Struct):
    id: int
    author: Literal["customer", "staff"]
    message: str
    created_at: int


class SimTicket(msgspec.Struct):
    id: int
    user: str
    subject: str
    status: Literal["Open", "Answered", "Closed"]
    created_at: int
    updated_at: int
    messages: list[SimMessage] = msgspec.field(default_factory=list)
