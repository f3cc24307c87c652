"""The panel owner's bot, over the Bot API with aiogram.

Every function takes `api_base` so the same code talks to api.telegram.org in
production and to the local stand-in (supportai.simulator.telegram) in tests.

aiogram is imported where it is used, not with this module: its types take seconds to
load, and every API process reaches this module (owner notices, bot setup) but most
never call Telegram, so they start without paying for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import msgspec

from supportai.integrations.telegram.ports import (
    FloodWait,
    IncomingTelegramMessage,
    SendFailed,
    SentMessage,
    TelegramError,
)

if TYPE_CHECKING:
    from aiogram import Bot

TELEGRAM_API_BASE = "https://api.telegram.org"

# The update types parse_update understands; Telegram sends nothing else.
ALLOWED_UPDATES = ["message"]


class BotIdentity(msgspec.Struct, frozen=True):
    id: int
    username: str


class InvalidBotToken(TelegramError):
    """The token is malformed or Telegram does not know it (revoked, mistyped)."""


class InvalidUpdate(ValueError):
    """A webhook body that is not a Bot API Update."""


def preload() -> None:
    """Import aiogram now (in a background thread after start-up), so the process answers
    at once and the first webhook or bot setup does not pay the import either."""
    import aiogram.client.session.aiohttp
    import aiogram.types  # noqa: F401


@contextmanager
def _telegram_errors(failure: type[TelegramError]) -> Iterator[None]:
    """Turn aiogram's exceptions into ours, so callers never import aiogram."""
    from aiogram.exceptions import (
        AiogramError,
        TelegramNotFound,
        TelegramRetryAfter,
        TelegramUnauthorizedError,
    )

    try:
        yield
    except TelegramRetryAfter as exc:
        raise FloodWait(exc.retry_after) from exc
    # The real API answers 404 to tokens that are not even shaped like one.
    except (TelegramUnauthorizedError, TelegramNotFound) as exc:
        raise InvalidBotToken(exc.message) from exc
    except AiogramError as exc:  # API errors, network errors, undecodable answers
        raise failure(str(exc)) from exc


@asynccontextmanager
async def _open_bot(token: str, api_base: str) -> AsyncIterator[Bot]:
    """An aiogram Bot whose HTTP session is closed on exit."""
    async with _make_bot(token, api_base).context() as bot:
        yield bot


def _make_bot(token: str, api_base: str) -> Bot:
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.utils.token import TokenValidationError

    try:
        return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))
    except TokenValidationError as exc:
        raise InvalidBotToken(str(exc)) from exc


async def validate_token(token: str, api_base: str = TELEGRAM_API_BASE) -> BotIdentity:
    """Who the token belongs to (getMe). Raises InvalidBotToken."""
    async with _open_bot(token, api_base) as bot:
        with _telegram_errors(TelegramError):
            me = await bot.get_me()
    # Bots always have a username; only user accounts may lack one.
    return BotIdentity(id=me.id, username=me.username or "")


async def set_webhook(token: str, url: str, secret: str, api_base: str = TELEGRAM_API_BASE) -> None:
    """Have Telegram POST updates to `url`, with `secret` in X-Telegram-Bot-Api-Secret-Token."""
    async with _open_bot(token, api_base) as bot:
        with _telegram_errors(TelegramError):
            await bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)


async def delete_webhook(token: str, api_base: str = TELEGRAM_API_BASE) -> None:
    async with _open_bot(token, api_base) as bot:
        with _telegram_errors(TelegramError):
            await bot.delete_webhook()


class BotMessenger:
    """Messenger over one bot. Close it (or use `async with`) to release its HTTP session."""

    def __init__(self, token: str, api_base: str = TELEGRAM_API_BASE) -> None:
        self._bot = _make_bot(token, api_base)

    async def send(self, chat_id: int | str, text: str, reply_to: int | None = None) -> SentMessage:
        # Plain text (no parse_mode): provider and customer texts must arrive verbatim.
        # A reply whose original is gone is still sent: losing the message is worse.
        from aiogram.types import ReplyParameters

        reply = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to is not None
            else None
        )
        with _telegram_errors(SendFailed):
            message = await self._bot.send_message(chat_id, text, reply_parameters=reply)
        return SentMessage(message_id=message.message_id, chat_id=message.chat.id, channel="bot")

    async def close(self) -> None:
        await self._bot.session.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


def parse_update(payload: dict[str, Any]) -> IncomingTelegramMessage | None:
    """The message in a webhook update, or None for update types we do not handle.

    Raises InvalidUpdate when the payload is not a Bot API Update at all.
    """
    from aiogram.types import Update
    from pydantic import ValidationError

    try:
        update = Update.model_validate(payload)
    except ValidationError as exc:
        raise InvalidUpdate(str(exc)) from exc
    message = update.message
    if message is None:
        return None
    sender = message.from_user
    largest_photo = message.photo[-1] if message.photo else None
    return IncomingTelegramMessage(
        update_id=update.update_id,
        chat_id=message.chat.id,
        message_id=message.message_id,
        from_user_id=sender.id if sender else None,
        from_username=sender.username if sender else None,
        text=message.text if message.text is not None else message.caption,
        has_photo=largest_photo is not None,
        photo_file_id=largest_photo.file_id if largest_photo else None,
        reply_to_message_id=(
            message.reply_to_message.message_id if message.reply_to_message else None
        ),
    )
