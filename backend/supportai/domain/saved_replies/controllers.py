from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from supportai.api.dependencies import PrincipalDep, TenantSession
from supportai.domain.saved_replies import service
from supportai.domain.saved_replies.schemas import (
    SavedReplyIn,
    SavedReplyOut,
    SavedReplyPreviewIn,
    SavedReplyPreviewOut,
)


class SavedReplyController(Controller):
    """The team's saved replies, for manual replies in the review queue."""

    path = "/api/saved-replies"
    tags = ["saved replies"]

    @get(operation_id="listSavedReplies", summary="Saved replies, by title")
    async def list_saved_replies(self, db_session: TenantSession) -> list[SavedReplyOut]:
        return await service.list_saved_replies(db_session)

    @post(operation_id="createSavedReply", summary="Save a reply text")
    async def create(
        self, data: JSONBody[SavedReplyIn], principal: PrincipalDep, db_session: TenantSession
    ) -> SavedReplyOut:
        return await service.create(db_session, principal, data)

    @get("/{saved_reply_id:uuid}", operation_id="getSavedReply", summary="One saved reply")
    async def get_saved_reply(self, saved_reply_id: FromPath[uuid.UUID], db_session: TenantSession) -> SavedReplyOut:
        return await service.saved_reply(db_session, saved_reply_id)

    @put("/{saved_reply_id:uuid}", operation_id="updateSavedReply", summary="Edit a saved reply")
    async def update(
        self, saved_reply_id: FromPath[uuid.UUID], data: JSONBody[SavedReplyIn], principal: PrincipalDep,
        db_session: TenantSession,
    ) -> SavedReplyOut:
        return await service.update(db_session, principal, saved_reply_id, data)

    @delete("/{saved_reply_id:uuid}", operation_id="deleteSavedReply", summary="Delete a saved reply")
    async def delete(
        self, saved_reply_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: TenantSession
    ) -> None:
        await service.delete(db_session, principal, saved_reply_id)

    @post("/{saved_reply_id:uuid}/preview", operation_id="previewSavedReply", status_code=200,
          summary="The saved reply filled with a request's facts, ready to send")
    async def preview(
        self, saved_reply_id: FromPath[uuid.UUID], data: JSONBody[SavedReplyPreviewIn], db_session: TenantSession
    ) -> SavedReplyPreviewOut:
        return await service.preview(db_session, saved_reply_id, data.request_id)
