"""Client for the standard SMM API v2, spoken by every provider and by every
panel's own user API (the panel's service catalogue comes from there).

Wire format (spec/integrations.md section 1): `POST {base}/api/v2`, form-encoded
`key` and `action`, JSON answers. Errors come back with HTTP 200 as
`{"error": "<text>"}`; multi-order actions report errors per order, which this
client keeps per order as `ItemError` instead of failing the whole call.

Provider order IDs are the provider's own (the panel's `external_id`); they are
handled as strings because that is how they come back as JSON object keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import httpx
import msgspec

from supportai.integrations.http import (
    DEFAULT_RETRY,
    ErrorKinds,
    IntegrationError,
    JsonHttp,
    RetryPolicy,
    as_bool,
    as_decimal,
    as_int,
    as_text,
)
from supportai.integrations.ratelimit import RateLimiter

# The API takes at most this many IDs in one `orders=` / `refills=` parameter.
MAX_IDS_PER_CALL = 100

ORDER_STATUSES = (
    "Pending",
    "In progress",
    "Processing",
    "Completed",
    "Partial",
    "Canceled",
    "Fail",
)
_STATUS_SPELLINGS = {status.lower(): status for status in ORDER_STATUSES} | {
    "cancelled": "Canceled",
    "refunded": "Canceled",
    "inprogress": "In progress",
    "in_progress": "In progress",
    "failed": "Fail",
}
REFILL_STATUSES = ("Pending", "In progress", "Completed", "Rejected")
_REFILL_STATUS_SPELLINGS = {status.lower(): status for status in REFILL_STATUSES}


def normalise_order_status(raw: Any) -> str:
    """The canonical order status for any spelling panels use ("cancelled",
    "Refunded", "in progress"...). An unknown status is returned as sent."""
    text = " ".join(as_text(raw).split())
    return _STATUS_SPELLINGS.get(text.lower(), text)


def _normalise_refill_status(raw: Any) -> str:
    text = " ".join(as_text(raw).split())
    return _REFILL_STATUS_SPELLINGS.get(text.lower(), text)


class ProviderError(IntegrationError):
    """Base of everything the provider client raises."""


class ProviderAuthError(ProviderError):
    """The provider refused our API key."""


class ProviderRejected(ProviderError):
    """The provider answered `{"error": ...}` to the whole request (e.g. `Incorrect order ID`
    for a single-order action, `Refill is disabled for this service`)."""


class ProviderUnavailable(ProviderError):
    """Network errors, timeouts or 5xx, still failing after the last retry."""


class ProviderProtocolError(ProviderError):
    """An answer that is not the JSON the SMM API v2 defines (an HTML page, garbage)."""


_PROVIDER_ERRORS = ErrorKinds(
    auth=ProviderAuthError,
    not_found=ProviderRejected,
    rejected=ProviderRejected,
    unavailable=ProviderUnavailable,
    protocol=ProviderProtocolError,
)


class ProviderService(msgspec.Struct, frozen=True):
    service: int
    name: str
    type: str
    category: str
    rate: Decimal  # price per 1000
    min: int
    max: int
    refill: bool  # a refill button exists; the refill window is in the name
    cancel: bool  # False when the provider leaves the field out


class OrderStatus(msgspec.Struct, frozen=True):
    charge: Decimal | None
    start_count: int | None
    status: str  # canonical, see ORDER_STATUSES
    remains: int | None
    currency: str | None


class ItemError(msgspec.Struct, frozen=True):
    """The provider's error for one order (or refill) of a multi-order call."""

    message: str


class Balance(msgspec.Struct, frozen=True):
    amount: Decimal
    currency: str


class Provider(Protocol):
    async def services(self) -> list[ProviderService]: ...

    async def status(self, order_id: str | int) -> OrderStatus: ...

    async def statuses(
        self, order_ids: Iterable[str | int]
    ) -> dict[str, OrderStatus | ItemError]: ...

    async def refill(self, order_id: str | int) -> str:
        """Returns the refill ID."""
        ...

    async def refills(self, order_ids: Iterable[str | int]) -> dict[str, str | ItemError]: ...

    async def refill_status(self, refill_id: str | int) -> str: ...

    async def refill_statuses(
        self, refill_ids: Iterable[str | int]
    ) -> dict[str, str | ItemError]: ...

    async def cancel(self, order_ids: Iterable[str | int]) -> dict[str, ItemError | None]:
        """None means the provider accepted the cancel request."""
        ...

    async def balance(self) -> Balance: ...


