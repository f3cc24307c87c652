"""The Redis rate limiter holds a panel to 5 requests per second across workers.

Timestamps are taken by the simulator when each request arrives, so the limit
is checked where the panel would enforce it.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from redis.asyncio import Redis

from supportai.integrations.panel import PerfectPanelClient
from supportai.integrations.ratelimit import RedisRateLimiter
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.world import World

CALLS_PER_CLIENT = 8


def most_in_one_second(moments: list[float]) -> int:
    """The largest number of moments inside any window [t, t + 1s)."""
    moments = sorted(moments)
    return max(
        sum(1 for later in moments[i:] if later - start < 1.0) for i, start in enumerate(moments)
    )


async def test_two_workers_share_five_requests_per_second(
    sim: SimulatorControlClient,
    simulator_url: str,
    http: httpx.AsyncClient,
    world: World,
    redis: Redis,
    redis_namespace: str,
) -> None:
    # Two workers: each has its own limiter object and HTTP client; only Redis is shared.
    async with httpx.AsyncClient() as other_http:
        workers = [
            PerfectPanelClient(
                client,
                panel_url=simulator_url,
                api_key=world.admin_key,
                limiter=RedisRateLimiter(redis, requests=5, namespace=redis_namespace),
            )
            for client in (http, other_http)
        ]
        order_ids = sorted(world.orders)[:CALLS_PER_CLIENT]
        await asyncio.gather(
            *(worker.order(order_id) for worker in workers for order_id in order_ids)
        )

    arrivals = [call["at"] for call in await sim.requests(path="/adminapi/v2/orders")]
    assert len(arrivals) == 2 * CALLS_PER_CLIENT
    assert most_in_one_second(arrivals) <= 5
    # Waiting, not refusing: 16 requests at 5/s need at least 3 full windows.
    assert max(arrivals) - min(arrivals) >= 3.0


async def test_hosts_have_separate_windows(redis: Redis, redis_namespace: str) -> None:
    limiter = RedisRateLimiter(redis, requests=5, namespace=redis_namespace)
    for _ in range(5):
        await limiter.acquire("panel-a.example")

    # panel-a is full for about a second; panel-b is not affected.
    await asyncio.wait_for(limiter.acquire("panel-b.example"), timeout=0.5)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(limiter.acquire("panel-a.example"), timeout=0.5)

    assert await redis.zcard(limiter.key("panel-a.example")) == 5
    assert await redis.zcard(limiter.key("panel-b.example")) == 1
    assert await redis.ttl(limiter.key("panel-a.example")) > 0  # idle hosts leave no keys behind
