from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.db.pagination import Page
from supportai.domain.audit.service import record
from supportai.domain.services import service
from supportai.domain.services.schemas import (
    CatalogueEntry,
    ImportResult,
    ServiceOut,
    ServicePatch,
    SyncQueued,
)
from supportai.domain.setup.service import require_panel
from supportai.domain.tenants.service import get_settings
from supportai.queues import CONTROL_QUEUE


class ServiceController(Controller):
    path = "/api/services"
    tags = ["services"]

    @get(operation_id="listServices", summary="The service catalogue with detected and overridden policies")
    async def list_services(
        self,
        db_session: TenantSession,
        search: FromQuery[str | None] = None,
        category: FromQuery[str | None] = None,
        active: FromQuery[bool | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    ) -> Page[ServiceOut]:
        return await service.list_services(
            db_session, search=search, category=category, active=active, cursor=cursor, limit=limit
        )

    @get("/{service_id:uuid}", operation_id="getService", summary="One service")
    async def get_service(self, service_id: FromPath[uuid.UUID], db_session: TenantSession) -> ServiceOut:
        row = await service.get_service(db_session, service_id)
        return ServiceOut.of(row, service.policy_for(row, await get_settings(db_session)))

    @patch("/{service_id:uuid}", operation_id="overrideService", summary="Override a service's policy",
           opt={"owner_only": True})
    async def override(
        self, service_id: FromPath[uuid.UUID], data: JSONBody[ServicePatch], principal: PrincipalDep,
        db_session: TenantSession,
    ) -> ServiceOut:
        return await service.update_overrides(db_session, principal, service_id, data)

    @post("/import", operation_id="importServices", summary="Import a catalogue in the SMM API `services` format",
          opt={"owner_only": True})
    async def import_services(
        self, data: JSONBody[list[CatalogueEntry]], principal: PrincipalDep, db_session: TenantSession
    ) -> ImportResult:
        result = await service.import_catalogue(db_session, data)
        record(db_session, "services.imported", actor=principal, created=result.created, updated=result.updated)
        return result

    @post("/sync", operation_id="syncServices", summary="Sync the catalogue from the panel now", status_code=202,
          opt={"owner_only": True})
    async def sync(self, principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession) -> SyncQueued:
        await require_panel(db_session)  # refused now, not failed later in the worker
        job = await runtime.queue.enqueue_job("sync_services", str(principal.tenant_id), _queue_name=CONTROL_QUEUE)
        return SyncQueued(job_id=job.job_id if job else "already-queued")
