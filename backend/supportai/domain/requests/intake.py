"""Every incoming message is stored first, then queued; a repeat is a no-op."""

from __future__ import annotations

import asyncio
import functools
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from supportai.db.base import utcnow
from supportai.db.batching import GroupCommit
from supportai.domain.requests.models import Message, MessageStatus, Source
from supportai.domain.webhooks import events as webhooks
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
    """Store the message (committed) and queue its processing. Returns (message, is_new);
    a repeat of (source, external id) stores nothing and returns the first message."""
    message = Message(
        id=uuid.uuid4(), tenant_id=tenant_id, source=source, external_id=external_id or uuid.uuid4().hex,
        customer=customer.strip(), text=text, has_attachment=has_attachment, ticket_id=ticket_id,
        reply_to=reply_to, status=MessageStatus.RECEIVED, created_at=utcnow(),
    )
    # Messages arriving together, from any tenant, share one transaction.
    intake: GroupCommit[Message, tuple[Message, bool]] | None = runtime.group_commits.get("messages")
    if intake is None:
        intake = runtime.group_commits["messages"] = GroupCommit(functools.partial(_store_messages, runtime))
    return await intake.submit(message)


# What intake sets; the other columns keep their defaults.
_COLUMNS = (
    "id", "tenant_id", "created_at", "source", "external_id", "customer", "text", "has_attachment", "ticket_id",
    "reply_to", "status",
)
# Built once, so compiled once. A repeat of (tenant, source, external id) inserts nothing.
_INSERT_POSTGRES, _INSERT_SQLITE = (
    insert(Message.__table__)
    .on_conflict_do_nothing(index_elements=["tenant_id", "source", "external_id"])
    .returning(Message.__table__.c.id)
    for insert in (pg_insert, sqlite_insert)
)


async def _store_messages(runtime: Runtime, messages: list[Message]) -> list[tuple[Message, bool] | BaseException]:
    """Insert a batch (committed), then queue the new ones. The session is a system one on
    purpose: the batch may hold several tenants' messages, each row carrying its tenant."""
    try:
        inserted, existing = await _insert(runtime, messages)
    except DBAPIError:
        if len(messages) == 1:
            raise
        # One bad row must not fail the others: write each alone.
        return [await _store_alone(runtime, message) for message in messages]
    new = [message for message in messages if message.id in inserted]
    await asyncio.gather(*(
        enqueue_processing(runtime, message.tenant_id, message.id, source=message.source) for message in new
    ))
    return [
        (message, True) if message.id in inserted
        else (existing[(message.tenant_id, message.source, message.external_id)], False)
        for message in messages
    ]


async def _store_alone(runtime: Runtime, message: Message) -> tuple[Message, bool] | BaseException:
    try:
        [result] = await _store_messages(runtime, [message])
    except Exception as exc:
        return exc
    return result


async def _insert(
    runtime: Runtime, messages: list[Message]
) -> tuple[set[uuid.UUID], dict[tuple[uuid.UUID, str, str], Message]]:
    """(ids inserted, the earlier message for each repeat)."""
    async with runtime.db.unit_of_work(None) as uow:
        session = uow.session
        connection = await session.connection()
        rows = [{key: getattr(message, key) for key in _COLUMNS} for message in messages]
        result = await connection.execute(_INSERT_SQLITE if runtime.db.is_sqlite else _INSERT_POSTGRES, rows)
        inserted = set(result.scalars())
        repeats = {(m.tenant_id, m.source, m.external_id) for m in messages if m.id not in inserted}
        existing = {
            (m.tenant_id, m.source, m.external_id): m
            for m in await session.scalars(
                sa.select(Message).where(sa.tuple_(Message.tenant_id, Message.source, Message.external_id).in_(repeats))
            )
        } if repeats else {}
        for message in messages:
            if message.id in inserted:  # to the owner's endpoints, in the same commit
                webhooks.emit(session, message.tenant_id, webhooks.EventType.MESSAGE_RECEIVED,
                              functools.partial(message_data, message))
        await uow.commit()
    return inserted, existing


def message_data(message: Message) -> dict[str, Any]:
    return {"message_id": str(message.id), "source": message.source, "customer": message.customer,
            "text": message.text, "has_attachment": message.has_attachment, "ticket_id": message.ticket_id}


def processing_job_id(message_id: uuid.UUID | str, run: str = "0") -> str:
    """The arq job id of one run of a message, whatever the job (pipeline or Telegram router)."""
    return f"process_message:{message_id}:{run}"


async def enqueue_processing(
    runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID, run: str = "0", *, source: str | None = None
) -> None:
    """Queue the job. If Redis is down the message is safe in the database and the
    sweeper (`requeue_stalled_messages`) queues it later.

    A Telegram update is routed by Telegram first (domain/telegram/routing.py), which sends
    a customer's request on to the pipeline; so is a message whose `source` the caller does
    not know (the router reads it), while a ticket or API message goes to the pipeline at once."""
    job = "process_message" if source in (Source.TICKET, Source.API) else "route_telegram_update"
    try:
        await runtime.queue.enqueue_job(
            job, str(tenant_id), str(message_id),
            _job_id=processing_job_id(message_id, run),
        )
    except Exception as exc:
        log.warning("enqueue_failed", message_id=str(message_id), error=str(exc))


# A message still unprocessed this long after it arrived is looked at by the sweeper. It is
# short because `in_hand` tells a message a live worker holds or a queued job awaits from one
# whose worker died or whose job Redis lost.
STALL_AFTER = timedelta(minutes=1)

SWEEP_WINDOW_S = 120

# Which of these messages are in hand (held by a live worker, or waiting in the queue).
InHand = Callable[[Sequence[uuid.UUID]], Awaitable[set[uuid.UUID]]]


async def requeue_stalled_messages(
    runtime: Runtime, older_than: timedelta = STALL_AFTER, *, in_hand: InHand | None = None
) -> int:
    """Queue again messages that were stored but not processed (queue was down, the
    worker died, a step failed, the panel was down past the job's retries), leaving
    alone those `in_hand` says are being taken care of."""
    cutoff = utcnow() - older_than
    async with runtime.db.unit_of_work(None) as uow:
        stalled = (await uow.session.execute(
            sa.select(Message.tenant_id, Message.id, Message.source).where(
                Message.status.in_([MessageStatus.RECEIVED, MessageStatus.WAITING_PANEL]),
                Message.created_at < cutoff,
            ).limit(1000)
        )).all()
    if in_hand is not None and stalled:
        held = await in_hand([message_id for _, message_id, _ in stalled])
        stalled = [row for row in stalled if row[1] not in held]
    # One job id per message and window: arq refuses an id it holds, so sweeps every 30 s add
    # no second job for a message already swept in this window (e.g. one retrying a down panel),
    # and the next window can queue it again. Two jobs for one message never run at once (the
    # job takes a per-message lock).
    sweep = f"sweep-{int(time.time() // SWEEP_WINDOW_S)}"
    for tenant_id, message_id, source in stalled:
        await enqueue_processing(runtime, tenant_id, message_id, run=sweep, source=source)
    return len(stalled)
