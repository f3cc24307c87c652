"""The shared HTTP client keeps one small pool per origin: a panel's connection is reused
between the calls of a run whatever other hosts are called meanwhile, and pools of origins
not called lately are closed, never while a request to them is in flight."""

from __future__ import annotations

import ssl
from contextlib import ExitStack

import httpx
import pytest

from supportai.integrations.origin_pools import PerOriginTransport
from supportai.integrations.urls import outbound_transport
from supportai.simulator.app import create_simulator_app
from supportai.simulator.server import serve_in_thread
from supportai.simulator.world import build_world


@pytest.fixture(scope="module")
def servers():
    """Three local HTTP servers: three origins."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(serve_in_thread(create_simulator_app(build_world(f"origin{n}", tickets=0, orders=1))))
            for n in range(3)
        ]


def pooled_client(max_idle_origins: int) -> tuple[httpx.AsyncClient, PerOriginTransport]:
    transport = PerOriginTransport(
        lambda: outbound_transport(httpx.Limits(max_connections=5, max_keepalive_connections=2),
                                   allow_private=True, ssl_context=ssl.create_default_context()),
        max_idle_origins=max_idle_origins,
    )
    return httpx.AsyncClient(transport=transport), transport


def origin(url: str) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    return parsed.scheme, parsed.host, parsed.port


async def test_each_origin_keeps_its_connection_between_calls_to_other_origins(servers):
    client, transport = pooled_client(max_idle_origins=8)
    async with client:
        for _ in range(5):
            for url in servers:
                assert (await client.get(f"{url}/_sim/requests")).status_code == 200
        # 15 calls, interleaved across three hosts: one connection each, kept alive.
        assert transport.open_connections() == {origin(url): 1 for url in servers}


async def test_idle_pools_of_origins_not_called_lately_are_closed_first(servers):
    first, second, third = servers
    client, transport = pooled_client(max_idle_origins=2)
    async with client:
        for url in (first, second, first, third):
            await client.get(f"{url}/_sim/requests")
        assert list(transport.open_connections()) == [origin(first), origin(third)]
        await client.get(f"{second}/_sim/requests")
        assert list(transport.open_connections()) == [origin(third), origin(second)]


async def test_a_pool_with_a_response_still_being_read_is_not_closed(servers):
    first, second, third = servers
    client, transport = pooled_client(max_idle_origins=1)
    async with client:
        async with client.stream("GET", f"{first}/_sim/requests") as streaming:
            await client.get(f"{second}/_sim/requests")
            await client.get(f"{third}/_sim/requests")
            assert origin(first) in transport.open_connections()  # in flight: kept beyond the limit
            body = await streaming.aread()
        assert streaming.status_code == 200 and body
        await client.get(f"{second}/_sim/requests")  # a new call trims the idle ones again
        assert list(transport.open_connections()) == [origin(second)]
