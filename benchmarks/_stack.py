"""Shared set-up for the benchmarks: a throw-away PostgreSQL database and Redis DB."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from cryptography.fernet import Fernet

from supportai.config import Settings
from supportai.db.migrations import upgrade

PG_ADMIN_DSN = os.environ.get("SUPPORTAI_BENCH_PG", "postgresql://root@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SUPPORTAI_BENCH_REDIS", "redis://127.0.0.1:6379/14")


@asynccontextmanager
async def throwaway_database() -> AsyncIterator[str]:
    """A new migrated PostgreSQL database (its async URL), dropped on exit."""
    name = f"supportai_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + f"/{name}"
    try:
        await asyncio.to_thread(upgrade, url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def benchmark_settings() -> AsyncIterator[Settings]:
    async with throwaway_database() as url:
        yield Settings(
            database_url=url, redis_url=REDIS_URL, jwt_secret=secrets.token_urlsafe(32),
            encryption_keys=(Fernet.generate_key().decode(),), allow_private_urls=True, log_level="WARNING",
            login_attempts_per_ip=1_000_000,
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]
