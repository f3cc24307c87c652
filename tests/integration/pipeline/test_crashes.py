"""Crashes and failures the soak found (issue 14): a provider's answer lost after the
refill may have been made, a worker killed holding a message, a dropped database
connection, and a message whose reply keeps failing."""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa
from arq import Retry
from arq.constants import in_progress_key_prefix
from redis.asyncio import Redis

from supportai.domain.dispatch.models import DispatchItem
from supportai.domain.requests.failures import MAX_MESSAGE_ATTEMPTS
from supportai.domain.requests.intake import processing_job_id, requeue_stalled_messages
from supportai.domain.requests.models import Message, SupportRequest
from supportai.domain.requests.tickets import poll_tickets
from supportai.domain.support import deciding
from supportai.errors import UpstreamUnavailable
from supportai.queues import MESSAGES_QUEUE
from supportai.runtime import open_runtime
from workers.jobs import messages_in_hand, process_message
from workers.locks import LOCK_TTL_S, held_lock, message_lock_name

REPOSITORY = Path(__file__).resolve().parents[3]


def tenant(stack) -> uuid.UUID:
    return uuid.UUID(stack.account.tenant_id)


async def test_a_refill_whose_answer_was_lost_is_left_to_follow_up(stack):
    order = stack.order(current_count=1100)
    await stack.sim.change_order(order.id, behaviour={"refill_delay": 0})
    await stack.message(f"refill {order.id}")
    await stack.run_jobs()
    [request] = await stack.requests_for(order)

    async def refill_calls() -> int:
        return sum(c["params"].get("order") == order.external_id for c in await stack.provider_calls("refill"))

    await stack.sim.configure(fail_next=1)  # the provider's gateway answers 502
    response = await stack.client.post(f"/api/requests/{request['id']}/reforward", headers=stack.account.headers)
    await stack.run_jobs()

    assert response.status_code == 200, response.text
    assert await refill_calls() == 2  # the first, and the re-forward whose answer was lost: never repeated
    assert response.json()["status"] == "forwarded" and response.json()["next_check_at"]  # tracking finds out
    async with stack.tenant_session() as session:
        stored = await session.get_one(SupportRequest, uuid.UUID(request["id"]))
        forwards = await session.scalar(
            sa.select(sa.func.count()).select_from(DispatchItem).where(DispatchItem.request_id == stored.id)
        )
    assert stored.provider_call == "uncertain"
    assert forwards == 0  # not sent over Telegram either: the provider may already be refilling


async def test_a_second_job_for_a_message_being_worked_on_comes_back_later(stack):
    message, _ = await stack.message("hello")
    async with open_runtime(stack.settings) as runtime, held_lock(runtime.redis, message_lock_name(message.id)):
        with pytest.raises(Retry) as retry:
            await process_message({"runtime": runtime}, stack.account.tenant_id, str(message.id))
    assert 0 < retry.value.defer_score <= LOCK_TTL_S * 1000  # not consumed as "busy"


async def test_a_message_lock_outlives_a_killed_worker_by_at_most_its_ttl(stack, redis_url):
    message_id = uuid.uuid4()
    holder = (
        "import asyncio, os, signal, sys\n"
        "from redis.asyncio import Redis\n"
        "from workers.locks import held_lock, message_lock_name\n"
        "async def main():\n"
        "    async with held_lock(Redis.from_url(sys.argv[1]), message_lock_name(sys.argv[2])):\n"
        "        print('held', flush=True)\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "asyncio.run(main())\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", holder, redis_url, str(message_id), cwd=REPOSITORY,
        env={**os.environ, "PYTHONPATH": f"{REPOSITORY}:{REPOSITORY / 'backend'}"}, stdout=asyncio.subprocess.PIPE,
    )
    assert (await process.stdout.readline()).strip() == b"held"
    assert await process.wait() == -signal.SIGKILL

    redis = Redis.from_url(redis_url)
    try:
        left_ms = await redis.pttl(message_lock_name(message_id))
    finally:
        await redis.aclose()
    assert 0 < left_ms <= 30_000  # the next job for the message goes ahead within 30 s


async def test_a_held_message_lock_is_renewed_while_the_work_goes_on(redis_url):
    redis = Redis.from_url(redis_url)
    name = message_lock_name(uuid.uuid4())
    try:
        async with held_lock(redis, name, ttl_s=6):
            previous = await redis.pttl(name)
            # Waits for the event, not for a time: a renewal pushes the expiry back up.
            for _ in range(1200):
                await asyncio.sleep(0.05)
                left = await redis.pttl(name)
                if left > previous:
                    break
                previous = left
            else:
                pytest.fail("the lock was never renewed")
            assert not await redis.lock(name, timeout=2).acquire(blocking=False)
        assert await redis.exists(name) == 0  # released on exit
    finally:
        await redis.aclose()


