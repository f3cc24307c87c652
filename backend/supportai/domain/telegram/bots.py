"""Registering the tenant's bot, and sending through it (customers, owner)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import sqlalchemy as sa
import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.telegram.models import TelegramBot
from supportai.errors import Conflict, InvalidInput, NotFound, UpstreamUnavailable
from supportai.integrations.telegram import (
    BotMessenger,
    InvalidBotToken,
    TelegramError,
    delete_webhook,
    set_webhook,
    validate_token,
)
from supportai.runtime import Runtime
from supportai.security import token_hash

log = structlog.get_logger("supportai.telegram")


def webhook_url(runtime: Runtime, bot_id: uuid.UUID) -> str:
    """Routed by our row id, never by the token (tokens must not reach access logs)."""
    return f"{runtime.settings.public_base_url}/telegram/webhook/{bot_id}"


async def tenant_bot(session: AsyncSession) -> TelegramBot | None:
    return await session.scalar(sa.select(TelegramBot).order_by(TelegramBot.created_at).limit(1))


UPDATE_STAMP_EVERY = timedelta(minutes=1)


def note_update(bot: TelegramBot) -> None:
    """Stamp the bot's last update; once a minute at most, so a busy bot writes its row rarely."""
    now = utcnow()
    if bot.last_update_at is None or now - bot.last_update_at >= UPDATE_STAMP_EVERY:
        bot.last_update_at = now


async def register_bot(runtime: Runtime, session: AsyncSession, actor: Principal, token: str) -> TelegramBot:
    api = runtime.settings.telegram_api_base
    try:
        identity = await validate_token(token, api)
    except InvalidBotToken as exc:
        raise InvalidInput("Telegram does not accept this bot token.", field="token") from exc
    except TelegramError as exc:  # unreachable, or an answer that is not the Bot API's
        raise UpstreamUnavailable(f"Telegram could not be reached to check the token: {exc}") from exc
    # Before the webhook is set: setting it would take the bot's updates from its tenant.
    await _ensure_not_held_elsewhere(runtime, actor.tenant_id, identity.id)
    bot = await session.scalar(sa.select(TelegramBot).where(TelegramBot.telegram_id == identity.id)) or TelegramBot(
        id=uuid.uuid4(), telegram_id=identity.id
    )
    secret = secrets.token_urlsafe(32)
    bot.username = identity.username
    bot.token_encrypted = runtime.secrets.encrypt(token)
    bot.webhook_secret_hash = token_hash(secret)
    bot.webhook_url = webhook_url(runtime, bot.id)
    session.add(bot)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # another tenant connected it a moment ago
        raise _held_elsewhere() from exc
    try:
        await set_webhook(token, bot.webhook_url, secret, api)
    except TelegramError as exc:
        raise InvalidInput(f"Telegram refused the webhook: {exc}") from exc
    record(session, "telegram.bot_registered", actor=actor, target=f"@{bot.username}")
    return bot


async def _ensure_not_held_elsewhere(runtime: Runtime, tenant_id: uuid.UUID, telegram_id: int) -> None:
    # The one cross-tenant read here, by the unique Telegram id: only whether it is taken.
    async with runtime.db.unit_of_work(None) as uow:
        holder = await uow.session.scalar(
            sa.select(TelegramBot.tenant_id).where(TelegramBot.telegram_id == telegram_id)
        )
    if holder is not None and holder != tenant_id:
        raise _held_elsewhere()


def _held_elsewhere() -> Conflict:
    return Conflict(
        "This bot is already connected to another SupportAI account. Disconnect it there, "
        "or create a new bot with @BotFather for this account.",
        field="token",
    )


async def remove_bot(runtime: Runtime, session: AsyncSession, actor: Principal, bot_id: uuid.UUID) -> None:
    bot = await session.get(TelegramBot, bot_id)
    if bot is None:
        raise NotFound("No such bot.")
    try:
        await delete_webhook(runtime.secrets.decrypt(bot.token_encrypted), runtime.settings.telegram_api_base)
    except TelegramError as exc:  # the token may be revoked already; forget the bot anyway
        log.warning("delete_webhook_failed", bot=bot.username, error=str(exc))
    await session.delete(bot)
    record(session, "telegram.bot_removed", actor=actor, target=f"@{bot.username}")


@asynccontextmanager
async def messenger_for(runtime: Runtime, bot: TelegramBot) -> AsyncIterator[BotMessenger]:
    async with BotMessenger(runtime.secrets.decrypt(bot.token_encrypted), runtime.settings.telegram_api_base) as m:
        yield m