_Result = TypeVar("_Result")


class SmmProviderClient:
    """`api_url` is the provider's base URL; `/api/v2` is appended unless already there
    (owners paste either form). Multi-order calls send chunks of `MAX_IDS_PER_CALL`,
    at most `max_concurrency` at a time."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        api_url: str,
        api_key: str,
        limiter: RateLimiter | None = None,
        timeout: float = 15.0,
        retry: RetryPolicy = DEFAULT_RETRY,
        max_concurrency: int = 8,
    ) -> None:
        base = api_url.rstrip("/")
        self._url = base if base.endswith("/api/v2") else f"{base}/api/v2"
        self._key = api_key
        self._max_concurrency = max_concurrency
        self._http = JsonHttp(
            client, errors=_PROVIDER_ERRORS, timeout=timeout, retry=retry, limiter=limiter
        )

    async def services(self) -> list[ProviderService]:
        answer = await self._call("services", idempotent=True)
        if not isinstance(answer, list):
            raise ProviderProtocolError(f"services: expected a list, got {_kind(answer)}")
        return [service for item in answer if (service := _parse_service(item)) is not None]

    async def status(self, order_id: str | int) -> OrderStatus:
        answer = await self._call("status", idempotent=True, order=_id(order_id))
        parsed = _parse_order_status(answer)
        if parsed is None:
            raise ProviderProtocolError(f"status: unreadable answer {answer!r:.120}")
        return parsed

    async def statuses(self, order_ids: Iterable[str | int]) -> dict[str, OrderStatus | ItemError]:
        async def one_call(chunk: Sequence[str]) -> dict[str, OrderStatus | ItemError]:
            answer = await self._call("status", idempotent=True, orders=",".join(chunk))
            if not isinstance(answer, dict):
                raise ProviderProtocolError(f"status: expected an object, got {_kind(answer)}")
            return {order_id: _status_entry(answer.get(order_id)) for order_id in chunk}

        return await self._in_chunks(order_ids, one_call)

    async def refill(self, order_id: str | int) -> str:
        answer = await self._call("refill", idempotent=False, order=_id(order_id))
        refill_id = answer.get("refill") if isinstance(answer, dict) else None
        if refill_id is None or isinstance(refill_id, (dict, list)):
            raise ProviderProtocolError(f"refill: unreadable answer {answer!r:.120}")
        return as_text(refill_id)

    async def refills(self, order_ids: Iterable[str | int]) -> dict[str, str | ItemError]:
        async def one_call(chunk: Sequence[str]) -> dict[str, str | ItemError]:
            answer = await self._call("refill", idempotent=False, orders=",".join(chunk))
            by_order = _list_by_id(answer, id_field="order", value_field="refill", action="refill")
            return {order_id: _refill_id_entry(by_order.get(order_id)) for order_id in chunk}

        return await self._in_chunks(order_ids, one_call)

    async def refill_status(self, refill_id: str | int) -> str:
        answer = await self._call("refill_status", idempotent=True, refill=_id(refill_id))
        status = answer.get("status") if isinstance(answer, dict) else None
        if not isinstance(status, str):
            raise ProviderProtocolError(f"refill_status: unreadable answer {answer!r:.120}")
        return _normalise_refill_status(status)

    async def refill_statuses(self, refill_ids: Iterable[str | int]) -> dict[str, str | ItemError]:
        async def one_call(chunk: Sequence[str]) -> dict[str, str | ItemError]:
            answer = await self._call("refill_status", idempotent=True, refills=",".join(chunk))
            by_refill = _list_by_id(
                answer, id_field="refill", value_field="status", action="refill_status"
            )
            return {
                refill_id: _refill_status_entry(by_refill.get(refill_id)) for refill_id in chunk
            }

        return await self._in_chunks(refill_ids, one_call)

    async def cancel(self, order_ids: Iterable[str | int]) -> dict[str, ItemError | None]:
        async def one_call(chunk: Sequence[str]) -> dict[str, ItemError | None]:
            answer = await self._call("cancel", idempotent=False, orders=",".join(chunk))
            by_order = _list_by_id(answer, id_field="order", value_field="cancel", action="cancel")
            return {order_id: _cancel_entry(by_order.get(order_id)) for order_id in chunk}

        return await self._in_chunks(order_ids, one_call)

    async def balance(self) -> Balance:
        answer = await self._call("balance", idempotent=True)
        amount = as_decimal(answer.get("balance")) if isinstance(answer, dict) else None
        if amount is None:
            raise ProviderProtocolError(f"balance: unreadable answer {answer!r:.120}")
        return Balance(amount=amount, currency=as_text(answer.get("currency")))

    async def _call(self, action: str, *, idempotent: bool, **fields: str) -> Any:
        answer = await self._http.request(
            "POST",
            self._url,
            idempotent=idempotent,
            data={"key": self._key, "action": action, **fields},
        )
        if isinstance(answer, dict) and isinstance(answer.get("error"), str):
            message = answer["error"]
            if "api key" in message.lower():
                raise ProviderAuthError(message)
            raise ProviderRejected(message)
        return answer

    async def _in_chunks(
        self,
        ids: Iterable[str | int],
        one_call: Callable[[Sequence[str]], Awaitable[dict[str, _Result]]],
    ) -> dict[str, _Result]:
        unique_ids = list(dict.fromkeys(_id(raw) for raw in ids))
        chunks = [
            unique_ids[start : start + MAX_IDS_PER_CALL]
            for start in range(0, len(unique_ids), MAX_IDS_PER_CALL)
        ]
        slots = asyncio.Semaphore(self._max_concurrency)

        async def bounded(chunk: Sequence[str]) -> dict[str, _Result]:
            async with slots:
                return await one_call(chunk)

        tasks = [asyncio.create_task(bounded(chunk)) for chunk in chunks]
        try:
            answers = await asyncio.gather(*tasks)
        finally:
            # One failed chunk fails the call: stop the others instead of leaving them running.
            for task in tasks:
                task.cancel()
        return {order_id: result for answer in answers for order_id, result in answer.items()}


def _id(raw: str | int) -> str:
    return str(raw).strip()


def _kind(value: Any) -> str:
    return type(value).__name__


def _item_error(entry: Any) -> ItemError | None:
    if isinstance(entry, dict) and "error" in entry:
        return ItemError(as_text(entry["error"]))
    return None


def _list_by_id(answer: Any, *, id_field: str, value_field: str, action: str) -> dict[str, Any]:
    """`[{"order": 1, "refill": 5}, ...]` as `{"1": 5, ...}`."""
    if not isinstance(answer, list):
        raise ProviderProtocolError(f"{action}: expected a list, got {_kind(answer)}")
    return {
        as_text(item.get(id_field)): item.get(value_field)
        for item in answer
        if isinstance(item, dict) and item.get(id_field) is not None
    }


_MISSING = ItemError("missing from the provider's answer")


def _status_entry(entry: Any) -> OrderStatus | ItemError:
    return _item_error(entry) or _parse_order_status(entry) or _MISSING


def _refill_id_entry(entry: Any) -> str | ItemError:
    if error := _item_error(entry):
        return error
    if entry is None or isinstance(entry, (dict, list)):
        return _MISSING
    return as_text(entry)


def _refill_status_entry(entry: Any) -> str | ItemError:
    if isinstance(entry, str):
        return _normalise_refill_status(entry)
    return _item_error(entry) or _MISSING


def _cancel_entry(entry: Any) -> ItemError | None:
    if entry is None:
        return _MISSING
    if error := _item_error(entry):
        return error
    return None if as_bool(entry) else ItemError("cancel not accepted")


def _parse_order_status(entry: Any) -> OrderStatus | None:
    if not isinstance(entry, dict) or entry.get("status") in (None, ""):
        return None
    currency = entry.get("currency")
    return OrderStatus(
        charge=as_decimal(entry.get("charge")),
        start_count=as_int(entry.get("start_count")),
        status=normalise_order_status(entry["status"]),
        remains=as_int(entry.get("remains")),
        currency=as_text(currency) if currency not in (None, "") else None,
    )


def _parse_service(item: Any) -> ProviderService | None:
    service_id = as_int(item.get("service")) if isinstance(item, dict) else None
    if service_id is None:
        return None  # a catalogue row without an ID cannot be ordered or matched
    return ProviderService(
        service=service_id,
        name=as_text(item.get("name")).strip(),
        type=as_text(item.get("type")),
        category=as_text(item.get("category")),
        rate=as_decimal(item.get("rate")) or Decimal(0),
        min=as_int(item.get("min")) or 0,
        max=as_int(item.get("max")) or 0,
        refill=as_bool(item.get("refill")),
        cancel=as_bool(item.get("cancel")),
    )