async def test_a_job_that_loses_its_database_connection_is_retried(stack, monkeypatch, settings):
    order = stack.order(current_count=1500)
    message, _ = await stack.message(f"refill {order.id}")
    real = deciding._services_by_panel_id
    dsn = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")

    async def drop_the_connection_first(session, service_ids):
        backend = await session.scalar(sa.text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(dsn)
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", backend)
        finally:
            await admin.close()
        return await real(session, service_ids)

    monkeypatch.setattr(deciding, "_services_by_panel_id", drop_the_connection_first)
    async with open_runtime(stack.settings) as runtime:
        with pytest.raises(Retry):
            await process_message({"runtime": runtime, "job_try": 1}, stack.account.tenant_id, str(message.id))
    monkeypatch.undo()

    await stack.run_jobs()
    async with stack.tenant_session() as session:
        assert (await session.get_one(Message, message.id)).status == "processed"


async def test_a_message_whose_reply_keeps_failing_becomes_failed_and_can_be_retried(stack):
    order = stack.order(current_count=1500)
    ticket = stack.ticket(f"refill {order.id}")
    async with open_runtime(stack.settings) as runtime:
        await poll_tickets(runtime, tenant(stack))
        async with stack.tenant_session() as session:
            message = await session.scalar(sa.select(Message).where(Message.ticket_id == ticket.id))
        hidden = stack.world.tickets.pop(ticket.id)  # every reply now fails
        job = {"runtime": runtime, "job_try": 1}
        for _ in range(MAX_MESSAGE_ATTEMPTS - 1):
            with pytest.raises(UpstreamUnavailable):
                await process_message(job, stack.account.tenant_id, str(message.id))
        assert await process_message(job, stack.account.tenant_id, str(message.id)) == "failed"
        async with stack.tenant_session() as session:
            stored = await session.get_one(Message, message.id)
        assert stored.status == "failed" and "could not be sent" in stored.last_error
        await requeue_stalled_messages(runtime, older_than=timedelta(0))  # not requeued any more
        swept = [job for job in await runtime.queue.queued_jobs()
                 if job.job_id and job.job_id.startswith(f"process_message:{message.id}:sweep")]
        assert swept == []

    listed = await stack.client.get("/api/messages", params={"status": "failed"}, headers=stack.account.headers)
    assert listed.status_code == 200, listed.text
    [item] = [m for m in listed.json()["items"] if m["id"] == str(message.id)]
    assert item["attempts"] == MAX_MESSAGE_ATTEMPTS and "could not be sent" in item["last_error"]
    assert item["ticket_id"] == ticket.id and item["customer"] == stack.customer
    told = await stack.client.get("/api/notifications", params={"limit": 200}, headers=stack.account.headers)
    assert [n for n in told.json()["items"] if n["event"] == "message_failed" and stack.customer in n["title"]]

    stack.world.tickets[ticket.id] = hidden
    retried = await stack.client.post(f"/api/messages/{message.id}/retry", headers=stack.account.headers)
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "received" and retried.json()["attempts"] == 0
    await stack.run_jobs()

    done = (await stack.client.get("/api/messages", params={"status": "processed"}, headers=stack.account.headers))
    assert str(message.id) in [m["id"] for m in done.json()["items"]]
    assert len(stack.staff_replies(ticket)) == 1
    again = await stack.client.post(f"/api/messages/{message.id}/retry", headers=stack.account.headers)
    assert again.status_code == 409  # only a failed message is retried


async def test_the_failed_list_and_retry_are_refused_to_api_keys_and_other_tenants(stack, client, sign_up):
    other = await sign_up("Another panel")
    message, _ = await stack.message("hello")

    assert (await client.post(f"/api/messages/{message.id}/retry", headers=other.headers)).status_code == 404
    key = await client.post(
        "/api/api-keys", json={"name": "reader", "scopes": ["messages:read"]}, headers=stack.account.headers
    )
    with_key = {"X-API-Key": key.json()["key"]}
    assert (await client.get("/api/messages", headers=with_key)).status_code == 403


async def test_the_sweeper_requeues_only_the_messages_nobody_has_in_hand(stack):
    waiting, _ = await stack.message("hello, is anyone there?")  # its first job waits its turn
    held, _ = await stack.message("hello again")  # a live worker holds it
    orphaned, _ = await stack.message("hello once more")  # its worker was killed mid-job
    lost, _ = await stack.message("still waiting")  # Redis lost its job
    ours = {waiting.id, held.id, orphaned.id, lost.id}
    async with open_runtime(stack.settings) as runtime, held_lock(runtime.redis, message_lock_name(held.id)):
        orphan_in_progress = in_progress_key_prefix + processing_job_id(orphaned.id)
        await runtime.queue.set(orphan_in_progress, b"1", ex=300)
        await runtime.queue.zrem(MESSAGES_QUEUE, processing_job_id(lost.id))
        await requeue_stalled_messages(runtime, older_than=timedelta(0),
                                       in_hand=functools.partial(messages_in_hand, runtime))
        swept = {uuid.UUID(job.job_id.split(":")[1]) for job in await runtime.queue.queued_jobs()
                 if job.job_id and ":sweep-" in job.job_id}
        await runtime.queue.delete(orphan_in_progress)  # so the stack's later burst runs can finish
    assert swept & ours == {orphaned.id, lost.id}
