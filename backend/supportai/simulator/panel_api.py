"""The panel's admin API v2 (Perfect Panel), under `/adminapi/v2`.

Header `X-Api-Key` must be the world's admin key. Answers:
- lists: `{"data": {"list": [...]}, "pagination": {"total": N}}`
- details: `{"data": {...}, "error_code": 0, "error_message": ""}`
- errors: HTTP 4xx with `{"data": null, "error_code": <status>, "error_message": "..."}`

Endpoints and shapes:
- `GET /orders?ids=1,2&limit=&offset=&created_from=&created_to=&order_status=`,
  `GET /orders/{id}`: `{"id", "user", "service_id", "service_name", "link",
  "quantity", "charge", "start_count", "remains", "status" (lower case),
  "created" (unix seconds), "provider", "external_id", "actions": {"refill",
  "request_cancel"}}`, newest first.
- `GET /tickets?status=&offset=&limit=`: `{"id", "user", "subject", "status"
  ("Open" | "Answered" | "Closed"), "created_at", "updated_at"}` (unix seconds).
- `GET /tickets/{id}`: the same plus `"messages": [{"id", "author": "customer" |
  "staff", "message", "created_at"}]`, oldest first.
- `POST /tickets/{id}/reply {"message"}`: adds a staff message (ticket becomes
  "Answered") -> `{"data": {"id": <message id>}}`.
- `POST /tickets/add {"username", "subject", "message"}`: staff opens a ticket
  to a user -> `{"data": {"id": <ticket id>}}`.
- `GET /users?offset=&limit=`: `{"id", "username", "email", "balance", "status"}`.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.params import FromPath

from supportai.simulator.records import SimOrder, SimTicket
from supportai.simulator.state import Simulator, SimulatorDep, simulator_of
from supportai.simulator.world import SimRefusal

MAX_PAGE_SIZE = 1000


class AdminApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error_answer(status: int, message: str) -> Response[dict[str, Any]]:
    return Response(
        {"data": None, "error_code": status, "error_message": message}, status_code=status
    )


async def _before_admin_request(request: Request[Any, Any, Any]) -> Response[Any] | None:
    simulator = simulator_of(request)
    if (injected := await simulator.intercept(request)) is not None:
        return injected
    if request.headers.get("x-api-key") != simulator.world.admin_key:
        return _error_answer(401, "Invalid API key")
    return None


def _detail(data: dict[str, Any]) -> Response[dict[str, Any]]:
    return Response({"data": data, "error_code": 0, "error_message": ""}, status_code=200)


def _list(rows: list[dict[str, Any]], total: int) -> Response[dict[str, Any]]:
    return Response({"data": {"list": rows}, "pagination": {"total": total}}, status_code=200)


def _query_int(request: Request[Any, Any, Any], name: str, default: int | None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise AdminApiError(400, f"Invalid parameter: {name}") from None


def _page_window(request: Request[Any, Any, Any]) -> tuple[int, int]:
    offset = _query_int(request, "offset", 0) or 0
    limit = _query_int(request, "limit", 100) or 100
    return max(0, offset), min(max(1, limit), MAX_PAGE_SIZE)


def _path_id(raw: str) -> int:
    if not raw.isdigit():
        raise AdminApiError(400, "Incorrect request")
    return int(raw)


async def _json_body(request: Request[Any, Any, Any]) -> dict[str, Any]:
    try:
        body = msgspec.json.decode(await request.body())
    except msgspec.DecodeError:
        raise AdminApiError(400, "Incorrect request") from None
    if not isinstance(body, dict):
        raise AdminApiError(400, "Incorrect request")
    return body


def _order_row(sim: Simulator, order: SimOrder) -> dict[str, Any]:
    service = sim.world.services[order.service_id]
    delivery = order.delivery
    return {
        "id": order.id,
        "user": order.user,
        "service_id": order.service_id,
        "service_name": service.name,
        "link": order.link,
        "quantity": delivery.quantity,
        "charge": str(order.charge),
        "start_count": delivery.start_count,
        "remains": delivery.remains,
        "status": delivery.status.lower(),
        "created": order.created,
        "provider": order.provider,
        "external_id": order.external_id,
        "actions": {
            "refill": service.refill and delivery.is_status("completed", "partial"),
            "request_cancel": bool(service.cancel)
            and delivery.is_status("pending", "in progress", "processing"),
        },
    }


def _ticket_row(ticket: SimTicket, *, with_messages: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": ticket.id,
        "user": ticket.user,
        "subject": ticket.subject,
        "status": ticket.status,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
    }
    if with_messages:
        row["messages"] = [msgspec.to_builtins(message) for message in ticket.messages]
    return row


@get("/orders")
async def list_orders(request: Request[Any, Any, Any], sim: SimulatorDep) -> Response[Any]:
    offset, limit = _page_window(request)
    created_from = _query_int(request, "created_from", None)
    created_to = _query_int(request, "created_to", None)
    wanted_status = request.query_params.get("order_status", "").strip().lower()
    ids = request.query_params.get("ids", "").strip()
    if ids:
        try:
            wanted = [int(part) for part in ids.split(",") if part.strip()]
        except ValueError:
            raise AdminApiError(400, "Invalid parameter: ids") from None
        candidates = [sim.world.orders[i] for i in dict.fromkeys(wanted) if i in sim.world.orders]
    else:
        candidates = list(sim.world.orders.values())
    matching = [
        order
        for order in candidates
        if (created_from is None or order.created >= created_from)
        and (created_to is None or order.created <= created_to)
        and (not wanted_status or order.delivery.status.lower() == wanted_status)
    ]
    matching.sort(key=lambda order: order.id, reverse=True)
    page = matching[offset : offset + limit]
    return _list([_order_row(sim, order) for order in page], total=len(matching))


@get("/orders/{order_id:str}")
async def order_detail(order_id: FromPath[str], sim: SimulatorDep) -> Response[Any]:
    order = sim.world.orders.get(_path_id(order_id))
    if order is None:
        raise AdminApiError(404, "Order not found")
    return _detail(_order_row(sim, order))


@get("/tickets")
async def list_tickets(request: Request[Any, Any, Any], sim: SimulatorDep) -> Response[Any]:
    offset, limit = _page_window(request)
    wanted_status = request.query_params.get("status", "").strip().lower()
    matching = [
        ticket
        for ticket in sorted(sim.world.tickets.values(), key=lambda t: t.id, reverse=True)
        if not wanted_status or ticket.status.lower() == wanted_status
    ]
    page = matching[offset : offset + limit]
    return _list([_ticket_row(t, with_messages=False) for t in page], total=len(matching))


@get("/tickets/{ticket_id:str}")
async def ticket_thread(ticket_id: FromPath[str], sim: SimulatorDep) -> Response[Any]:
    ticket = sim.world.tickets.get(_path_id(ticket_id))
    if ticket is None:
        raise AdminApiError(404, "Ticket not found")
    return _detail(_ticket_row(ticket, with_messages=True))


@post("/tickets/{ticket_id:str}/reply", status_code=200)
async def reply_to_ticket(
    ticket_id: FromPath[str], request: Request[Any, Any, Any], sim: SimulatorDep
) -> Response[Any]:
    ticket = sim.world.tickets.get(_path_id(ticket_id))
    if ticket is None:
        raise AdminApiError(404, "Ticket not found")
    message = (await _json_body(request)).get("message")
    if not isinstance(message, str) or not message.strip():
        raise AdminApiError(400, "Message is required")
    added = sim.world.add_ticket_message(ticket.id, message=message, author="staff")
    return _detail({"id": added.id})


@post("/tickets/add", status_code=200)
async def add_ticket(request: Request[Any, Any, Any], sim: SimulatorDep) -> Response[Any]:
    body = await _json_body(request)
    username, subject, message = (body.get(field) for field in ("username", "subject", "message"))
    if not all(isinstance(value, str) and value.strip() for value in (username, subject, message)):
        raise AdminApiError(400, "username, subject and message are required")
    try:
        ticket = sim.world.create_ticket(
            user=username, subject=subject, message=message, author="staff"
        )
    except SimRefusal as refusal:
        raise AdminApiError(400, refusal.message) from None
    return _detail({"id": ticket.id})


@get("/users")
async def list_users(request: Request[Any, Any, Any], sim: SimulatorDep) -> Response[Any]:
    offset, limit = _page_window(request)
    users = list(sim.world.users.values())
    rows = [
        {
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "balance": str(user.balance),
            "status": "active",
        }
        for user in users[offset : offset + limit]
    ]
    return _list(rows, total=len(users))


admin_api_router = Router(
    path="/adminapi/v2",
    route_handlers=[
        list_orders,
        order_detail,
        list_tickets,
        ticket_thread,
        reply_to_ticket,
        add_ticket,
        list_users,
    ],
    before_request=_before_admin_request,
    exception_handlers={
        AdminApiError: lambda _, exc: _error_answer(exc.status, exc.message),
    },
)
