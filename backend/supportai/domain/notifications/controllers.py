from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.db.pagination import Page
from supportai.domain.notifications import centre
from supportai.domain.notifications.schemas import ChannelsIn, ChannelsOut, MarkedRead, NotificationOut, UnreadCount


class NotificationController(Controller):
    """The notification centre: every owner-facing event, newest first, whatever channels it also went to."""

    path = "/api/notifications"
    tags = ["notifications"]

    @get(operation_id="listNotifications", summary="Notifications, newest first")
    async def list_notifications(
        self,
        db_session: TenantSession,
        unread: Annotated[bool | None, QueryParameter(description="Only unread (true) or only read (false)")] = None,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> Page[NotificationOut]:
        return await centre.list_notifications(db_session, unread=unread, cursor=cursor, limit=limit)

    @get("/unread-count", operation_id="countUnreadNotifications", summary="How many notifications are unread")
    async def unread_count(self, db_session: TenantSession) -> UnreadCount:
        return UnreadCount(unread=await centre.unread_count(db_session))

    @post("/{notification_id:uuid}/read", operation_id="markNotificationRead", summary="Mark one read",
          status_code=200)
    async def mark_read(self, db_session: TenantSession, notification_id: FromPath[uuid.UUID]) -> NotificationOut:
        return await centre.mark_read(db_session, notification_id)

    @post("/read-all", operation_id="markAllNotificationsRead", summary="Mark every notification read",
          status_code=200)
    async def mark_all_read(self, db_session: TenantSession) -> MarkedRead:
        return MarkedRead(marked=await centre.mark_all_read(db_session))

    @get("/channels", operation_id="getNotificationChannels", summary="Where each event is sent")
    async def get_channels(self, runtime: RuntimeDep, db_session: TenantSession) -> ChannelsOut:
        return await centre.channels(runtime, db_session)

    @put("/channels", operation_id="setNotificationChannels", summary="Choose where events are sent",
         opt={"owner_only": True})
    async def set_channels(
        self, data: JSONBody[ChannelsIn], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> ChannelsOut:
        return await centre.set_channels(runtime, db_session, principal, data)
