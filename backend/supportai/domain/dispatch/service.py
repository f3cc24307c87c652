"""Provider dispatch: forwarded requests reach the provider's Telegram chat as one message
per provider and action, in the providers' own form ("48213, 48214 speed up").

Batching. The first pending item of a (provider, action) opens a window of the tenant's
`dispatch_window_s` (default 60 s; 0 sends at once). `schedule_dispatch` enqueues one job
per window, named after the item that opened it and due when the window closes; the job
sends, as one message, every item that was pending by then.

Never twice, never lost:
- the job commits its message as `sending` (with its items claimed) BEFORE the send. A job
  that finds a message still `sending` knows a run was interrupted mid-send: it may have
  gone out, so it is marked `unknown`, never repeated, and the owner is asked to check;
- one job at a time per (tenant, provider, action) (a Redis lock), so a `sending` message
  is never one that another job is sending right now;
- a send Telegram refused goes back to `pending` with `retry_at`, and the job is deferred
  (`SendLater`, which the worker turns into arq's Retry): by the flood wait Telegram asked
  for, or by a backoff after an error; MAX_SEND_FAILURES errors escalate its requests;
- the sweeper (`sweep_dispatch`, every minute) re-schedules what a lost job left behind.

Where it runs: every dispatch job runs on the userbot worker (`supportai userbot`,
USERBOT_QUEUE), whatever the tenant's dispatch mode. That process holds the owners'
Telegram accounts, and a tenant may switch modes between scheduling and sending; the bot
channel works from there as well.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from enum import StrEnum
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
from supportai.domain.dispatch.userbot import USERBOT_QUEUE
from supportai.domain.requests.events import escalate, log_event
from supportai.domain.requests.models import WITH_PROVIDER, DispatchItem, SupportRequest
from supportai.domain.telegram.bots import messenger_for, notify_owner, tenant_bot
from supportai.domain.telegram.models import (
    ProviderMessage,
    ProviderMessageStatus,
    TelegramBot,
    UserbotAccount,
    UserbotState,
)
from supportai.domain.tenants.models import TenantSettings
from supportai.domain.tenants.service import get_settings
from supportai.integrations.ratelimit import RedisRateLimiter
from supportai.integrations.telegram import (
    DispatchMode,
    FloodWait,
    Messenger,
    ProviderAction,
    ProviderChat,
    SendFailed,
    SendResult,
    SentMessage,
    TelegramError,
    Userbot,
    provider_batch_text,
    send_to_provider,
)
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.dispatch")

DISPATCH_JOB = "dispatch_provider_batch"  # the job's name in workers/jobs.py
MAX_ORDERS_PER_MESSAGE = 100  # well inside Telegram's 4096 characters, and still readable
MAX_SEND_FAILURES = 5  # then the requests go to the owner's review queue
MAX_BACKOFF_S = 3600
DEFAULT_WINDOW_S = 60  # TenantSettings.dispatch_window_s, for a tenant that never saved settings
SWEEP_GRACE = timedelta(minutes=1)  # a window closed this long ago and still pending lost its job
LOCK_TIMEOUT_S = 300  # the userbot worker's job timeout: a lock never outlives its job
# A deferred job may wake a little before `retry_at` (two clocks): close enough is due.
RETRY_TOLERANCE = timedelta(seconds=1)


class DispatchStatus(StrEnum):
    """DispatchItem.status."""

    PENDING = "pending"  # waiting for its window to close
    BATCHED = "batched"  # carried by a ProviderMessage (sending, deferred, unknown...)
    SENT = "sent"
    ESCALATED = "escalated"  # could not be sent: its request is in the owner's review queue
    WITHDRAWN = "withdrawn"  # its request was closed or escalated before the window closed


class SendLater(Exception):
    """The job must run again in `seconds` (Telegram asked to wait, or a send failed)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"send again in {seconds} s")
        self.seconds = seconds


class ProviderUserbot(Userbot, Protocol):
    """The owner's account as dispatch uses it: send, and look a chat up once."""

    async def resolve_chat(self, username: str) -> ProviderChat: ...


# --- scheduling ---------------------------------------------------------------------------


async def schedule_dispatch(runtime: Runtime, tenant_id: uuid.UUID) -> int:
    """Make sure a job will send each (provider, action) that has pending items when its
    window closes. Safe to call any number of times; returns the number of open windows."""
    async with runtime.db.tenant_session(tenant_id) as session:
        window = timedelta(seconds=(await get_settings(session)).dispatch_window_s)
        openings = await _window_openings(session)
    for item in openings:
        await enqueue_dispatch(
            runtime, tenant_id, item.provider, item.action, key=str(item.id), at=item.created_at + window
        )
    return len(openings)


