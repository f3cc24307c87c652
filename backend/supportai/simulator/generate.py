"""Fills a fresh world so it looks like a real small panel: users, a service
catalogue with every kind of refill marker, orders of every status spread over
the last four months (recent ones still running, some counts dropped), fulfilled
by providers (custom comments by the panel's staff), and a handful of customer
tickets in several languages.

`populate` fills a world, `random_key` makes its API keys; every choice draws on
the world's seeded `rng`. The world is seen through `Fillable`, the part of `World`
generation writes, so this module sits below `world.py` (which calls it) rather than
importing it back.
"""

from __future__ import annotations

import random
import string
from decimal import Decimal
from typing import Protocol

from supportai.simulator import content
from supportai.simulator.records import (
    Behaviour,
    SimMessage,
    SimOrder,
    SimProvider,
    SimService,
    SimTicket,
    SimUser,
    WorldRecipe,
)

DAY = 86_400
HISTORY_DAYS = 120
ACTIVE = ("Pending", "In progress", "Processing")

# Status weights by order age: young orders are still running.
_STATUS_BY_AGE: tuple[tuple[float, dict[str, int]], ...] = (
    (6 * 3600, {"Pending": 30, "In progress": 40, "Processing": 15, "Completed": 15}),
    (
        3 * DAY,
        {
            "In progress": 20,
            "Processing": 5,
            "Completed": 60,
            "Partial": 5,
            "Canceled": 8,
            "Fail": 2,
        },
    ),
    (
        float("inf"),
        {"In progress": 2, "Completed": 75, "Partial": 9, "Canceled": 10, "Refunded": 2, "Fail": 2},
    ),
)
_QUANTITIES = (100, 250, 500, 1000, 2000, 2500, 5000, 10000)
_WANTED_STATUSES = {
    "refill": ("Completed", "Partial"),
    "cancel": ACTIVE,
    "speed_up": ACTIVE,
    "other": (),
}


class Fillable(Protocol):
    """What generation reads and writes of a world (`world.World` is one)."""

    recipe: WorldRecipe
    users: dict[str, SimUser]
    services: dict[int, SimService]
    orders: dict[int, SimOrder]
    providers: dict[str, SimProvider]
    next_order_id: int

    def now(self) -> float: ...

    def create_order(
        self,
        *,
        user: str,
        service_id: int,
        quantity: int,
        link: str,
        status: str = ...,
        start_count: int = ...,
        remains: int | None = ...,
        current_count: int | None = ...,
        created: int | None = ...,
        behaviour: Behaviour | None = ...,
    ) -> SimOrder: ...

    def create_ticket(self, *, user: str, subject: str, message: str, author: str = ...) -> SimTicket: ...

    def add_ticket_message(self, ticket_id: int, *, message: str, author: str) -> SimMessage: ...


def populate(world: Fillable, rng: random.Random) -> None:
    recipe = world.recipe
    _add_users(world, rng, recipe.users)
    _add_providers(world, rng, recipe.providers)
    _add_services(world, rng, recipe.services)
    _add_orders(world, rng, recipe.orders)
    _add_tickets(world, rng, recipe.tickets)


def random_key(rng: random.Random) -> str:
    """An API key like the ones panels hand out: 32 hex digits."""
    return f"{rng.getrandbits(128):032x}"


def _add_users(world: Fillable, rng: random.Random, count: int) -> None:
    pool = list(content.USERNAMES)
    rng.shuffle(pool)
    for index in range(count):
        base = pool[index % len(pool)]
        username = base if index < len(pool) else f"{base}{index // len(pool)}"
        world.users[username] = SimUser(
            id=1000 + index,
            username=username,
            email=f"{username.replace('.', '_')}@{rng.choice(content.EMAIL_DOMAINS)}",
            balance=Decimal(rng.randint(0, 50_000)) / 100,
        )


def _add_providers(world: Fillable, rng: random.Random, count: int) -> None:
    for index in range(count):
        name = (
            content.PROVIDER_NAMES[index]
            if index < len(content.PROVIDER_NAMES)
            else f"provider{index}"
        )
        world.providers[name] = SimProvider(
            name=name,
            key=random_key(rng),
            balance=Decimal(rng.randint(1_000, 500_000)) / 100,
            currency="USD",
            numbers_as_strings=index % 2 == 0,
            canceled_spelling="Cancelled" if index % 3 == 1 else "Canceled",
            next_external_id=rng.randint(1_000_000, 9_000_000),
            next_refill_id=rng.randint(1_000, 90_000),
        )


