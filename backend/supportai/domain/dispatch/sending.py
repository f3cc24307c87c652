"""Sending one claimed provider message: by the tenant's dispatch mode over the bot, the
owner's account (the userbot) or both, and recording how it went.

A send Telegram refused goes back to `pending` with `retry_at`, and the job is deferred
(`SendLater`, which the worker turns into arq's Retry): by the flood wait Telegram asked
for, or by a backoff after an error; MAX_SEND_FAILURES errors escalate its requests.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.dispatch.chats import (
    provider_account,
    provider_chat,
    remember_chat,
    typed_chat,
)
from supportai.domain.dispatch.models import (
    DispatchItem,
    DispatchStatus,
    ProviderMessage,
    ProviderMessageStatus,
    UserbotAccount,
    UserbotState,
)
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify
from supportai.domain.requests.events import escalate, log_event
from supportai.domain.requests.models import SupportRequest
from supportai.domain.telegram.bots import messenger_for, tenant_bot
from supportai.domain.telegram.models import TelegramBot
from supportai.domain.tenants.service import get_settings
from supportai.integrations.ratelimit import RedisRateLimiter
from supportai.integrations.telegram import (
    DispatchMode,
    FloodWait,
    Messenger,
    ProviderChat,
    SendFailed,
    SendResult,
    SentMessage,
    TelegramError,
    Userbot,
    send_to_provider,
)
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.dispatch")

MAX_SEND_FAILURES = 5  # then the requests go to the owner's review queue
MAX_BACKOFF_S = 3600


class SendLater(Exception):
    """The job must run again in `seconds` (Telegram asked to wait, or a send failed)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"send again in {seconds} s")
        self.seconds = seconds


class ProviderUserbot(Userbot, Protocol):
    """The owner's account as dispatch uses it: send, and look a chat up once."""

    async def resolve_chat(self, username: str) -> ProviderChat: ...


async def send_message(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID,
                       userbot: ProviderUserbot | None) -> bool:
    """Send one claimed message, and record how it went. False when it was given up on."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        message = await session.get_one(ProviderMessage, message_id)
        mode = DispatchMode((await get_settings(session)).dispatch_mode)
        account = await provider_account(session, message.provider)
        chat = (provider_chat(account) if account else None) or typed_chat(message.chat)
        bot = await tenant_bot(session)
        account_sender = await _usable_userbot(session, userbot) if mode is not DispatchMode.BOT else None
        text = message.text
        await uow.commit()  # an account whose flood wait is over is connected again
    if account_sender is not None:
        chat = await _resolve_for_userbot(runtime, tenant_id, message.provider, account_sender, chat)
    limiter = RedisRateLimiter(runtime.redis, requests=1, per_seconds=1)  # ~1 message/s per chat
    await limiter.acquire(f"telegram:{tenant_id}:{chat.chat_id or chat.username}")

    userbot_sent = _Recorded(account_sender) if account_sender is not None else None
    try:
        async with _bot_messenger(runtime, bot) as bot_messenger:
            bot_sent = _Recorded(bot_messenger)
            result = await send_to_provider(mode, text, chat, bot_sent, userbot_sent)
    except FloodWait as wait:
        await _send_refused(runtime, tenant_id, message_id, wait)
        raise SendLater(wait.seconds) from wait
    except TelegramError as error:
        retry_in = await _send_refused(runtime, tenant_id, message_id, error)
        if retry_in is not None:
            raise SendLater(retry_in) from error
        return False
    recorded = bot_sent if result.channel_used == "bot" else userbot_sent
    await _record_sent(runtime, tenant_id, message_id, result, chat, recorded.sent if recorded else None)
    return True


async def _usable_userbot(session: AsyncSession, userbot: ProviderUserbot | None) -> ProviderUserbot | None:
    """The owner's account, unless it is not logged in or still in a long flood wait."""
    if userbot is None:
        return None
    account = await session.scalar(sa.select(UserbotAccount))
    if account is None:
        return None
    if account.state == UserbotState.FLOOD_WAIT:
        if account.flood_wait_until is not None and account.flood_wait_until > utcnow():
            return None
        account.state, account.flood_wait_until = UserbotState.CONNECTED, None
    return userbot if account.state == UserbotState.CONNECTED else None


async def _resolve_for_userbot(
    runtime: Runtime, tenant_id: uuid.UUID, provider: str, userbot: ProviderUserbot, chat: ProviderChat
) -> ProviderChat:
    """The owner's account reaches a chat by id only with its access hash, which a session
    does not keep: look the username up once and store the answer with the provider."""
    if chat.access_hash is not None or not chat.username:
        return chat
    try:
        resolved = await userbot.resolve_chat(chat.username)
    except TelegramError as exc:  # the send itself will try the username, then the bot
        log.warning("provider_chat_not_resolved", provider=provider, chat=chat.username, error=exc.reason)
        return chat
    async with runtime.db.unit_of_work(tenant_id) as uow:
        account = await provider_account(uow.session, provider)
        if account is not None:
            remember_chat(account, resolved)
        await uow.commit()
    return resolved


