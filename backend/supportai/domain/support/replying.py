"""Replying: the message's one combined reply, composed and marked pending in the
decision's transaction, then sent on the message's own channel and marked done.

A ticket reply's sending is committed before it goes out (`sending`), so only a retry of
that reply is looked for in the ticket thread before it is sent again.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.dispatch.customer import reply_bot, send_to_customer
from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import (
    Message,
    MessageStatus,
    RequestEvent,
    SideEffect,
    Source,
    SupportRequest,
)
from supportai.domain.templates.service import reply_texts
from supportai.domain.tenants.models import TenantSettings
from supportai.engine.decisions import Intent, Outcome, RequestStatus
from supportai.engine.templates import Notice, ReplyItem, render_combined_reply
from supportai.engine.understanding import MAX_ORDERS_PER_MESSAGE, Understanding
from supportai.errors import UpstreamUnavailable
from supportai.integrations.clients import PanelClients
from supportai.integrations.panel import PanelNotFound
from supportai.runtime import Runtime


async def store_reply(
    session: AsyncSession, message: Message, understanding: Understanding, requests: list[SupportRequest],
    settings: TenantSettings,
) -> None:
    """Compose the message's one reply and mark it pending, committed before it is sent."""
    if message.reply_state is not None:
        return  # composed by an earlier run
    if settings.silent_mode and not understanding.orders and understanding.intent == Intent.OTHER:
        # Not a support request: left to staff (its request is in the review queue), unanswered.
        for request in requests:
            log_event(session, request, "reply_withheld", reason="silent mode")
        message.reply_text, message.reply_state = None, SideEffect.DONE
        return
    with session.no_autoflush:
        texts = await reply_texts(session, message.lang, in_customer_language=settings.reply_in_customer_language)
    if understanding.too_many_orders:
        items: list[ReplyItem] = [(Notice.TOO_MANY_ORDERS, None, {"max_orders": str(MAX_ORDERS_PER_MESSAGE)})]
    elif not understanding.orders and understanding.intent != Intent.OTHER:
        items = [(Outcome.ORDER_ID_MISSING, None, {})]
    else:
        items = [(key, r.order_id, r.facts) for r in requests if (key := _reply_key(r)) is not None]
    message.reply_text = render_combined_reply(items, texts.templates, texts.words) if items else None
    message.reply_state = SideEffect.PENDING if message.reply_text else SideEffect.DONE


def _reply_key(request: SupportRequest) -> str | None:
    """Which template answers this request now; None sends nothing (quota-blocked)."""
    match request.status:
        case RequestStatus.BLOCKED_QUOTA:
            return None
        case RequestStatus.ESCALATED:
            return Outcome.ESCALATE
        case RequestStatus.DECLINED:
            return Notice.PROVIDER_DECLINED
    return request.outcome


async def send_reply(
    runtime: Runtime,
    tenant_id: uuid.UUID,
    message: Message,
    clients: PanelClients | None,
    requests: list[SupportRequest] | None,
) -> list[SupportRequest]:
    """Deliver the composed reply (if one is pending) and mark the message processed.
    Returns the message's escalated requests, for the owner's notice."""
    pending = message.reply_state in (SideEffect.PENDING, SideEffect.SENDING) and bool(message.reply_text)
    if pending:
        await _deliver(runtime, tenant_id, message, clients)
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        session.add(message)
        if requests is None:
            requests = list(await session.scalars(
                sa.select(SupportRequest).where(SupportRequest.message_id == message.id)
            ))
        if pending:
            message.reply_state, message.replied_at = SideEffect.DONE, utcnow()
            # A step in each timeline, though not a change to the request itself.
            session.add_all(
                RequestEvent(request_id=r.id, kind="replied", detail={"channel": message.source}) for r in requests
            )
        newly_processed = message.status != MessageStatus.PROCESSED
        message.status, message.last_error = MessageStatus.PROCESSED, None
        message.processed_at = message.processed_at or utcnow()
        await uow.commit()
    return [r for r in requests if r.status == RequestStatus.ESCALATED] if newly_processed else []


async def _deliver(runtime: Runtime, tenant_id: uuid.UUID, message: Message, clients: PanelClients | None) -> None:
    """Send the pending reply on the message's channel, unless a retry finds it already there."""
    retry = message.reply_state == SideEffect.SENDING  # an earlier run began sending this reply
    source, text = message.source, message.reply_text or ""
    bot = None
    if source == Source.TELEGRAM:
        async with runtime.db.unit_of_work(tenant_id) as uow:
            bot = await reply_bot(uow.session, message)
    # Only a retry of this reply is looked for in the ticket thread, after the customer's
    # message: the same words sent earlier answered something else. Telegram cannot be
    # asked whether an earlier attempt arrived: a crash mid-send may repeat it, never lose
    # it. API messages have no channel back: the reply is the API result itself.
    if retry and source == Source.TICKET and message.ticket_id is not None and clients is not None and (
        await _already_replied(clients, message.ticket_id, text, after=_thread_message_id(message))
    ):
        return
    if source == Source.TICKET and not retry:
        await _set_reply_state(runtime, tenant_id, message, SideEffect.SENDING)
    error = await send_to_customer(runtime, message, text, clients, bot)
    if error is not None:
        raise UpstreamUnavailable(f"the reply could not be sent: {error}")


async def _set_reply_state(runtime: Runtime, tenant_id: uuid.UUID, message: Message, state: str) -> None:
    async with runtime.db.unit_of_work(tenant_id) as uow:
        uow.session.add(message)
        message.reply_state = state
        await uow.commit()


def _thread_message_id(message: Message) -> int:
    """The customer's message's id in its ticket thread (external id `ticket:message`)."""
    _, _, message_id = message.external_id.rpartition(":")
    return int(message_id) if message_id.isdigit() else 0


async def _already_replied(clients: PanelClients, ticket_id: int, text: str, *, after: int) -> bool:
    """A retried job may have sent the reply before crashing: look for it in the thread,
    among the staff messages posted after the customer's message `after`."""
    try:
        thread = await clients.admin.ticket(ticket_id)
    except PanelNotFound:
        return False
    return any(
        m.author != "customer" and (m.id or 0) > after and m.text.strip() == text.strip() for m in thread.messages
    )


def review_notice(customer: str, requests: list[SupportRequest]) -> str:
    """The owner's notice of a message's escalated requests."""
    lines = [f"Review needed for {customer}:"]
    lines += [f"- order {r.order_id or '(none)'} ({r.intent}): {r.reason or r.outcome}" for r in requests]
    return "\n".join(lines)
