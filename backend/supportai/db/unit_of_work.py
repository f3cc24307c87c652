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
        try:
            await self.session.rollback()  # a no-op after commit; undoes an unfinished step
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
