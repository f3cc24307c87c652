"""Shared fixtures: a fresh PostgreSQL database and Redis DB per test session.

PostgreSQL and Redis are real (127.0.0.1), as in production. The suite creates its own
database (migrated with Alembic) and drops it at the end; Redis uses one numbered DB that
is flushed before and after.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import msgspec
import pytest
from cryptography.fernet import Fernet
from litestar import Litestar
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from supportai.app import create_app
from supportai.config import Settings
from supportai.db.migrations import upgrade
from workers.serve import drain
from workers.settings import worker_process_options

PG_ADMIN_DSN = os.environ.get("SUPPORTAI_TEST_PG", "postgresql://root@127.0.0.1:5432/test")
REDIS_BASE = os.environ.get("SUPPORTAI_TEST_REDIS", "redis://127.0.0.1:6379")
REDIS_DB = int(os.environ.get("SUPPORTAI_TEST_REDIS_DB", "13"))


def _database_url(name: str) -> str:
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """A new migrated PostgreSQL database, dropped on exit."""
    name = f"supportai_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _database_url(name)
    try:
        await asyncio.to_thread(upgrade, url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def pg_database() -> AsyncIterator[str]:
    """A migrated PostgreSQL database for this test session; dropped afterwards."""
    async with fresh_database() as url:
        yield url


@pytest.fixture(scope="session")
async def redis_url() -> AsyncIterator[str]:
    url = f"{REDIS_BASE}/{REDIS_DB}"
    client = Redis.from_url(url)
    await client.flushdb()
    yield url
    await client.flushdb()
    await client.aclose()


@pytest.fixture(scope="session")
def settings(pg_database: str, redis_url: str) -> Settings:
    return make_settings(pg_database, redis_url)


def make_settings(database_url: str, redis_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "redis_url": redis_url,
        "jwt_secret": secrets.token_urlsafe(32),
        "encryption_keys": (Fernet.generate_key().decode(),),
        "allow_private_urls": True,
        # The whole suite signs up and signs in from one test address.
        "login_attempts_per_ip": 10_000,
        "signups_per_ip": 100_000,
        "api_key_failures_per_ip": 10_000,
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[Litestar]:
    yield create_app(settings)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


class Account(msgspec.Struct):
    email: str
    password: str
    tenant_id: str
    user_id: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


@pytest.fixture(scope="session")
def sign_up(client: AsyncTestClient[Litestar]) -> Callable[..., Any]:
    async def create(panel_name: str = "Test panel") -> Account:
        email = f"owner-{uuid.uuid4().hex[:10]}@example.com"
        password = "correct horse battery"
        response = await client.post(
            "/api/auth/signup", json={"email": email, "password": password, "panel_name": panel_name}
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Account(
            email=email, password=password, tenant_id=body["tenant_id"], user_id=body["user_id"],
            access_token=body["access_token"], refresh_token=body["refresh_token"],
        )

    return create


async def run_queued_jobs(settings: Settings) -> None:
    """Run the workers until every queue is empty, as `supportai worker --burst` does, but
    without the schedules: a cron firing mid-test would poll other tests' panels."""
    await drain(worker_process_options(settings), cron_jobs=[], poll_delay=0.02)


async def service_row_id(api: Any, headers: dict[str, str], panel_service_id: int) -> str:
    """The catalogue row of a panel service. The search also matches names holding the
    id's digits ("1000 followers" for service 10), so the hits are filtered by id."""
    found = (await api.get("/api/services", params={"search": str(panel_service_id)}, headers=headers)).json()
    [row_id] = [item["id"] for item in found["items"] if item["panel_service_id"] == panel_service_id]
    return row_id
