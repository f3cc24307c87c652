"""The arq queues, and what goes on each.

Customer messages can pile up by the thousand after an outage. Ticket polls, schedules,
tracking and catalogue syncs therefore have a queue of their own, served by its own arq
worker inside the same `supportai worker` process, so a message backlog never delays
them (a late poll makes every ticket late). Provider dispatch over Telegram has a third
queue, served by `supportai userbot` (supportai.domain.dispatch.userbot.USERBOT_QUEUE).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import structlog
from arq.constants import default_queue_name

MESSAGES_QUEUE = default_queue_name  # process_message, route_telegram_update
CONTROL_QUEUE = "supportai:queue:control"  # polls, schedules, tracking, syncs, the heartbeat

# Sessions carry the queue under this key (Runtime puts it in `Database.session_info`), so
# work registered with `after_commit` deep in a transaction can queue a job without a Runtime.
SESSION_QUEUE_KEY = "supportai.queue"


async def enqueue_control(queue: Any, function: str, jobs: Iterable[tuple[tuple[str, ...], str]]) -> None:
    """Queue control jobs, each (its arguments, its job id), at most once each. Best effort:
    with Redis down, or no queue (a script), what they would send waits in the database
    for its sweeper."""
    if queue is None:
        return
    try:
        for args, job_id in jobs:
            await queue.enqueue_job(function, *args, _job_id=job_id, _queue_name=CONTROL_QUEUE)
    except Exception as exc:  # any Redis failure: the sweeper sends it later
        structlog.get_logger("supportai.queues").warning("control_enqueue_failed", function=function, error=str(exc))
