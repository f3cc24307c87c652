"""Every answer carries the security headers, HSTS only over TLS (directly or from the
configured proxy), token answers are never cached, and the server does not name itself."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from supportai.app import create_app
from supportai.runtime import open_runtime
from supportai.simulator.processes import free_port, settings_env
from tests.conftest import make_settings

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
}


async def test_every_answer_carries_the_security_headers(client, sign_up):
    account = await sign_up()
    login = await client.post("/api/auth/login", json={"email": account.email, "password": account.password})
    answers = [
        login,
        await client.get("/health"),
        await client.get("/api/nothing-here"),
        await client.get("/api/auth/me"),
        await client.get("/api/requests", headers=account.headers),
        await client.get("/schema/openapi.json"),
    ]
    for response in answers:
        for name, value in EXPECTED.items():
            assert response.headers.get(name) == value, (response.url, name)
        assert "strict-transport-security" not in response.headers  # plain HTTP
    assert login.headers["cache-control"] == "no-store"
    assert "server" not in login.headers


@pytest.mark.parametrize(("peer", "proto", "hsts"), [
    ("10.9.0.1", "https", True),  # the configured proxy terminated TLS
    ("10.9.0.1", "http", False),
    ("203.0.113.5", "https", False),  # anyone else cannot claim it
])
async def test_hsts_only_behind_tls(pg_database, redis_url, peer, proto, hsts):
    settings = make_settings(pg_database, redis_url, trusted_proxies=("10.9.0.1",))
    app = create_app(settings)
    async with open_runtime(settings) as runtime:
        app.state.runtime = runtime
        transport = httpx.ASGITransport(app=app, client=(peer, 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as api:
            response = await api.get("/health", headers={"X-Forwarded-Proto": proto})
    assert ("strict-transport-security" in response.headers) is hsts


def test_the_served_api_does_not_advertise_its_server(settings):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "supportai.cli", "serve", "--port", str(port)],
                              env=settings_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        response, deadline = None, time.monotonic() + 120  # importing the app takes a while
        while response is None and time.monotonic() < deadline and server.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
            except httpx.TransportError:
                time.sleep(0.1)
        assert response is not None, "the server did not start"
        assert "server" not in response.headers
        assert response.headers["x-content-type-options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=10)
