"""Provider replies: which forwarded requests a message in a provider's chat answers, and
what it says (confirm, decline or ambiguous, in any language; rules.md, "Provider
dispatch and follow-up").

Which requests, most certain first:
1. the reply quotes one of our messages: that message's requests;
2. it names order IDs (the provider's own): the provider's open requests for them;
3. it names none: the requests of our latest message to that provider, if under 48 h old.
When the quoted or latest message carried several orders and the reply names some of
them, only those are updated.

Both channels call `handle_provider_reply`: the bot webhook for updates from provider
chats, the userbot worker for messages the owner's account receives.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.dispatch.chats import is_chat
from supportai.domain.dispatch.customer import tell_customer
from supportai.domain.dispatch.models import (
    DispatchItem,
    ProviderMessage,
    ProviderMessageStatus,
    UserbotAccount,
)
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify_owner
from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import SupportRequest
from supportai.domain.setup.models import ProviderAccount
from supportai.domain.telegram.models import TelegramBot
from supportai.engine.decisions import RequestStatus
from supportai.engine.templates import Notice
from supportai.engine.understanding import ProviderReply, analyse_provider_reply
from supportai.integrations.telegram import Channel, IncomingTelegramMessage
from supportai.runtime import Runtime

# A provider may confirm, then decline after all: both states still take replies.
ANSWERABLE = (RequestStatus.FORWARDED, RequestStatus.ACKNOWLEDGED)
RECENT = timedelta(hours=48)
MAX_QUOTED_TEXT = 1000  # of the reply, in the timeline and the owner's notification


def chat_username(incoming: IncomingTelegramMessage) -> str | None:
    """The chat's username when we know it: in a private chat the chat is the sender."""
    return incoming.from_username if incoming.chat_id > 0 else None


async def provider_for_chat(
    session: AsyncSession, chat_id: int, chat_username: str | None
) -> ProviderAccount | None:
    """The provider whose Telegram chat this is, by numeric id (learnt on the first send,
    or typed by the owner) or by username."""
    accounts = await session.scalars(
        sa.select(ProviderAccount).where(ProviderAccount.telegram_chat.is_not(None)).order_by(ProviderAccount.name)
    )
    return next((account for account in accounts if is_chat(account, chat_id, chat_username)), None)


async def handle_provider_reply(
    runtime: Runtime, tenant_id: uuid.UUID, incoming: IncomingTelegramMessage, channel: Channel
) -> list[uuid.UUID]:
    """Apply a message from a provider chat to the requests it answers; returns their ids.

    confirm → `acknowledged`; decline → `declined`, the owner is notified and the customer
    gets the `provider_declined` reply; ambiguous → a timeline note, the request keeps
    waiting. Messages outside provider chats, and our own, are ignored.
    """
    if not incoming.text:
        return []
    text = incoming.text[:MAX_QUOTED_TEXT]
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        # The owner's account receives all their chats: most messages stop here.
        provider = await provider_for_chat(session, incoming.chat_id, chat_username(incoming))
        if provider is None or await _sent_by_us(session, incoming):
            return []
        reply = analyse_provider_reply(incoming.text)
        requests = await _answered_requests(session, provider, incoming, reply, channel)
        declined = []
        for request in requests:
            detail = {"text": text, "channel": channel}
            if reply.label == "confirm":
                if request.status == RequestStatus.FORWARDED:
                    request.status = RequestStatus.ACKNOWLEDGED
                log_event(session, request, "provider_confirmed", **detail)
            elif reply.label == "decline":
                request.status = RequestStatus.DECLINED
                log_event(session, request, "provider_declined", **detail)
                declined.append(request)
            else:
                log_event(session, request, "provider_replied", label=reply.label, **detail)
        provider_name = provider.name
        declined_orders = ", ".join(f"{r.order_id} (theirs: {r.external_order_id})" for r in declined)
        await uow.commit()
    if declined:
        await notify_owner(
            runtime, tenant_id, OwnerEvent.PROVIDER_DECLINE, ",".join(sorted(str(r.id) for r in declined)),
            f"Provider {provider_name} declined order(s) {declined_orders}",
            f"Their reply: \"{text}\". The customer has been told.", "/requests",
        )
        await tell_customer(runtime, tenant_id, [r.id for r in declined], Notice.PROVIDER_DECLINED)
    return [request.id for request in requests]


async def _sent_by_us(session: AsyncSession, incoming: IncomingTelegramMessage) -> bool:
    """Our bot and the owner's account may share a provider group and see each other."""
    if incoming.from_user_id is None:
        return False
    ours = set(await session.scalars(sa.select(TelegramBot.telegram_id)))
    ours |= {i for i in await session.scalars(sa.select(UserbotAccount.telegram_id)) if i is not None}
    return incoming.from_user_id in ours


async def _answered_requests(
    session: AsyncSession,
    provider: ProviderAccount,
    incoming: IncomingTelegramMessage,
    reply: ProviderReply,
    channel: Channel,
) -> list[SupportRequest]:
    quoted = await _quoted_message(session, incoming, channel)
    if quoted is None and reply.order_ids:
        # Orders named but none of them open: it is about something else, don't guess.
        return await _answerable_requests(session, provider, reply.order_ids)
    message = quoted or await _latest_message(session, provider)
    if message is None:
        return []
    carried = [r for r in await _requests_of(session, message) if r.status in ANSWERABLE]
    named = [r for r in carried if r.external_order_id in reply.order_ids]
    return named or carried


async def _quoted_message(
    session: AsyncSession, incoming: IncomingTelegramMessage, channel: Channel
) -> ProviderMessage | None:
    if incoming.reply_to_message_id is None:
        return None
    candidates = await session.scalars(
        sa.select(ProviderMessage).where(
            ProviderMessage.telegram_chat_id == incoming.chat_id,
            ProviderMessage.telegram_message_id == incoming.reply_to_message_id,
        )
    )
    # Supergroups and channels number messages once for everyone; private chats and
    # basic groups number them per account, so there the quote must come the same way.
    shared_numbering = str(incoming.chat_id).startswith("-100")
    return next((m for m in candidates if shared_numbering or m.channel == channel), None)


async def _answerable_requests(
    session: AsyncSession, provider: ProviderAccount, order_ids: Sequence[str]
) -> list[SupportRequest]:
    return list(await session.scalars(
        sa.select(SupportRequest)
        .where(
            sa.func.lower(SupportRequest.provider) == provider.name.lower(),
            SupportRequest.external_order_id.in_(list(order_ids)),
            SupportRequest.status.in_(ANSWERABLE),
        )
        .order_by(SupportRequest.created_at)
    ))


async def _latest_message(session: AsyncSession, provider: ProviderAccount) -> ProviderMessage | None:
    """Our latest message to the provider, if recent (an `unknown` one may have arrived)."""
    return await session.scalar(
        sa.select(ProviderMessage)
        .where(
            sa.func.lower(ProviderMessage.provider) == provider.name.lower(),
            ProviderMessage.status.in_([ProviderMessageStatus.SENT, ProviderMessageStatus.UNKNOWN]),
            ProviderMessage.created_at >= utcnow() - RECENT,
        )
        .order_by(ProviderMessage.created_at.desc())
        .limit(1)
    )


async def _requests_of(session: AsyncSession, message: ProviderMessage) -> list[SupportRequest]:
    return list(await session.scalars(
        sa.select(SupportRequest)
        .join(DispatchItem, DispatchItem.request_id == SupportRequest.id)
        .where(DispatchItem.provider_message_id == message.id)
        .order_by(DispatchItem.created_at)
    ))
