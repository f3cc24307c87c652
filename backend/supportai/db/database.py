"""Engine and session factories: the one place that knows how to reach the database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import msgspec
from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from supportai.db import scoping
from supportai.db.unit_of_work import UnitOfWork, commit, rollback


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # JSON columns (timelines, baselines, facts) are encoded and decoded by msgspec:
        # several times faster than the standard library on the tracking and intake paths.
        options: dict[str, object] = {
            "echo": echo, "pool_pre_ping": not self.is_sqlite,
            "json_serializer": _encode_json, "json_deserializer": msgspec.json.decode,
        }
        if self.is_sqlite:
            # One writer at a time: wait for the lock instead of failing at once.
            options["connect_args"] = {"timeout": 30}
        else:
            # Sized for a busy API process: overflow connections are closed after use, and
            # reconnecting under load costs more than keeping them.
            options.update(pool_size=25, max_overflow=10)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        # Copied into every new session's `info` (the Runtime puts its job queue there).
        self.session_info: dict[str, object] = {}
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False, info=self.session_info)

    def unit_of_work(self, tenant_id: uuid.UUID | None) -> UnitOfWork:
        """One short transaction for background code: commit it explicitly (`unit_of_work.py`)."""
        return UnitOfWork(self, tenant_id)

    def new_session(self) -> AsyncSession:
        return self._sessions()

    @asynccontextmanager
    async def tenant_session(self, tenant_id: uuid.UUID) -> AsyncIterator[AsyncSession]:
        """A session that sees and writes only this tenant's rows. Commits on success."""
        async with self._session() as session:
            scoping.bind_tenant(session.sync_session, tenant_id)
            yield session

    @asynccontextmanager
    async def system_session(self) -> AsyncIterator[AsyncSession]:
        """An unscoped session, for code that must work across tenants on purpose."""
        async with self._session() as session:
            scoping.bind_system(session.sync_session)
            yield session

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            try:
                yield session
                await commit(session)
            except BaseException:
                await rollback(session)
                raise

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _encode_json(value: object) -> str:
    return msgspec.json.encode(value).decode()
