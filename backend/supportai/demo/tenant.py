"""The demo owner's account, set up through SupportAI's own API as an owner would: the
simulated panel and providers, a Telegram bot on the Bot API stand-in (provider chats and
the owner's chat registered there), an API key, and a plan that lasts the demo."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from supportai.domain.billing.service import grant_allowance
from supportai.runtime import Runtime
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import World

PASSWORD = "demo password 123"
OWNER_CHAT_ID = 700_001
# Far more than the demo's customers can use up in hours (Starter has 50 requests a month).
DEMO_REQUESTS = 100_000
DEMO_CREDITS = 100_000
DISPATCH_WINDOW_S = 5  # forwards made within 5 s go to a provider as one message


@dataclass
class DemoTenant:
    email: str
    tenant_id: uuid.UUID
    api_key: str
    bot_id: int  # the bot's Telegram id on the stand-in
    provider_chats: dict[int, dict[str, Any]]  # Bot API Chat objects by id


def _check(response: httpx.Response) -> Any:
    if response.status_code >= 300:
        request = response.request
        raise RuntimeError(f"{request.method} {request.url.path}: {response.status_code} {response.text}")
    return response.json() if response.content else None


async def create_demo_tenant(
    api: httpx.AsyncClient, telegram: httpx.AsyncClient, runtime: Runtime, world: World, sim_url: str
) -> DemoTenant:
    email = f"demo-{uuid.uuid4().hex[:6]}@supportai.local"
    signup = _check(await api.post("/api/auth/signup", json={
        "email": email, "password": PASSWORD, "panel_name": "Demo SMM Panel",
    }))
    owner = {"Authorization": f"Bearer {signup['access_token']}"}
    await wire_tenant(api, owner, world, sim_url)
    bot_id, chats = await _telegram_world(telegram, world)
    token = f"{bot_id}:AAE-demo-{uuid.uuid4().hex[:12]}"
    _check(await telegram.post("/_tg/bots", json={"token": token, "username": f"demo{bot_id}_bot"}))
    _check(await api.put("/api/setup/telegram-bot", headers=owner, json={"token": token}))
    _check(await api.patch("/api/tenant/settings", headers=owner, json={
        "dispatch_window_s": DISPATCH_WINDOW_S, "owner_telegram_chat_id": str(OWNER_CHAT_ID),
    }))
    key = _check(await api.post("/api/api-keys", headers=owner, json={
        "name": "demo customers", "scopes": ["messages:write", "messages:read"],
    }))["key"]
    tenant_id = uuid.UUID(signup["tenant_id"])
    async with runtime.db.unit_of_work(tenant_id) as uow:
        await grant_allowance(uow.session, requests=DEMO_REQUESTS, credits=DEMO_CREDITS, reason="demo")
        await uow.commit()
    return DemoTenant(email=email, tenant_id=tenant_id, api_key=key, bot_id=bot_id, provider_chats=chats)


async def _telegram_world(telegram: httpx.AsyncClient, world: World) -> tuple[int, dict[int, dict[str, Any]]]:
    """A fresh bot id (an earlier demo's tenant holds the last one) and the chats it talks in:
    each provider's support group, named as `wire_tenant` tells SupportAI, and the owner's."""
    chats = {}
    for number, provider in enumerate(world.providers.values(), start=1):
        chat = {"id": -1_001_000_000_000 - number, "type": "supergroup", "title": f"{provider.name} support",
                "username": f"{provider.name.split('.')[0]}_support"}
        _check(await telegram.post("/_tg/chats", json=chat))
        chats[chat["id"]] = chat
    _check(await telegram.post("/_tg/chats", json={"id": OWNER_CHAT_ID, "type": "private", "first_name": "Owner"}))
    return random.randint(7_000_000, 7_999_999), chats
