"""Control endpoints under `/_sim/`: not part of any real protocol; tests and demos
use them to steer the world and to see what the product sent.

- `GET  /_sim/info`: seed, clock, keys and API paths of the panel and providers.
- `POST /_sim/reset`: regenerate the world from its recipe, clear the log, restore the
  config; requests still waiting out injected latency then answer 502.
- `GET|POST /_sim/config`: latency_ms, error_rate, fail_next, malformed_next, html_next.
- `POST /_sim/advance?seconds=N`: move the world clock forward (due events apply).
- `GET  /_sim/requests?path=<prefix>&action=`: the protocol request log (method,
  path, action, params, body, at); `DELETE /_sim/requests` clears it.
- `POST /_sim/tickets {user, subject, message}`: a customer opens a ticket.
- `POST /_sim/tickets/{id}/messages {message, author="customer"}`: a new message in a thread.
- `POST /_sim/orders {user, service_id, quantity, ...}`: a new order (mapped to the
  service's provider, with an external ID).
- `GET  /_sim/orders/{id}`, `PATCH /_sim/orders/{id}`: an order's full state; change
  status, counts, a drop that may recover, and the provider's behaviour for it.
- `GET  /_sim/counts?link=`: the current count at a link (a "count source").

Refusals (unknown user, service, ticket) answer 400 `{"error": "..."}`.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, JSONBody

from supportai.simulator.records import Behaviour, SimOrder
from supportai.simulator.state import Simulator, SimulatorConfig, SimulatorDep, simulator_of


class ConfigChange(msgspec.Struct):
    latency_ms: int | None = None
    error_rate: float | None = None
    fail_next: int | None = None
    malformed_next: int | None = None
    html_next: int | None = None


class NewTicket(msgspec.Struct):
    user: str
    subject: str
    message: str


class NewMessage(msgspec.Struct):
    message: str
    author: Literal["customer", "staff"] = "customer"


class NewOrder(msgspec.Struct):
    user: str
    service_id: int
    quantity: int
    link: str | None = None  # default: a unique made-up link
    status: str = "Pending"
    start_count: int = 0
    remains: int | None = None  # default: quantity (nothing delivered)
    current_count: int | None = None  # default: start_count + delivered
    age_seconds: float = 0.0  # how long ago the order was placed
    behaviour: Behaviour | None = None


class CountDrop(msgspec.Struct):
    amount: int
    recover_after: float | None = None  # seconds; None: the drop stays


class BehaviourChange(msgspec.Struct):
    refill: Literal["complete", "reject", "disabled"] | None = None
    refill_delay: float | None = None
    cancel: Literal["accept", "reject"] | None = None
    cancel_delay: float | None = None


class OrderChange(msgspec.Struct):
    status: str | None = None  # any spelling, e.g. "Refunded"
    start_count: int | None = None
    remains: int | None = None
    current_count: int | None = None
    drop: CountDrop | None = None
    behaviour: BehaviourChange | None = None


def _changed(current: msgspec.Struct, change: msgspec.Struct) -> dict[str, Any]:
    """The fields of `change` that were given (not None)."""
    return {
        name: value
        for name in change.__struct_fields__
        if (value := getattr(change, name)) is not None and hasattr(current, name)
    }


async def _settle_world(request: Request[Any, Any, Any]) -> None:
    """Reads through the control API see due events applied, as protocol requests do."""
    simulator_of(request).world.settle()


class SimulatorControl(Controller):
    path = "/_sim"
    before_request = _settle_world

    @get("/info")
    async def info(self, sim: SimulatorDep) -> dict[str, Any]:
        world = sim.world
        return {
            "seed": world.recipe.seed,
            "now": world.now(),
            "panel": {
                "admin_api": "/adminapi/v2",
                "admin_key": world.admin_key,
                "user_api": "/api/v2",
                "user_key": world.user_key,
            },
            "providers": [
                {
                    "name": provider.name,
                    "api": f"/providers/{provider.name}/api/v2",
                    "key": provider.key,
                    "orders": len(provider.orders),
                }
                for provider in world.providers.values()
            ],
            "sizes": {
                "users": len(world.users),
                "services": len(world.services),
                "orders": len(world.orders),
                "tickets": len(world.tickets),
            },
            "config": sim.config,
        }

    @post("/reset", status_code=200)
    async def reset(self, sim: SimulatorDep) -> dict[str, Any]:
        sim.reset()
        return {"now": sim.world.now()}

    @get("/config")
    async def read_config(self, sim: SimulatorDep) -> SimulatorConfig:
        return sim.config

    @post("/config", status_code=200)
    async def change_config(
        self, data: JSONBody[ConfigChange], sim: SimulatorDep
    ) -> SimulatorConfig:
        sim.config = msgspec.structs.replace(sim.config, **_changed(sim.config, data))
        return sim.config

    @post("/advance", status_code=200)
    async def advance(self, seconds: FromQuery[float], sim: SimulatorDep) -> dict[str, float]:
        return {"now": sim.world.advance(seconds)}

    @get("/requests")
    async def requests(
        self,
        sim: SimulatorDep,
        path: FromQuery[str | None] = None,
        action: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        recorded = [
            request
            for request in sim.requests
            if (path is None or request.path.startswith(path))
            and (action is None or request.action == action)
        ]
        return {"requests": recorded}

    @delete("/requests", status_code=204)
    async def clear_requests(self, sim: SimulatorDep) -> None:
        sim.requests.clear()

    @post("/tickets")
    async def create_ticket(self, data: JSONBody[NewTicket], sim: SimulatorDep) -> dict[str, Any]:
        ticket = sim.world.create_ticket(user=data.user, subject=data.subject, message=data.message)
        return msgspec.to_builtins(ticket)

    @post("/tickets/{ticket_id:int}/messages")
    async def add_message(
        self, ticket_id: FromPath[int], data: JSONBody[NewMessage], sim: SimulatorDep
    ) -> dict[str, Any]:
        added = sim.world.add_ticket_message(ticket_id, message=data.message, author=data.author)
        return msgspec.to_builtins(added)

    @post("/orders")
    async def create_order(self, data: JSONBody[NewOrder], sim: SimulatorDep) -> dict[str, Any]:
        world = sim.world
        order = world.create_order(
            user=data.user,
            service_id=data.service_id,
            quantity=data.quantity,
            link=data.link or f"https://www.instagram.com/sim_{world.next_order_id}/",
            status=data.status,
            start_count=data.start_count,
            remains=data.remains,
            current_count=data.current_count,
            created=int(world.now() - data.age_seconds),
            behaviour=data.behaviour,
        )
        return _order_state(sim, order)

    @get("/orders/{order_id:int}")
    async def read_order(self, order_id: FromPath[int], sim: SimulatorDep) -> dict[str, Any]:
        return _order_state(sim, _order(sim, order_id))

    @patch("/orders/{order_id:int}")
    async def change_order(
        self, order_id: FromPath[int], data: JSONBody[OrderChange], sim: SimulatorDep
    ) -> dict[str, Any]:
        order = _order(sim, order_id)
        delivery = order.delivery
        for name, value in _changed(delivery, data).items():
            setattr(delivery, name, value)
        if data.drop is not None:
            sim.world.drop_count(delivery, data.drop.amount, data.drop.recover_after)
        provider_order = sim.world.provider_order_of(order)
        if data.behaviour is not None and provider_order is not None:
            provider_order.behaviour = msgspec.structs.replace(
                provider_order.behaviour, **_changed(provider_order.behaviour, data.behaviour)
            )
        return _order_state(sim, order)

    @get("/counts")
    async def current_count(self, link: FromQuery[str], sim: SimulatorDep) -> dict[str, Any]:
        order = sim.world.order_by_link(link)
        if order is None:
            raise NotFoundException(f"no order with link {link}")
        return {"link": link, "current_count": order.delivery.current_count}


def _order(sim: Simulator, order_id: int) -> SimOrder:
    order = sim.world.orders.get(order_id)
    if order is None:
        raise NotFoundException(f"no order {order_id}")
    return order


def _order_state(sim: Simulator, order: SimOrder) -> dict[str, Any]:
    delivery = order.delivery
    provider_order = sim.world.provider_order_of(order)
    latest_refill = None
    if provider_order is not None and provider_order.latest_refill_id is not None:
        refill = sim.world.providers[order.provider or ""].refills[provider_order.latest_refill_id]
        latest_refill = {"id": refill.id, "status": refill.status}
    return {
        "id": order.id,
        "user": order.user,
        "service_id": order.service_id,
        "service_name": sim.world.services[order.service_id].name,
        "link": order.link,
        "charge": str(order.charge),
        "created": order.created,
        "provider": order.provider,
        "external_id": order.external_id,
        "quantity": delivery.quantity,
        "start_count": delivery.start_count,
        "remains": delivery.remains,
        "status": delivery.status,
        "current_count": delivery.current_count,
        "expected_count": delivery.expected_count,
        "behaviour": provider_order.behaviour if provider_order else None,
        "latest_refill": latest_refill,
        "cancel_requested": provider_order.cancel_requested if provider_order else False,
    }
