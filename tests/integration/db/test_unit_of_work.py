"""The unit of work against real PostgreSQL: what it commits stays, what it leaves is undone,
and it sees only its tenant's rows."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from supportai.db.database import Database
from supportai.domain.tenants.models import Tenant, TenantSettings


@pytest.fixture
async def db(pg_database: str) -> AsyncIterator[Database]:
    database = Database(pg_database)
    yield database
    await database.dispose()


async def _new_tenant(db: Database, name: str) -> uuid.UUID:
    async with db.unit_of_work(None) as uow:
        tenant = Tenant(name=name)
        uow.session.add(tenant)
        await uow.commit()
        return tenant.id


async def _names(db: Database, tenant_id: uuid.UUID) -> list[str]:
    async with db.unit_of_work(tenant_id) as uow:
        return list(await uow.session.scalars(sa.select(Tenant.name)))


async def test_a_committed_step_stays_and_an_uncommitted_one_is_undone(db: Database) -> None:
    tenant_id = await _new_tenant(db, "kept")
    async with db.unit_of_work(tenant_id) as uow:
        (await uow.session.get(Tenant, tenant_id)).name = "renamed, never committed"
    assert await _names(db, tenant_id) == ["kept"]

    with pytest.raises(RuntimeError):
        async with db.unit_of_work(tenant_id) as uow:
            (await uow.session.get(Tenant, tenant_id)).name = "renamed, then it raised"
            await uow.session.flush()
            raise RuntimeError("the step failed")
    assert await _names(db, tenant_id) == ["kept"]


async def test_a_tenant_unit_sees_and_stamps_only_its_tenant(db: Database) -> None:
    mine, theirs = await _new_tenant(db, "mine"), await _new_tenant(db, "theirs")
    async with db.unit_of_work(mine) as uow:
        uow.session.add(TenantSettings())
        await uow.commit()
    async with db.unit_of_work(mine) as uow:
        assert await uow.session.get(Tenant, theirs) is None
        owners = set(await uow.session.scalars(sa.select(TenantSettings.tenant_id)))
    assert owners == {mine}
    assert await _names(db, mine) == ["mine"]


async def test_rows_read_stay_readable_after_the_unit_ends(db: Database) -> None:
    tenant_id = await _new_tenant(db, "read after")
    async with db.unit_of_work(tenant_id) as uow:
        tenant = await uow.session.get(Tenant, tenant_id)
    assert tenant is not None and tenant.name == "read after"
