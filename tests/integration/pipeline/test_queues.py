"""Polls, schedules and tracking have their own queue (issue 14: ticket polls waited
256 s behind a message backlog): a backlog of messages cannot delay them."""

from __future__ import annotations

import sqlalchemy as sa
from arq.constants import job_key_prefix

from supportai.domain.requests.models import Message
from supportai.queues import CONTROL_QUEUE, MESSAGES_QUEUE
from supportai.runtime import open_runtime
from workers.jobs import schedule_ticket_polls
from workers.serve import drain
from workers.settings import control_worker_options


async def test_a_ticket_poll_is_served_while_a_message_backlog_waits(stack):
    for number in range(30):
        await stack.message(f"hello {number}")
    ticket = stack.ticket("where is my order?")
    async with open_runtime(stack.settings) as runtime:
        backlog = await runtime.queue.zcard(MESSAGES_QUEUE)
        await runtime.queue.enqueue_job("poll_tickets", stack.account.tenant_id, _queue_name=CONTROL_QUEUE)

        await drain([control_worker_options(stack.settings)], cron_jobs=[], poll_delay=0.02)

        async with stack.tenant_session() as session:
            polled = await session.scalar(sa.select(Message).where(Message.ticket_id == ticket.id))
        assert polled is not None and polled.status == "received"  # read from the panel, queued behind the rest
        assert await runtime.queue.zcard(MESSAGES_QUEUE) == backlog + 1  # none of the backlog had to go first
    await stack.run_jobs()
    async with stack.tenant_session() as session:
        assert (await session.get_one(Message, polled.id)).status == "processed"


async def test_the_schedules_queue_their_work_on_the_control_queue(stack):
    async with open_runtime(stack.settings) as runtime:
        before = {job.job_id for job in await runtime.queue.queued_jobs(queue_name=CONTROL_QUEUE)}
        await schedule_ticket_polls({"runtime": runtime})
        queued = [job for job in await runtime.queue.queued_jobs(queue_name=CONTROL_QUEUE) if job.job_id not in before]
        on_messages = [job for job in await runtime.queue.queued_jobs() if job.function == "poll_tickets"]
        # Other test modules' panels are gone: their polls must not run in later tests.
        for job in queued:
            await runtime.queue.zrem(CONTROL_QUEUE, job.job_id)
            await runtime.queue.delete(job_key_prefix + job.job_id)
    assert stack.account.tenant_id in {job.args[0] for job in queued if job.function == "poll_tickets"}
    assert on_messages == []
