"""Job functions. Each takes arq's ctx (holding the shared `Runtime`) and calls services."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

import msgspec
from arq import Retry
from arq.constants import in_progress_key_prefix
from arq.worker import func
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from supportai.domain.billing.cycle import run_billing
from supportai.domain.dispatch import userbot_worker
from supportai.domain.dispatch.batching import dispatch_batch
from supportai.domain.dispatch.scheduling import sweep_dispatch
from supportai.domain.dispatch.sending import SendLater
from supportai.domain.dispatch.userbot import USERBOT_HEARTBEAT_KEY, USERBOT_HEARTBEAT_TTL_S
from supportai.domain.dispatch.userbot_pool import UserbotPool
from supportai.domain.notifications.delivery import deliver as deliver_notice
from supportai.domain.notifications.delivery import sweep_deliveries
from supportai.domain.requests.failures import record_failed_attempt
from supportai.domain.requests.intake import processing_job_id, requeue_stalled_messages
from supportai.domain.requests.models import MessageStatus
from supportai.domain.requests.tickets import due_ticket_polls
from supportai.domain.requests.tickets import poll_tickets as poll_panel_tickets
from supportai.domain.services.sync import sync_from_panel, tenants_with_a_panel
from supportai.domain.support.pipeline import PanelDown
from supportai.domain.support.pipeline import process_message as run_pipeline
from supportai.domain.support.routing import route_update
from supportai.domain.support.sla_breaches import sweep_sla
from supportai.domain.support.tracking import track_requests as track_tenant_requests
from supportai.domain.support.tracking_due import tenants_with_due_checks
from supportai.domain.webhooks.delivery import deliver, sweep_due
from supportai.health import WORKER_HEARTBEAT_KEY
from supportai.integrations.panel import PanelUnavailable
from supportai.queues import CONTROL_QUEUE, MESSAGES_QUEUE
from supportai.runtime import Runtime
from workers.locks import LockBusy, held_lock, message_lock_name

SERVICE_SYNC_SPREAD_S = 15 * 60  # start tenants' syncs across 15 minutes, not all at once
BUSY_RETRY_S = 5  # a job for a message another worker holds looks again this soon


def runtime_of(ctx: dict[str, Any]) -> Runtime:
    return ctx["runtime"]


async def heartbeat(ctx: dict[str, Any]) -> float:
    """Proves the worker is alive: `/health` reports the age of this stamp."""
    now = time.time()
    await runtime_of(ctx).redis.set(WORKER_HEARTBEAT_KEY, now, ex=3600)
    return now


async def sync_services(ctx: dict[str, Any], tenant_id: str) -> dict[str, int]:
    with retried_when_unreachable(ctx):
        result = await sync_from_panel(runtime_of(ctx), uuid.UUID(tenant_id))
    return msgspec.structs.asdict(result)


async def schedule_service_syncs(ctx: dict[str, Any]) -> int:
    """Every 6 hours: one sync job per tenant with a panel, staggered by tenant."""
    runtime = runtime_of(ctx)
    tenant_ids = await tenants_with_a_panel(runtime)
    window = int(time.time() // (6 * 3600))
    for tenant_id in tenant_ids:
        await runtime.queue.enqueue_job(
            "sync_services",
            str(tenant_id),
            _job_id=f"sync_services:{tenant_id}:{window}",  # once per tenant per window
            _defer_by=tenant_id.int % SERVICE_SYNC_SPREAD_S,
            _queue_name=CONTROL_QUEUE,
        )
    return len(tenant_ids)


def panel_retry_delay(job_try: int) -> int:
    """Backoff while the panel is down: 5 s, 10 s, 20 s ... capped at 10 minutes."""
    return min(5 * 2 ** max(job_try - 1, 0), 600)


def lost_the_database(exc: BaseException) -> bool:
    """The database connection dropped or could not be made (a restart, a killed backend)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (OperationalError, InterfaceError, ConnectionError))


@contextlib.contextmanager
def retried_when_unreachable(ctx: dict[str, Any]) -> Iterator[None]:
    """The panel or the database could not be reached: the job runs again later, with
    backoff. Every step is idempotent, so a rerun redoes only what did not commit."""
    try:
        yield
    except Exception as exc:
        if not isinstance(exc, (PanelDown, PanelUnavailable)) and not lost_the_database(exc):
            raise
        raise Retry(defer=panel_retry_delay(ctx.get("job_try", 1))) from exc


async def process_message(ctx: dict[str, Any], tenant_id: str, message_id: str) -> str:
    """A stored message from a panel ticket or the public API: the support pipeline."""
    return await _run_for_message(ctx, tenant_id, message_id, run_pipeline)


