"""Sending a batch to the provider through the tenant's dispatch mode: the bot (aiogram
over HTTP to the Bot API stand-in, whose log is the witness), the owner's account (a fake
behind the Userbot protocol, raising real Telethon errors), or both. Flood waits defer the
job, failures fall back or retry, and nothing is ever sent twice."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from arq import Retry
from telethon.errors import ChatWriteForbiddenError, FloodWaitError

from supportai.db.base import utcnow
from supportai.domain.dispatch import sending
from supportai.domain.dispatch.models import UserbotAccount
from supportai.domain.dispatch.scheduling import schedule_dispatch
from tests.integration.dispatch.support import (
    PROVIDER_CHATS,
    FakeAccount,
    connect_account,
    dispatch_now,
    run_dispatch_jobs,
)

FOLLOWHUB = PROVIDER_CHATS["followhub"]


async def test_bot_mode_sends_the_batch_once_and_records_it(tenant):
    requests = await tenant.forward("followhub", ["48213", "48214"])
    await schedule_dispatch(tenant.runtime, tenant.tenant_id)

    await run_dispatch_jobs(tenant.runtime, tenant.tenant_id)

    [sent] = await tenant.bot_messages(FOLLOWHUB)
    assert sent["text"] == "48213, 48214 speed up"
    [message] = await tenant.provider_messages()
    assert (message.status, message.channel, message.telegram_message_id, message.telegram_chat_id) == (
        "sent", "bot", sent["message_id"], FOLLOWHUB
    )
    assert {item.status for item in await tenant.dispatch_items()} == {"sent"}
    for request_id in requests:
        [event] = [e for e in await tenant.timeline(request_id) if e["kind"] == "provider_message_sent"]
        assert (event["detail"]["channel"], event["detail"]["message_id"]) == ("bot", sent["message_id"])

    await schedule_dispatch(tenant.runtime, tenant.tenant_id)
    assert await run_dispatch_jobs(tenant.runtime, tenant.tenant_id) == []  # nothing left to send
    assert await dispatch_now(tenant, "followhub") == 0
    assert len(await tenant.bot_sent(FOLLOWHUB)) == 1


@pytest.mark.parametrize("mode", ["userbot", "both"])
async def test_a_connected_account_sends_and_the_bot_stays_silent(tenant, mode):
    await tenant.settings(dispatch_mode=mode)
    account = FakeAccount()
    userbots = await connect_account(tenant, account)
    await tenant.forward("followhub", ["77123"], action="cancel")

    assert await dispatch_now(tenant, "followhub", "cancel", userbots) == 1

    [(chat, text)] = account.sent
    assert text == "77123 cancel"
    assert (chat.chat_id, chat.access_hash) == (FOLLOWHUB, 42)  # looked up once, by username
    assert await tenant.bot_sent(FOLLOWHUB) == []
    [message] = await tenant.provider_messages()
    assert (message.channel, message.telegram_chat_id) == ("userbot", FOLLOWHUB)


async def test_the_account_failing_falls_back_to_the_bot_and_the_message_goes_out_once(tenant):
    await tenant.settings(dispatch_mode="both")
    account = FakeAccount(failure=ChatWriteForbiddenError(request=None))
    userbots = await connect_account(tenant, account)
    await tenant.forward("followhub", ["48213"])

    await dispatch_now(tenant, "followhub", userbots=userbots)

    assert account.tries == 1 and account.sent == []
    assert await tenant.bot_sent(FOLLOWHUB) == ["48213 speed up"]
    [message] = await tenant.provider_messages()
    assert message.channel == "bot"
    [fell_back, sent] = message.attempts
    assert (fell_back["outcome"], fell_back["channel"]) == ("fell_back", "userbot")
    assert "can't write in this chat" in fell_back["error"]
    assert (sent["outcome"], sent["channel"]) == ("sent", "bot")


async def test_a_long_flood_wait_on_the_account_switches_to_the_bot_until_it_ends(tenant):
    await tenant.settings(dispatch_mode="userbot")
    account = FakeAccount(failure=FloodWaitError(request=None, capture=3600))
    userbots = await connect_account(tenant, account)
    await tenant.forward("followhub", ["48213"])

    await dispatch_now(tenant, "followhub", userbots=userbots)

    assert await tenant.bot_sent(FOLLOWHUB) == ["48213 speed up"]
    async with tenant.runtime.db.tenant_session(tenant.tenant_id) as session:
        [owner_account] = await session.scalars(sa.select(UserbotAccount))
    assert owner_account.state == "flood_wait"
    assert owner_account.flood_wait_until > utcnow()

    # While the account rests, the bot sends without trying it again.
    await tenant.forward("followhub", ["48214"])
    await dispatch_now(tenant, "followhub", userbots=userbots)
    assert account.tries == 1
    assert await tenant.bot_sent(FOLLOWHUB) == ["48213 speed up", "48214 speed up"]


async def test_a_short_flood_wait_in_userbot_mode_defers_the_job_and_sends_once_later(tenant):
    await tenant.settings(dispatch_mode="userbot")
    account = FakeAccount(failure=FloodWaitError(request=None, capture=30))
    userbots = await connect_account(tenant, account)
    await tenant.forward("followhub", ["48213"])

    with pytest.raises(Retry) as deferred:
        await dispatch_now(tenant, "followhub", userbots=userbots)

    assert deferred.value.defer_score == 30_000
    [message] = await tenant.provider_messages()
    assert message.status == "pending" and message.retry_at > utcnow()
    assert {(i.status, i.provider_message_id) for i in await tenant.dispatch_items()} == {("batched", message.id)}
    assert account.sent == [] and await tenant.bot_sent(FOLLOWHUB) == []
    assert await dispatch_now(tenant, "followhub", userbots=userbots) == 0  # not due yet: nothing sent

    account.failure = None
    await tenant.time_passes_for_retries()
    assert await dispatch_now(tenant, "followhub", userbots=userbots) == 1

    assert [text for _, text in account.sent] == ["48213 speed up"]
    assert await tenant.bot_sent(FOLLOWHUB) == []
    [message] = await tenant.provider_messages()
    assert message.status == "sent" and [a["outcome"] for a in message.attempts] == ["deferred", "sent"]


async def test_a_bot_429_defers_the_job_by_retry_after_and_later_sends_once(tenant):
    flooded = await tenant.control.post(f"/_tg/chats/{FOLLOWHUB}/flood", json={"count": 1, "retry_after": 7})
    assert flooded.status_code == 204
    await tenant.forward("followhub", ["48213", "48214"])

    with pytest.raises(Retry) as deferred:
        await dispatch_now(tenant, "followhub")

    assert deferred.value.defer_score == 7_000
    assert await tenant.bot_sent(FOLLOWHUB) == []
    # An item arriving meanwhile goes in a message of its own, after the deferred one,
    # which keeps its text.
    await tenant.forward("followhub", ["48215"])
    await tenant.time_passes_for_retries()
    assert await dispatch_now(tenant, "followhub") == 2

    assert await tenant.bot_sent(FOLLOWHUB) == ["48213, 48214 speed up", "48215 speed up"]
    first, _ = await tenant.provider_messages()
    assert [a["outcome"] for a in first.attempts] == ["deferred", "sent"]
    assert first.attempts[0]["flood_wait_s"] == 7


class WorkerDied(BaseException):
    """The process stopping dead mid-send: no handler of ours catches it."""


async def test_a_send_interrupted_mid_way_is_never_repeated_and_the_owner_is_asked(tenant, monkeypatch):
    request_ids = await tenant.forward("followhub", ["48213"])
    real_send = sending.send_to_provider

    async def send_then_die(*args, **kwargs):
        await real_send(*args, **kwargs)  # it reached Telegram...
        raise WorkerDied  # ...and the worker died before recording it

    monkeypatch.setattr(sending, "send_to_provider", send_then_die)
    with pytest.raises(WorkerDied):
        await dispatch_now(tenant, "followhub")
    monkeypatch.undo()
    [message] = await tenant.provider_messages()
    assert message.status == "sending"

    assert await dispatch_now(tenant, "followhub") == 0  # the retried job

    assert await tenant.bot_sent(FOLLOWHUB) == ["48213 speed up"]  # once, never again
    [message] = await tenant.provider_messages()
    assert message.status == "unknown"
    assert {(i.status, i.provider_message_id) for i in await tenant.dispatch_items()} == {("batched", message.id)}
    [notice] = await tenant.owner_notices()
    assert "48213 speed up" in notice and "check" in notice
    assert "provider_message_unknown" in [e["kind"] for e in await tenant.timeline(request_ids[0])]
    assert (await tenant.request(request_ids[0]))["status"] == "forwarded"
    assert await dispatch_now(tenant, "followhub") == 0
    assert len(await tenant.owner_notices()) == 1


async def test_a_chat_the_bot_cannot_reach_is_retried_then_escalated_to_the_owner(tenant):
    await tenant.add_provider("quietprov", "@not_a_chat_anywhere")
    [request_id] = await tenant.forward("quietprov", ["5501"])

    delays = []
    for _ in range(sending.MAX_SEND_FAILURES - 1):
        with pytest.raises(Retry) as deferred:
            await dispatch_now(tenant, "quietprov")
        delays.append(deferred.value.defer_score // 1000)
        await tenant.time_passes_for_retries()
    assert await dispatch_now(tenant, "quietprov") == 0

    assert delays == [60, 120, 240, 480]
    [message] = await tenant.provider_messages()
    assert message.status == "failed" and "chat not found" in message.error
    request = await tenant.request(request_id)
    assert request["status"] == "escalated" and "could not message quietprov" in request["reason"]
    [notice] = await tenant.owner_notices()
    assert "5501 speed up" in notice and "review queue" in notice


async def test_a_provider_without_a_telegram_chat_is_escalated_at_once(tenant):
    await tenant.add_provider("apionly", None)
    [request_id] = await tenant.forward("apionly", ["6601"])

    assert await dispatch_now(tenant, "apionly") == 0

    request = await tenant.request(request_id)
    assert request["status"] == "escalated"
    assert request["reason"] == "no Telegram chat set for provider apionly"
    assert await tenant.provider_messages() == []
    [notice] = await tenant.owner_notices()
    assert "apionly" in notice and "review queue" in notice
