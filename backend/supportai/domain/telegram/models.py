"""Telegram: the tenant's bot, and customers linked to panel accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, TenantScoped


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
    # When Telegram last delivered an update (to the minute: see bots.note_update).
    last_update_at: Mapped[datetime | None] = mapped_column(default=None)


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
