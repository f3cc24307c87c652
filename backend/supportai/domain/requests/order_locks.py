"""Per-order serialisation of the decision step.

Two messages about one order, decided at once, would both find no open request and both
be charged and forwarded. The decision transaction therefore takes a transaction-level
advisory lock per order first (PostgreSQL): the second waits until the first commits and
then sees its request. SQLite lets one writer in at a time and needs nothing more.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

# All keys in one statement, taken in ascending order so two messages naming the same
# orders in another order cannot deadlock.
_LOCK_ORDERS = sa.text(
    "SELECT pg_advisory_xact_lock(key) FROM unnest(CAST(:keys AS bigint[])) WITH ORDINALITY AS k(key, n) ORDER BY n"
)


def order_lock_key(tenant_id: uuid.UUID, order_id: str) -> int:
    """A signed 64-bit advisory lock key for one tenant's order."""
    digest = hashlib.blake2b(f"order:{tenant_id}:{order_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_orders(session: AsyncSession, tenant_id: uuid.UUID, order_ids: Iterable[str]) -> None:
    """Hold these orders until the session's transaction ends (one statement, any count)."""
    keys = sorted({order_lock_key(tenant_id, order_id) for order_id in order_ids})
    if keys and session.bind.dialect.name == "postgresql":
        await session.execute(_LOCK_ORDERS, {"keys": keys})
