"""Tools for the owner's review queue: its count (for the badge), bulk resolve or close,
and re-running quota-blocked requests and failed messages."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.unit_of_work import after_commit
from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.billing.service import blocked_reason, current_subscription
from supportai.domain.requests.failures import reset_for_retry
from supportai.domain.requests.intake import enqueue_processing
from supportai.domain.requests.models import Message, MessageStatus, SupportRequest
from supportai.domain.requests.service import QUEUE_STATUSES, apply_status, queue_reason
from supportai.domain.support.queue_schemas import (
    BulkActionIn,
    BulkResult,
    QueueCount,
    RerunIn,
    RerunResult,
)
from supportai.engine.decisions import RequestStatus
from supportai.errors import Conflict, InvalidInput
from supportai.runtime import Runtime

# Requests the owner has already ended are left as they are by a bulk action.
ENDED = (RequestStatus.RESOLVED, RequestStatus.CLOSED)


async def queue_count(session: AsyncSession) -> QueueCount:
    rows = (await session.execute(
        sa.select(SupportRequest.status, queue_reason(), sa.func.count())
        .where(SupportRequest.status.in_(QUEUE_STATUSES)).group_by(SupportRequest.status, queue_reason())
    )).all()
    by_status: dict[str, int] = {}
    by_reason: dict[str, int] = {}
    for status, reason, count in rows:
        by_status[status] = by_status.get(status, 0) + count
        by_reason[str(reason)] = by_reason.get(str(reason), 0) + count
    failed = await session.scalar(
        sa.select(sa.func.count()).select_from(Message).where(Message.status == MessageStatus.FAILED)
    ) or 0
    return QueueCount(
        total=sum(by_status.values()) + failed, escalated=by_status.get(RequestStatus.ESCALATED, 0),
        blocked_quota=by_status.get(RequestStatus.BLOCKED_QUOTA, 0), failed_messages=failed, by_reason=by_reason,
    )


async def bulk_action(session: AsyncSession, actor: Principal, data: BulkActionIn) -> BulkResult:
    """Resolve or close many requests at once; unknown ids and ended requests are skipped."""
    status = RequestStatus.RESOLVED if data.action == "resolve" else RequestStatus.CLOSED
    wanted = set(data.request_ids)
    rows = list(await session.scalars(
        sa.select(SupportRequest).where(SupportRequest.id.in_(wanted), SupportRequest.status.not_in(ENDED))
        .order_by(SupportRequest.id).with_for_update()
    ))
    for request in rows:
        apply_status(session, actor, request, status, data.note)
    done = {r.id for r in rows}
    return BulkResult(updated=sorted(done), skipped=sorted(wanted - done))


async def rerun(runtime: Runtime, session: AsyncSession, actor: Principal, data: RerunIn) -> RerunResult:
    """Process again the messages of quota-blocked requests (now that there is quota) and
    failed messages. A blocked request is removed and decided afresh by its message's run,
    which keeps the message's understanding and the decisions already made for its other
    orders; the message's reply is composed again, so the customer is answered."""
    if not data.request_ids and not data.message_ids:
        raise InvalidInput("Name the blocked requests or failed messages to run again.", field="request_ids")
    blocked = list(await session.scalars(
        sa.select(SupportRequest).where(
            SupportRequest.id.in_(set(data.request_ids)), SupportRequest.status == RequestStatus.BLOCKED_QUOTA
        ).with_for_update()
    )) if data.request_ids else []
    if blocked and (why := blocked_reason(await current_subscription(session))) is not None:
        raise Conflict("New requests are refused right now: the subscription is lapsed." if why == "lapsed"
                       else "New requests are refused right now: the request quota is used up.", reason=why)
    message_ids = {r.message_id for r in blocked}
    if blocked:
        await session.execute(sa.delete(SupportRequest).where(SupportRequest.id.in_({r.id for r in blocked})))
        for request in blocked:
            record(session, "request.rerun", actor=actor, target=str(request.id), order_id=request.order_id)
        for message in await session.scalars(sa.select(Message).where(Message.id.in_(message_ids))):
            message.status, message.attempts = MessageStatus.RECEIVED, 0
            message.reply_state = message.reply_text = None
    failed = list(await session.scalars(
        sa.select(Message).where(Message.id.in_(set(data.message_ids)), Message.status == MessageStatus.FAILED)
        .with_for_update()
    )) if data.message_ids else []
    for message in failed:
        reset_for_retry(session, actor, message)
        message_ids.add(message.id)
    run = f"rerun-{uuid.uuid4().hex}"

    async def queue_them() -> None:  # once committed: the jobs must read what was reset
        for message_id in sorted(message_ids):
            await enqueue_processing(runtime, actor.tenant_id, message_id, run=run)

    after_commit(session, queue_them)
    done = {r.id for r in blocked}
    return RerunResult(
        requests=sorted(done), messages=sorted({m.id for m in failed}), queued=len(message_ids),
        skipped=sorted((set(data.request_ids) - done) | (set(data.message_ids) - {m.id for m in failed})),
    )
