"""Client for the tenant's own panel: the Perfect Panel admin API v2.

Wire format (spec/integrations.md section 2): base `{panel}/adminapi/v2`, header
`X-Api-Key`, JSON. Lists answer `{"data": {"list": [...]}, "pagination":
{"total": N}}`, details `{"data": {...}, "error_code": 0, "error_message": ""}`.
Errors come as a 4xx status, or as HTTP 200 with a non-zero `error_code`; both
raise the same typed exceptions.

No official reference exists for tickets, so the thread shape is the one our
simulator defines, and this module is the one place in the product that knows it:

    GET /tickets/{id} -> {"data": {"id": 7, "user": "anna", "subject": "...",
        "status": "Open" | "Answered" | "Closed", "created_at": <unix seconds>,
        "updated_at": <unix seconds>, "messages": [{"id": 31,
        "author": "customer" | "staff", "message": "...", "created_at": <unix seconds>}]}}
    POST /tickets/{id}/reply {"message": "..."} -> {"data": {"id": <message id>}}
    POST /tickets/add {"username", "subject", "message"} -> {"data": {"id": <ticket id>}}
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar

import httpx
import msgspec

from supportai.integrations.http import (
    DEFAULT_RETRY,
    ErrorKinds,
    IntegrationError,
    JsonHttp,
    RetryPolicy,
    as_bool,
    as_datetime,
    as_decimal,
    as_int,
    as_text,
)
from supportai.integrations.provider import normalise_order_status
from supportai.integrations.ratelimit import RateLimiter

# IDs per `GET /orders?ids=` call; the API documents no limit, so stay modest.
ORDER_IDS_PER_CALL = 100

TICKET_STATUSES = ("Open", "Answered", "Closed")
_AUTHORS = {
    "customer": "customer",
    "user": "customer",
    "client": "customer",
    "staff": "staff",
    "admin": "staff",
    "support": "staff",
}


class PanelError(IntegrationError):
    """Base of everything the panel client raises; also any other refusal by the panel."""


class PanelAuthError(PanelError):
    """The panel refused the admin API key (401/403)."""


class PanelNotFound(PanelError):
    """No such order / ticket (404)."""


class PanelUnavailable(PanelError):
    """Network errors, timeouts or 5xx, still failing after the last retry."""


class PanelProtocolError(PanelError):
    """An answer that is not the JSON the admin API sends (malformed JSON, an HTML page)."""


_PANEL_ERRORS = ErrorKinds(
    auth=PanelAuthError,
    not_found=PanelNotFound,
    rejected=PanelError,
    unavailable=PanelUnavailable,
    protocol=PanelProtocolError,
)


class PanelOrder(msgspec.Struct, frozen=True):
    id: int
    user: str  # the customer's panel username
    service_id: int | None
    service_name: str
    link: str
    quantity: int | None
    charge: Decimal | None
    start_count: int | None
    remains: int | None
    status: str  # canonical, see provider.ORDER_STATUSES
    created: datetime | None
    provider: str | None  # provider name or domain, None for manual orders
    external_id: str | None  # the order's ID at the provider
    actions: dict[str, bool]  # e.g. {"refill": True, "request_cancel": True}


class TicketMessage(msgspec.Struct, frozen=True):
    id: int | None
    author: str  # "customer" or "staff"; other values are passed on as sent
    text: str
    created_at: datetime | None


class PanelTicket(msgspec.Struct, frozen=True):
    id: int
    user: str
    subject: str
    status: str  # "Open", "Answered" or "Closed"
    created_at: datetime | None
    updated_at: datetime | None
    messages: tuple[TicketMessage, ...]  # empty in ticket lists; filled by `ticket()`


class PanelUser(msgspec.Struct, frozen=True):
    username: str
    email: str | None


_Item = TypeVar("_Item")


class PanelPage(msgspec.Struct, Generic[_Item], frozen=True):
    items: tuple[_Item, ...]
    total: int  # across all pages


class Panel(Protocol):
    async def orders(self, order_ids: Iterable[int]) -> dict[int, PanelOrder]:
        """The orders found, keyed by ID; unknown IDs are simply absent."""
        ...

    async def order(self, order_id: int) -> PanelOrder: ...

    async def tickets(
        self, *, status: str | None = None, offset: int = 0, limit: int = 100
    ) -> PanelPage[PanelTicket]: ...

    async def ticket(self, ticket_id: int) -> PanelTicket: ...

    async def reply_ticket(self, ticket_id: int, message: str) -> int | None:
        """Posts a staff reply; returns the new message's ID when the panel gives one."""
        ...

    async def add_ticket(self, username: str, subject: str, message: str) -> int:
        """Opens a ticket to a panel user; returns its ID."""
        ...

    async def users(self, *, offset: int = 0, limit: int = 100) -> PanelPage[PanelUser]: ...


