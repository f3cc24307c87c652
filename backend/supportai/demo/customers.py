"""The demo's customers: each scene makes the orders it is about on the simulated panel
(a count that dropped, an order still pending, one stuck for two days...), then the
customer writes about them, on a panel ticket or through the public API.

A stuck order's speed-up goes to its provider over Telegram; the scene says how the
provider (played by `supportai.demo.providers`) will answer it.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.records import SimService
from supportai.simulator.world import World

DAY = 86_400
# How a provider answers a forward: confirm and do it, decline, never answer, answer only the
# reminder, confirm and do a third of it, or confirm and do nothing.
Plan = Literal["confirm", "decline", "silent", "late", "partial", "idle"]


@dataclass
class DemoOrders:
    """The orders the scenes made, for the providers to act on: by the provider's order id."""

    panel_ids: dict[str, int] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)  # how the provider answers a forward


@dataclass(frozen=True)
class OrderKind:
    """An order as the scene needs it: which service, and its state (ages in real time)."""

    service: Callable[[SimService], bool]
    status: str
    age_s: float
    remains: int = 0
    dropped: int = 0  # followers lost since it completed


REFILLABLE = OrderKind(lambda s: s.refill and "30" in s.name, "Completed", 5 * DAY, dropped=250)
NO_REFILL = OrderKind(lambda s: not s.refill and "refill" in s.name.lower(), "Completed", 4 * DAY, dropped=180)
DELIVERED = OrderKind(lambda s: s.refill and "30" in s.name, "Completed", 3 * DAY)
PENDING = OrderKind(lambda s: s.cancel is not False, "Pending", 3600)
STUCK = OrderKind(lambda s: True, "In progress", 2 * DAY, remains=600)


@dataclass(frozen=True)
class Scene:
    text: str  # {0}, {1}: the orders' ids
    orders: tuple[OrderKind, ...] = ()
    channel: Literal["ticket", "api"] = "ticket"
    plan: Plan | None = None


SCENES = (
    Scene("refill {0} pls, followers dropped", (REFILLABLE,)),
    Scene("отмените заказ {0}, пожалуйста", (PENDING,)),
    Scene("Order {0} stuck since yesterday, speed up please 🙏", (STUCK,), plan="confirm"),
    Scene("الطلب {0} نزل المتابعين، أريد تعويض", (REFILLABLE,), channel="api"),
    Scene("bhai {0} pe refill daal do, likes gir gaye", (NO_REFILL,)),
    Scene("زمان زیادی گذشته، سفارش {0} رو سریع‌تر کنید", (STUCK,), plan="decline"),
    Scene("min {0} sama {1} cancel aja ya kak, salah akun", (PENDING, PENDING)),
    Scene("Hello, do you accept USDT TRC20 for deposits?"),
    Scene("pedido {0} caiu muito, podem repor?", (REFILLABLE,)),
    Scene("订单 {0} 两天了还没完成，请加速", (STUCK,), plan="silent"),
    Scene("hủy giúp em đơn {0} với ạ", (PENDING,), channel="api"),
    Scene("{0} siparişim düştü, telafi yapar mısınız", (DELIVERED,)),
    Scene("my followers dropped, can you refill?"),
    Scene("Bestellung {0} hängt seit gestern, bitte beschleunigen", (STUCK,), channel="api", plan="late"),
)


class Customers:
    """Plays the scenes in turn, each from a random customer of the panel."""

    def __init__(
        self, world: World, sim: SimulatorControlClient, api: httpx.AsyncClient, api_key: str, orders: DemoOrders,
        seed: int = 7,
    ) -> None:
        self.world, self.sim, self.api, self.api_key = world, sim, api, api_key
        self.orders = orders
        self.rng = random.Random(seed)
        self.played = 0

    async def next(self) -> str:
        """Play the next scene; returns its channel ("ticket" needs a panel poll)."""
        scene = SCENES[self.played % len(SCENES)]
        self.played += 1
        user = self.rng.choice(list(self.world.users))
        ids = [await self.place_order(kind, user, scene.plan) for kind in scene.orders]
        await self.write(user, scene.text.format(*ids), scene.channel)
        return scene.channel

    async def write(self, user: str, text: str, channel: Literal["ticket", "api"]) -> None:
        """The customer writes: a new panel ticket, or a message through the public API."""
        if channel == "api":
            answer = await self.api.post("/api/v1/messages", headers={"X-API-Key": self.api_key}, json={
                "customer": user, "text": text, "external_id": f"demo-{uuid.uuid4().hex[:12]}",
            })
            answer.raise_for_status()
        else:
            await self.sim.create_ticket(user=user, subject="Order help", message=text)

    async def place_order(self, kind: OrderKind, user: str, plan: Plan | None) -> int:
        """An order of this kind on the simulated panel, placed by `user`; its panel id."""
        service = self._service(kind)
        quantity = max(1000, service.min)
        start = self.rng.randint(200, 5000)
        fields: dict[str, Any] = {
            "user": user, "service_id": service.id, "quantity": quantity, "status": kind.status,
            "start_count": start, "remains": quantity if kind.status == "Pending" else kind.remains,
            # Ages count on the real clock, which SupportAI's decisions use; the panel dates the
            # order on the world's clock, which runs ahead (and lags the fast clock by a tick).
            "age_seconds": kind.age_s + max(self.world.now() - time.time(), 0),
        }
        if kind.dropped:
            fields["current_count"] = start + quantity - kind.remains - kind.dropped
        order = await self.sim.create_order(**fields)
        if order["external_id"]:
            self.orders.panel_ids[order["external_id"]] = order["id"]
            if plan is not None:
                self.orders.plans[order["external_id"]] = plan
        return order["id"]

    def _service(self, kind: OrderKind) -> SimService:
        fits = [s for s in self.world.services.values() if s.provider is not None and kind.service(s)]
        return self.rng.choice(fits)
