"""Messages whose processing keeps failing (a reply the panel will not take, a step
that raises): each failed run is counted, and after `MAX_MESSAGE_ATTEMPTS` the message is
`failed`, left alone by the sweeper and listed for the owner, who can queue it again."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.pagination import newest_first, page_of
from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify
from supportai.domain.requests.intake import enqueue_processing
from supportai.domain.requests.models import Message, MessageStatus
from supportai.domain.requests.schemas import MessagePage, MessageSummary
from supportai.errors import Conflict, NotFound
from supportai.runtime import Runtime

# With the sweeper's 2-minute rounds, about 10 minutes of trying before the owner is shown.
MAX_MESSAGE_ATTEMPTS = 5


async def record_failed_attempt(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID, error: str) -> str:
    """Count one failed run of the message; returns its status, `failed` once attempts run out."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        message = await uow.session.get(Message, message_id, with_for_update=True)
        if message is None:
            return "missing"
        if message.status in (MessageStatus.RECEIVED, MessageStatus.WAITING_PANEL):
            message.attempts += 1
            message.last_error = error[:500]
            if message.attempts >= MAX_MESSAGE_ATTEMPTS:
                message.status = MessageStatus.FAILED
                await notify(uow.session, OwnerEvent.MESSAGE_FAILED, f"{message.id}:{message.attempts}",
                             f"A message from {message.customer} could not be processed",
                             f"After {message.attempts} attempts: {message.last_error}. Retry it from Failed "
                             "messages once the cause is fixed.", "/requests")
        await uow.commit()
        return message.status


async def list_messages(session: AsyncSession, *, status: str | None, cursor: str | None, limit: int) -> MessagePage:
    statement = sa.select(Message).where(Message.status == status) if status else sa.select(Message)
    rows = list(await session.scalars(newest_first(statement, Message, cursor, limit)))
    page = page_of(rows, limit, MessageSummary.of)
    return MessagePage(items=page.items, next_cursor=page.next_cursor)


async def retry_message(runtime: Runtime, actor: Principal, message_id: uuid.UUID) -> MessageSummary:
    """Give a failed message a fresh set of attempts and queue it now; it resumes where it
    stopped (decisions made and calls done are never repeated). Committed in a unit of
    work of its own, before the job can read it."""
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        message = await uow.session.get(Message, message_id, with_for_update=True)
        if message is None:
            raise NotFound("No such message.")
        if message.status != MessageStatus.FAILED:
            raise Conflict("Only a failed message can be retried.")
        reset_for_retry(uow.session, actor, message)
        await uow.commit()
    await enqueue_processing(
        runtime, message.tenant_id, message.id, run=f"retry-{uuid.uuid4().hex}", source=message.source
    )
    return MessageSummary.of(message)


def reset_for_retry(session: AsyncSession, actor: Principal, message: Message) -> None:
    """A fresh set of attempts for a failed message, ready to be queued."""
    message.status, message.attempts = MessageStatus.RECEIVED, 0
    record(session, "message.retried", actor=actor, target=str(message.id))
