"""The Bot API stand-in, driven by the real aiogram client (through our bot adapter)
over real HTTP, with the stand-in's control API as the witness."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from litestar import Litestar, Request, Response, post

from supportai.integrations.telegram import (
    BotIdentity,
    BotMessenger,
    FloodWait,
    InvalidBotToken,
    ProviderChat,
    SendFailed,
    delete_webhook,
    parse_update,
    set_webhook,
    validate_token,
)
from supportai.simulator.server import serve_asgi
from supportai.simulator.telegram import TelegramState
from tests.integration.telegram.support import (
    BOT_ID,
    BOT_TOKEN,
    PROVIDER_CHAT_ID,
    sent_texts,
)

CUSTOMER_ID = 777001


async def test_get_me_identifies_a_registered_token(telegram_url: str) -> None:
    identity = await validate_token(BOT_TOKEN, api_base=telegram_url)

    assert identity == BotIdentity(id=BOT_ID, username="panel_support_bot")


@pytest.mark.parametrize("token", [f"{BOT_ID}:revoked", "not a token"])
async def test_unknown_or_malformed_token_is_invalid(telegram_url: str, token: str) -> None:
    with pytest.raises(InvalidBotToken):
        await validate_token(token, api_base=telegram_url)


async def test_error_answers_have_the_bot_api_shape(telegram_url: str) -> None:
    async with httpx.AsyncClient(base_url=telegram_url) as client:
        unauthorized = await client.get("/bot999:nope/getMe")
        unknown_method = await client.post(f"/bot{BOT_TOKEN}/sendPigeon")
        no_chat = await client.post(
            f"/bot{BOT_TOKEN}/sendMessage", json={"chat_id": 42, "text": "hello"}
        )

    assert (unauthorized.status_code, unauthorized.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert (unknown_method.status_code, unknown_method.json()["error_code"]) == (404, 404)
    assert (no_chat.status_code, no_chat.json()) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )


async def test_parameters_are_read_from_query_json_and_multipart(
    telegram_url: str, control: httpx.AsyncClient
) -> None:
    method_url = f"{telegram_url}/bot{BOT_TOKEN}/sendMessage"
    async with httpx.AsyncClient() as client:
        by_query = await client.get(method_url, params={"chat_id": PROVIDER_CHAT_ID, "text": "q"})
        by_json = await client.post(method_url, json={"chat_id": PROVIDER_CHAT_ID, "text": "j"})
        by_multipart = await client.post(
            method_url,
            data={"chat_id": str(PROVIDER_CHAT_ID), "text": "m"},
            files={"unused": ("note.txt", b"ignored")},  # forces multipart/form-data
        )

    assert [r.json()["ok"] for r in (by_query, by_json, by_multipart)] == [True, True, True]
    assert await sent_texts(control) == ["q", "j", "m"]


async def test_set_webhook_stores_url_and_secret(
    telegram_url: str, telegram_state: TelegramState
) -> None:
    await set_webhook(
        BOT_TOKEN, "https://supportai.example/tg/7", "s3cret-Token_1", api_base=telegram_url
    )

    webhook = telegram_state.bots[BOT_TOKEN].webhook
    assert webhook is not None
    assert (webhook.url, webhook.secret_token) == (
        "https://supportai.example/tg/7",
        "s3cret-Token_1",
    )
    async with _aiogram_bot(telegram_url) as bot:
        info = await bot.get_webhook_info()
    assert info.url == "https://supportai.example/tg/7"
    assert info.allowed_updates == ["message"]

    await delete_webhook(BOT_TOKEN, api_base=telegram_url)

    assert telegram_state.bots[BOT_TOKEN].webhook is None


async def test_send_message_is_recorded_with_increasing_ids_per_chat(
    bot_messenger: BotMessenger, control: httpx.AsyncClient
) -> None:
    await control.post("/_tg/chats", json={"id": 555, "type": "private", "first_name": "Ann"})

    first = await bot_messenger.send(PROVIDER_CHAT_ID, "48213 refill")
    second = await bot_messenger.send(PROVIDER_CHAT_ID, "551200 cancel", reply_to=first.message_id)
    other_chat = await bot_messenger.send(555, "hello")

    assert (first.message_id, second.message_id, other_chat.message_id) == (1, 2, 1)
    assert (first.chat_id, first.channel) == (PROVIDER_CHAT_ID, "bot")
    sent = (await control.get(f"/_tg/bots/{BOT_ID}/sent")).json()
    assert [(m["chat"]["id"], m["message_id"], m["text"]) for m in sent] == [
        (PROVIDER_CHAT_ID, 1, "48213 refill"),
        (PROVIDER_CHAT_ID, 2, "551200 cancel"),
        (555, 1, "hello"),
    ]
    assert sent[1]["reply_to_message"]["message_id"] == 1
    assert sent[0]["from"]["id"] == BOT_ID


async def test_reply_to_a_missing_message_is_still_sent(
    bot_messenger: BotMessenger, control: httpx.AsyncClient
) -> None:
    sent = await bot_messenger.send(PROVIDER_CHAT_ID, "77123 speed up", reply_to=999)

    assert sent.message_id == 1
    assert await sent_texts(control) == ["77123 speed up"]


async def test_send_by_username_and_unknown_chat(
    bot_messenger: BotMessenger, control: httpx.AsyncClient
) -> None:
    await control.post(
        "/_tg/chats", json={"id": -1009876543210, "type": "channel", "username": "prov_news"}
    )

    sent = await bot_messenger.send(ProviderChat(username="prov_news").bot_target, "hi")

    assert sent.chat_id == -1009876543210
    with pytest.raises(SendFailed, match="chat not found"):
        await bot_messenger.send(4242, "nobody here")


async def test_scripted_429_surfaces_as_flood_wait_and_sends_nothing(
    bot_messenger: BotMessenger, control: httpx.AsyncClient
) -> None:
    scripted = await control.post(
        f"/_tg/chats/{PROVIDER_CHAT_ID}/flood", json={"count": 2, "retry_after": 17}
    )
    assert scripted.status_code == 204

    for _ in range(2):
        with pytest.raises(FloodWait) as flood:
            await bot_messenger.send(PROVIDER_CHAT_ID, "48213 refill")
        assert flood.value.seconds == 17
    assert await sent_texts(control) == []

    await bot_messenger.send(PROVIDER_CHAT_ID, "48213 refill")
    assert await sent_texts(control) == ["48213 refill"]


async def test_raw_429_answer_carries_retry_after(
    telegram_url: str, control: httpx.AsyncClient
) -> None:
    await control.post(f"/_tg/chats/{PROVIDER_CHAT_ID}/flood", json={"count": 1, "retry_after": 5})
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{telegram_url}/bot{BOT_TOKEN}/sendMessage",
            data={"chat_id": str(PROVIDER_CHAT_ID), "text": "x"},
        )

    assert (answer.status_code, answer.json()) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 5",
            "parameters": {"retry_after": 5},
        },
    )


def _webhook_receiver(received: list[tuple[dict[str, str], Any]], status_code: int) -> Litestar:
    """A stand-in for SupportAI's webhook endpoint: remembers requests, answers status_code."""

    @post("/telegram/webhook")
    async def receive(request: Request[Any, Any, Any]) -> Response[None]:
        received.append((dict(request.headers), await request.json()))
        return Response(None, status_code=status_code)

    return Litestar([receive])


