"""`among` (column IN values) selects exactly the rows named, on PostgreSQL (one array
parameter) and on SQLite (an IN list) alike."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import sqlalchemy as sa

from supportai.db.clauses import among
from supportai.db.database import Database
from supportai.db.migrations import upgrade
from supportai.domain.tenants.models import Tenant


@pytest.fixture(params=["postgresql", "sqlite"])
async def db(request, pg_database, tmp_path):
    url = pg_database
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'clauses.db'}"
        await asyncio.to_thread(upgrade, url)
    database = Database(url)
    yield database
    await database.dispose()


async def test_among_selects_exactly_the_named_rows_and_updates_only_them(db: Database) -> None:
    async with db.unit_of_work(None) as uow:
        tenants = [Tenant(name=f"among {n} {uuid.uuid4()}") for n in range(7)]
        uow.session.add_all(tenants)
        await uow.commit()
    named = [tenants[n].id for n in (0, 3, 5)] + [uuid.uuid4()]  # and one that does not exist
    async with db.unit_of_work(None) as uow:
        session = uow.session
        found = set(await session.scalars(sa.select(Tenant.id).where(among(session, Tenant.id, named))))
        assert found == {tenants[n].id for n in (0, 3, 5)}
        assert list(await session.scalars(sa.select(Tenant.id).where(among(session, Tenant.id, [])))) == []
        await session.execute(sa.update(Tenant).where(among(session, Tenant.id, named[:2])).values(name="renamed")
                              .execution_options(synchronize_session=False))
        await uow.commit()
    async with db.unit_of_work(None) as uow:
        renamed = set(await uow.session.scalars(sa.select(Tenant.id).where(Tenant.name == "renamed")))
    assert renamed == {tenants[0].id, tenants[3].id}
