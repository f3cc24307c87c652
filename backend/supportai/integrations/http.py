"""HTTP plumbing shared by the panel and provider adapters.

`JsonHttp` sends one JSON-answering request the way every adapter should: wait
for a rate-limit slot, bounded timeout, retries with exponential backoff and
jitter on network errors and 5xx (and 429, which asks for exactly that), no
retry on other 4xx, and every failure turned into the adapter's own typed
exception (given as `ErrorKinds`), so callers catch `PanelError` or
`ProviderError`, never httpx exceptions. Requests that are not idempotent (a
ticket reply, a refill) are only repeated when they provably never reached the
server (the connection was never made); any other failure of one says, in
`outcome_unknown`, that the caller must find out what happened before acting again.

The second half holds the tolerant field parsers both adapters use: panels send
numbers as strings or ints, booleans as 1/"1"/true, times as unix seconds.
"""

from __future__ import annotations

import asyncio
import random
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import msgspec

from supportai.integrations.ratelimit import RateLimiter


class IntegrationError(Exception):
    """Base of every adapter error. `message` is the remote system's own text when it sent one."""

    def __init__(self, message: str, *, status_code: int | None = None, outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        # A request that is not idempotent may have been acted on (a 5xx from a proxy, a
        # timeout, a connection dropped after sending): it must not be sent blindly again.
        self.outcome_unknown = outcome_unknown


class ErrorKinds(msgspec.Struct, frozen=True):
    """The exception classes one adapter raises for each kind of failure."""

    auth: type[IntegrationError]  # 401 / 403
    not_found: type[IntegrationError]  # 404
    rejected: type[IntegrationError]  # any other 4xx
    unavailable: type[IntegrationError]  # still failing after the last retry
    protocol: type[IntegrationError]  # an answer that is not the JSON we expect


class RetryPolicy(msgspec.Struct, frozen=True):
    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay_before_retry(self, failed_attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random.

        The random half spreads the retries of many workers that failed together.
        """
        ceiling = min(self.max_delay, self.base_delay * 2 ** (failed_attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


DEFAULT_RETRY = RetryPolicy()


# A request that failed in one of these ways never reached the server, so even a
# non-idempotent one (a ticket reply, a refill) can be sent again safely. Nothing else
# proves that: a proxy's 502 or 503 can come after the origin did the work.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_TOO_MANY_REQUESTS = 429  # a refusal before any work: safe to retry for every request


class JsonHttp:
    """Sends requests to one remote API and returns the decoded JSON answer."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        errors: ErrorKinds,
        timeout: float,
        retry: RetryPolicy,
        limiter: RateLimiter | None,
    ) -> None:
        self._client = client
        self._errors = errors
        self._timeout = timeout
        self._retry = retry
        self._limiter = limiter

    async def request(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        json: Any = None,
        data: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> Any:
        """`idempotent=False` (replies, refills, cancels) retries only when the
        request never reached the server, so nothing is done twice."""
        host = httpx.URL(url).netloc.decode()
        if params:
            # Encoded here, commas kept (as in `ids=1,2,3`): httpx re-encodes and re-parses a
            # merged query character by character, which for 100 IDs costs more than the call.
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params, safe=',', quote_via=quote)}"
        attempts = max(1, self._retry.attempts)
        for attempt in range(1, attempts + 1):
            if self._limiter is not None:
                await self._limiter.acquire(host)
            try:
                response = await self._client.request(
                    method,
                    url,
                    headers=headers,
                    json=json,
                    data=data,
                    content=content,
                    timeout=self._timeout,
                )
            except httpx.TransportError as exc:
                not_sent = isinstance(exc, _NOT_SENT_ERRORS)
                if not (idempotent or not_sent) or attempt == attempts:
                    detail = str(exc) or "no detail"
                    raise self._errors.unavailable(
                        f"{type(exc).__name__} calling {host}: {detail}",
                        outcome_unknown=not (idempotent or not_sent),
                    ) from exc
            else:
                status = response.status_code
                if status < 400:
                    return self._decode(response)
                retryable = status == _TOO_MANY_REQUESTS or (status >= 500 and idempotent)
                if not retryable or attempt == attempts:
                    raise self._failure(response, outcome_unknown=not idempotent and status >= 500)
            await asyncio.sleep(self._retry.delay_before_retry(attempt))
        raise AssertionError("unreachable: the loop returns or raises")

    def _failure(self, response: httpx.Response, *, outcome_unknown: bool) -> IntegrationError:
        status = response.status_code
        if status >= 500 or status == _TOO_MANY_REQUESTS:
            kind = self._errors.unavailable
        elif status in (401, 403):
            kind = self._errors.auth
        elif status == 404:
            kind = self._errors.not_found
        else:
            kind = self._errors.rejected
        return kind(_remote_message(response), status_code=status, outcome_unknown=outcome_unknown)

    def _decode(self, response: httpx.Response) -> Any:
        try:
            return msgspec.json.decode(response.content)
        except msgspec.DecodeError as exc:
            raise self._errors.protocol(
                f"expected JSON from {response.url.host}, got "
                f"{response.headers.get('content-type', 'no content type')}: {_snippet(response)}",
                status_code=response.status_code,
            ) from exc


def _remote_message(response: httpx.Response) -> str:
    """The error text the remote API put in its answer, else the HTTP status line."""
    try:
        body = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        body = None
    if isinstance(body, dict):
        for field in ("error_message", "error", "message"):
            if isinstance(body.get(field), str) and body[field]:
                return body[field]
    return f"HTTP {response.status_code} {response.reason_phrase}".strip()


def _snippet(response: httpx.Response, limit: int = 120) -> str:
    text = " ".join(response.text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


# --- Tolerant field parsing -------------------------------------------------


def as_int(value: Any) -> int | None:
    """12, "12", "12.0" and 12.0 are 12; None, "" and anything else are None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    number = as_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def as_bool(value: Any) -> bool:
    """true, 1, "1", "true", "yes" are True; everything else (missing included) is False."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value) if isinstance(value, (bool, int)) else False


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


_SECONDS = re.compile(r"-?\d+(\.\d*)?")  # unix seconds written as digits


def as_datetime(value: Any) -> datetime | None:
    """Unix seconds (int or digits) or an ISO / "YYYY-MM-DD HH:MM:SS" time, as aware UTC."""
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, str) and not _SECONDS.fullmatch(value.strip()):
        # A written time, as panels mostly send: parsed first (a failed Decimal costs more).
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    seconds = as_decimal(value)
    return None if seconds is None else datetime.fromtimestamp(float(seconds), tz=UTC)
