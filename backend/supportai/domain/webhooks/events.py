"""Emitting events: `emit` notes an event in the caller's transaction; just before that
transaction commits, one delivery is written per enabled endpoint subscribed to it, and
once it has committed their jobs are queued (the sweeper catches any that are not).

Cheap when no one listens: whether a tenant has an enabled endpoint is cached in the
process for `CACHE_TTL_S` (dropped at once here when an endpoint changes), so a tenant
without endpoints costs no statement per event. Another process sees a new endpoint
within that time.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from supportai.db.base import utcnow
from supportai.db.scoping import current_tenant
from supportai.db.unit_of_work import after_commit
from supportai.domain.webhooks.models import WebhookDelivery, WebhookEndpoint
from supportai.queues import SESSION_QUEUE_KEY, enqueue_control


class EventType(StrEnum):
    MESSAGE_RECEIVED = "message.received"
    REQUEST_CREATED = "request.created"
    REQUEST_FORWARDED = "request.forwarded"
    REQUEST_RESOLVED = "request.resolved"
    REQUEST_ESCALATED = "request.escalated"
    PAYMENT_CONFIRMED = "payment.confirmed"
    TEST = "webhook.test"  # sent by the owner's "Send test event"


SUBSCRIBABLE = [t.value for t in EventType if t != EventType.TEST]
CACHE_TTL_S = 30.0
_PENDING = "supportai.webhooks.pending"
_listening: dict[uuid.UUID, tuple[float, bool]] = {}  # tenant -> (checked at, has an enabled endpoint)

# The data of an event, built when it is written (just before commit), so it shows the
# final state of the rows the transaction changed.
Data = dict[str, Any] | Callable[[], dict[str, Any]]


def forget_listeners(tenant_id: uuid.UUID) -> None:
    """The tenant's endpoints changed: look again on its next event."""
    _listening.pop(tenant_id, None)


def _known_silent(tenant_id: uuid.UUID) -> bool:
    cached = _listening.get(tenant_id)
    return cached is not None and not cached[1] and time.monotonic() - cached[0] < CACHE_TTL_S


def emit(session: AsyncSession | Session, tenant_id: uuid.UUID | None, event_type: str, data: Data) -> None:
    """Note an event in the session's transaction: delivered to the tenant's subscribed
    endpoints if (and only if) the transaction commits. Costs nothing when none listens."""
    tenant_id = tenant_id or current_tenant(_sync(session))
    if tenant_id is None or _known_silent(tenant_id):
        return
    _sync(session).info.setdefault(_PENDING, []).append((tenant_id, str(event_type), data, utcnow()))


_STEPS = {"received": EventType.REQUEST_CREATED, "escalated": EventType.REQUEST_ESCALATED,
          "resolved": EventType.REQUEST_RESOLVED, "reforwarded": EventType.REQUEST_FORWARDED}
_DECIDED = {"forwarded": EventType.REQUEST_FORWARDED, "escalated": EventType.REQUEST_ESCALATED,
            "resolved": EventType.REQUEST_RESOLVED}
_SENT = "supportai.webhooks.sent"


def request_step(session: AsyncSession | Session, request: Any, kind: str) -> None:
    """A step of a support request's timeline (`requests.events.log_event`) as an event:
    made, forwarded, resolved or escalated; each once per request and transaction."""
    event_type = _DECIDED.get(request.status) if kind == "decided" else _STEPS.get(kind)
    if event_type is None:
        return
    sent = _sync(session).info.setdefault(_SENT, set())
    if (request.id, event_type) in sent:
        return
    sent.add((request.id, event_type))
    emit(session, request.tenant_id, event_type, lambda: request_data(request))


def request_data(request: Any) -> dict[str, Any]:
    """What an owner's system wants to know of a request (no secrets, no internal state)."""
    return {
        "request_id": str(request.id), "message_id": str(request.message_id), "order_id": request.order_id,
        "external_order_id": request.external_order_id, "customer": request.customer, "intent": request.intent,
        "status": request.status, "outcome": request.outcome, "reason": request.reason,
        "provider": request.provider,
    }


def payload(event_type: str, data: dict[str, Any], at: datetime | None = None) -> dict[str, Any]:
    """The body every endpoint receives (Standard Webhooks: type, timestamp, data)."""
    at = (at or utcnow()).astimezone(UTC)
    return {"type": event_type, "timestamp": at.isoformat().replace("+00:00", "Z"), "data": data}


def _sync(session: AsyncSession | Session) -> Session:
    return session.sync_session if isinstance(session, AsyncSession) else session


@event.listens_for(Session, "before_commit")
def _write_deliveries(session: Session) -> None:
    """Runs inside the commit (in SQLAlchemy's greenlet, so it may query): the deliveries
    are flushed with the rest of the transaction."""
    if session.in_nested_transaction():
        return
    session.info.pop(_SENT, None)
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    tenants = {tenant_id for tenant_id, *_ in pending}
    rows = session.execute(
        sa.select(WebhookEndpoint.tenant_id, WebhookEndpoint.id, WebhookEndpoint.events)
        .where(WebhookEndpoint.tenant_id.in_(tenants), WebhookEndpoint.enabled.is_(True))
    ).all()
    now = time.monotonic()
    for tenant_id in tenants:
        _listening[tenant_id] = (now, any(row.tenant_id == tenant_id for row in rows))
    made = []
    for tenant_id, event_type, data, at in pending:
        listeners = [r.id for r in rows if r.tenant_id == tenant_id and (not r.events or event_type in r.events)]
        if not listeners:
            continue
        body = payload(event_type, data() if callable(data) else data, at)
        for endpoint_id in listeners:
            delivery = WebhookDelivery(id=uuid.uuid4(), tenant_id=tenant_id, endpoint_id=endpoint_id,
                                       event_type=event_type, payload=body, next_attempt_at=utcnow())
            session.add(delivery)
            made.append((tenant_id, delivery.id))
    if made:
        after_commit(session, lambda: enqueue_deliveries(session.info.get(SESSION_QUEUE_KEY), made))  # type: ignore[arg-type]


@event.listens_for(Session, "after_soft_rollback")
def _drop_events(session: Session, previous_transaction: SessionTransaction) -> None:
    """The events of a transaction that rolled back never happened."""
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_SENT, None)


def delivery_job_id(delivery_id: uuid.UUID, attempt: int) -> str:
    return f"webhook:{delivery_id}:{attempt}"


async def enqueue_deliveries(queue: Any, deliveries: list[tuple[uuid.UUID, uuid.UUID]], attempt: int = 0) -> None:
    """Queue the sends; if Redis is down they wait in the database for the sweeper."""
    await enqueue_control(queue, "deliver_webhook", [
        ((str(tenant_id), str(delivery_id)), delivery_job_id(delivery_id, attempt))
        for tenant_id, delivery_id in deliveries
    ])
