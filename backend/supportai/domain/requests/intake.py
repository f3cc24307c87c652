"""Every incoming message is stored first, then queued; a repeat is a no-op."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.exc import IntegrityError

from supportai.db.base import utcnow
from supportai.domain.requests.models import Message, MessageStatus
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.intake")


async def receive_message(
    runtime: Runtime,
    tenant_id: uuid.UUID,
    *,
    source: str,
    external_id: str | None,
    customer: str,
    text: str,
    has_attachment: bool = False,
    ticket_id: int | None = None,
    reply_to: dict[str, Any] | None = None,
) -> tuple[Message, bool]:
    """Store the message (committed) and queue its processing. Returns (message, is_new)."""
    message = Message(
        id=uuid.uuid4(), tenant_id=tenant_id, source=source, external_id=external_id or uuid.uuid4().hex,
        customer=customer.strip(), text=text, has_attachment=has_attachment, ticket_id=ticket_id,
        reply_to=reply_to,
    )
    try:
        async with runtime.db.tenant_session(tenant_id) as session:
            session.add(message)
    except IntegrityError:
        async with runtime.db.tenant_session(tenant_id) as session:
            existing = await session.scalar(
                sa.select(Message).where(Message.source == source, Message.external_id == external_id)
            )
        assert existing is not None
        return existing, False
    await enqueue_processing(runtime, tenant_id, message.id)
    return message, True


async def enqueue_processing(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID, run: str = "0") -> None:
    """Queue the job. If Redis is down the message is safe in the database and the
    sweeper (`requeue_stalled_messages`) queues it later."""
    try:
        await runtime.queue.enqueue_job(
            "process_message", str(tenant_id), str(message_id), _job_id=f"process_message:{message_id}:{run}"
        )
    except Exception as exc:
        log.warning("enqueue_failed", message_id=str(message_id), error=str(exc))


STALL_AFTER = timedelta(minutes=2)


async def requeue_stalled_messages(runtime: Runtime, older_than: timedelta = STALL_AFTER) -> int:
    """Queue again messages that were stored but not processed (queue was down, the
    worker died, a step failed, the panel was down past the job's retries)."""
    cutoff = utcnow() - older_than
    async with runtime.db.system_session() as session:
        stalled = (await session.execute(
            sa.select(Message.tenant_id, Message.id).where(
                Message.status.in_([MessageStatus.RECEIVED, MessageStatus.WAITING_PANEL]),
                Message.created_at < cutoff,
            ).limit(1000)
        )).all()
    # A job id per sweep: arq keeps a finished job's id for an hour and would refuse it.
    # Two jobs for one message never run at once (the job takes a per-message lock).
    sweep = f"sweep-{time.time_ns()}"
    for tenant_id, message_id in stalled:
        await enqueue_processing(runtime, tenant_id, message_id, run=sweep)
    return len(stalled)
