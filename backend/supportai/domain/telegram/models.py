"""Telegram: the tenant's bot, customers linked to panel accounts, the owner's userbot,
and every message sent to a provider chat."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, JSONDocument, TenantScoped


class TelegramBot(TenantScoped, Base):
    """The owner's bot: customers write to it, and it can message provider chats."""

    __tablename__ = "telegram_bots"

    # Global: Telegram delivers a bot's updates to one webhook, so one tenant holds it.
    telegram_id: Mapped[int] = mapped_column(sa.BigInteger, unique=True)
    username: Mapped[str] = mapped_column(sa.String(64))
    token_encrypted: Mapped[str] = mapped_column(sa.Text)
    # Telegram sends the secret back on every update; only its hash is kept.
    webhook_secret_hash: Mapped[str] = mapped_column(sa.String(64))
    webhook_url: Mapped[str] = mapped_column(sa.String(500))


class LinkState(StrEnum):
    AWAITING_USERNAME = "awaiting_username"
    AWAITING_CODE = "awaiting_code"  # a one-time code went to the panel account's tickets
    AWAITING_ORDER = "awaiting_order"  # fallback proof: an order ID with its link
    LINKED = "linked"
    REVOKED = "revoked"


class CustomerLink(TenantScoped, Base):
    """A Telegram user, proven to be a panel user (rules.md, Order validation)."""

    __tablename__ = "customer_links"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "bot_id", "telegram_user_id"),
        sa.Index(None, "tenant_id", "panel_username"),
    )

    bot_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("telegram_bots.id", ondelete="CASCADE"))
    telegram_user_id: Mapped[int] = mapped_column(sa.BigInteger)
    telegram_username: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    chat_id: Mapped[int] = mapped_column(sa.BigInteger)
    state: Mapped[str] = mapped_column(sa.String(24), default=LinkState.AWAITING_USERNAME)
    panel_username: Mapped[str | None] = mapped_column(sa.String(200), default=None)
    code_hash: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    code_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)  # after too many failures
    linked_at: Mapped[datetime | None] = mapped_column(default=None)


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
