"""The setup status the web app's onboarding checklist and dispatch mode choice read:
what is connected, and what each dispatch mode still needs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from supportai.config import Settings
from supportai.domain.dispatch.models import UserbotAccount, UserbotState
from supportai.domain.telegram.models import TelegramBot
from supportai.runtime import Runtime, open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.server import serve_in_thread
from supportai.simulator.world import build_world


@pytest.fixture(scope="module")
def simulator():
    world = build_world("setup-status")
    with serve_in_thread(create_simulator_app(world)) as base_url:
        yield world, base_url


@pytest.fixture(scope="module")
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    async with open_runtime(settings) as runtime:
        yield runtime


def _needs(status: dict) -> dict[str, dict[str, bool]]:
    return {mode["mode"]: {need["need"]: need["met"] for need in mode["needs"]} for mode in status["dispatch_modes"]}


def _ready(status: dict) -> dict[str, bool]:
    return {mode["mode"]: mode["ready"] for mode in status["dispatch_modes"]}


async def _status(client, account) -> dict:
    response = await client.get("/api/setup/status", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_new_account_has_nothing_connected_and_no_mode_ready(client, sign_up):
    status = await _status(client, await sign_up())

    assert status["panel_connected"] is False and status["providers"] == 0 and status["customer_bot"] is None
    assert status["userbot"] == "needs_login" and status["userbot_login_available"] is False
    assert status["dispatch_mode"] == "bot" and status["onboarding_complete"] is False
    assert _needs(status) == {
        "bot": {"provider_chat": False, "customer_bot": False},
        "userbot": {"provider_chat": False, "userbot": False},
        "both": {"provider_chat": False, "userbot": False, "customer_bot": False},
    }
    assert _ready(status) == {"bot": False, "userbot": False, "both": False}


async def test_panel_and_provider_complete_onboarding_and_each_mode_says_what_it_lacks(
    client, sign_up, simulator, runtime
):
    world, base_url = simulator
    account = await sign_up()
    connected = await client.put(
        "/api/setup/panel",
        json={"url": base_url, "admin_api_key": world.admin_key, "user_api_key": world.user_key},
        headers=account.headers,
    )
    assert connected.status_code == 200, connected.text
    for provider in ({"name": "api-only", "api_url": f"{base_url}/api/v2"},
                     {"name": "chatty", "telegram_chat": "@chatty"}):
        assert (await client.post("/api/providers", json=provider, headers=account.headers)).status_code == 201

    status = await _status(client, account)
    assert status["panel_connected"] and status["providers"] == 2 and status["provider_chats"] == 1
    assert status["onboarding_complete"] is True  # the panel's tickets are the customer channel
    assert _ready(status) == {"bot": False, "userbot": False, "both": False}
    assert _needs(status)["bot"] == {"provider_chat": True, "customer_bot": False}

    async with runtime.db.tenant_session(uuid.UUID(account.tenant_id)) as session:
        session.add(TelegramBot(
            telegram_id=int(uuid.uuid4().int % 10**9), username="status_bot", token_encrypted="unused",
            webhook_secret_hash="0" * 64, webhook_url="http://127.0.0.1/unused",
        ))
    status = await _status(client, account)
    assert status["customer_bot"] == "status_bot"
    assert _ready(status) == {"bot": True, "userbot": False, "both": False}

    async with runtime.db.tenant_session(uuid.UUID(account.tenant_id)) as session:
        session.add(UserbotAccount(phone="+491511234567", state=UserbotState.FLOOD_WAIT))
    status = await _status(client, account)
    assert status["userbot"] == "flood_wait"  # still logged in: the wait only delays sends
    assert _ready(status) == {"bot": True, "userbot": True, "both": True}


async def test_a_userbot_halfway_through_login_does_not_count(client, sign_up, runtime):
    account = await sign_up()
    async with runtime.db.tenant_session(uuid.UUID(account.tenant_id)) as session:
        session.add(UserbotAccount(phone="+491511234567", state=UserbotState.CODE_SENT))

    status = await _status(client, account)

    assert status["userbot"] == "code_sent"
    assert _needs(status)["userbot"] == {"provider_chat": False, "userbot": False}


async def test_staff_read_the_status_too(client, sign_up):
    owner = await sign_up()
    invitation = await client.post(
        "/api/users/invitations", json={"email": f"staff-{uuid.uuid4().hex[:8]}@example.com"}, headers=owner.headers
    )
    joined = await client.post(
        "/api/auth/accept-invitation", json={"token": invitation.json()["token"], "password": "staff password 1"}
    )
    staff = {"Authorization": f"Bearer {joined.json()['access_token']}"}

    response = await client.get("/api/setup/status", headers=staff)

    assert response.status_code == 200 and response.json()["onboarding_complete"] is False
