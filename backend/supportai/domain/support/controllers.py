"""The owner's actions that send a request through the pipeline again, and the review
queue's tools (its badge count, bulk resolve/close, re-running blocked or failed items)."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.domain.requests.schemas import ManualReplyIn, RequestOut
from supportai.domain.support import owner_actions, queue_tools
from supportai.domain.support.queue_schemas import (
    BulkActionIn,
    BulkResult,
    QueueCount,
    RerunIn,
    RerunResult,
)


class RequestActionController(Controller):
    path = "/api/requests"
    tags = ["requests"]

    @post("/{request_id:uuid}/reforward", operation_id="reforwardRequest", summary="Send to the provider again",
          status_code=200)
    async def reforward(
        self, request_id: FromPath[uuid.UUID], principal: PrincipalDep, runtime: RuntimeDep
    ) -> RequestOut:
        return await owner_actions.reforward(runtime, principal, request_id)

    @post("/{request_id:uuid}/reply", operation_id="replyToRequest", summary="Reply to the customer by hand",
          status_code=200)
    async def reply(
        self, request_id: FromPath[uuid.UUID], data: JSONBody[ManualReplyIn], principal: PrincipalDep,
        runtime: RuntimeDep, db_session: TenantSession,
    ) -> RequestOut:
        return await owner_actions.reply_manually(runtime, db_session, principal, request_id, data.text)


class QueueToolsController(Controller):
    """The queue's badge count and the owner's actions on many items at once."""

    path = "/api/queue"
    tags = ["requests"]

    @get("/count", operation_id="countQueue", summary="What waits for the owner, in total and per reason",
         opt={"api_scope": "requests:read"})
    async def count(self, db_session: TenantSession) -> QueueCount:
        return await queue_tools.queue_count(db_session)

    @post("/bulk", operation_id="bulkQueueAction", summary="Resolve or close many requests", status_code=200)
    async def bulk(
        self, data: JSONBody[BulkActionIn], principal: PrincipalDep, db_session: TenantSession
    ) -> BulkResult:
        return await queue_tools.bulk_action(db_session, principal, data)

    @post("/rerun", operation_id="rerunQueueItems", status_code=200,
          summary="Process quota-blocked requests and failed messages again")
    async def rerun(
        self, data: JSONBody[RerunIn], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> RerunResult:
        return await queue_tools.rerun(runtime, db_session, principal, data)
