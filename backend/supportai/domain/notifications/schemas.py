from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from supportai.domain.auth.schemas import Email, Input
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.models import Notification


class NotificationOut(msgspec.Struct):
    id: uuid.UUID
    created_at: datetime
    event: OwnerEvent
    title: str
    body: str
    link: str | None  # where in the web app to act on it
    read: bool
    telegram: str | None  # the Telegram copy: pending | sending | sent | failed; null: not wanted
    email: str | None  # the e-mail copy, likewise
    delivery_error: str | None  # why a copy failed

    @classmethod
    def of(cls, row: Notification) -> NotificationOut:
        return cls(
            id=row.id, created_at=row.created_at, event=OwnerEvent(row.event), title=row.title, body=row.body,
            link=row.link, read=row.read_at is not None, telegram=row.telegram_state, email=row.email_state,
            delivery_error=row.delivery_error,
        )


class UnreadCount(msgspec.Struct):
    unread: int


class MarkedRead(msgspec.Struct):
    marked: int


class EventChannels(msgspec.Struct):
    event: OwnerEvent
    label: str
    telegram: bool
    email: bool


class ChannelsOut(msgspec.Struct):
    """Where each event goes; in-app always. `*_ready`: whether that channel can deliver now."""

    events: list[EventChannels]
    email_to: str | None  # the address alerts go to (the owner's login unless set)
    notification_email: str | None  # the address set here (null: the owner's login)
    email_ready: bool  # this server has an SMTP server
    telegram_ready: bool  # a bot and the owner's chat are set up


class EventChannelsIn(Input):
    event: OwnerEvent
    telegram: bool
    email: bool


class ChannelsIn(Input):
    events: list[EventChannelsIn] | msgspec.UnsetType = msgspec.UNSET
    notification_email: Email | msgspec.UnsetType | None = msgspec.UNSET
