"""A fresh Telegram Bot API stand-in per test, under uvicorn on a free port, with a
registered bot and provider chat, for aiogram to talk to over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from supportai.integrations.telegram import BotMessenger, ProviderChat
from supportai.simulator.server import serve_asgi
from supportai.simulator.telegram import TelegramState, create_telegram_app
from tests.integration.telegram.support import BOT_TOKEN, PROVIDER_CHAT_ID


@pytest.fixture
def telegram_state() -> TelegramState:
    return TelegramState()


@pytest.fixture
async def telegram_url(telegram_state: TelegramState) -> AsyncIterator[str]:
    """Base URL of a fresh stand-in with one bot and one provider chat registered."""
    async with serve_asgi(create_telegram_app(telegram_state)) as url:
        async with httpx.AsyncClient(base_url=url) as control:
            registered = await control.post(
                "/_tg/bots", json={"token": BOT_TOKEN, "username": "panel_support_bot"}
            )
            assert registered.status_code == 201, registered.text
            registered = await control.post(
                "/_tg/chats",
                json={"id": PROVIDER_CHAT_ID, "type": "supergroup", "title": "Provider support"},
            )
            assert registered.status_code == 201, registered.text
        yield url


@pytest.fixture
async def control(telegram_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client for the stand-in's control API (/_tg/...)."""
    async with httpx.AsyncClient(base_url=telegram_url) as client:
        yield client


@pytest.fixture
async def bot_messenger(telegram_url: str) -> AsyncIterator[BotMessenger]:
    async with BotMessenger(BOT_TOKEN, api_base=telegram_url) as messenger:
        yield messenger


@pytest.fixture
def provider_chat() -> ProviderChat:
    return ProviderChat(chat_id=PROVIDER_CHAT_ID)