def _add_services(world: Fillable, rng: random.Random, count: int) -> None:
    providers = list(world.providers.values())
    service_id = rng.randint(1, 400)
    for index in range(count):
        template = content.SERVICE_TEMPLATES[index % len(content.SERVICE_TEMPLATES)]
        lap = index // len(content.SERVICE_TEMPLATES)
        service = SimService(
            id=service_id,
            name=template.name if lap == 0 else f"{template.name} #{lap + 1}",
            type=template.type,
            category=template.category,
            rate=Decimal(rng.randint(5, 900)) / 100,
            min=rng.choice((10, 50, 100)),
            max=rng.choice((5_000, 10_000, 50_000, 100_000, 1_000_000)),
            refill=template.refill,
            cancel=rng.choice((True, True, False, None)),
        )
        # Custom comments are typed in by the panel's staff: no provider.
        if providers and template.type == "Default":
            provider = rng.choice(providers)
            provider_service_id = rng.randint(1, 9_000)
            while provider_service_id in provider.services:
                provider_service_id = rng.randint(1, 9_000)
            provider.services[provider_service_id] = SimService(
                id=provider_service_id,
                name=template.name,
                type=template.type,
                category=template.category,
                rate=(service.rate * Decimal(rng.randint(50, 80)) / 100).quantize(
                    Decimal("0.0001")
                ),
                min=service.min,
                max=service.max,
                refill=service.refill,
                cancel=service.cancel,
            )
            service.provider = provider.name
            service.provider_service_id = provider_service_id
        world.services[service.id] = service
        service_id += rng.randint(1, 12)


def _add_orders(world: Fillable, rng: random.Random, count: int) -> None:
    if not world.users or not world.services:
        return
    now = world.now()
    usernames = list(world.users)
    services = list(world.services.values())
    # Squared so that recent days are busier, as on a growing panel, and a fair
    # share of orders is still Pending or In progress.
    ages = sorted((60 + rng.random() ** 2 * HISTORY_DAYS * DAY for _ in range(count)), reverse=True)
    for age in ages:
        service = rng.choice(services)
        quantity = min(max(rng.choice(_QUANTITIES), service.min), service.max)
        status = _status_for_age(rng, age)
        start_count = 0 if status == "Pending" else rng.randint(0, 50_000)
        remains = _remains_for(rng, status, quantity)
        user = rng.choice(usernames)
        provider = world.providers.get(service.provider or "")
        if provider is not None:
            # Other customers of the provider order in between: its IDs have gaps.
            provider.next_external_id += rng.randint(0, 30)
        world.next_order_id += rng.randint(0, 3)
        order = world.create_order(
            user=user,
            service_id=service.id,
            quantity=quantity,
            link=_link_for(rng, service.category, user),
            status=status,
            start_count=start_count,
            remains=remains,
            created=int(now - age),
            behaviour=Behaviour(
                refill=rng.choices(("complete", "reject", "disabled"), weights=(80, 15, 5))[0],
                refill_delay=rng.choice((1800.0, 3600.0, 6 * 3600.0, 24 * 3600.0)),
            ),
        )
        _maybe_drop(rng, order)


def _status_for_age(rng: random.Random, age: float) -> str:
    weights = next(weights for max_age, weights in _STATUS_BY_AGE if age < max_age)
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _remains_for(rng: random.Random, status: str, quantity: int) -> int:
    if status == "Completed":
        return 0
    if status == "Partial":
        return rng.randint(1, quantity - 1) if quantity > 1 else 0
    if status == "In progress":
        return rng.randint(1, quantity)
    return quantity


def _maybe_drop(rng: random.Random, order: SimOrder) -> None:
    """Followers unfollow: some finished orders show fewer than delivered, a few
    even fewer than before the order started."""
    delivery = order.delivery
    if delivery.status not in ("Completed", "Partial") or delivery.delivered == 0:
        return
    roll = rng.random()
    if roll < 0.03:
        delivery.current_count = max(0, delivery.start_count - rng.randint(1, 500))
    elif roll < 0.33:
        delivery.current_count -= rng.randint(1, max(1, delivery.delivered // 3))


def _link_for(rng: random.Random, category: str, username: str) -> str:
    platform = category.split()[0]
    link_format = content.LINK_FORMATS.get(platform, "https://example.com/{handle}")
    return link_format.format(
        handle=f"{username.replace('.', '_')}{rng.randint(1, 999)}",
        number=rng.randint(10**18, 10**19 - 1),
        token="".join(rng.choices(string.ascii_letters + string.digits, k=11)),
    )


def _add_tickets(world: Fillable, rng: random.Random, count: int) -> None:
    orders_by_user: dict[str, list[SimOrder]] = {}
    for order in world.orders.values():
        orders_by_user.setdefault(order.user, []).append(order)
    if not orders_by_user:
        return
    customers = sorted(orders_by_user)
    for index in range(count):
        template = content.TICKET_TEMPLATES[index % len(content.TICKET_TEMPLATES)]
        user = rng.choice(customers)
        own = orders_by_user[user]
        fitting = [o for o in own if o.delivery.status in _WANTED_STATUSES[template.wants]]
        first = rng.choice(fitting or own)
        second = rng.choice([o for o in own if o is not first] or own)
        ticket = world.create_ticket(
            user=user,
            subject=template.subject,
            message=template.message.format(order=first.id, other=second.id),
        )
        # Back-date the ticket so the thread reads like it happened over hours.
        opened = int(world.now() - rng.uniform(600, 3 * DAY))
        ticket.created_at = ticket.updated_at = ticket.messages[0].created_at = opened
        if index % 4 == 3:
            world.add_ticket_message(
                ticket.id, message=rng.choice(content.STAFF_REPLIES), author="staff"
            )
        elif index % 4 == 1:
            world.add_ticket_message(ticket.id, message="any update??", author="customer")
        if index % 7 == 6:
            ticket.status = "Closed"
