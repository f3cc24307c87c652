"""Per-message locks that die with their holder.

A lock is taken with a short TTL and renewed while its holder works, so a worker killed
with `kill -9` leaves it behind for at most `LOCK_TTL_S`; the next job for the message
then goes ahead instead of finding it busy for minutes."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import structlog
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

log = structlog.get_logger("supportai.worker")

LOCK_TTL_S = 30


class LockBusy(Exception):
    """Someone else holds the lock; it is theirs for at most `expires_in` more seconds."""

    def __init__(self, expires_in: float) -> None:
        super().__init__(f"held by another worker for up to {expires_in:.1f} s")
        self.expires_in = expires_in


def message_lock_name(message_id: uuid.UUID | str) -> str:
    return f"supportai:lock:message:{message_id}"


@contextlib.asynccontextmanager
async def held_lock(redis: Redis, name: str, *, ttl_s: float = LOCK_TTL_S) -> AsyncIterator[None]:
    """Hold `name` for the block, renewed every third of its TTL; raises LockBusy at once
    if another holder has it."""
    lock = redis.lock(name, timeout=ttl_s, blocking=False)
    if not await lock.acquire():
        left_ms = await redis.pttl(name)
        raise LockBusy(max(left_ms, 0) / 1000 if left_ms >= 0 else ttl_s)
    renewal = asyncio.create_task(_keep_renewed(lock, ttl_s))
    try:
        yield
    finally:
        renewal.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewal
        with contextlib.suppress(LockError):  # expired meanwhile: nothing left to release
            await lock.release()


async def _keep_renewed(lock: Lock, ttl_s: float) -> None:
    while True:
        await asyncio.sleep(ttl_s / 3)
        try:
            await lock.reacquire()
        except LockError as exc:  # lost (e.g. Redis restarted): the work goes on unguarded
            log.warning("lock_lost", lock=lock.name, error=str(exc))
            return
