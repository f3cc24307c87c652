"""Calls to tenant-supplied URLs refuse internal addresses when connecting, not only when
the URL is saved: a public name may later resolve to an internal address (DNS rebinding)."""

from __future__ import annotations

import ipaddress

import httpx
import pytest

from supportai.integrations.http import RetryPolicy
from supportai.integrations.panel import PanelUnavailable, PerfectPanelClient
from supportai.integrations.urls import is_public_address
from supportai.runtime import open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.server import serve_in_thread
from supportai.simulator.world import build_world
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def local_server():
    """An HTTP server on the loopback address: an internal host, as far as tenants go."""
    with serve_in_thread(create_simulator_app(build_world("outbound", tickets=0, orders=1))) as base_url:
        yield base_url


async def test_internal_addresses_are_refused_when_connecting(pg_database, redis_url, local_server):
    port = httpx.URL(local_server).port
    async with open_runtime(make_settings(pg_database, redis_url, allow_private_urls=False)) as runtime:
        for url in (f"http://127.0.0.1:{port}/", f"http://localhost:{port}/", f"http://[::1]:{port}/"):
            with pytest.raises(httpx.ConnectError, match="resolves to an internal address"):
                await runtime.http.get(url)
        # Through a panel client, as the pipeline calls it: the panel is unavailable, nothing more.
        panel = PerfectPanelClient(runtime.http, panel_url=local_server, api_key="k", retry=RetryPolicy(attempts=1))
        with pytest.raises(PanelUnavailable, match="internal address"):
            await panel.orders([1])


async def test_deployments_that_allow_private_urls_reach_them(pg_database, redis_url, local_server):
    async with open_runtime(make_settings(pg_database, redis_url, allow_private_urls=True)) as runtime:
        response = await runtime.http.get(f"{local_server}/_sim/requests")
    assert response.status_code == 200


async def test_names_that_do_not_resolve_fail_to_connect(pg_database, redis_url):
    async with open_runtime(make_settings(pg_database, redis_url, allow_private_urls=False)) as runtime:
        with pytest.raises(httpx.ConnectError, match="does not resolve"):
            await runtime.http.get("http://no-such-host.invalid/")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True), ("2607:f8b0::1", True), ("::ffff:8.8.8.8", True),
        ("2002:808:808::1", True), ("64:ff9b::808:808", True),
        ("100.64.0.1", False), ("100.127.255.254", False), ("192.88.99.1", False),
        ("224.0.0.1", False), ("ff0e::1", False), ("10.0.0.1", False), ("fc00::1", False),
        ("::ffff:10.0.0.1", False), ("::ffff:100.64.0.1", False), ("2002:a00:1::1", False),
        ("2002:6440:1::1", False), ("64:ff9b::a00:1", False), ("64:ff9b::6440:1", False),
        ("64:ff9b:1::808:808", False), ("::10.0.0.1", False), ("2001::1", False),
    ],
)
def test_only_global_unicast_addresses_are_public(address, public):
    assert is_public_address(ipaddress.ip_address(address)) is public


async def test_non_global_literals_are_refused_when_connecting(pg_database, redis_url):
    """Literal addresses skip DNS, so this exercises the connect-time check alone."""
    async with open_runtime(make_settings(pg_database, redis_url, allow_private_urls=False)) as runtime:
        for url in ("http://100.64.0.1/", "http://[2002:a00:1::1]/", "http://[64:ff9b::7f00:1]/"):
            with pytest.raises(httpx.ConnectError, match="resolves to an internal address"):
                await runtime.http.get(url)
