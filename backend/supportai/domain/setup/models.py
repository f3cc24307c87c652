"""The tenant's connections: its panel and its providers. Keys are encrypted at rest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, JSONDocument, TenantScoped, utcnow


class PanelConnection(TenantScoped, Base):
    __tablename__ = "panel_connections"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    url: Mapped[str] = mapped_column(sa.String(500))
    admin_key_encrypted: Mapped[str] = mapped_column(sa.Text)
    user_key_encrypted: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProviderAccount(TenantScoped, Base):
    """The tenant's account at an upstream provider, matched by the order's `provider` field."""

    __tablename__ = "provider_accounts"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(200))  # as the panel names it (name or domain)
    api_url: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    api_key_encrypted: Mapped[str | None] = mapped_column(sa.Text, default=None)
    telegram_chat: Mapped[str | None] = mapped_column(sa.String(200), default=None)
    # The chat as the userbot resolved it, so it resolves again after a restart
    # (a StringSession keeps no entity cache).
    telegram_peer: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, default=None)
    refill_via_api: Mapped[bool] = mapped_column(default=True)
    cancel_via_api: Mapped[bool] = mapped_column(default=True)


class LLMEndpoint(TenantScoped, Base):
    """An OpenAI-compatible chat-completions endpoint for messages the offline
    classifier is unsure about (optional)."""

    __tablename__ = "llm_endpoints"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    url: Mapped[str] = mapped_column(sa.String(500))
    model: Mapped[str] = mapped_column(sa.String(200))
    api_key_encrypted: Mapped[str] = mapped_column(sa.Text)
