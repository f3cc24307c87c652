"""A simulator served over real HTTP for the whole session, reset before each test.

Tests reach it through the real clients (httpx) and steer it through its
`/_sim/` control endpoints; nothing is mocked.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from supportai.integrations.panel import PerfectPanelClient
from supportai.integrations.provider import SmmProviderClient
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.server import running_simulator
from supportai.simulator.world import World, build_world
from tests.integration.integrations.support import FAST_RETRY

REDIS_URL = os.environ.get("SUPPORTAI_TEST_REDIS", "redis://127.0.0.1:6379")


@pytest.fixture(scope="session")
def world() -> World:
    return build_world("integrations-tests")


@pytest.fixture(scope="session")
async def simulator_url(world: World) -> AsyncIterator[str]:
    async with running_simulator(world) as base_url:
        yield base_url


@pytest.fixture(scope="session")
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
async def sim(simulator_url: str, http: httpx.AsyncClient) -> SimulatorControlClient:
    control = SimulatorControlClient(http, simulator_url)
    await control.reset()
    return control


@pytest.fixture
def panel(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient, world: World
) -> PerfectPanelClient:
    return PerfectPanelClient(
        http, panel_url=simulator_url, api_key=world.admin_key, retry=FAST_RETRY
    )


@pytest.fixture
def make_provider(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient, world: World
) -> Callable[..., SmmProviderClient]:
    """`make_provider("growlane")`: a client for one simulated provider."""

    def make(name: str, **options: Any) -> SmmProviderClient:
        options.setdefault("retry", FAST_RETRY)
        return SmmProviderClient(
            http,
            api_url=f"{simulator_url}/providers/{name}",
            api_key=world.providers[name].key,
            **options,
        )

    return make


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
async def redis_namespace(redis: Redis) -> AsyncIterator[str]:
    """A namespace of our own in the shared Redis, removed afterwards."""
    namespace = f"supportai-test-{uuid.uuid4().hex}"
    yield namespace
    keys = [key async for key in redis.scan_iter(match=f"{namespace}:*")]
    if keys:
        await redis.delete(*keys)
