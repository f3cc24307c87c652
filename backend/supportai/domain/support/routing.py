"""Where a stored Telegram update goes, decided once at the edge: a message in a provider's
chat to dispatch's reply handler, a step of linking a customer to telegram/linking, and only
a linked customer's request on to the support pipeline."""

from __future__ import annotations

import uuid
from enum import StrEnum

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.dispatch.customer import reply_bot, send_to_customer
from supportai.domain.dispatch.replies import handle_provider_reply, provider_for_chat
from supportai.domain.requests.models import PROVIDER_SENDER, Message, MessageStatus, SideEffect, Source
from supportai.domain.setup.service import panel_clients
from supportai.domain.support.pipeline import process_message
from supportai.domain.telegram.linking import advance, link_for
from supportai.domain.telegram.models import TelegramBot
from supportai.errors import UpstreamUnavailable
from supportai.integrations.telegram import IncomingTelegramMessage
from supportai.runtime import Runtime


class Route(StrEnum):
    REQUEST = "request"  # a linked customer's request: the pipeline's
    LINKING = "linking"  # a linking step, answered here
    PROVIDER = "provider"  # a provider's reply in its chat
    ROUTED = "routed"  # taken care of by an earlier run


def incoming_of(message: Message) -> tuple[uuid.UUID, IncomingTelegramMessage]:
    """The bot and the Telegram message kept on a stored message (see the webhook)."""
    meta = dict(message.reply_to or {})
    bot_id = uuid.UUID(meta.pop("bot_id"))
    return bot_id, msgspec.convert(meta, IncomingTelegramMessage)


async def route_update(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID) -> str:
    """Route (or resume) one stored Telegram update; returns the message's status."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        message = await uow.session.get(Message, message_id)
        if message is None:
            return "missing"
        route, provider, bot = await _route_of(runtime, uow.session, message)
        await uow.commit()  # a linking step is committed before its reply goes out
    if route == Route.REQUEST:
        return await process_message(runtime, tenant_id, message_id)
    if route == Route.PROVIDER:
        await handle_provider_reply(runtime, tenant_id, incoming_of(message)[1], channel="bot")
        message.status, message.customer = MessageStatus.PROCESSED, PROVIDER_SENDER + (provider or "")
    failed = message.status == MessageStatus.FAILED
    await _answer(runtime, tenant_id, message, bot)
    return MessageStatus.FAILED if failed else MessageStatus.PROCESSED


async def _route_of(
    runtime: Runtime, session: AsyncSession, message: Message
) -> tuple[Route, str | None, TelegramBot | None]:
    """Which way the message goes: (route, the provider's name, the bot to answer with).
    A linking step is taken here, in the caller's transaction."""
    if message.source != Source.TELEGRAM or (message.customer and not message.customer.startswith(PROVIDER_SENDER)):
        return Route.REQUEST, None, None
    if message.status in (MessageStatus.PROCESSED, MessageStatus.FAILED):
        pending = message.reply_state == SideEffect.PENDING  # a reply a crash left unsent
        return Route.ROUTED, None, await reply_bot(session, message) if pending else None
    bot_id, incoming = incoming_of(message)
    provider = await provider_for_chat(session, incoming.chat_id, None)
    if provider is not None:
        return Route.PROVIDER, provider.name, None
    bot = await session.get_one(TelegramBot, bot_id)
    link, first_contact = await link_for(session, bot, incoming)
    panel = await panel_clients(runtime, session)
    step = await advance(link, incoming.text or "", panel, bot.username, first_contact=first_contact)
    if step.username is not None:
        message.customer = step.username
        return Route.REQUEST, None, None
    # A linking step: answered here, never counted as a request.
    message.status = MessageStatus.PROCESSED
    message.reply_text, message.reply_state = step.reply, SideEffect.PENDING if step.reply else None
    return Route.LINKING, None, bot


async def _answer(runtime: Runtime, tenant_id: uuid.UUID, message: Message, bot: TelegramBot | None) -> None:
    """Send the reply a linking step left pending (committed before it goes out), then
    mark the message processed."""
    pending = message.reply_state == SideEffect.PENDING and bool(message.reply_text)
    if pending:
        error = await send_to_customer(runtime, message, message.reply_text or "", None, bot)
        if error is not None:
            raise UpstreamUnavailable(f"the reply could not be sent: {error}")
    async with runtime.db.unit_of_work(tenant_id) as uow:
        uow.session.add(message)
        if pending:
            message.reply_state, message.replied_at = SideEffect.DONE, utcnow()
        message.status, message.last_error = MessageStatus.PROCESSED, None
        message.processed_at = message.processed_at or utcnow()
        await uow.commit()
