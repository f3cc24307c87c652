from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import FromQuery, QueryParameter

from supportai.api.dependencies import TenantSession
from supportai.db.pagination import Page
from supportai.domain.audit import service
from supportai.domain.audit.schemas import AuditEntryOut


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]

    @get(operation_id="listAuditEntries", summary="The account's audit log, newest first", opt={"owner_only": True})
    async def list_entries(
        self,
        db_session: TenantSession,
        action: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> Page[AuditEntryOut]:
        return await service.list_entries(db_session, action=action, cursor=cursor, limit=limit)