async def route_telegram_update(ctx: dict[str, Any], tenant_id: str, message_id: str) -> str:
    """A stored Telegram update: routed by Telegram first; a customer's request goes on to
    the pipeline in the same job."""
    return await _run_for_message(ctx, tenant_id, message_id, route_update)


async def _run_for_message(
    ctx: dict[str, Any], tenant_id: str, message_id: str,
    step: Callable[[Runtime, uuid.UUID, uuid.UUID], Awaitable[str]],
) -> str:
    runtime = runtime_of(ctx)
    tenant, message = uuid.UUID(tenant_id), uuid.UUID(message_id)
    try:
        # One worker per message at a time; a second job for it (sweeper, redelivery) waits.
        async with held_lock(runtime.redis, message_lock_name(message)):
            with retried_when_unreachable(ctx):
                return await step(runtime, tenant, message)
    except LockBusy as busy:  # back soon: the holder is done, or its lock has expired with it
        raise Retry(defer=max(1, min(BUSY_RETRY_S, math.ceil(busy.expires_in)))) from busy
    except Retry:
        raise
    except Exception as exc:  # counted; after the last attempt the owner is shown the message
        status = await record_failed_attempt(runtime, tenant, message, str(exc) or type(exc).__name__)
        if status == MessageStatus.FAILED:
            return status
        raise


async def poll_tickets(ctx: dict[str, Any], tenant_id: str) -> int:
    with retried_when_unreachable(ctx):
        return await poll_panel_tickets(runtime_of(ctx), uuid.UUID(tenant_id))


async def schedule_ticket_polls(ctx: dict[str, Any]) -> int:
    """Every minute: queue the tenants whose polling window has turned (default 2 min)."""
    runtime = runtime_of(ctx)
    due = await due_ticket_polls(runtime)
    for tenant_id, job_id in due:
        await runtime.queue.enqueue_job("poll_tickets", str(tenant_id), _job_id=job_id, _queue_name=CONTROL_QUEUE)
    return len(due)


async def requeue_stalled(ctx: dict[str, Any]) -> int:
    runtime = runtime_of(ctx)
    return await requeue_stalled_messages(runtime, in_hand=functools.partial(messages_in_hand, runtime))


