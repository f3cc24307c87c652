from __future__ import annotations

import time
from typing import Any

import msgspec
import sqlalchemy as sa
from litestar import Response, get

from supportai.api.dependencies import RuntimeDep

WORKER_HEARTBEAT_KEY = "supportai:worker:heartbeat"
WORKER_HEARTBEAT_EVERY_S = 30  # the worker's cron stamps it this often
# Two beats missed: the worker is down or stuck, and messages are not being processed.
WORKER_LATE_AFTER_S = 2 * WORKER_HEARTBEAT_EVERY_S


class Check(msgspec.Struct):
    ok: bool
    detail: str | None = None


class HealthOut(msgspec.Struct):
    status: str
    database: Check
    redis: Check
    worker: Check
    worker_heartbeat_age_s: float | None


async def _check(probe: Any) -> Check:
    try:
        await probe()
        return Check(ok=True)
    except Exception as exc:
        return Check(ok=False, detail=f"{type(exc).__name__}: {exc}"[:300])


@get("/health", operation_id="health", summary="Database, Redis and worker status", opt={"exclude_from_auth": True},
     tags=["health"])
async def health(runtime: RuntimeDep) -> Response[HealthOut]:
    async def ping_database() -> None:
        async with runtime.db.engine.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))

    database = await _check(ping_database)
    redis = await _check(runtime.redis.ping)
    heartbeat_age = None
    if redis.ok:
        beat = await runtime.redis.get(WORKER_HEARTBEAT_KEY)
        heartbeat_age = round(time.time() - float(beat), 1) if beat else None
    worker = _worker_check(heartbeat_age) if redis.ok else Check(ok=False, detail="unknown: Redis is down")
    # 503 only when the API itself cannot work; a late worker is reported, not fatal to the API.
    serving = database.ok and redis.ok
    body = HealthOut(
        status="ok" if serving and worker.ok else "degraded", database=database, redis=redis, worker=worker,
        worker_heartbeat_age_s=heartbeat_age,
    )
    return Response(body, status_code=200 if serving else 503)


def _worker_check(age_s: float | None) -> Check:
    if age_s is None:
        return Check(ok=False, detail="no worker has reported: start one with `supportai worker`")
    if age_s > WORKER_LATE_AFTER_S:
        return Check(ok=False, detail=f"last heartbeat {age_s:.0f} s ago (expected every {WORKER_HEARTBEAT_EVERY_S} s)")
    return Check(ok=True)
