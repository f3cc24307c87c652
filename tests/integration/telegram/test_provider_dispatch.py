"""Choosing the channel to a provider: the owner's bot (aiogram, over HTTP to the Bot
API stand-in, whose log is the witness) and the owner's account (FakeUserbot, raising
real Telethon errors through the production error mapping)."""

from __future__ import annotations

import httpx
import pytest
from telethon.errors import ChatWriteForbiddenError, FloodWaitError

from supportai.integrations.telegram import (
    BotMessenger,
    DispatchMode,
    FloodWait,
    ProviderChat,
    SendFailed,
    SendResult,
    send_to_provider,
)
from supportai.integrations.telegram.fakes import FakeUserbot
from tests.integration.telegram.support import PROVIDER_CHAT_ID, sent_texts

TEXT = "48213, 48214 refill"


@pytest.mark.parametrize("mode", [DispatchMode.USERBOT, DispatchMode.BOTH])
async def test_a_working_userbot_sends_and_the_bot_stays_silent(
    mode: DispatchMode,
    bot_messenger: BotMessenger,
    provider_chat: ProviderChat,
    control: httpx.AsyncClient,
) -> None:
    userbot = FakeUserbot()

    result = await send_to_provider(mode, TEXT, provider_chat, bot_messenger, userbot)

    assert result == SendResult(channel_used="userbot", message_id=1, attempts=[])
    assert userbot.sent == [(provider_chat, TEXT)]
    assert await sent_texts(control) == []


async def test_bot_mode_never_uses_the_userbot(
    bot_messenger: BotMessenger, provider_chat: ProviderChat, control: httpx.AsyncClient
) -> None:
    userbot = FakeUserbot()

    result = await send_to_provider(DispatchMode.BOT, TEXT, provider_chat, bot_messenger, userbot)

    assert (result.channel_used, result.message_id) == ("bot", 1)
    assert userbot.sent == []
    assert await sent_texts(control) == [TEXT]


@pytest.mark.parametrize("mode", [DispatchMode.USERBOT, DispatchMode.BOTH])
@pytest.mark.parametrize(
    ("userbot", "error"),
    [
        (None, "no userbot connected for this tenant"),
        (FakeUserbot(connected=False), "userbot is disconnected"),
        (
            FakeUserbot(failure=ChatWriteForbiddenError(request=None)),
            "You can't write in this chat",
        ),
    ],
    ids=["no-userbot", "disconnected", "write-forbidden"],
)
async def test_a_failing_userbot_falls_back_to_the_bot_once(
    mode: DispatchMode,
    userbot: FakeUserbot | None,
    error: str,
    bot_messenger: BotMessenger,
    provider_chat: ProviderChat,
    control: httpx.AsyncClient,
) -> None:
    result = await send_to_provider(mode, TEXT, provider_chat, bot_messenger, userbot)

    assert (result.channel_used, result.message_id) == ("bot", 1)
    [failure] = result.attempts
    assert failure.channel == "userbot" and error in failure.error
    assert await sent_texts(control) == [TEXT]


@pytest.mark.parametrize("mode", [DispatchMode.USERBOT, DispatchMode.BOTH])
async def test_a_long_userbot_flood_wait_switches_the_send_to_the_bot(
    mode: DispatchMode,
    bot_messenger: BotMessenger,
    provider_chat: ProviderChat,
    control: httpx.AsyncClient,
) -> None:
    userbot = FakeUserbot(failure=FloodWaitError(request=None, capture=3600))

    result = await send_to_provider(
        mode, TEXT, provider_chat, bot_messenger, userbot, long_flood_wait_s=300
    )

    assert result.channel_used == "bot"
    assert [(a.channel, a.flood_wait_s) for a in result.attempts] == [("userbot", 3600)]
    assert await sent_texts(control) == [TEXT]


async def test_a_short_userbot_flood_wait_defers_in_userbot_mode(
    bot_messenger: BotMessenger, provider_chat: ProviderChat, control: httpx.AsyncClient
) -> None:
    userbot = FakeUserbot(failure=FloodWaitError(request=None, capture=30))

    with pytest.raises(FloodWait) as flood:
        await send_to_provider(
            DispatchMode.USERBOT, TEXT, provider_chat, bot_messenger, userbot, long_flood_wait_s=300
        )

    assert flood.value.seconds == 30
    assert await sent_texts(control) == []


async def test_a_short_userbot_flood_wait_uses_the_bot_in_both_mode(
    bot_messenger: BotMessenger, provider_chat: ProviderChat, control: httpx.AsyncClient
) -> None:
    userbot = FakeUserbot(failure=FloodWaitError(request=None, capture=30))

    result = await send_to_provider(
        DispatchMode.BOTH, TEXT, provider_chat, bot_messenger, userbot, long_flood_wait_s=300
    )

    assert result.channel_used == "bot"
    assert await sent_texts(control) == [TEXT]


@pytest.mark.parametrize(
    ("mode", "userbot"),
    [
        (DispatchMode.BOT, None),
        (DispatchMode.BOTH, FakeUserbot(failure=ChatWriteForbiddenError(request=None))),
    ],
    ids=["bot", "both-after-userbot-failure"],
)
async def test_a_bot_429_is_raised_for_the_caller_to_defer_and_nothing_is_sent(
    mode: DispatchMode,
    userbot: FakeUserbot | None,
    bot_messenger: BotMessenger,
    provider_chat: ProviderChat,
    control: httpx.AsyncClient,
) -> None:
    await control.post(f"/_tg/chats/{PROVIDER_CHAT_ID}/flood", json={"count": 1, "retry_after": 42})

    with pytest.raises(FloodWait) as flood:
        await send_to_provider(mode, TEXT, provider_chat, bot_messenger, userbot)

    assert flood.value.seconds == 42
    assert await sent_texts(control) == []


async def test_when_no_channel_can_send_the_bot_error_names_the_userbot_failure(
    bot_messenger: BotMessenger, control: httpx.AsyncClient
) -> None:
    unknown_chat = ProviderChat(chat_id=4242)
    userbot = FakeUserbot(connected=False)

    with pytest.raises(SendFailed, match="chat not found") as failed:
        await send_to_provider(DispatchMode.BOTH, TEXT, unknown_chat, bot_messenger, userbot)

    assert failed.value.__notes__ == ["userbot failed first: userbot is disconnected"]
    assert await sent_texts(control, chat_id=4242) == []
