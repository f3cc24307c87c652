"""Connecting the panel and providers, SSRF guards, secrets at rest and the service sync,
against the simulator over real HTTP."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import create_async_engine

from supportai.app import create_app
from supportai.simulator.app import create_simulator_app
from supportai.simulator.server import serve_in_thread
from supportai.simulator.world import build_world
from tests.conftest import make_settings, run_queued_jobs


@pytest.fixture(scope="module")
def simulator():
    world = build_world("setup-tests")
    with serve_in_thread(create_simulator_app(world)) as base_url:
        yield world, base_url


async def _connect_panel(client, account, world, base_url):
    response = await client.put(
        "/api/setup/panel",
        json={"url": base_url, "admin_api_key": world.admin_key, "user_api_key": world.user_key},
        headers=account.headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_panel_keys_are_write_only_and_encrypted_at_rest(client, sign_up, simulator, pg_database):
    world, base_url = simulator
    account = await sign_up()
    saved = await _connect_panel(client, account, world, base_url)
    assert saved["url"] == base_url and saved["admin_key_set"] and saved["user_key_set"]
    shown = await client.get("/api/setup/panel", headers=account.headers)
    assert world.admin_key not in shown.text and world.user_key not in shown.text

    engine = create_async_engine(pg_database)
    async with engine.connect() as connection:
        row = (await connection.execute(
            sa.text("SELECT * FROM panel_connections WHERE tenant_id = :t"), {"t": uuid.UUID(account.tenant_id)}
        )).mappings().one()
    await engine.dispose()
    raw = " ".join(str(value) for value in row.values())
    assert world.admin_key not in raw and world.user_key not in raw


async def test_connection_test_reports_each_api(client, sign_up, simulator):
    world, base_url = simulator
    account = await sign_up()
    await _connect_panel(client, account, world, base_url)
    report = (await client.post("/api/setup/panel/test", headers=account.headers)).json()
    assert [(check["name"], check["ok"]) for check in report["checks"]] == [("admin_api", True), ("user_api", True)]

    await client.put(
        "/api/setup/panel", json={"url": base_url, "admin_api_key": "wrong", "user_api_key": world.user_key},
        headers=account.headers,
    )
    report = (await client.post("/api/setup/panel/test", headers=account.headers)).json()
    assert [(check["name"], check["ok"]) for check in report["checks"]] == [("admin_api", False), ("user_api", True)]
    assert report["checks"][0]["detail"]


async def test_providers_crud_never_returns_keys(client, sign_up):
    account = await sign_up()
    created = await client.post(
        "/api/providers",
        json={"name": "bestsmm.example", "api_url": "https://bestsmm.example/api/v2", "api_key": "prov-secret-1",
              "telegram_chat": "@bestsmm_support", "refill_via_api": True, "cancel_via_api": False},
        headers=account.headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["api_key_set"] is True and "prov-secret-1" not in created.text
    provider_id = created.json()["id"]

    duplicate = await client.post("/api/providers", json={"name": "bestsmm.example"}, headers=account.headers)
    assert duplicate.status_code == 409

    patched = await client.patch(f"/api/providers/{provider_id}", json={"api_key": None, "cancel_via_api": True},
                                 headers=account.headers)
    assert patched.json()["api_key_set"] is False and patched.json()["cancel_via_api"] is True
    listed = (await client.get("/api/providers", headers=account.headers)).json()
    assert [p["name"] for p in listed] == ["bestsmm.example"]
    assert (await client.delete(f"/api/providers/{provider_id}", headers=account.headers)).status_code == 204
    assert (await client.get(f"/api/providers/{provider_id}", headers=account.headers)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8090", "http://localhost/api", "http://10.1.2.3/", "http://192.168.1.10",
        "http://169.254.169.254/latest/meta-data", "http://[::1]:80/", "http://metadata.internal/",
        # Not global although no private/loopback/link-local check catches them: carrier-grade
        # NAT, 6to4 and NAT64 embedding internal IPv4, IPv4-mapped, multicast.
        "http://100.64.0.1/", "http://[2002:a00:1::1]/", "http://[64:ff9b::a9fe:a9fe]/",
        "http://[::ffff:10.0.0.1]/", "http://224.0.0.1/", "http://[::10.0.0.1]/",
        "ftp://panel.example", "http://user:pass@panel.example", "not a url",
    ],
)
async def test_internal_and_odd_urls_are_refused_unless_allowed(url, pg_database, redis_url):
    settings = make_settings(pg_database, redis_url, allow_private_urls=False)
    async with AsyncTestClient(app=create_app(settings)) as client:
        signup = await client.post(
            "/api/auth/signup",
            json={"email": f"ssrf-{uuid.uuid4().hex[:8]}@example.com", "password": "long panel password",
                  "panel_name": "S"},
        )
        headers = {"Authorization": f"Bearer {signup.json()['access_token']}"}
        panel = await client.put("/api/setup/panel", json={"url": url, "admin_api_key": "k", "user_api_key": "k"},
                                 headers=headers)
        provider = await client.post("/api/providers", json={"name": "p", "api_url": url}, headers=headers)
        assert panel.status_code == provider.status_code == 400
        assert panel.headers["content-type"].startswith("application/problem+json")
        assert (await client.get("/api/setup/panel", headers=headers)).json()["url"] is None


# Names the simulator's catalogue uses, with the period rules.md says they promise.
EXPECTED_DETECTION = {
    "Instagram Followers [R30] | Max 50K | Day 20K": 30,
    "Instagram Followers R 30 | 0-1h start": 30,
    "TikTok Likes | 30 days refill | Instant": 30,
    "♻️ 30 days | Instagram Likes | Max 100K": 30,
    "Telegram Members | Refill 30D | 0-1h start": 30,
    "Instagram Followers G60 | Speed 5K/Day": 60,
    "Facebook Page Likes [Guarantee 60 Days]": 60,
    "Instagram Followers [Lifetime] | Max 1M": None,
    "Spotify Plays | Lifetime Refill | 10K/Day": None,
    "TikTok Followers [LR] Max 100K": None,
    "YouTube Subscribers | Non drop + lifetime": None,
    "Instagram Likes [No Refill] | Instant": 0,
    "Twitter Followers NR | Cheapest": 0,
    "Instagram Views No Refill ❌ | Max 50K": 0,
    "Instagram Story Views | Instant": 0,
    "YouTube Likes [R90] | 6H start": 90,
}


async def test_service_sync_job_detects_markers_keeps_overrides_and_retires_vanished(
    client, sign_up, simulator, settings
):
    world, base_url = simulator
    account = await sign_up()
    await _connect_panel(client, account, world, base_url)

    async def run_sync() -> None:
        queued = await client.post("/api/services/sync", headers=account.headers)
        assert queued.status_code == 202
        await run_queued_jobs(settings)

    async def catalogue() -> dict[str, dict]:
        page = (await client.get("/api/services", params={"limit": 500}, headers=account.headers)).json()
        return {item["name"]: item for item in page["items"]}

    await run_sync()
    services = await catalogue()
    assert len(services) == len(world.services)
    for name, days in EXPECTED_DETECTION.items():
        assert services[name]["effective"]["refill_days"] == days, name

    overridden = services["Instagram Followers [R30] | Max 50K | Day 20K"]
    await client.patch(f"/api/services/{overridden['id']}", json={"refill_days": 7}, headers=account.headers)
    vanished_id, vanished = next(iter(world.services.items()))
    del world.services[vanished_id]
    try:
        await run_sync()
    finally:
        world.services[vanished_id] = vanished
    services = await catalogue()
    assert services[overridden["name"]]["effective"]["refill_days"] == 7
    assert services[vanished.name]["active"] is False
    assert sum(service["active"] for service in services.values()) == len(world.services) - 1