@pytest.mark.parametrize("webhook_status", [200, 401])
async def test_update_is_posted_to_the_webhook_with_the_secret(
    telegram_url: str, control: httpx.AsyncClient, webhook_status: int
) -> None:
    received: list[tuple[dict[str, str], Any]] = []
    async with serve_asgi(_webhook_receiver(received, webhook_status)) as receiver_url:
        await set_webhook(
            BOT_TOKEN, f"{receiver_url}/telegram/webhook", "hook-secret", api_base=telegram_url
        )
        delivered = await control.post(
            f"/_tg/bots/{BOT_ID}/updates", json={"message": _customer_message("refill 123")}
        )

    assert delivered.json() == {"update_id": 1, "status": webhook_status, "error": None}
    [(headers, update)] = received
    assert headers["x-telegram-bot-api-secret-token"] == "hook-secret"
    assert update["update_id"] == 1
    incoming = parse_update(update)
    assert incoming is not None
    assert (incoming.chat_id, incoming.text) == (CUSTOMER_ID, "refill 123")


async def test_update_ids_increase_and_can_be_replayed(
    telegram_url: str, control: httpx.AsyncClient
) -> None:
    received: list[tuple[dict[str, str], Any]] = []
    async with serve_asgi(_webhook_receiver(received, 200)) as receiver_url:
        await set_webhook(BOT_TOKEN, f"{receiver_url}/telegram/webhook", "s", api_base=telegram_url)
        for update in (
            {"message": _customer_message("a", message_id=1)},
            {"message": _customer_message("b", message_id=2)},
            {"update_id": 2, "message": _customer_message("b", message_id=2)},  # redelivery
        ):
            await control.post(f"/_tg/bots/{BOT_ID}/updates", json=update)

    assert [update["update_id"] for _, update in received] == [1, 2, 2]


async def test_unreachable_webhook_is_reported(
    telegram_url: str, control: httpx.AsyncClient
) -> None:
    async with serve_asgi(_webhook_receiver([], 200)) as receiver_url:
        pass  # the server is gone: its port refuses connections
    await set_webhook(BOT_TOKEN, f"{receiver_url}/telegram/webhook", "s", api_base=telegram_url)

    delivered = (
        await control.post(f"/_tg/bots/{BOT_ID}/updates", json={"message": _customer_message("x")})
    ).json()

    assert delivered["status"] is None and delivered["error"]
    async with _aiogram_bot(telegram_url) as bot:
        info = await bot.get_webhook_info()
    assert info.last_error_message


async def test_files_of_delivered_updates_can_be_fetched(
    telegram_url: str, control: httpx.AsyncClient
) -> None:
    await set_webhook(BOT_TOKEN, "http://127.0.0.1:9/unused", "s", api_base=telegram_url)
    photo_message = {
        **_customer_message(None),
        "photo": [
            {"file_id": "small-id", "file_unique_id": "s1", "width": 90, "height": 90},
            {"file_id": "big-id", "file_unique_id": "b1", "width": 1280, "height": 720},
        ],
    }
    await control.post(f"/_tg/bots/{BOT_ID}/updates", json={"message": photo_message})

    async with _aiogram_bot(telegram_url) as bot:
        file = await bot.get_file("big-id")
        with pytest.raises(TelegramBadRequest, match="invalid file_id"):
            await bot.get_file("never-sent")
    assert (file.file_id, file.file_unique_id, file.file_path) == ("big-id", "b1", "files/b1")


def _customer_message(text: str | None, message_id: int = 1) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": 1_700_000_000,
        "chat": {"id": CUSTOMER_ID, "type": "private", "first_name": "Cus"},
        "from": {"id": CUSTOMER_ID, "is_bot": False, "first_name": "Cus", "username": "cus"},
    }
    if text is not None:
        message["text"] = text
    return message


def _aiogram_bot(api_base: str) -> Any:
    """A plain aiogram Bot on the stand-in, for methods our adapter does not wrap."""
    bot = Bot(BOT_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))
    return bot.context()
