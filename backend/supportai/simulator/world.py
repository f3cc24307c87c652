"""The simulated world: one SMM panel (users, services, orders, tickets) and the
providers that fulfil its orders, each with its own order table keyed by the
provider's order ID (the panel order's `external_id`).

Time is the real clock plus an offset that `advance()` moves forward, so a demo
runs on its own while a test can jump hours ahead. Scripted provider behaviour
(a refill that completes after a delay, a count that recovers) is kept as timed
events, applied by `settle()` whenever the simulator handles a request.

Everything random comes from `random.Random(recipe.seed)`: the same recipe gives
the same world.
"""

from __future__ import annotations

import heapq
import itertools
import random
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from supportai.simulator.generate import populate, random_key
from supportai.simulator.records import (
    Behaviour,
    Delivery,
    ProviderOrder,
    SimMessage,
    SimOrder,
    SimProvider,
    SimRefill,
    SimService,
    SimTicket,
    SimUser,
    WorldRecipe,
)


class SimRefusal(Exception):
    """The simulated system refuses an action; the message is the API's own error text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class World:
    def __init__(self, recipe: WorldRecipe) -> None:
        self.recipe = recipe
        self.reset()

    def reset(self) -> None:
        """Back to the freshly generated world (same recipe, clock restarted)."""
        start = self.recipe.start if self.recipe.start is not None else time.time()
        self._clock_offset = start - time.time()
        self._events: list[tuple[float, int, Callable[[], None]]] = []
        self._event_order = itertools.count()
        self.users: dict[str, SimUser] = {}
        self.services: dict[int, SimService] = {}
        self.orders: dict[int, SimOrder] = {}
        self.tickets: dict[int, SimTicket] = {}
        self.providers: dict[str, SimProvider] = {}
        self._latest_order_by_link: dict[str, SimOrder] = {}
        rng = random.Random(self.recipe.seed)
        self.admin_key = random_key(rng)  # panel admin API (X-Api-Key)
        self.user_key = random_key(rng)  # panel user API v2 (services)
        self.next_order_id = rng.randint(100_000, 700_000)
        self.next_ticket_id = rng.randint(1_000, 9_000)
        self.next_message_id = rng.randint(10_000, 90_000)
        # The clock stands still while the world is generated: the same seed gives the same
        # world even when generation straddles a second.
        self._frozen_at: float | None = start
        populate(self, rng)
        self._frozen_at = None

    # --- Clock and scripted events -------------------------------------------

    def now(self) -> float:
        if self._frozen_at is not None:
            return self._frozen_at
        return time.time() + self._clock_offset

    def advance(self, seconds: float) -> float:
        self._clock_offset += seconds
        self.settle()
        return self.now()

    def settle(self) -> None:
        """Apply every scripted event that is due."""
        now = self.now()
        while self._events and self._events[0][0] <= now:
            _, _, apply = heapq.heappop(self._events)
            apply()

    def _after(self, seconds: float, apply: Callable[[], None]) -> None:
        heapq.heappush(self._events, (self.now() + seconds, next(self._event_order), apply))

    # --- Panel side ------------------------------------------------------------

    def create_order(
        self,
        *,
        user: str,
        service_id: int,
        quantity: int,
        link: str,
        status: str = "Pending",
        start_count: int = 0,
        remains: int | None = None,
        current_count: int | None = None,
        created: int | None = None,
        behaviour: Behaviour | None = None,
    ) -> SimOrder:
        if user not in self.users:
            raise SimRefusal("User not found")
        service = self.services.get(service_id)
        if service is None:
            raise SimRefusal("Incorrect service ID")
        remains = quantity if remains is None else remains
        delivery = Delivery(
            quantity=quantity,
            start_count=start_count,
            remains=remains,
            status=status,
            current_count=start_count + quantity - remains
            if current_count is None
            else current_count,
        )
        external_id = None
        provider = self.providers.get(service.provider or "")
        if provider is not None and service.provider_service_id is not None:
            external_id = str(provider.next_external_id)
            provider.next_external_id += 1
            provider_rate = provider.services[service.provider_service_id].rate
            provider.orders[external_id] = ProviderOrder(
                external_id=external_id,
                service_id=service.provider_service_id,
                charge=_charge(provider_rate, quantity),
                delivery=delivery,
                behaviour=behaviour or Behaviour(),
            )
        order = SimOrder(
            id=self.next_order_id,
            user=user,
            service_id=service_id,
            link=link,
            charge=_charge(service.rate, quantity),
            created=int(self.now()) if created is None else created,
            provider=provider.name if external_id else None,
            external_id=external_id,
            delivery=delivery,
        )
        self.next_order_id += 1
        self.orders[order.id] = order
        self._latest_order_by_link[link] = order
        return order

    def provider_order_of(self, order: SimOrder) -> ProviderOrder | None:
        if order.provider is None or order.external_id is None:
            return None
        return self.providers[order.provider].orders[order.external_id]

    def order_by_link(self, link: str) -> SimOrder | None:
        return self._latest_order_by_link.get(link)

    def drop_count(self, delivery: Delivery, amount: int, recover_after: float | None) -> None:
        """The count falls by `amount` now and, if `recover_after` is given, comes back by itself."""
        delivery.current_count -= amount
        if recover_after is not None:

            def recover() -> None:
                delivery.current_count += amount

            self._after(recover_after, recover)

    def create_ticket(
        self, *, user: str, subject: str, message: str, author: str = "customer"
    ) -> SimTicket:
        if user not in self.users:
            raise SimRefusal("User not found")
        now = int(self.now())
        ticket = SimTicket(
            id=self.next_ticket_id,
            user=user,
            subject=subject,
            status="Open",
            created_at=now,
            updated_at=now,
        )
        self.next_ticket_id += 1
        self.tickets[ticket.id] = ticket
        self.add_ticket_message(ticket.id, message=message, author=author)
        return ticket

    def add_ticket_message(self, ticket_id: int, *, message: str, author: str) -> SimMessage:
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            raise SimRefusal("Ticket not found")
        if author not in ("customer", "staff"):
            raise SimRefusal("Author must be customer or staff")
        now = int(self.now())
        added = SimMessage(id=self.next_message_id, author=author, message=message, created_at=now)
        self.next_message_id += 1
        ticket.messages.append(added)
        ticket.updated_at = now
        ticket.status = "Answered" if author == "staff" else "Open"
        return added

    # --- Provider side ---------------------------------------------------------

    def request_refill(self, provider: SimProvider, external_id: str) -> SimRefill:
        order = _provider_order(provider, external_id)
        service = provider.services.get(order.service_id)
        if order.behaviour.refill == "disabled" or service is None or not service.refill:
            raise SimRefusal("Refill is disabled for this service")
        latest = provider.refills.get(order.latest_refill_id or "")
        if latest is not None and latest.status in ("Pending", "In progress"):
            raise SimRefusal("The refill task is not completed for this order")
        if not order.delivery.is_status("completed", "partial"):
            raise SimRefusal("Refill is not available for this order")
        refill = SimRefill(id=str(provider.next_refill_id), order_id=external_id, status="Pending")
        provider.next_refill_id += 1
        provider.refills[refill.id] = refill
        order.latest_refill_id = refill.id
        outcome = order.behaviour.refill
        delay = order.behaviour.refill_delay

        def start() -> None:
            if refill.status == "Pending":
                refill.status = "In progress"

        def finish() -> None:
            if outcome == "complete":
                refill.status = "Completed"
                delivery = order.delivery
                delivery.current_count = max(delivery.current_count, delivery.expected_count)
            else:
                refill.status = "Rejected"

        self._after(delay / 4, start)
        self._after(delay, finish)
        return refill

    def request_cancel(self, provider: SimProvider, external_id: str) -> None:
        order = _provider_order(provider, external_id)
        service = provider.services.get(order.service_id)
        if order.behaviour.cancel == "reject" or (service is not None and service.cancel is False):
            raise SimRefusal("Cancel is disabled for this service")
        if order.cancel_requested:
            raise SimRefusal("Cancel request already exists for this order")
        if not order.delivery.is_status("pending", "in progress", "processing"):
            raise SimRefusal("Order can not be canceled")
        order.cancel_requested = True

        def finish() -> None:
            delivery = order.delivery
            if delivery.is_status("pending", "in progress", "processing"):
                # What was delivered stays delivered: the customer is refunded the rest.
                delivery.status = "Partial" if delivery.delivered else provider.canceled_spelling

        self._after(order.behaviour.cancel_delay, finish)


def _provider_order(provider: SimProvider, external_id: str) -> ProviderOrder:
    order = provider.orders.get(external_id)
    if order is None:
        raise SimRefusal("Incorrect order ID")
    return order


def _charge(rate: Decimal, quantity: int) -> Decimal:
    return (rate * quantity / 1000).quantize(Decimal("0.0001"))


def build_world(seed: str | int, **recipe: Any) -> World:
    """A world generated from `seed` (42 and "42" are the same seed). `recipe` takes
    the other `WorldRecipe` fields: users, services, orders, providers, tickets, start."""
    return World(WorldRecipe(seed=str(seed), **recipe))
