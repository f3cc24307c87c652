"""The standard SMM API v2 (spec/integrations.md section 1), as spoken by each
provider at `/providers/{name}/api/v2` and by the panel's user API at `/api/v2`.

`POST`, form-encoded `key` and `action`; JSON answers; every error is HTTP 200
with `{"error": "<text>"}`. Providers differ in small ways, as real ones do:
some send numbers as strings, some spell `Cancelled`. The panel's user API
answers `services` only (all the product asks it).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from litestar import Request, Response, Router, post
from litestar.params import FromPath

from supportai.simulator.records import SimProvider, SimService
from supportai.simulator.state import SimulatorDep, intercept_protocol_request
from supportai.simulator.world import SimRefusal, World

MAX_IDS = 100
INCORRECT_REQUEST = {"error": "Incorrect request"}
INVALID_KEY = {"error": "Invalid API key"}
INCORRECT_ORDER = {"error": "Incorrect order ID"}
INCORRECT_REFILL = {"error": "Incorrect refill ID"}


def _answer(content: Any) -> Response[Any]:
    return Response(content, status_code=200)


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in (await request.form()).items()}


@post("/api/v2", status_code=200)
async def panel_user_api(request: Request[Any, Any, Any], sim: SimulatorDep) -> Response[Any]:
    params = await _form(request)
    world = sim.world
    if params.get("key") != world.user_key:
        return _answer(INVALID_KEY)
    if params.get("action") == "services":
        # The panel script sends numbers as strings, like most.
        return _answer(
            [_service_row(service, as_strings=True) for service in world.services.values()]
        )
    return _answer(INCORRECT_REQUEST)


@post("/providers/{name:str}/api/v2", status_code=200)
async def provider_api(
    name: FromPath[str], request: Request[Any, Any, Any], sim: SimulatorDep
) -> Response[Any]:
    provider = sim.world.providers.get(name)
    if provider is None:
        return Response("Not Found", status_code=404, media_type="text/plain")
    params = await _form(request)
    if params.get("key") != provider.key:
        return _answer(INVALID_KEY)
    handler = _PROVIDER_ACTIONS.get(params.get("action", ""))
    if handler is None:
        return _answer(INCORRECT_REQUEST)
    return _answer(handler(sim.world, provider, params))


def _services(world: World, provider: SimProvider, params: dict[str, str]) -> Any:
    return [
        _service_row(service, as_strings=provider.numbers_as_strings)
        for service in provider.services.values()
    ]


def _status(world: World, provider: SimProvider, params: dict[str, str]) -> Any:
    def one(order_id: str) -> dict[str, Any]:
        order = provider.orders.get(order_id)
        if order is None:
            return INCORRECT_ORDER
        delivery = order.delivery
        status = provider.canceled_spelling if delivery.status == "Canceled" else delivery.status
        return {
            "charge": _number(order.charge, as_string=provider.numbers_as_strings),
            "start_count": _number(delivery.start_count, as_string=provider.numbers_as_strings),
            "status": status,
            "remains": _number(delivery.remains, as_string=provider.numbers_as_strings),
            "currency": provider.currency,
        }

    if "orders" in params:
        ids = _ids(params["orders"])
        if ids is None:
            return INCORRECT_REQUEST
        return {order_id: one(order_id) for order_id in ids}
    if "order" in params:
        return one(params["order"].strip())
    return INCORRECT_REQUEST


def _refill(world: World, provider: SimProvider, params: dict[str, str]) -> Any:
    if "orders" in params:
        ids = _ids(params["orders"])
        if ids is None:
            return INCORRECT_REQUEST
        answers = []
        for order_id in ids:
            try:
                refill: Any = _as_id(world.request_refill(provider, order_id).id)
            except SimRefusal as refusal:
                refill = {"error": refusal.message}
            answers.append({"order": _as_id(order_id), "refill": refill})
        return answers
    if "order" in params:
        try:
            return {"refill": world.request_refill(provider, params["order"].strip()).id}
        except SimRefusal as refusal:
            return {"error": refusal.message}
    return INCORRECT_REQUEST


def _refill_status(world: World, provider: SimProvider, params: dict[str, str]) -> Any:
    def status_of(refill_id: str) -> Any:
        refill = provider.refills.get(refill_id)
        return refill.status if refill else INCORRECT_REFILL

    if "refills" in params:
        ids = _ids(params["refills"])
        if ids is None:
            return INCORRECT_REQUEST
        return [{"refill": _as_id(refill_id), "status": status_of(refill_id)} for refill_id in ids]
    if "refill" in params:
        refill = provider.refills.get(params["refill"].strip())
        return {"status": refill.status} if refill else INCORRECT_REFILL
    return INCORRECT_REQUEST


def _cancel(world: World, provider: SimProvider, params: dict[str, str]) -> Any:
    ids = _ids(params.get("orders", ""))
    if not ids:
        return INCORRECT_REQUEST
    answers = []
    for order_id in ids:
        try:
            world.request_cancel(provider, order_id)
            outcome: Any = 1
        except SimRefusal as refusal:
            outcome = {"error": refusal.message}
        answers.append({"order": _as_id(order_id), "cancel": outcome})
    return answers


def _balance(world: World, provider: SimProvider, params: dict[str, str]) -> Any:
    return {"balance": f"{provider.balance:.2f}", "currency": provider.currency}


_PROVIDER_ACTIONS: dict[str, Callable[[World, SimProvider, dict[str, str]], Any]] = {
    "services": _services,
    "status": _status,
    "refill": _refill,
    "refill_status": _refill_status,
    "cancel": _cancel,
    "balance": _balance,
}


def _ids(raw: str) -> list[str] | None:
    """The IDs of an `orders=` / `refills=` list; None when there are more than the API takes."""
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    return ids if len(ids) <= MAX_IDS else None


def _as_id(value: str) -> int | str:
    """IDs go back as JSON numbers, the way they were stored by the provider's database."""
    return int(value) if value.isdigit() else value


def _number(value: int | Decimal, *, as_string: bool) -> int | float | str:
    if as_string:
        return str(value)
    return value if isinstance(value, int) else float(value)


def _service_row(service: SimService, *, as_strings: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "service": _number(service.id, as_string=as_strings),
        "name": service.name,
        "type": service.type,
        "category": service.category,
        "rate": _number(service.rate, as_string=as_strings),
        "min": _number(service.min, as_string=as_strings),
        "max": _number(service.max, as_string=as_strings),
        "refill": service.refill,
    }
    if service.cancel is not None:
        row["cancel"] = service.cancel
    return row


smm_api_router = Router(
    path="/",
    route_handlers=[panel_user_api, provider_api],
    before_request=intercept_protocol_request,
)
