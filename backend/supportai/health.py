from __future__ import annotations

import time
from typing import Any

import msgspec
import sqlalchemy as sa
from litestar import Response, get

from supportai.api.dependencies import RuntimeDep

WORKER_HEARTBEAT_KEY = "supportai:worker:heartbeat"


class Check(msgspec.Struct):
    ok: bool
    detail: str | None = None


class HealthOut(msgspec.Struct):
    status: str
    database: Check
    redis: Check
    worker_heartbeat_age_s: float | None


async def _check(probe: Any) -> Check:
    try:
        await probe()
        return Check(ok=True)
    except Exception as exc:
        return Check(ok=False, detail=f"{type(exc).__name__}: {exc}"[:300])


@get("/health", operation_id="health", summary="Database, Redis and worker status", opt={"exclude_from_auth": True}, tags=["health"])
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
    healthy = database.ok and redis.ok
    body = HealthOut(
        status="ok" if healthy else "degraded", database=database, redis=redis,
        worker_heartbeat_age_s=heartbeat_age,
    )
    return Response(body, status_code=200 if healthy else 503)
