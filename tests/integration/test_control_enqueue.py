"""Control jobs queued after a commit (owner notifications, webhook deliveries): once per
job id, and never an error for the caller when Redis is down (the rows wait for their sweeper)."""

from __future__ import annotations

import uuid

from arq.connections import ArqRedis
from arq.constants import job_key_prefix

from supportai.queues import CONTROL_QUEUE, enqueue_control


async def test_each_job_is_queued_once_on_the_control_queue(redis_url):
    queue = ArqRedis.from_url(redis_url)
    run = uuid.uuid4().hex  # this test's jobs only: the database is shared with the suite
    ids = [f"test:{run}:1", f"test:{run}:2"]
    try:
        jobs = [(("tenant", "row-1"), ids[0]), (("tenant", "row-2"), ids[1])]
        await enqueue_control(queue, "deliver_webhook", jobs)
        await enqueue_control(queue, "deliver_webhook", jobs[:1])  # a second commit hook: same id
        queued = [job for job in await queue.queued_jobs(queue_name=CONTROL_QUEUE) if job.job_id in ids]
        assert sorted((job.function, job.args, job.job_id) for job in queued) == [
            ("deliver_webhook", ("tenant", "row-1"), ids[0]),
            ("deliver_webhook", ("tenant", "row-2"), ids[1]),
        ]
    finally:
        await queue.zrem(CONTROL_QUEUE, *ids)
        await queue.delete(*(job_key_prefix + job_id for job_id in ids))
        await queue.aclose()


async def test_redis_down_or_no_queue_is_not_an_error():
    down = ArqRedis.from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        await enqueue_control(down, "deliver_notification", [(("tenant", "row"), "test:row:0")])
    finally:
        await down.aclose()
    await enqueue_control(None, "deliver_notification", [(("tenant", "row"), "test:row:0")])