async def messages_in_hand(runtime: Runtime, message_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Messages a live worker holds (its lock dies with it within LOCK_TTL_S), or whose first
    job still waits its turn in the queue. A job arq shows in progress without a held lock
    had its worker killed: arq would run it again only after job_timeout, so it is not in hand."""
    pipe = runtime.queue.pipeline(transaction=False)
    for message_id in message_ids:
        pipe.exists(message_lock_name(message_id))
        pipe.zscore(MESSAGES_QUEUE, processing_job_id(message_id))
        pipe.exists(in_progress_key_prefix + processing_job_id(message_id))
    answers = await pipe.execute()
    in_hand = set()
    for index, message_id in enumerate(message_ids):
        locked, queued_at, in_progress = answers[3 * index: 3 * index + 3]
        if locked or (queued_at is not None and not in_progress):
            in_hand.add(message_id)
    return in_hand


async def track_requests(ctx: dict[str, Any], tenant_id: str) -> dict[str, Any]:
    with retried_when_unreachable(ctx):  # nothing was charged; the requests stay due
        run = await track_tenant_requests(runtime_of(ctx), uuid.UUID(tenant_id))
    return dataclasses.asdict(run)


async def schedule_tracking(ctx: dict[str, Any]) -> int:
    """Every 10 minutes: one tracking job per tenant with requests due for a check."""
    runtime = runtime_of(ctx)
    tenant_ids = await tenants_with_due_checks(runtime)
    slot = int(time.time() // 600)
    for tenant_id in tenant_ids:
        await runtime.queue.enqueue_job(
            "track_requests", str(tenant_id), _job_id=f"track:{tenant_id}:{slot}", _queue_name=CONTROL_QUEUE
        )
    return len(tenant_ids)


async def sweep_sla_breaches(ctx: dict[str, Any]) -> dict[str, int]:
    """Every minute: tell owners, once per wait, of requests waiting past their SLA target."""
    return await sweep_sla(runtime_of(ctx))


async def bill_subscriptions(ctx: dict[str, Any]) -> dict[str, int]:
    """Every 10 minutes: renewals at the anniversary, lapses after the grace, attempts expired."""
    return await run_billing(runtime_of(ctx))


async def deliver_webhook(ctx: dict[str, Any], tenant_id: str, delivery_id: str) -> str:
    """One attempt of an outbound webhook delivery; a failed one is planned again in its row."""
    return await deliver(runtime_of(ctx), uuid.UUID(tenant_id), uuid.UUID(delivery_id))


async def sweep_webhooks(ctx: dict[str, Any]) -> int:
    """Every 5 seconds: queue the webhook deliveries whose (next) attempt is due."""
    return await sweep_due(runtime_of(ctx))


async def deliver_notification(ctx: dict[str, Any], tenant_id: str, notification_id: str) -> str:
    """The Telegram and e-mail copies of one owner notification; a failed one waits for the sweeper."""
    return await deliver_notice(runtime_of(ctx), uuid.UUID(tenant_id), uuid.UUID(notification_id))


async def sweep_notifications(ctx: dict[str, Any]) -> int:
    """Queue the notification copies whose job was lost or whose retry is due."""
    return await sweep_deliveries(runtime_of(ctx))


# The messages queue (MESSAGES_QUEUE) and the control queue (CONTROL_QUEUE): see supportai.queues.
MESSAGE_JOBS: list[Any] = [process_message, route_telegram_update]
CONTROL_JOBS: list[Any] = [
    heartbeat, sync_services, schedule_service_syncs, poll_tickets, schedule_ticket_polls, requeue_stalled,
    track_requests, schedule_tracking, bill_subscriptions, sweep_sla_breaches,
    # A failed delivery is retried by its row (and the sweeper), not by arq.
    func(deliver_webhook, max_tries=1), sweep_webhooks, func(deliver_notification, max_tries=1), sweep_notifications,
]


# --- the userbot worker (`supportai userbot`, queue USERBOT_QUEUE) ---------------------------
# ctx["userbots"] is its UserbotPool: the owners' Telegram accounts this process holds.


def userbots_of(ctx: dict[str, Any]) -> UserbotPool:
    return ctx["userbots"]


async def userbot_heartbeat(ctx: dict[str, Any]) -> float:
    """Login steps are refused at once, not after a timeout, while this stamp is missing."""
    now = time.time()
    await runtime_of(ctx).redis.set(USERBOT_HEARTBEAT_KEY, now, ex=USERBOT_HEARTBEAT_TTL_S)
    return now


async def dispatch_provider_batch(ctx: dict[str, Any], tenant_id: str, provider: str, action: str) -> int:
    tenant = uuid.UUID(tenant_id)
    pool: UserbotPool | None = ctx.get("userbots")
    try:
        with retried_when_unreachable(ctx):
            return await dispatch_batch(runtime_of(ctx), tenant, provider, action, pool.get(tenant) if pool else None)
    except SendLater as later:
        raise Retry(defer=later.seconds) from later


async def sweep_provider_dispatch(ctx: dict[str, Any]) -> int:
    return await sweep_dispatch(runtime_of(ctx))


async def sync_userbots(ctx: dict[str, Any]) -> int:
    return await userbots_of(ctx).sync()


async def userbot_send_code(ctx: dict[str, Any], tenant_id: str, phone_encrypted: str) -> dict[str, Any]:
    answer = await userbot_worker.send_login_code(
        runtime_of(ctx), userbots_of(ctx), uuid.UUID(tenant_id), phone_encrypted
    )
    return msgspec.to_builtins(answer)


async def userbot_submit_code(ctx: dict[str, Any], tenant_id: str, code_encrypted: str) -> dict[str, Any]:
    answer = await userbot_worker.submit_login_code(
        runtime_of(ctx), userbots_of(ctx), uuid.UUID(tenant_id), code_encrypted
    )
    return msgspec.to_builtins(answer)


async def userbot_submit_password(ctx: dict[str, Any], tenant_id: str, password_encrypted: str) -> dict[str, Any]:
    answer = await userbot_worker.submit_login_password(
        runtime_of(ctx), userbots_of(ctx), uuid.UUID(tenant_id), password_encrypted
    )
    return msgspec.to_builtins(answer)


async def userbot_forget(ctx: dict[str, Any], tenant_id: str, session_encrypted: str | None = None) -> None:
    await userbots_of(ctx).log_out(uuid.UUID(tenant_id), session_encrypted)


# Login steps run once (a retried "send code" would send a second code) and their answers
# are read by the waiting API call at once, so they are not kept for long.
_LOGIN_STEP = {"max_tries": 1, "keep_result": 120}

USERBOT_JOBS: list[Any] = [
    # Flood waits can defer a batch many times; the sweeper backs it up beyond that.
    func(dispatch_provider_batch, max_tries=50),
    func(userbot_send_code, **_LOGIN_STEP),
    func(userbot_submit_code, **_LOGIN_STEP),
    func(userbot_submit_password, **_LOGIN_STEP),
    userbot_forget,
    userbot_heartbeat,
    sweep_provider_dispatch,
    sync_userbots,
]
