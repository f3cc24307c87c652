"""Connecting the owner's own Telegram account from the web API, step by step. Each step
runs on the real userbot worker (arq, its own queue), which builds clients with a fake
factory: Telethon cannot reach Telegram here."""

from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa
from arq.constants import result_key_prefix
from redis.asyncio import Redis

from supportai.domain.dispatch.models import UserbotAccount
from supportai.domain.dispatch.userbot_pool import UserbotPool
from tests.integration.dispatch.support import (
    LOGIN_CODE,
    PROVIDER_CHATS,
    FakeAccountFactory,
    dispatch_now,
    incoming,
    running_userbot_worker,
)

PHONE = "+49 151 2345 6789"


async def stored_account(runtime, tenant_id: str) -> UserbotAccount | None:
    async with runtime.db.tenant_session(uuid.UUID(tenant_id)) as session:
        return await session.scalar(sa.select(UserbotAccount))


async def test_code_then_password_connects_the_account_and_keeps_the_session_encrypted(
    client, sign_up, dispatch_settings, runtime
):
    owner = await sign_up()
    factory = FakeAccountFactory(password="correct pony staple")
    async with running_userbot_worker(dispatch_settings, factory):
        started = await client.post("/api/setup/userbot/start", json={"phone": PHONE}, headers=owner.headers)
        assert started.status_code == 200, started.text
        assert started.json()["state"] == "code_sent"
        # The phone number went to the worker encrypted: the job's record in Redis (kept for
        # its result, arguments included) does not hold it.
        async with Redis.from_url(dispatch_settings.redis_url) as redis:
            every = [await redis.get(key) for key in await redis.keys(f"{result_key_prefix}*")]
        records = [record for record in every if record and b"userbot_" in record]  # the login's jobs
        assert any(b"gAAAA" in record for record in records if record)  # the Fernet token is there
        assert not any(b"2345" in record for record in records if record)

        wrong = await client.post("/api/setup/userbot/code", json={"code": "11111"}, headers=owner.headers)
        assert wrong.status_code == 400
        assert wrong.headers["content-type"].startswith("application/problem+json")
        assert "code entered was invalid" in wrong.json()["detail"]

        coded = await client.post("/api/setup/userbot/code", json={"code": LOGIN_CODE}, headers=owner.headers)
        assert coded.status_code == 200, coded.text
        assert coded.json()["state"] == "password_needed"

        done = await client.post(
            "/api/setup/userbot/password", json={"password": "correct pony staple"}, headers=owner.headers
        )
        assert done.status_code == 200, done.text
        assert done.json() == {
            "phone": "+49•••••••••89", "state": "connected", "username": "panel_owner",
            "flood_wait_until": None, "last_error": None,
        }

        # The worker holds the account, connected; the database holds its session encrypted.
        client_in_worker = factory.clients[-1]
        assert client_in_worker.connected and client_in_worker.session.startswith("authorized:")
        account = await stored_account(runtime, owner.tenant_id)
        assert account.session_encrypted != client_in_worker.session
        assert runtime.secrets.decrypt(account.session_encrypted) == client_in_worker.session
        assert account.phone_code_hash_encrypted is None and account.phone == "+4915123456789"
        shown = await client.get("/api/setup/userbot", headers=owner.headers)
        assert shown.json()["state"] == "connected"
        assert client_in_worker.session not in shown.text and "authorized" not in shown.text

        removed = await client.delete("/api/setup/userbot", headers=owner.headers)
        assert removed.status_code == 204
        assert await stored_account(runtime, owner.tenant_id) is None
        async with asyncio.timeout(10):  # the worker logs the session out of Telegram and lets go
            while client_in_worker.connected:
                await asyncio.sleep(0.02)
        assert client_in_worker.logged_out_session.startswith("authorized:")
        assert (await client.get("/api/setup/userbot", headers=owner.headers)).json()["state"] == "needs_login"


async def test_an_account_without_two_step_verification_connects_with_the_code(
    client, sign_up, dispatch_settings, runtime
):
    owner = await sign_up()
    async with running_userbot_worker(dispatch_settings, FakeAccountFactory()):
        await client.post("/api/setup/userbot/start", json={"phone": PHONE}, headers=owner.headers)
        coded = await client.post("/api/setup/userbot/code", json={"code": LOGIN_CODE}, headers=owner.headers)
        assert coded.json()["state"] == "connected"
        out_of_step = await client.post("/api/setup/userbot/password", json={"password": "x"}, headers=owner.headers)
        assert out_of_step.status_code == 409


async def test_steps_out_of_order_and_a_stopped_worker_are_clear_problems(client, sign_up):
    owner = await sign_up()

    early = await client.post("/api/setup/userbot/code", json={"code": LOGIN_CODE}, headers=owner.headers)
    assert early.status_code == 409 and "Ask for a code first" in early.json()["detail"]
    # No userbot worker runs now: the API says so at once instead of waiting.
    started = await client.post("/api/setup/userbot/start", json={"phone": PHONE}, headers=owner.headers)
    assert started.status_code == 502 and "supportai userbot" in started.json()["detail"]
    bad_phone = await client.post("/api/setup/userbot/start", json={"phone": "call me"}, headers=owner.headers)
    assert bad_phone.status_code == 400


async def test_after_a_restart_the_worker_reconnects_the_account_and_hands_over_replies(
    tenant, dispatch_settings, client
):
    async with running_userbot_worker(dispatch_settings, FakeAccountFactory()):
        await client.post("/api/setup/userbot/start", json={"phone": PHONE}, headers=tenant.account.headers)
        await client.post("/api/setup/userbot/code", json={"code": LOGIN_CODE}, headers=tenant.account.headers)
    [request_id] = await tenant.forward("followhub", ["48213"])
    await dispatch_now(tenant, "followhub")
    [message] = await tenant.provider_messages()
    stored = await stored_account(tenant.runtime, tenant.account.tenant_id)
    session = tenant.runtime.secrets.decrypt(stored.session_encrypted)

    restarted = FakeAccountFactory()
    async with running_userbot_worker(dispatch_settings, restarted) as worker:
        # Every connected account is rebuilt from its stored session and logged in again.
        [account] = [c for c in restarted.clients if c.session == session]
        assert account.connected
        await worker.call(account.receive(
            incoming(PROVIDER_CHATS["followhub"], "done", reply_to=message.telegram_message_id)
        ))

    assert (await tenant.request(request_id))["status"] == "acknowledged"


async def test_a_removed_account_the_worker_no_longer_holds_is_still_logged_out(runtime):
    """After a restart the worker may not hold the account yet: the session in the job is used."""
    factory = FakeAccountFactory()
    pool = UserbotPool(runtime, factory)
    await pool.log_out(uuid.uuid4(), runtime.secrets.encrypt("authorized:42"))
    [client] = factory.clients
    assert client.logged_out_session == "authorized:42" and not client.connected
    await pool.log_out(uuid.uuid4(), None)  # nothing held, nothing stored: nothing to do
    assert len(factory.clients) == 1
