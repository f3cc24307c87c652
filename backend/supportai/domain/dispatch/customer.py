"""Telling customers what happened to requests after their message was answered (the
provider declined, ...), through the channel each message came from."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import Message, Source, SupportRequest
from supportai.domain.setup.service import panel_clients
from supportai.domain.telegram.bots import messenger_for, tenant_bot
from supportai.domain.telegram.models import TelegramBot
from supportai.domain.templates.service import reply_texts_of
from supportai.domain.tenants.service import get_settings
from supportai.engine.templates import render_combined_reply
from supportai.errors import SupportAIError
from supportai.integrations.clients import PanelClients
from supportai.integrations.http import IntegrationError
from supportai.integrations.telegram import TelegramError
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.dispatch")


async def tell_customer(
    runtime: Runtime, tenant_id: uuid.UUID, request_ids: Sequence[uuid.UUID], template_key: str
) -> None:
    """Send each message's customer one reply (the tenant's `template_key` template) about
    the given requests. Tickets get a staff reply, Telegram chats a bot message; API
    messages have no channel back, so only the timeline records it. Never raises for a
    channel that fails: the timeline says so and the owner sees it there."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        requests = list(await session.scalars(
            sa.select(SupportRequest).where(SupportRequest.id.in_(list(request_ids))).order_by(SupportRequest.created_at)
        ))
        message_ids = {r.message_id for r in requests}
        messages = {m.id: m for m in await session.scalars(sa.select(Message).where(Message.id.in_(message_ids)))}
        settings = await get_settings(session)
        # Each message's customer is told in the language of its reply.
        texts = await reply_texts_of(
            session, messages.values(), in_customer_language=settings.reply_in_customer_language)
        sources = {m.source for m in messages.values()}
        clients = await _panel_or_none(runtime, session) if Source.TICKET in sources else None
        bots = {m.id: await reply_bot(session, m) for m in messages.values() if m.source == Source.TELEGRAM}
        await uow.commit()
    outcomes: dict[uuid.UUID, str | None] = {}  # message id → error, None when sent
    for message in messages.values():
        about = [r for r in requests if r.message_id == message.id]
        text = render_combined_reply(
            [(template_key, r.order_id, r.facts) for r in about], texts[message.id].templates, texts[message.id].words
        )
        outcomes[message.id] = await send_to_customer(runtime, message, text, clients, bots.get(message.id))
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        for request in requests:
            request = await session.get_one(SupportRequest, request.id)
            message = messages[request.message_id]
            error = outcomes[message.id]
            if error is None:
                log_event(session, request, "customer_told", template=template_key, channel=message.source)
            else:
                log_event(session, request, "customer_not_told", template=template_key, channel=message.source,
                          error=error)
        await uow.commit()


async def reply_bot(session: AsyncSession, message: Message) -> TelegramBot | None:
    """The bot the customer wrote to (the webhook keeps its id), else the tenant's bot."""
    bot_id = (message.reply_to or {}).get("bot_id")
    bot = await session.get(TelegramBot, uuid.UUID(bot_id)) if bot_id else None
    return bot or await tenant_bot(session)


async def send_to_customer(
    runtime: Runtime, message: Message, text: str, clients: PanelClients | None, bot: TelegramBot | None
) -> str | None:
    """Answer on the message's own channel. Returns None when sent (or when the channel,
    the public API, has no way back), else why not."""
    try:
        if message.source == Source.TICKET:
            if clients is None or message.ticket_id is None:
                return "no panel connected"
            await clients.admin.reply_ticket(message.ticket_id, text)
        elif message.source == Source.TELEGRAM:
            target = message.reply_to or {}
            if bot is None or "chat_id" not in target:
                return "no Telegram bot or chat to answer in"
            async with messenger_for(runtime, bot) as messenger:
                await messenger.send(target["chat_id"], text, reply_to=target.get("message_id"))
    except (IntegrationError, TelegramError) as exc:
        log.warning("customer_reply_failed", message_id=str(message.id), error=str(exc))
        return str(exc)[:300]
    return None


async def _panel_or_none(runtime: Runtime, session: AsyncSession) -> PanelClients | None:
    try:
        return await panel_clients(runtime, session)
    except SupportAIError:  # no panel connected any more
        return None
