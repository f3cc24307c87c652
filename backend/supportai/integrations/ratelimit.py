"""Rate limits shared by every process through Redis.

A panel allows about 5 admin API requests per second, whichever of our workers
sends them. Each host has one Redis sorted set holding the moments of its recent
requests (a sliding-window log); a Lua script checks and records a slot in one
atomic step, so two workers can never take the same last slot. Outbound callers
(`acquire`) sleep until the oldest request leaves the window; the API's own limits
(`try_acquire`) refuse instead, with the wait as `Retry-After`.

`FailureCounter` counts only failures (wrong passwords, wrong API keys) in fixed
windows: a caller is refused once its failures reach the limit, until the window ends.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Protocol

from redis.asyncio import Redis

# KEYS[1]: the host's window. ARGV: limit, window in microseconds, unique member.
# Uses the Redis server clock so that workers with skewed clocks agree.
# Returns 0 when a slot was taken, else the microseconds to wait.
_TAKE_SLOT = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""


class RateLimiter(Protocol):
    async def acquire(self, host: str) -> None:
        """Return once the caller may send one request to `host`."""
        ...


class RedisRateLimiter:
    """At most `requests` per `per_seconds` to each host, across all processes.

    `guard_seconds` widens the window slightly: the remote side counts requests
    when they arrive, and network jitter can bring two of our slots closer
    together there than they were here.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        requests: int = 5,
        per_seconds: float = 1.0,
        guard_seconds: float = 0.05,
        namespace: str = "supportai",
    ) -> None:
        if requests < 1 or per_seconds <= 0:
            raise ValueError("a rate limit needs at least one request per positive period")
        self._requests = requests
        self._window_us = round((per_seconds + guard_seconds) * 1_000_000)
        self._namespace = namespace
        self._take_slot = redis.register_script(_TAKE_SLOT)

    def key(self, host: str) -> str:
        return f"{self._namespace}:ratelimit:{host.lower()}"

    async def acquire(self, host: str) -> None:
        while (wait_s := await self.try_acquire(host)) > 0:
            await asyncio.sleep(wait_s)

    async def try_acquire(self, host: str) -> float:
        """Take a slot: 0 when taken, else the seconds until one frees up (nothing taken)."""
        wait_us = await self._take_slot(
            keys=[self.key(host)], args=[self._requests, self._window_us, uuid.uuid4().hex]
        )
        return wait_us / 1_000_000


class FailureCounter:
    """At most `limit` failures per key in a fixed window of `window_s` seconds."""

    def __init__(self, redis: Redis, name: str, *, limit: int, window_s: int) -> None:
        self._redis = redis
        self._name = name
        self._limit = limit
        self._window_s = window_s

    def _key(self, key: str) -> str:
        return f"supportai:failures:{self._name}:{key}"

    async def retry_after(self, key: str) -> int:
        """0 while the key may try again, else the seconds until its window ends."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.get(self._key(key))
            pipe.ttl(self._key(key))
            count, ttl = await pipe.execute()
        return max(int(ttl), 1) if count is not None and int(count) >= self._limit else 0

    async def record(self, key: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(self._key(key))
            pipe.expire(self._key(key), self._window_s, nx=True)
            await pipe.execute()

    async def clear(self, key: str) -> None:
        await self._redis.delete(self._key(key))
