"""Per-host request rate limit shared by every worker through Redis.

A panel allows about 5 admin API requests per second, whichever of our workers
sends them. Each host has one Redis sorted set holding the moments of its recent
requests (a sliding-window log); a Lua script checks and records a slot in one
atomic step, so two workers can never take the same last slot. A caller that
finds the window full sleeps until the oldest request leaves it, then tries
again: callers wait, they are never refused.
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
        key = self.key(host)
        while True:
            wait_us = await self._take_slot(
                keys=[key], args=[self._requests, self._window_us, uuid.uuid4().hex]
            )
            if wait_us == 0:
                return
            await asyncio.sleep(wait_us / 1_000_000)
