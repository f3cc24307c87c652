"""The API's own limits, all in Redis so every API process shares them (README,
Configuration): sign-ups per address, public API calls per key, wrong API keys per
address, and failed sign-ins per account-and-address and per address."""

from __future__ import annotations

import math
import uuid

from supportai.errors import RateLimited
from supportai.integrations.ratelimit import FailureCounter, RedisRateLimiter
from supportai.runtime import Runtime

SIGNUP_WINDOW_S = 3600
API_KEY_WINDOW_S = 60


async def limit_signups(runtime: Runtime, ip: str | None) -> None:
    limiter = RedisRateLimiter(
        runtime.redis, requests=runtime.settings.signups_per_ip, per_seconds=SIGNUP_WINDOW_S,
        guard_seconds=0, namespace="supportai:signups",
    )
    await _refuse_when_full(limiter, ip or "unknown", "Too many sign-ups from this address; try again later.")


async def limit_api_key_calls(runtime: Runtime, key_id: uuid.UUID) -> None:
    limiter = RedisRateLimiter(
        runtime.redis, requests=runtime.settings.api_requests_per_key, per_seconds=API_KEY_WINDOW_S,
        guard_seconds=0, namespace="supportai:api-key-calls",
    )
    await _refuse_when_full(limiter, str(key_id), "This API key is over its request rate; slow down.")


async def _refuse_when_full(limiter: RedisRateLimiter, key: str, detail: str) -> None:
    wait_s = await limiter.try_acquire(key)
    if wait_s > 0:
        raise RateLimited(detail, retry_after_s=max(1, math.ceil(wait_s)))


def api_key_failures(runtime: Runtime) -> FailureCounter:
    settings = runtime.settings
    return FailureCounter(
        runtime.redis, "api-key-ip", limit=settings.api_key_failures_per_ip, window_s=settings.login_window_s
    )


class LoginThrottle:
    """Failed sign-ins count against the account *from that address* and against the
    address. Someone guessing a known owner's password elsewhere exhausts only their own
    budget; the owner, signing in from their address, is not locked out."""

    def __init__(self, runtime: Runtime, email: str, ip: str | None) -> None:
        settings = runtime.settings
        self._account = FailureCounter(
            runtime.redis, "login-account", limit=settings.login_attempts_per_account, window_s=settings.login_window_s
        )
        self._address = FailureCounter(
            runtime.redis, "login-ip", limit=settings.login_attempts_per_ip, window_s=settings.login_window_s
        )
        self._ip = ip or "unknown"
        self._account_key = f"{email}|{self._ip}"

    async def check(self) -> None:
        wait_s = max(await self._account.retry_after(self._account_key), await self._address.retry_after(self._ip))
        if wait_s:
            raise RateLimited("Too many failed sign-ins; try again later.", retry_after_s=wait_s)

    async def failed(self) -> None:
        await self._account.record(self._account_key)
        await self._address.record(self._ip)

    async def succeeded(self) -> None:
        await self._account.clear(self._account_key)
