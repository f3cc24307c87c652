"""The notification centre's rows and the owner's channel choices."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, TenantScoped


class DeliveryState:
    """Of one channel of one notification: not wanted (null), pending, sent or failed."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Notification(TenantScoped, Base):
    """One occurrence of an owner-facing event; unique per (event, occurrence), so telling
    the owner twice about the same thing writes nothing the second time."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "event", "occurrence"),
        sa.Index(None, "tenant_id", "read_at", "created_at"),
        sa.Index(None, "telegram_state", "email_state"),
    )

    event: Mapped[str] = mapped_column(sa.String(40))
    occurrence: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str | None] = mapped_column(sa.String(300), default=None)  # a web app path
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    telegram_state: Mapped[str | None] = mapped_column(sa.String(10), default=None)
    email_state: Mapped[str | None] = mapped_column(sa.String(10), default=None)
    delivery_error: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    delivery_attempts: Mapped[int] = mapped_column(default=0)
    attempted_at: Mapped[datetime | None] = mapped_column(default=None)  # the last send's start


class NotificationChannels(TenantScoped, Base):
    """The owner's choice of channels for one event; events without a row use the catalogue's."""

    __tablename__ = "notification_channels"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "event"),)

    event: Mapped[str] = mapped_column(sa.String(40))
    telegram: Mapped[bool] = mapped_column(default=False)
    email: Mapped[bool] = mapped_column(default=False)
