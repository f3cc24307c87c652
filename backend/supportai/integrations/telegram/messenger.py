"""Which channel carries a message to a provider: the owner's bot, the owner's own
account (userbot), or the account with the bot as fallback (spec/rules.md,
"Provider dispatch").

Nothing here sleeps or retries: a rate-limited send raises FloodWait for the job to
be deferred, and a message is sent at most once per call.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from supportai.integrations.telegram.ports import (
    Channel,
    FloodWait,
    Messenger,
    ProviderChat,
    SendFailed,
    SentMessage,
    TelegramError,
    Userbot,
)

# A userbot flood wait up to this long is waited out (the job is deferred) in
# `userbot` mode; a longer one sends through the bot now.
DEFAULT_LONG_FLOOD_WAIT_S = 300


class DispatchMode(StrEnum):
    BOT = "bot"  # the owner's bot only
    USERBOT = "userbot"  # the owner's account; the bot when the account can't send
    BOTH = "both"  # the owner's account first, the bot on any failure


class ChannelFailure(msgspec.Struct, frozen=True):
    channel: Channel
    error: str
    flood_wait_s: int | None = None  # set when Telegram asked this channel to wait


class SendResult(msgspec.Struct, frozen=True):
    channel_used: Channel
    message_id: int
    attempts: list[ChannelFailure]  # the failures before the send that worked


async def send_to_provider(
    mode: DispatchMode,
    text: str,
    chat: ProviderChat,
    bot: Messenger,
    userbot: Userbot | None,
    *,
    long_flood_wait_s: int = DEFAULT_LONG_FLOOD_WAIT_S,
) -> SendResult:
    """Send `text` to a provider's chat through the channel(s) `mode` allows.

    Raises FloodWait when the send must wait (the caller defers the job by that many
    seconds), another TelegramError when no channel could send (the caller retries).
    A `userbot` failure with flood_wait_s tells the caller the account is throttled.
    """
    failures: list[ChannelFailure] = []
    if mode is not DispatchMode.BOT:
        try:
            sent = await _send_by_userbot(userbot, chat, text)
        except FloodWait as wait:
            if mode is DispatchMode.USERBOT and wait.seconds <= long_flood_wait_s:
                raise
            failures.append(ChannelFailure("userbot", wait.reason, flood_wait_s=wait.seconds))
        except TelegramError as exc:
            failures.append(ChannelFailure("userbot", exc.reason))
        else:
            return SendResult(channel_used="userbot", message_id=sent.message_id, attempts=[])

    try:
        sent = await bot.send(chat.bot_target, text)
    except TelegramError as exc:
        for failure in failures:
            exc.add_note(f"{failure.channel} failed first: {failure.error}")
        raise
    return SendResult(channel_used="bot", message_id=sent.message_id, attempts=failures)


async def _send_by_userbot(userbot: Userbot | None, chat: ProviderChat, text: str) -> SentMessage:
    if userbot is None:
        raise SendFailed("no userbot connected for this tenant")
    if not userbot.is_connected():
        raise SendFailed("userbot is disconnected")
    return await userbot.send(chat, text)
