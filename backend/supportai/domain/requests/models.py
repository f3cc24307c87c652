"""Messages from customers and the support requests (one per order) made from them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supportai.db.base import Base, JSONDocument, TenantScoped, utcnow
from supportai.engine import sla
from supportai.engine.decisions import RequestStatus


class Source(StrEnum):
    TICKET = "ticket"
    API = "api"
    TELEGRAM = "telegram"


class MessageStatus(StrEnum):
    RECEIVED = "received"  # stored, waiting for the worker
    WAITING_PANEL = "waiting_panel"  # the panel failed or is not connected yet; retried
    PROCESSED = "processed"
    FAILED = "failed"  # gave up after retries; shown to the owner


class SideEffect(StrEnum):
    """State of a call to the outside world. `pending` is written (and committed) before
    the call, so a crash can never make us repeat a call that may have happened."""

    PENDING = "pending"
    SENDING = "sending"  # a reply whose sending began: a later run retries it (and looks for it first)
    DONE = "done"
    FAILED = "failed"
    UNCERTAIN = "uncertain"  # the provider's answer was lost after the request may have reached it


# A provider's reply in its Telegram chat is stored as a message too, with `customer` =
# this + the provider's name (supportai.domain.support.routing); it is no customer's.
PROVIDER_SENDER = "provider:"


class Message(TenantScoped, Base):
    __tablename__ = "messages"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "source", "external_id"),
        sa.Index(None, "tenant_id", "status", "created_at"),
    )

    source: Mapped[str] = mapped_column(sa.String(16))
    external_id: Mapped[str] = mapped_column(sa.String(200))
    customer: Mapped[str] = mapped_column(sa.String(200))  # panel username
    text: Mapped[str] = mapped_column(sa.Text)
    has_attachment: Mapped[bool] = mapped_column(default=False)
    ticket_id: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    # Where a reply goes for non-ticket sources (e.g. Telegram bot and chat).
    reply_to: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, default=None)
    status: Mapped[str] = mapped_column(sa.String(16), default=MessageStatus.RECEIVED)
    # The understanding (intent, language, orders) the pipeline acts on, kept for resumes.
    analysis: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, default=None)
    intent: Mapped[str | None] = mapped_column(sa.String(16), default=None)
    lang: Mapped[str | None] = mapped_column(sa.String(16), default=None)
    confidence: Mapped[float | None] = mapped_column(default=None)
    reply_text: Mapped[str | None] = mapped_column(sa.Text, default=None)
    reply_state: Mapped[str | None] = mapped_column(sa.String(16), default=None)
    replied_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)  # failed runs (supportai.domain.requests.failures)
    last_error: Mapped[str | None] = mapped_column(sa.Text, default=None)
    processed_at: Mapped[datetime | None] = mapped_column(default=None)


# Requests still being worked on: a second one for the same (order, intent) is a duplicate.
# With the provider: tracked (supportai.engine.tracking) and reminded until it acts.
WITH_PROVIDER = frozenset({RequestStatus.FORWARDED, RequestStatus.ACKNOWLEDGED})

# The reason on a refill resolved as assumed (rules.md, "Assumed resolution"): the provider
# confirmed it and nothing could measure it. A new message about it within
# `REOPEN_ASSUMED_WITHIN` reopens it, without quota.
ASSUMED_RESOLVED = "assumed: the provider confirmed it, and nothing could measure it"
REOPEN_ASSUMED_WITHIN = timedelta(days=7)

OPEN_STATUSES = frozenset(
    {RequestStatus.OPEN, RequestStatus.WAITING_CUSTOMER, RequestStatus.FORWARDED, RequestStatus.ACKNOWLEDGED,
     RequestStatus.ESCALATED}
)


class SupportRequest(TenantScoped, Base):
    """One (order, intent) taken from a message: the unit of quota."""

    __tablename__ = "support_requests"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "message_id", "order_id"),
        sa.Index(None, "tenant_id", "order_id", "intent", "status"),
        sa.Index(None, "tenant_id", "status", "created_at"),
        sa.Index(None, "tenant_id", "customer", "created_at"),
        sa.Index(None, "tenant_id", "status", "waiting_since"),
        sa.Index(None, "tenant_id", "assignee_id", "status"),
    )

    message_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"))
    # Declared so the unit of work inserts parents before children in one flush.
    message: Mapped[Message] = relationship(lazy="raise")
    customer: Mapped[str] = mapped_column(sa.String(200))
    order_id: Mapped[str | None] = mapped_column(sa.String(32), default=None)
    external_order_id: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    provider: Mapped[str | None] = mapped_column(sa.String(200), default=None)
    service_id: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    intent: Mapped[str] = mapped_column(sa.String(16))
    outcome: Mapped[str | None] = mapped_column(sa.String(32), default=None)
    status: Mapped[str] = mapped_column(sa.String(20), default=RequestStatus.OPEN)
    reason: Mapped[str | None] = mapped_column(sa.String(300), default=None)
    drop: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # what the reply templates need
    quota_charged: Mapped[bool] = mapped_column(default=False)
    provider_call: Mapped[str | None] = mapped_column(sa.String(16), default=None)
    provider_refill_id: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    provider_error: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    # Follow-up monitoring of a forwarded request (supportai.engine.tracking): the order as
    # it was when forwarded, the reminders sent, when the last one went, the next check.
    baseline: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    follow_ups: Mapped[int] = mapped_column(default=0)
    followed_up_at: Mapped[datetime | None] = mapped_column(default=None)
    next_check_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    # When the current wait on a person or a provider began (supportai.engine.sla); null
    # while it waits on no one. Kept by `_wait_follows_status` on every status change.
    waiting_since: Mapped[datetime | None] = mapped_column(default=None)
    # The team member who took it (supportai.domain.requests.assignment); null: unassigned.
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), default=None
    )


@sa.event.listens_for(SupportRequest.status, "set")
def _wait_follows_status(request: SupportRequest, status: str, old: Any, _initiator: Any) -> None:
    """Every status change starts, continues or ends the SLA wait, wherever it is made."""
    previous = old if isinstance(old, str) else None
    if not sla.continues_wait(previous, status):
        now = utcnow()
        if request.created_at is None:  # made with this status: its wait begins with it
            request.created_at = now
        request.waiting_since = now if sla.waiting_on(status) is not None else None


class RequestEvent(TenantScoped, Base):
    """The request's timeline: every step, with time and detail."""

    __tablename__ = "request_events"
    __table_args__ = (sa.Index(None, "tenant_id", "request_id", "created_at"),)

    request_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("support_requests.id", ondelete="CASCADE"))
    request: Mapped[SupportRequest] = relationship(lazy="raise")
    kind: Mapped[str] = mapped_column(sa.String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class TicketCursor(TenantScoped, Base):
    """The newest customer message read from each panel ticket: nothing read twice or missed."""

    __tablename__ = "ticket_cursors"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "ticket_id"),)

    ticket_id: Mapped[int] = mapped_column(sa.BigInteger)
    last_message_id: Mapped[int] = mapped_column(sa.BigInteger)
    # The ticket's `updated_at` when last read: an unchanged ticket is not fetched again.
    seen_updated_at: Mapped[datetime | None] = mapped_column(default=None)
