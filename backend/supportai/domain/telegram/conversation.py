"""What a Telegram message is: a provider answering in its chat, a step of linking a
customer to a panel account, or a linked customer's request for the pipeline."""

from __future__ import annotations

import uuid

import msgspec

from supportai.domain.dispatch.replies import handle_provider_reply, provider_for_chat
from supportai.domain.requests.models import Message, MessageStatus, SideEffect
from supportai.domain.setup.service import panel_clients
from supportai.domain.telegram.linking import advance, link_for
from supportai.domain.telegram.models import TelegramBot
from supportai.integrations.telegram import IncomingTelegramMessage
from supportai.runtime import Runtime


def incoming_of(message: Message) -> tuple[uuid.UUID, IncomingTelegramMessage]:
    """The bot and the Telegram message kept on a stored message (see the webhook)."""
    meta = dict(message.reply_to or {})
    bot_id = uuid.UUID(meta.pop("bot_id"))
    return bot_id, msgspec.convert(meta, IncomingTelegramMessage)


async def take_telegram_message(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID) -> bool:
    """Handle what is not a customer request. True when the pipeline should go on with the
    message as a request (the sender is a linked customer; `customer` is now set)."""
    async with runtime.db.tenant_session(tenant_id) as session:
        message = await session.get_one(Message, message_id)
        bot_id, incoming = incoming_of(message)
        provider = await provider_for_chat(session, incoming.chat_id, None)
    if provider is not None:
        await handle_provider_reply(runtime, tenant_id, incoming, channel="bot")
        async with runtime.db.tenant_session(tenant_id) as session:
            message = await session.get_one(Message, message_id)
            message.status, message.customer = MessageStatus.PROCESSED, f"provider:{provider.name}"
        return False

    async with runtime.db.tenant_session(tenant_id) as session:
        message = await session.get_one(Message, message_id)
        bot = await session.get_one(TelegramBot, bot_id)
        link, first_contact = await link_for(session, bot, incoming)
        panel = await panel_clients(runtime, session)
        step = await advance(link, incoming.text or "", panel, bot.username, first_contact=first_contact)
        if step.username is not None:
            message.customer = step.username
            return True
        # A linking step: answered here, never counted as a request.
        message.status = MessageStatus.PROCESSED
        message.reply_text, message.reply_state = step.reply, SideEffect.PENDING if step.reply else None
    return False
