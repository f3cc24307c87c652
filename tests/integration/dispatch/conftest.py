"""Dispatch tests run against the Bot API stand-in over real HTTP (uvicorn, its own
thread), with settings whose `telegram_api_base` points at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest

from supportai.config import Settings
from supportai.runtime import Runtime, open_runtime
from supportai.simulator.server import serve_in_thread
from supportai.simulator.telegram import TelegramState, create_telegram_app
from tests.integration.dispatch.support import (
    CUSTOMER_CHAT_ID,
    OWNER_CHAT_ID,
    PROVIDER_CHATS,
    DispatchTenant,
    wire_tenant,
)
from tests.integration.pipeline.conftest import stack  # noqa: F401  (the panel simulator stack)


@pytest.fixture(scope="module")
def telegram_url() -> str:
    """A Bot API stand-in for the module, with the provider, owner and customer chats."""
    with serve_in_thread(create_telegram_app(TelegramState())) as url:
        with httpx.Client(base_url=url) as control:
            for name, chat_id in PROVIDER_CHATS.items():
                control.post("/_tg/chats", json={
                    "id": chat_id, "type": "supergroup", "title": f"{name} support", "username": f"{name}_support",
                }).raise_for_status()
            for chat_id, first_name in ((OWNER_CHAT_ID, "Owner"), (CUSTOMER_CHAT_ID, "Customer")):
                control.post("/_tg/chats", json={"id": chat_id, "type": "private",
                                                 "first_name": first_name}).raise_for_status()
        yield url


@pytest.fixture(scope="module")
def dispatch_settings(settings: Settings, telegram_url: str) -> Settings:
    """The suite's settings (same database, Redis and keys as the API) with Telegram at the stand-in."""
    return msgspec.structs.replace(settings, telegram_api_base=telegram_url)


@pytest.fixture(scope="module")
async def runtime(dispatch_settings: Settings) -> AsyncIterator[Runtime]:
    async with open_runtime(dispatch_settings) as runtime:
        yield runtime


@pytest.fixture(scope="module")
async def control(telegram_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=telegram_url) as client:
        yield client


@pytest.fixture
async def tenant(client, sign_up, runtime, control) -> DispatchTenant:
    """A new tenant with its own bot, the three providers' chats, bot mode, a 60 s window."""
    tenant = await wire_tenant(await sign_up("Dispatch panel"), runtime, control, client)
    for name in PROVIDER_CHATS:
        await tenant.add_provider(name, f"@{name}_support")
    return tenant
