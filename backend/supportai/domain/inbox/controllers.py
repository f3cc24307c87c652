from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, PathParameter, QueryParameter

from supportai.api.dependencies import TenantSession
from supportai.domain.inbox import service
from supportai.domain.inbox.export import export_csv
from supportai.domain.inbox.schemas import Conversation, CustomerHistory, InboxFilters, InboxPage, InboxStatus
from supportai.domain.requests.models import Source
from supportai.engine.decisions import Intent


def inbox_filters(
    search: Annotated[str | None, QueryParameter(max_length=200, description="Text, customer or order id")] = None,
    created_from: FromQuery[datetime | None] = None,
    created_to: FromQuery[datetime | None] = None,
    source: FromQuery[Source | None] = None,
    lang: Annotated[str | None, QueryParameter(max_length=16)] = None,
    intent: FromQuery[Intent | None] = None,
    status: FromQuery[InboxStatus | None] = None,
    has_orders: FromQuery[bool | None] = None,
) -> InboxFilters:
    return InboxFilters(
        search=search, created_from=created_from, created_to=created_to, source=source, lang=lang, intent=intent,
        status=status, has_orders=has_orders,
    )


InboxFiltersDep = NamedDependency[InboxFilters]


class InboxController(Controller):
    """Every stored customer message (questions without an order too), for the owner and staff."""

    path = "/api/inbox"
    tags = ["inbox"]
    dependencies = {"filters": Provide(inbox_filters, sync_to_thread=False)}

    @get(operation_id="listInbox", summary="Customer messages with their requests and replies, newest first",
         opt={"api_scope": "requests:read"})
    async def list_inbox(
        self,
        db_session: TenantSession,
        filters: InboxFiltersDep,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> InboxPage:
        return await service.list_inbox(db_session, filters, cursor, limit)

    @get("/export", operation_id="exportInbox", summary="The filtered messages as CSV (up to 10,000, newest first)",
         media_type="text/csv", opt={"api_scope": "requests:read"})
    async def export(self, db_session: TenantSession, filters: InboxFiltersDep) -> Response[str]:
        body = await export_csv(db_session, filters)
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="messages.csv"'})

    @get("/customers/{customer:str}", operation_id="getCustomerHistory", summary="A customer's messages and requests",
         opt={"api_scope": "requests:read"})
    async def customer(
        self, db_session: TenantSession, customer: Annotated[str, PathParameter(min_length=1, max_length=200)]
    ) -> CustomerHistory:
        return await service.customer_history(db_session, customer)

    @get("/{message_id:uuid}", operation_id="getConversation", summary="A message in its conversation thread",
         opt={"api_scope": "requests:read"})
    async def conversation(self, message_id: FromPath[uuid.UUID], db_session: TenantSession) -> Conversation:
        return await service.conversation(db_session, message_id)