class PerfectPanelClient:
    """`panel_url` is the panel's address (`https://panel.example`); `/adminapi/v2`
    is appended unless already there."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        panel_url: str,
        api_key: str,
        limiter: RateLimiter | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        base = panel_url.rstrip("/")
        self._base = base if base.endswith("/adminapi/v2") else f"{base}/adminapi/v2"
        self._headers = {"X-Api-Key": api_key, "Accept": "application/json"}
        self._http = JsonHttp(
            client, errors=_PANEL_ERRORS, timeout=timeout, retry=retry, limiter=limiter
        )

    async def orders(self, order_ids: Iterable[int]) -> dict[int, PanelOrder]:
        unique_ids = list(dict.fromkeys(int(order_id) for order_id in order_ids))
        found: dict[int, PanelOrder] = {}
        for start in range(0, len(unique_ids), ORDER_IDS_PER_CALL):
            chunk = unique_ids[start : start + ORDER_IDS_PER_CALL]
            page = await self._list(
                "/orders", {"ids": ",".join(map(str, chunk)), "limit": str(len(chunk))}
            )
            asked = set(chunk)
            for raw in page.items:
                order = _parse_order(raw)
                if order.id in asked:
                    found[order.id] = order
        return found

    async def order(self, order_id: int) -> PanelOrder:
        return _parse_order(await self._detail("GET", f"/orders/{int(order_id)}"))

    async def tickets(
        self, *, status: str | None = None, offset: int = 0, limit: int = 100
    ) -> PanelPage[PanelTicket]:
        query = {"offset": str(offset), "limit": str(limit)}
        if status:
            query["status"] = status
        page = await self._list("/tickets", query)
        return PanelPage(items=tuple(_parse_ticket(raw) for raw in page.items), total=page.total)

    async def ticket(self, ticket_id: int) -> PanelTicket:
        return _parse_ticket(await self._detail("GET", f"/tickets/{int(ticket_id)}"))

    async def reply_ticket(self, ticket_id: int, message: str) -> int | None:
        data = await self._detail(
            "POST", f"/tickets/{int(ticket_id)}/reply", json={"message": message}
        )
        return as_int(data.get("id"))

    async def add_ticket(self, username: str, subject: str, message: str) -> int:
        data = await self._detail(
            "POST",
            "/tickets/add",
            json={"username": username, "subject": subject, "message": message},
        )
        ticket_id = as_int(data.get("id"))
        if ticket_id is None:
            raise PanelProtocolError(f"tickets/add: no ticket ID in {data!r:.120}")
        return ticket_id

    async def users(self, *, offset: int = 0, limit: int = 100) -> PanelPage[PanelUser]:
        page = await self._list("/users", {"offset": str(offset), "limit": str(limit)})
        users = (
            PanelUser(
                username=as_text(raw.get("username")), email=as_text(raw.get("email")) or None
            )
            for raw in page.items
        )
        return PanelPage(items=tuple(user for user in users if user.username), total=page.total)

    async def _detail(self, method: str, path: str, *, json: Any = None) -> dict[str, Any]:
        body = await self._http.request(
            method,
            self._base + path,
            # GETs may be repeated freely; a reply or new ticket only when surely not delivered.
            idempotent=method == "GET",
            headers=self._headers,
            json=json,
        )
        _raise_for_error(body, path)
        data = body.get("data")
        if not isinstance(data, dict):
            raise PanelProtocolError(f"{path}: expected an object in `data`, got {body!r:.120}")
        return data

    async def _list(self, path: str, query: dict[str, str]) -> PanelPage[dict[str, Any]]:
        body = await self._http.request(
            "GET", self._base + path, idempotent=True, params=query, headers=self._headers
        )
        _raise_for_error(body, path)
        data = body.get("data")
        rows = data.get("list") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise PanelProtocolError(f"{path}: expected a list in `data.list`, got {body!r:.120}")
        items = tuple(row for row in rows if isinstance(row, dict))
        pagination = body.get("pagination")
        total = as_int(pagination.get("total")) if isinstance(pagination, dict) else None
        return PanelPage(items=items, total=len(items) if total is None else total)


def _raise_for_error(body: Any, path: str) -> None:
    """Panels also report errors with HTTP 200 and a non-zero `error_code`."""
    if not isinstance(body, dict):
        raise PanelProtocolError(f"{path}: expected a JSON object, got {type(body).__name__}")
    code = body.get("error_code")
    legacy_error = body.get("error")
    if code in (None, 0, "0", "", False) and not isinstance(legacy_error, str):
        return
    message = as_text(body.get("error_message") or legacy_error) or f"error code {code}"
    status = as_int(code)
    if status in (401, 403):
        raise PanelAuthError(message, status_code=status)
    if status == 404:
        raise PanelNotFound(message, status_code=status)
    raise PanelError(message, status_code=status)


def _parse_order(raw: dict[str, Any]) -> PanelOrder:
    order_id = as_int(raw.get("id"))
    if order_id is None:
        raise PanelProtocolError(f"order without an ID: {raw!r:.120}")
    actions = raw.get("actions")
    return PanelOrder(
        id=order_id,
        user=as_text(raw.get("user")),
        service_id=as_int(raw.get("service_id")),
        service_name=as_text(raw.get("service_name")),
        link=as_text(raw.get("link")),
        quantity=as_int(raw.get("quantity")),
        charge=as_decimal(raw.get("charge")),
        start_count=as_int(raw.get("start_count")),
        remains=as_int(raw.get("remains")),
        status=normalise_order_status(raw.get("status")),
        created=as_datetime(raw.get("created")),
        provider=as_text(raw.get("provider")) or None,
        external_id=as_text(raw.get("external_id")) or None,
        actions=(
            {name: as_bool(value) for name, value in actions.items()}
            if isinstance(actions, dict)
            else {}
        ),
    )


def _parse_ticket(raw: dict[str, Any]) -> PanelTicket:
    ticket_id = as_int(raw.get("id"))
    if ticket_id is None:
        raise PanelProtocolError(f"ticket without an ID: {raw!r:.120}")
    status = as_text(raw.get("status")).strip()
    messages = raw.get("messages")
    return PanelTicket(
        id=ticket_id,
        user=as_text(raw.get("user")),
        subject=as_text(raw.get("subject")),
        status=next(
            (known for known in TICKET_STATUSES if known.lower() == status.lower()), status
        ),
        created_at=as_datetime(raw.get("created_at")),
        updated_at=as_datetime(raw.get("updated_at")),
        messages=tuple(
            _parse_message(message)
            for message in (messages if isinstance(messages, list) else [])
            if isinstance(message, dict)
        ),
    )


def _parse_message(raw: dict[str, Any]) -> TicketMessage:
    author = as_text(raw.get("author")).strip().lower()
    return TicketMessage(
        id=as_int(raw.get("id")),
        author=_AUTHORS.get(author, author),
        text=as_text(raw.get("message", raw.get("text"))),
        created_at=as_datetime(raw.get("created_at")),
    )
