"""Pulling the catalogue from the panel's user API (`action=services`)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from supportai.domain.audit.service import record
from supportai.domain.services.schemas import ImportResult
from supportai.domain.services.service import import_catalogue
from supportai.domain.setup.models import PanelConnection
from supportai.domain.setup.service import panel_clients
from supportai.runtime import Runtime


async def sync_from_panel(runtime: Runtime, tenant_id: uuid.UUID) -> ImportResult:
    async with runtime.db.unit_of_work(tenant_id) as uow:
        clients = await panel_clients(runtime, uow.session)
        await uow.commit()  # the settings row may be new
    # The panel call happens outside any transaction: it may be slow or retried.
    catalogue = await clients.user_api.services()
    async with runtime.db.unit_of_work(tenant_id) as uow:
        result = await import_catalogue(uow.session, catalogue)
        record(uow.session, "services.synced", actor=None, created=result.created, updated=result.updated,
               deactivated=result.deactivated)
        await uow.commit()
    return result


async def tenants_with_a_panel(runtime: Runtime) -> list[uuid.UUID]:
    async with runtime.db.unit_of_work(None) as uow:
        return list(await uow.session.scalars(sa.select(PanelConnection.tenant_id)))
