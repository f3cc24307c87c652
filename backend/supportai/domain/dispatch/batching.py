"""The dispatch job: what is due for one (provider, action) becomes messages of up to
MAX_ORDERS_PER_MESSAGE orders, in the providers' own form ("48213, 48214 speed up"), each
claimed as `sending` and then sent (sending.py).

Never twice, never lost:
- the job commits its message as `sending` (with its items claimed) BEFORE the send. A job
  that finds a message still `sending` knows a run was interrupted mid-send: it may have
  gone out, so it is marked `unknown`, never repeated, and the owner is asked to check;
- one job at a time per (tenant, provider, action) (a Redis lock), so a `sending` message
  is never one that another job is sending right now;
- a send Telegram refused goes back to `pending` with `retry_at`, and the job is deferred
  (`SendLater`): a deferred message is sent before any later one to that provider;
- the sweeper (scheduling.py) re-schedules what a lost job left behind.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.dispatch.chats import provider_account
from supportai.domain.dispatch.models import (
    DispatchItem,
    DispatchStatus,
    ProviderMessage,
    ProviderMessageStatus,
)
from supportai.domain.dispatch.sending import ProviderUserbot, requests_of, send_message
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify
from supportai.domain.requests.events import escalate, log_event
from supportai.domain.requests.models import WITH_PROVIDER, SupportRequest
from supportai.integrations.telegram import ProviderAction, provider_batch_text
from supportai.runtime import Runtime

MAX_ORDERS_PER_MESSAGE = 100  # well inside Telegram's 4096 characters, and still readable
LOCK_TIMEOUT_S = 300  # the userbot worker's job timeout: a lock never outlives its job
# A deferred job may wake a little before `retry_at` (two clocks): close enough is due.
RETRY_TOLERANCE = timedelta(seconds=1)


async def dispatch_batch(
    runtime: Runtime,
    tenant_id: uuid.UUID,
    provider: str,
    action: str,
    userbot: ProviderUserbot | None,
) -> int:
    """Send what is due for one provider and action; returns how many messages went out.

    `userbot` is the owner's connected account, if this process holds one. Raises
    SendLater when Telegram asked to wait or a send failed.
    """
    lock = runtime.redis.lock(
        f"supportai:lock:dispatch:{tenant_id}:{provider}:{action}", timeout=LOCK_TIMEOUT_S, blocking=False
    )
    if not await lock.acquire():
        return 0  # another job is sending for this provider right now, and sends what is due
    try:
        # Items that arrive from now on belong to the next window, which they opened.
        cutoff = utcnow()
        sent = 0
        while (message_id := await _claim_next_message(runtime, tenant_id, provider, action, cutoff)) is not None:
            if await send_message(runtime, tenant_id, message_id, userbot):
                sent += 1
        return sent
    finally:
        await lock.release()


async def _claim_next_message(
    runtime: Runtime, tenant_id: uuid.UUID, provider: str, action: str, cutoff: datetime
) -> uuid.UUID | None:
    """The next message to send, committed as `sending`; None when nothing is due."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        unfinished = list(await session.scalars(
            sa.select(ProviderMessage)
            .where(
                ProviderMessage.provider == provider,
                ProviderMessage.action == action,
                ProviderMessage.status.in_([ProviderMessageStatus.SENDING, ProviderMessageStatus.PENDING]),
            )
            .order_by(ProviderMessage.created_at)
            .with_for_update(skip_locked=True)
        ))
        for message in unfinished:
            if message.status == ProviderMessageStatus.SENDING:
                await _mark_unknown(session, message)
        deferred = next((m for m in unfinished if m.status == ProviderMessageStatus.PENDING), None)
        if deferred is not None:
            # Later messages to this provider must not overtake it: wait for its turn.
            if deferred.retry_at is not None and deferred.retry_at > utcnow() + RETRY_TOLERANCE:
                claimed = None
            else:
                deferred.status = ProviderMessageStatus.SENDING
                claimed = deferred.id
        else:
            claimed = await _new_message(session, provider, action, cutoff)
        await uow.commit()  # claimed as `sending` before it is sent
    return claimed


async def _mark_unknown(session: AsyncSession, message: ProviderMessage) -> None:
    """An interrupted send may have reached Telegram: never repeat it, ask the owner."""
    message.status = ProviderMessageStatus.UNKNOWN
    message.error = "interrupted while sending; it may or may not have reached the provider"
    for request in await requests_of(session, message):
        log_event(session, request, "provider_message_unknown", provider_message_id=str(message.id), text=message.text)
    await notify(
        session, OwnerEvent.PROVIDER_UNREACHABLE, f"unknown:{message.id}",
        f"A message to provider {message.provider} may not have arrived",
        f'It was interrupted while sending: "{message.text}" (chat {message.chat}). Please check that chat; '
        "it will not be sent again automatically.", "/queue",
    )


async def _new_message(session: AsyncSession, provider: str, action: str, cutoff: datetime) -> uuid.UUID | None:
    """Claim the pending items into a new `sending` message. Returns its id (None when
    nothing is pending); the owner is told when the items cannot be sent at all."""
    batch = await _pending_batch(session, provider, action, cutoff)
    if not batch:
        return None
    account = await provider_account(session, provider)
    if account is None or not account.telegram_chat:
        reason = f"no Telegram chat set for provider {provider}"
        for item, request in batch:
            item.status = DispatchStatus.ESCALATED
            escalate(session, request, reason)
        await notify(
            session, OwnerEvent.PROVIDER_UNREACHABLE, "no-chat:" + ",".join(str(r.id) for _, r in batch),
            f"{len(batch)} request(s) for provider {provider} could not be forwarded",
            f"{reason[0].upper()}{reason[1:]}. They are in your review queue; add the provider's chat in its "
            "settings.", "/queue",
        )
        return None

    order_ids = list(dict.fromkeys(item.external_order_id for item, _ in batch))
    message = ProviderMessage(
        id=uuid.uuid4(), provider=provider, action=action, chat=account.telegram_chat,
        text=provider_batch_text(ProviderAction(action), order_ids),
        status=ProviderMessageStatus.SENDING, attempts=[],
    )
    session.add(message)
    await session.flush()
    for item, _ in batch:
        item.status = DispatchStatus.BATCHED
        item.provider_message_id = message.id
    return message.id


async def _pending_batch(
    session: AsyncSession, provider: str, action: str, cutoff: datetime
) -> list[tuple[DispatchItem, SupportRequest]]:
    """The next pending items whose requests are still with the provider, locked; items
    of requests closed meanwhile are withdrawn on the way. Empty when none are left."""
    while True:
        rows = (await session.execute(
            sa.select(DispatchItem, SupportRequest)
            .join(SupportRequest, SupportRequest.id == DispatchItem.request_id)
            .where(
                DispatchItem.provider == provider,
                DispatchItem.action == action,
                DispatchItem.status == DispatchStatus.PENDING,
                DispatchItem.created_at <= cutoff,
            )
            .order_by(DispatchItem.created_at, DispatchItem.external_order_id)  # arrival order, steady
            .limit(MAX_ORDERS_PER_MESSAGE)
            .with_for_update(of=DispatchItem, skip_locked=True)
        )).tuples().all()
        if not rows:
            return []
        batch = []
        for item, request in rows:
            if request.status in WITH_PROVIDER:  # a reminder may follow an acknowledgement
                batch.append((item, request))
            else:
                item.status = DispatchStatus.WITHDRAWN
                log_event(session, request, "dispatch_withdrawn", status=request.status)
        if batch:
            return batch
