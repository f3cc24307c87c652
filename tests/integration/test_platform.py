"""Migrations, health, request ids, secrets at rest, login rate limits and the worker."""

from __future__ import annotations

import asyncio
import secrets
import uuid

import asyncpg
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import create_async_engine

from supportai.app import create_app
from supportai.db.migrations import downgrade, upgrade
from supportai.db.scoping import TenantScopeError
from supportai.domain.audit.models import AuditEntry
from supportai.health import WORKER_HEARTBEAT_KEY
from supportai.queues import CONTROL_QUEUE
from supportai.runtime import open_runtime
from supportai.security import SecretBox
from tests.conftest import PG_ADMIN_DSN, _database_url, make_settings, run_queued_jobs


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(sa.inspect(sync).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


async def test_migrations_go_up_and_down_on_postgres():
    name = f"supportai_migrate_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _database_url(name)
    try:
        await asyncio.to_thread(upgrade, url)
        assert {"tenants", "users", "api_keys", "tenant_settings", "audit_log"} <= await _tables(url)
        await asyncio.to_thread(downgrade, url, "base")
        assert await _tables(url) == set()
        await asyncio.to_thread(upgrade, url)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_migrations_run_on_sqlite(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'supportai.db'}"
    await asyncio.to_thread(upgrade, url)
    assert {"tenants", "users", "api_keys", "tenant_settings", "audit_log"} <= await _tables(url)
    await asyncio.to_thread(downgrade, url, "base")
    assert await _tables(url) == set()


async def test_the_product_runs_on_sqlite(tmp_path, redis_url):
    url = f"sqlite+aiosqlite:///{tmp_path / 'supportai.db'}"
    await asyncio.to_thread(upgrade, url)
    async with AsyncTestClient(app=create_app(make_settings(url, redis_url))) as client:
        signup = await client.post(
            "/api/auth/signup", json={"email": "lite@example.com", "password": "sqlite password", "panel_name": "Lite"}
        )
        assert signup.status_code == 201
        owner = {"Authorization": f"Bearer {signup.json()['access_token']}"}
        me = await client.get("/api/auth/me", headers=owner)
        assert me.json()["tenant_name"] == "Lite"

        # Intake's batched INSERT ... ON CONFLICT DO NOTHING RETURNING works on SQLite too.
        key = (await client.post("/api/api-keys", json={"name": "lite", "scopes": ["messages:write"]},
                                 headers=owner)).json()["key"]
        bodies = [{"customer": "anna", "text": f"refill {n}", "external_id": f"lite-{n % 3}"} for n in range(6)]
        accepted = await asyncio.gather(*(
            client.post("/api/v1/messages", json=body, headers={"X-API-Key": key}) for body in bodies
        ))
        assert [r.status_code for r in accepted] == [202] * 6
        assert sorted(r.json()["duplicate"] for r in accepted) == [False] * 3 + [True] * 3
        assert len({r.json()["id"] for r in accepted}) == 3


async def test_health_reports_database_and_redis(client):
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] and body["redis"]["ok"]


async def test_health_is_degraded_when_redis_is_down(pg_database):
    settings = make_settings(pg_database, "redis://127.0.0.1:1/0")
    async with AsyncTestClient(app=create_app(settings)) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is True
    assert response.json()["redis"]["ok"] is False


async def test_every_response_carries_a_request_id(client):
    generated = await client.get("/health")
    assert len(generated.headers["x-request-id"]) == 32
    echoed = await client.get("/health", headers={"X-Request-ID": "trace-123"})
    assert echoed.headers["x-request-id"] == "trace-123"


def test_secret_box_rotates_keys():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = SecretBox([old]).encrypt("panel-admin-key")
    rotated_box = SecretBox([new, old])
    assert rotated_box.decrypt(token) == "panel-admin-key"
    rotated = rotated_box.rotate(token)
    assert SecretBox([new]).decrypt(rotated) == "panel-admin-key"
    with pytest.raises(ValueError):
        SecretBox([new]).decrypt(token)


async def test_failed_logins_are_limited_per_account_from_one_address(pg_database, redis_url):
    """More in test_rate_limits.py: other addresses, the per-address budget, proxies."""
    settings = make_settings(pg_database, redis_url, login_attempts_per_account=3)
    async with AsyncTestClient(app=create_app(settings)) as client:
        emails = [f"limited-{secrets.token_hex(3)}@example.com" for _ in range(2)]
        for email in emails:
            await client.post("/api/auth/signup", json={"email": email, "password": "right password",
                                                        "panel_name": "P"})
        statuses = [
            (await client.post("/api/auth/login", json={"email": emails[0], "password": "wrong password"})).status_code
            for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        limited = await client.post("/api/auth/login", json={"email": emails[0], "password": "right password"})
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) > 0
        assert limited.headers["content-type"].startswith("application/problem+json")
        # Another account from the same address is not affected.
        assert (await client.post("/api/auth/login", json={"email": emails[1],
                                                           "password": "right password"})).status_code == 200


async def test_worker_runs_jobs_with_the_shared_runtime(settings):
    async with open_runtime(settings) as runtime:
        await runtime.redis.delete(WORKER_HEARTBEAT_KEY)
        job = await runtime.queue.enqueue_job("heartbeat", _queue_name=CONTROL_QUEUE)
        await run_queued_jobs(settings)
        assert await job.result(timeout=5) > 0
        assert await runtime.redis.get(WORKER_HEARTBEAT_KEY) is not None


async def test_tenant_scoped_session_cannot_write_for_another_tenant(settings, sign_up):
    a, b = await sign_up(), await sign_up()
    async with open_runtime(settings) as runtime:
        with pytest.raises(TenantScopeError):
            async with runtime.db.tenant_session(uuid.UUID(a.tenant_id)) as session:
                session.add(AuditEntry(tenant_id=uuid.UUID(b.tenant_id), actor_kind="system", action="x", detail={}))
        async with runtime.db.tenant_session(uuid.UUID(a.tenant_id)) as session:
            visible = {entry.tenant_id for entry in await session.scalars(sa.select(AuditEntry))}
        assert visible == {uuid.UUID(a.tenant_id)}
