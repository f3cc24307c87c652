from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, TenantScoped


class AuditEntry(TenantScoped, Base):
    """Who did what to the tenant's account, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index(None, "tenant_id", "created_at", "id"),)

    actor_id: Mapped[uuid.UUID | None]  # a user or an API key; null for the system
    actor_kind: Mapped[str] = mapped_column(sa.String(16))  # user | api_key | system
    action: Mapped[str] = mapped_column(sa.String(64))
    target: Mapped[str | None] = mapped_column(sa.String(200), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ip: Mapped[str | None] = mapped_column(sa.String(64), default=None)
