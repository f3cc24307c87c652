"""Dispatch: requests waiting to go to their provider over Telegram, the messages that
carried them, and the owner's own Telegram account that can send them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supportai.db.base import Base, JSONDocument, TenantScoped
from supportai.domain.requests.models import SupportRequest


class DispatchStatus(StrEnum):
    """DispatchItem.status."""

    PENDING = "pending"  # waiting for its window to close
    BATCHED = "batched"  # carried by a ProviderMessage (sending, deferred, unknown...)
    SENT = "sent"
    ESCALATED = "escalated"  # could not be sent: its request is in the owner's review queue
    WITHDRAWN = "withdrawn"  # its request was closed or escalated before the window closed


class DispatchItem(TenantScoped, Base):
    """A request waiting to go to its provider over Telegram, batched per provider+action."""

    __tablename__ = "dispatch_items"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "request_id", "action", "follow_up"),
        sa.Index(None, "tenant_id", "status", "provider", "action"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("support_requests.id", ondelete="CASCADE"))
    request: Mapped[SupportRequest] = relationship(lazy="raise")
    provider: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(16))  # refill | cancel | speed_up
    # 0 for the request itself; n for the n-th reminder, sent in the same form.
    follow_up: Mapped[int] = mapped_column(default=0)
    external_order_id: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(16), default=DispatchStatus.PENDING)
    # The provider message that carried it.
    provider_message_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("provider_messages.id", ondelete="SET NULL"), default=None
    )


class UserbotState(StrEnum):
    NEEDS_LOGIN = "needs_login"
    CODE_SENT = "code_sent"
    PASSWORD_NEEDED = "password_needed"
    CONNECTED = "connected"
    FLOOD_WAIT = "flood_wait"


class UserbotAccount(TenantScoped, Base):
    """The owner's own Telegram account, for messaging providers as a person."""

    __tablename__ = "userbot_accounts"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    phone: Mapped[str] = mapped_column(sa.String(32))
    state: Mapped[str] = mapped_column(sa.String(20), default=UserbotState.NEEDS_LOGIN)
    session_encrypted: Mapped[str | None] = mapped_column(sa.Text, default=None)  # a StringSession
    phone_code_hash_encrypted: Mapped[str | None] = mapped_column(sa.Text, default=None)
    telegram_id: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    username: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    flood_wait_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(sa.String(500), default=None)


class ProviderMessageStatus(StrEnum):
    PENDING = "pending"  # not sent yet (new, or waiting for retry_at)
    SENDING = "sending"  # committed before the send: found after a crash, it may have gone out
    SENT = "sent"
    FAILED = "failed"  # gave up after repeated failures; its requests were escalated
    UNKNOWN = "unknown"  # interrupted mid-send: never repeated, the owner checks the chat


class ProviderMessage(TenantScoped, Base):
    """One message sent to a provider chat (a batch of dispatch items, or a follow-up)."""

    __tablename__ = "provider_messages"
    __table_args__ = (
        sa.Index(None, "tenant_id", "provider", "created_at"),
        # Named: the conventional name would pass PostgreSQL's 63-character limit.
        sa.Index("ix_provider_messages_tenant_chat_message", "tenant_id", "telegram_chat_id", "telegram_message_id"),
    )

    provider: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(16))
    chat: Mapped[str] = mapped_column(sa.String(200))  # the provider's Telegram chat
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=ProviderMessageStatus.PENDING)
    channel: Mapped[str | None] = mapped_column(sa.String(16), default=None)  # bot | userbot
    # Where it landed: replies quote (chat id, message id), so they are matched on both.
    telegram_chat_id: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    telegram_message_id: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    attempts: Mapped[list[dict[str, object]]] = mapped_column(JSONDocument, default=list)
    error: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    # A `pending` message waits until then (a flood wait, or the backoff after a failure).
    retry_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
