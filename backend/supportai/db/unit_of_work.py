"""The unit of work: one short transaction that background code opens, commits and leaves.

Two session idioms, named (docs/architecture.md):
- an HTTP handler takes the DI session (`db_session`), which is a unit of work of its own:
  it commits when the handler returns and rolls back when it raises, so a handler never
  commits halfway;
- everything else (the pipeline, tracking, dispatch, the Telegram conversation, the jobs)
  opens a `UnitOfWork`, does one step's reads and writes through `uow.session`, and says
  `await uow.commit()`. Leaving the block without committing rolls back, so a step that
  raises, returns early or forgets leaves nothing half-written.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db import scoping

if TYPE_CHECKING:
    from supportai.db.database import Database


class UnitOfWork:
    """`async with UnitOfWork(db, tenant_id) as uow: ...; await uow.commit()`.

    `tenant_id=None` opens the system scope (fan-out jobs, webhooks that find their tenant).
    """

    session: AsyncSession

    def __init__(self, db: Database, tenant_id: uuid.UUID | None) -> None:
        self._db = db
        self._tenant_id = tenant_id

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._db.new_session()
        if self._tenant_id is None:
            scoping.bind_system(self.session.sync_session)
        else:
            scoping.bind_tenant(self.session.sync_session, self._tenant_id)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # Closing ends the transaction: what was not committed is rolled back. Unlike an
        # explicit rollback it leaves the rows read loaded (detached), so a read-only step can
        # use what it read after the block.
        self.session.info.pop(_AFTER_COMMIT, None)
        await self.session.close()

    async def commit(self) -> None:
        await commit(self.session)

    async def rollback(self) -> None:
        await rollback(self.session)


_AFTER_COMMIT = "supportai.after_commit"


def after_commit(session: AsyncSession, action: Callable[[], Awaitable[None]]) -> None:
    """Run `action` once the session's transaction has committed, and not at all if it rolls
    back: e.g. dropping a cache entry only when the change it caches is in the database."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


async def commit(session: AsyncSession) -> None:
    """Commit, then run what waited for it (`after_commit`)."""
    await session.commit()
    for action in session.info.pop(_AFTER_COMMIT, []):
        await action()


async def rollback(session: AsyncSession) -> None:
    session.info.pop(_AFTER_COMMIT, None)
    await session.rollback()