async def _send_refused(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID,
                        error: TelegramError) -> int | None:
    """Put a message Telegram did not take back in line. Returns the seconds until the
    next try, or None when it failed too often and its requests were escalated."""
    now = utcnow()
    wait = error.seconds if isinstance(error, FloodWait) else None
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        message = await session.get_one(ProviderMessage, message_id)
        message.error = _describe(error)[:500]
        outcome = "deferred" if wait is not None else "failed"
        message.attempts = [*message.attempts, _attempt(now, outcome, error=message.error, flood_wait_s=wait)]
        failures = sum(1 for attempt in message.attempts if attempt["outcome"] == "failed")
        if wait is None and failures >= MAX_SEND_FAILURES:
            message.status = ProviderMessageStatus.FAILED
            reason = f"could not message {message.provider} on Telegram: {message.error}"
            for item, request in await _items_of(session, message):
                item.status = DispatchStatus.ESCALATED
                escalate(session, request, reason)
            await notify(session, OwnerEvent.PROVIDER_UNREACHABLE, f"gave-up:{message.id}",
                         f"Could not message provider {message.provider} on Telegram",
                         f'Gave up on "{message.text}" after {failures} failed sends ({message.error}). '
                         "The requests are in your review queue.", "/queue")
            retry_in = None
        else:
            retry_in = wait if wait is not None else min(60 * 2 ** (failures - 1), MAX_BACKOFF_S)
            message.status = ProviderMessageStatus.PENDING
            message.retry_at = now + timedelta(seconds=retry_in)
        await uow.commit()
    return retry_in


async def _record_sent(
    runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID, result: SendResult, chat: ProviderChat,
    landed: SentMessage | None,
) -> None:
    now = utcnow()
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        message = await session.get_one(ProviderMessage, message_id)
        message.status = ProviderMessageStatus.SENT
        message.channel = result.channel_used
        message.telegram_message_id = result.message_id
        message.telegram_chat_id = landed.chat_id if landed is not None else chat.chat_id
        message.sent_at, message.retry_at, message.error = now, None, None
        message.attempts = [
            *message.attempts,
            *(_attempt(now, "fell_back", channel=f.channel, error=f.error,
                       flood_wait_s=f.flood_wait_s) for f in result.attempts),
            _attempt(now, "sent", channel=result.channel_used, message_id=result.message_id),
        ]
        for item, request in await _items_of(session, message):
            item.status = DispatchStatus.SENT
            log_event(
                session, request, "provider_message_sent", channel=result.channel_used,
                message_id=result.message_id, provider_message_id=str(message.id), text=message.text,
            )
        account = await provider_account(session, message.provider)
        if account is not None and message.telegram_chat_id is not None:
            remember_chat(account, ProviderChat(
                chat_id=message.telegram_chat_id, username=chat.username, access_hash=chat.access_hash
            ))
        await _rest_throttled_userbot(session, result, now)
        await uow.commit()


async def _rest_throttled_userbot(session: AsyncSession, result: SendResult, now: datetime) -> None:
    """A flood wait too long to wait out: the bot sent meanwhile, and the account rests until then."""
    throttled = [f for f in result.attempts if f.channel == "userbot" and f.flood_wait_s]
    if not throttled:
        return
    userbot = await session.scalar(sa.select(UserbotAccount))
    if userbot is not None:
        userbot.state = UserbotState.FLOOD_WAIT
        userbot.flood_wait_until = now + timedelta(seconds=max(f.flood_wait_s or 0 for f in throttled))


async def _items_of(session: AsyncSession, message: ProviderMessage) -> Sequence[tuple[DispatchItem, SupportRequest]]:
    return (await session.execute(
        sa.select(DispatchItem, SupportRequest)
        .join(SupportRequest, SupportRequest.id == DispatchItem.request_id)
        .where(DispatchItem.provider_message_id == message.id)
        .order_by(DispatchItem.created_at)
    )).tuples().all()


async def requests_of(session: AsyncSession, message: ProviderMessage) -> list[SupportRequest]:
    return [request for _, request in await _items_of(session, message)]


def _attempt(at: datetime, outcome: str, **detail: Any) -> dict[str, Any]:
    """One line of ProviderMessage.attempts: sent | fell_back (a channel failed, the next
    one was tried) | deferred (Telegram asked to wait) | failed."""
    return {"at": at.isoformat(), "outcome": outcome, **{k: v for k, v in detail.items() if v is not None}}


def _describe(error: TelegramError) -> str:
    """The error with the notes send_to_provider adds (what failed before it)."""
    return "; ".join([error.reason, *getattr(error, "__notes__", [])])


class _NoBot:
    """The bot channel of a tenant without a bot: every send fails, and is retried."""

    async def send(self, chat_id: int | str, text: str, reply_to: int | None = None) -> SentMessage:
        raise SendFailed("no Telegram bot is connected for this tenant")


@asynccontextmanager
async def _bot_messenger(runtime: Runtime, bot: TelegramBot | None) -> AsyncIterator[Messenger]:
    if bot is None:
        yield _NoBot()
        return
    async with messenger_for(runtime, bot) as messenger:
        yield messenger


class _Recorded:
    """A channel that keeps the message it sent: SendResult has no chat id, and replies in
    a group arrive with the numeric chat id only, so it is stored with the message."""

    def __init__(self, channel: Any) -> None:
        self._channel = channel
        self.sent: SentMessage | None = None

    def is_connected(self) -> bool:
        return self._channel.is_connected()

    async def send(self, *args: Any, **kwargs: Any) -> SentMessage:
        self.sent = await self._channel.send(*args, **kwargs)
        return self.sent
