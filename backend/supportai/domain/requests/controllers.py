from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from litestar import Controller, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.domain.requests import assignment, failures, service
from supportai.domain.requests.assignees import ASSIGNEE_FILTER
from supportai.domain.requests.intake import receive_message
from supportai.domain.requests.models import MessageStatus, Source
from supportai.domain.requests.schemas import (
    ActionIn,
    AssignIn,
    MessageAccepted,
    MessageIn,
    MessageOut,
    MessagePage,
    MessageSummary,
    QueueItem,
    QueueStatus,
    RequestDetail,
    RequestOut,
    RequestPage,
)
from supportai.engine.decisions import RequestStatus


class PublicMessageController(Controller):
    """The public API: third parties post customer messages on the customer's behalf."""

    path = "/api/v1/messages"
    tags = ["public api"]

    @post(
        operation_id="postMessage", summary="Submit a customer message for processing",
        opt={"api_scope": "messages:write", "api_only": True}, status_code=202,
    )
    async def post_message(
        self, data: JSONBody[MessageIn], principal: PrincipalDep, runtime: RuntimeDep
    ) -> Response[MessageAccepted]:
        message, is_new = await receive_message(
            runtime, principal.tenant_id, source=Source.API, external_id=data.external_id, customer=data.customer,
            text=data.text, has_attachment=data.has_attachment,
        )
        return Response(MessageAccepted(id=message.id, status=message.status, duplicate=not is_new), status_code=202)

    @get(
        "/{message_id:uuid}", operation_id="getMessage", summary="A message's requests, with status and outcome",
        opt={"api_scope": "messages:read", "api_only": True},
    )
    async def get_message(self, message_id: FromPath[uuid.UUID], db_session: TenantSession) -> MessageOut:
        return await service.message_result(db_session, message_id)


class MessageController(Controller):
    """Stored customer messages, for the owner: the failed ones can be queued again."""

    path = "/api/messages"
    tags = ["requests"]

    @get(operation_id="listMessages", summary="Customer messages, newest first (e.g. status=failed)")
    async def list_messages(
        self,
        db_session: TenantSession,
        status: FromQuery[MessageStatus | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> MessagePage:
        return await failures.list_messages(db_session, status=status, cursor=cursor, limit=limit)

    @post("/{message_id:uuid}/retry", operation_id="retryMessage", summary="Process a failed message again",
          status_code=200)
    async def retry(
        self, message_id: FromPath[uuid.UUID], principal: PrincipalDep, runtime: RuntimeDep
    ) -> MessageSummary:
        return await failures.retry_message(runtime, principal, message_id)


class RequestController(Controller):
    path = "/api/requests"
    tags = ["requests"]

    @get(operation_id="listRequests", summary="Support requests, newest first, with counts per status",
         opt={"api_scope": "requests:read"})
    async def list_requests(
        self,
        db_session: TenantSession,
        principal: PrincipalDep,
        status: FromQuery[RequestStatus | None] = None,
        intent: FromQuery[str | None] = None,
        outcome: FromQuery[str | None] = None,
        customer: FromQuery[str | None] = None,
        order_id: FromQuery[str | None] = None,
        created_from: FromQuery[datetime | None] = None,
        created_to: FromQuery[datetime | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        search: Annotated[
            str | None, QueryParameter(max_length=200, description="Message text, customer or order id")
        ] = None,
        source: FromQuery[Source | None] = None,
        lang: Annotated[str | None, QueryParameter(max_length=16)] = None,
        overdue: Annotated[
            bool | None, QueryParameter(description="Waiting past the tenant's SLA target (true) or not (false)")
        ] = None,
        sort: Annotated[
            service.RequestSort,
            QueryParameter(description="newest: newest first; waiting: the waiting requests, oldest wait first"),
        ] = "newest",
        assignee: Annotated[str | None, QueryParameter(max_length=64, description=ASSIGNEE_FILTER)] = None,
    ) -> RequestPage:
        return await service.list_requests(
            db_session, status=status, intent=intent, outcome=outcome, customer=customer, order_id=order_id,
            created_from=created_from, created_to=created_to, cursor=cursor, limit=limit, search=search, source=source,
            lang=lang, overdue=overdue, sort=sort, assignee=None if assignee is None else (assignee, principal),
        )

    @get("/{request_id:uuid}", operation_id="getRequest", summary="A request with its timeline",
         opt={"api_scope": "requests:read"})
    async def get_request(self, request_id: FromPath[uuid.UUID], db_session: TenantSession) -> RequestDetail:
        return await service.request_detail(db_session, request_id)

    @post("/{request_id:uuid}/resolve", operation_id="resolveRequest", summary="Mark resolved", status_code=200)
    async def resolve(
        self, request_id: FromPath[uuid.UUID], data: JSONBody[ActionIn], principal: PrincipalDep,
        db_session: TenantSession,
    ) -> RequestOut:
        return await service.set_status(db_session, principal, request_id, RequestStatus.RESOLVED, data.note)

    @post("/{request_id:uuid}/close", operation_id="closeRequest", summary="Close without action", status_code=200)
    async def close(
        self, request_id: FromPath[uuid.UUID], data: JSONBody[ActionIn], principal: PrincipalDep,
        db_session: TenantSession,
    ) -> RequestOut:
        return await service.set_status(db_session, principal, request_id, RequestStatus.CLOSED, data.note)

    @post("/{request_id:uuid}/assign", operation_id="assignRequest", status_code=200,
          summary="Give the request to a team member (your own id: take it), or to no one (null)")
    async def assign(
        self, request_id: FromPath[uuid.UUID], data: JSONBody[AssignIn], principal: PrincipalDep,
        db_session: TenantSession,
    ) -> RequestOut:
        return await assignment.assign(db_session, principal, request_id, data.user_id)


class QueueController(Controller):
    path = "/api/queue"
    tags = ["requests"]

    @get(operation_id="reviewQueue", summary="Escalated and quota-blocked requests, oldest first",
         opt={"api_scope": "requests:read"})
    async def queue(
        self,
        db_session: TenantSession,
        principal: PrincipalDep,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        status: FromQuery[QueueStatus | None] = None,
        reason: Annotated[
            str | None, QueryParameter(max_length=300, description="As in `GET /api/queue/count`")
        ] = None,
        overdue: Annotated[
            bool | None, QueryParameter(description="Waiting past the tenant's SLA target (true) or not (false)")
        ] = None,
        sort: Annotated[
            Literal["oldest", "waiting"],
            QueryParameter(description="oldest: by creation; waiting: by the start of the current wait"),
        ] = "oldest",
        assignee: Annotated[str | None, QueryParameter(max_length=64, description=ASSIGNEE_FILTER)] = None,
    ) -> list[QueueItem]:
        return await service.review_queue(db_session, limit, status=status, reason=reason, overdue=overdue, sort=sort,
                                          assignee=None if assignee is None else (assignee, principal))
