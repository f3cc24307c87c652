"""Shared set-up for the benchmarks: a throw-away PostgreSQL database and Redis DB."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import httpx
from cryptography.fernet import Fernet

from supportai.config import Settings
from supportai.db.migrations import upgrade

PG_ADMIN_DSN = os.environ.get("SUPPORTAI_BENCH_PG", "postgresql://root@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SUPPORTAI_BENCH_REDIS", "redis://127.0.0.1:6379/14")


@asynccontextmanager
async def benchmark_settings() -> AsyncIterator[Settings]:
    name = f"supportai_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + f"/{name}"
    try:
        await asyncio.to_thread(upgrade, url)
        yield Settings(
            database_url=url, redis_url=REDIS_URL, jwt_secret=secrets.token_urlsafe(32),
            encryption_keys=(Fernet.generate_key().decode(),), allow_private_urls=True, log_level="WARNING",
            login_attempts_per_ip=1_000_000,
        )
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def wait_until_ready(http: httpx.AsyncClient, server: subprocess.Popen[bytes], limit_s: float = 300) -> float:
    """Wait for the started API to answer `/health` (however slow the machine is to start
    it), failing at once if the process died. Returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        if server.poll() is not None:
            raise RuntimeError(f"the API process exited with code {server.returncode} before it was ready")
        try:
            if (await http.get("/health")).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass  # not listening yet
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the API did not answer /health within {limit_s:.0f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]
