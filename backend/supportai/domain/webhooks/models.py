"""Outbound webhooks: the owner's endpoints, and each event's delivery to one of them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, JSONDocument, TenantScoped


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SUCCEEDED = "succeeded"  # the endpoint answered 2xx
    FAILED = "failed"  # every attempt of the schedule failed (or the endpoint is gone)


class WebhookEndpoint(TenantScoped, Base):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (sa.Index(None, "tenant_id", "enabled"),)

    url: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.String(200), default="")
    events: Mapped[list[str]] = mapped_column(JSONDocument, default=list)  # empty: every event
    enabled: Mapped[bool] = mapped_column(default=True)
    secret_encrypted: Mapped[str] = mapped_column(sa.Text)  # `whsec_…`, with the SecretBox


class WebhookDelivery(TenantScoped, Base):
    """One event for one endpoint. `endpoint_id` has no foreign key on purpose: an event is
    written in its caller's transaction and must never fail it because the endpoint was
    removed a moment ago; the sender drops a delivery whose endpoint is gone."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.Index(None, "tenant_id", "created_at"),
        sa.Index(None, "tenant_id", "endpoint_id", "created_at"),
        sa.Index(None, "status", "next_attempt_at"),  # the sweeper, across tenants
    )

    endpoint_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    event_type: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    status: Mapped[str] = mapped_column(sa.String(12), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_status_code: Mapped[int | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def message_id(self) -> str:
        """The `webhook-id`: the same on every attempt, so receivers can drop repeats."""
        return f"msg_{self.id.hex}"


class WebhookAttempt(TenantScoped, Base):
    __tablename__ = "webhook_attempts"
    __table_args__ = (sa.Index(None, "tenant_id", "delivery_id", "created_at"),)

    delivery_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE"))
    status_code: Mapped[int | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    response_excerpt: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    duration_ms: Mapped[int] = mapped_column(default=0)