async def enqueue_dispatch(
    runtime: Runtime, tenant_id: uuid.UUID, provider: str, action: str, *, key: str, at: datetime | None = None
) -> None:
    """One job per `key`: arq refuses a second job with the same id."""
    await runtime.queue.enqueue_job(
        DISPATCH_JOB, str(tenant_id), provider, action,
        _job_id=f"dispatch:{tenant_id}:{provider}:{action}:{key}",
        _defer_until=at,
        _queue_name=USERBOT_QUEUE,
    )


async def _window_openings(session: AsyncSession) -> list[DispatchItem]:
    """The oldest pending item of each (provider, action): it opened the current window."""
    items = await session.scalars(
        sa.select(DispatchItem)
        .where(DispatchItem.status == DispatchStatus.PENDING, DispatchItem.action.in_(list(ProviderAction)))
        .order_by(DispatchItem.created_at)
    )
    openings: dict[tuple[str, str], DispatchItem] = {}
    for item in items:
        openings.setdefault((item.provider, item.action), item)
    return list(openings.values())


async def sweep_dispatch(runtime: Runtime) -> int:
    """Every minute: schedule what lost jobs left behind, for every tenant. That is windows
    that closed over a minute ago with items still pending, deferred messages now due, and
    messages left `sending` (a job that finds its lock free marks them `unknown`)."""
    now = utcnow()
    async with runtime.db.system_session() as session:
        pending = (await session.execute(
            sa.select(
                DispatchItem.tenant_id, DispatchItem.provider, DispatchItem.action,
                sa.func.min(DispatchItem.created_at),
            )
            .where(DispatchItem.status == DispatchStatus.PENDING, DispatchItem.action.in_(list(ProviderAction)))
            .group_by(DispatchItem.tenant_id, DispatchItem.provider, DispatchItem.action)
        )).all()
        windows: dict[uuid.UUID, int] = dict((await session.execute(
            sa.select(TenantSettings.tenant_id, TenantSettings.dispatch_window_s)
            .where(TenantSettings.tenant_id.in_({row[0] for row in pending}))
        )).tuples().all())
        unfinished = (await session.execute(
            sa.select(ProviderMessage.tenant_id, ProviderMessage.provider, ProviderMessage.action)
            .where(sa.or_(
                ProviderMessage.status == ProviderMessageStatus.SENDING,
                sa.and_(
                    ProviderMessage.status == ProviderMessageStatus.PENDING,
                    sa.or_(ProviderMessage.retry_at.is_(None), ProviderMessage.retry_at <= now),
                ),
            ))
            .distinct()
        )).tuples().all()
    due = {
        (tenant_id, provider, action)
        for tenant_id, provider, action, oldest in pending
        if oldest + timedelta(seconds=windows.get(tenant_id, DEFAULT_WINDOW_S)) + SWEEP_GRACE <= now
    } | set(unfinished)
    minute = int(now.timestamp() // 60)
    for tenant_id, provider, action in due:
        await enqueue_dispatch(runtime, tenant_id, provider, action, key=f"sweep:{minute}")
    return len(due)


# --- the job ------------------------------------------------------------------------------


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
            if await _send(runtime, tenant_id, message_id, userbot):
                sent += 1
        return sent
    finally:
        await lock.release()


async def _claim_next_message(
    runtime: Runtime, tenant_id: uuid.UUID, provider: str, action: str, cutoff: datetime
) -> uuid.UUID | None:
    """The next message to send, committed as `sending`; None when nothing is due."""
    notices: list[str] = []
    async with runtime.db.tenant_session(tenant_id) as session:
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
                notices.append(await _mark_unknown(session, message))
        deferred = next((m for m in unfinished if m.status == ProviderMessageStatus.PENDING), None)
        if deferred is not None:
            # Later messages to this provider must not overtake it: wait for its turn.
            if deferred.retry_at is not None and deferred.retry_at > utcnow() + RETRY_TOLERANCE:
                claimed = None
            else:
                deferred.status = ProviderMessageStatus.SENDING
                claimed = deferred.id
        else:
            claimed, notice = await _new_message(session, provider, action, cutoff)
            if notice:
                notices.append(notice)
    for notice in notices:
        await notify_owner(runtime, tenant_id, notice)
    return claimed


async def _mark_unknown(session: AsyncSession, message: ProviderMessage) -> str:
    """An interrupted send may have reached Telegram: never repeat it, ask the owner."""
    message.status = ProviderMessageStatus.UNKNOWN
    message.error = "interrupted while sending; it may or may not have reached the provider"
    for request in await _requests_of(session, message):
        log_event(session, request, "provider_message_unknown", provider_message_id=str(message.id), text=message.text)
    return (
        f"A message to provider {message.provider} was interrupted while sending, so it may or may "
        f'not have arrived: "{message.text}" (chat {message.chat}). Please check that chat; it '
        "will not be sent again automatically."
    )


async def _new_message(
    session: AsyncSession, provider: str, action: str, cutoff: datetime
) -> tuple[uuid.UUID | None, str | None]:
    """Claim the pending items into a new `sending` message. Returns its id (None when
    nothing is pending) and a notice for the owner when the items cannot be sent at all."""
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
            return None, None
        batch = []
        for item, request in rows:
            if request.status in WITH_PROVIDER:  # a reminder may follow an acknowledgement
                batch.append((item, request))
            else:
                item.status = DispatchStatus.WITHDRAWN
                log_event(session, request, "dispatch_withdrawn", status=request.status)
        if batch:
            break

    account = await provider_account(session, provider)
    if account is None or not account.telegram_chat:
        reason = f"no Telegram chat set for provider {provider}"
        for item, request in batch:
            item.status = DispatchStatus.ESCALATED
            escalate(session, request, reason)
        return None, (
            f"{len(batch)} request(s) for provider {provider} could not be forwarded: {reason}. "
            "They are in your review queue; add the provider's chat in its settings."
        )

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
    return message.id, None


async def _send(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID, userbot: ProviderUserbot | None) -> bool:
    """Send one claimed message, and record how it went. False when it was given up on."""
    async with runtime.db.tenant_session(tenant_id) as session:
        message = await session.get_one(ProviderMessage, message_id)
        mode = DispatchMode((await get_settings(session)).dispatch_mode)
        account = await provider_account(session, message.provider)
        chat = (provider_chat(account) if account else None) or typed_chat(message.chat)
        bot = await tenant_bot(session)
        account_sender = await _usable_userbot(session, userbot) if mode is not DispatchMode.BOT else None
        text = message.text
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
    async with runtime.db.tenant_session(tenant_id) as session:
        account = await provider_account(session, provider)
        if account is not None:
            remember_chat(account, resolved)
    return resolved


async def _send_refused(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID, error: TelegramError) -> int | None:
    """Put a message Telegram did not take back in line. Returns the seconds until the
    next try, or None when it failed too often and its requests were escalated."""
    now = utcnow()
    wait = error.seconds if isinstance(error, FloodWait) else None
    notice = None
    async with runtime.db.tenant_session(tenant_id) as session:
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
            notice = f'Giving up on "{message.text}" to provider {message.provider} after {failures} failed sends ({message.error}). The requests are in your review queue.'
            retry_in = None
        else:
            retry_in = wait if wait is not None else min(60 * 2 ** (failures - 1), MAX_BACKOFF_S)
            message.status = ProviderMessageStatus.PENDING
            message.retry_at = now + timedelta(seconds=retry_in)
    if notice:
        await notify_owner(runtime, tenant_id, notice)
    return retry_in


async def _record_sent(
    runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID, result: SendResult, chat: ProviderChat,
    landed: SentMessage | None,
) -> None:
    now = utcnow()
    async with runtime.db.tenant_session(tenant_id) as session:
        message = await session.get_one(ProviderMessage, message_id)
        message.status = ProviderMessageStatus.SENT
        message.channel = result.channel_used
        message.telegram_message_id = result.message_id
        message.telegram_chat_id = landed.chat_id if landed is not None else chat.chat_id
        message.sent_at, message.retry_at, message.error = now, None, None
        message.attempts = [
            *message.attempts,
            *(_attempt(now, "fell_back", channel=f.channel, error=f.error, flood_wait_s=f.flood_wait_s) for f in result.attempts),
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
        throttled = [f for f in result.attempts if f.channel == "userbot" and f.flood_wait_s]
        if throttled:
            # Too long to wait: the bot sends meanwhile, and the account rests until then.
            userbot = await session.scalar(sa.select(UserbotAccount))
            if userbot is not None:
                userbot.state = UserbotState.FLOOD_WAIT
                userbot.flood_wait_until = now + timedelta(seconds=max(f.flood_wait_s or 0 for f in throttled))


# --- helpers ------------------------------------------------------------------------------


async def _items_of(session: AsyncSession, message: ProviderMessage) -> Sequence[tuple[DispatchItem, SupportRequest]]:
    return (await session.execute(
        sa.select(DispatchItem, SupportRequest)
        .join(SupportRequest, SupportRequest.id == DispatchItem.request_id)
        .where(DispatchItem.provider_message_id == message.id)
        .order_by(DispatchItem.created_at)
    )).tuples().all()


async def _requests_of(session: AsyncSession, message: ProviderMessage) -> list[SupportRequest]:
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
