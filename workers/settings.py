"""arq worker settings. `supportai worker` runs two arq workers in one process
(`worker_process_options`, started by workers.serve): one for the messages queue and one
for the control queue (supportai.queues); `supportai userbot` runs `UserbotWorkerSettings`.
Tests build the same options for their own settings."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from arq import cron
from arq.connections import RedisSettings

from supportai.api.logging import configure_logging
from supportai.config import Settings
from supportai.domain.dispatch.batching import LOCK_TIMEOUT_S
from supportai.domain.dispatch.userbot import USERBOT_HEARTBEAT_KEY, USERBOT_QUEUE
from supportai.domain.dispatch.userbot_pool import UserbotFactory, UserbotPool, telethon_factory
from supportai.health import WORKER_HEARTBEAT_EVERY_S
from supportai.queues import CONTROL_QUEUE, MESSAGES_QUEUE
from supportai.runtime import open_runtime
from workers.jobs import (
    CONTROL_JOBS,
    MESSAGE_JOBS,
    USERBOT_JOBS,
    bill_subscriptions,
    heartbeat,
    requeue_stalled,
    schedule_service_syncs,
    schedule_ticket_polls,
    schedule_tracking,
    sweep_notifications,
    sweep_provider_dispatch,
    sweep_sla_breaches,
    sweep_webhooks,
    sync_userbots,
    userbot_heartbeat,
)


def _with_runtime(settings: Settings) -> dict[str, Any]:
    """Startup and shutdown hooks that give the worker's jobs a `Runtime` (ctx["runtime"])."""

    async def startup(ctx: dict[str, Any]) -> None:
        configure_logging(settings.log_level)
        ctx["exit_stack"] = stack = AsyncExitStack()
        ctx["runtime"] = await stack.enter_async_context(open_runtime(settings))

    async def shutdown(ctx: dict[str, Any]) -> None:
        await ctx["exit_stack"].aclose()

    return {"on_startup": startup, "on_shutdown": shutdown,
            "redis_settings": RedisSettings.from_dsn(settings.redis_url)}


def worker_options(settings: Settings) -> dict[str, Any]:
    """The messages queue: the support pipeline, one job per customer message."""
    return {
        **_with_runtime(settings),
        "functions": MESSAGE_JOBS,
        "queue_name": MESSAGES_QUEUE,
        "max_jobs": 20,
        "max_tries": 8,
        "job_timeout": 300,
        "keep_result": 3600,
    }


def control_worker_options(settings: Settings) -> dict[str, Any]:
    """The control queue and the schedules: polls, tracking, syncs, the sweeper, the heartbeat."""
    return {
        **_with_runtime(settings),
        "functions": CONTROL_JOBS,
        "queue_name": CONTROL_QUEUE,
        "cron_jobs": [
            cron(heartbeat, second=set(range(0, 60, WORKER_HEARTBEAT_EVERY_S)), run_at_startup=True),
            cron(schedule_service_syncs, hour={0, 6, 12, 18}, minute=0, second=0),
            cron(schedule_ticket_polls, second=0),
            cron(requeue_stalled, second={20, 50}),  # so a message a killed worker held waits about a minute
            cron(schedule_tracking, minute=set(range(5, 60, 10)), second=0),
            cron(bill_subscriptions, minute=set(range(0, 60, 10)), second=40),
            cron(sweep_webhooks, second=set(range(2, 60, 5))),  # webhook retries as they fall due
            cron(sweep_notifications, second={25, 55}),  # copies whose job was lost, and retries
            cron(sweep_sla_breaches, second=10),  # every minute; safe to overlap (once per wait)
        ],
        "max_jobs": 20,
        "max_tries": 8,
        "job_timeout": 300,
        "keep_result": 3600,
    }


def worker_process_options(settings: Settings) -> list[dict[str, Any]]:
    """The arq workers `supportai worker` runs side by side: control first, then messages."""
    return [control_worker_options(settings), worker_options(settings)]


def userbot_worker_options(settings: Settings, factory: UserbotFactory | None = None) -> dict[str, Any]:
    """The userbot worker: holds the owners' Telegram accounts (one client per tenant, made
    by `factory`, Telethon by default) and sends every message to providers. Run one."""

    async def startup(ctx: dict[str, Any]) -> None:
        configure_logging(settings.log_level)
        ctx["exit_stack"] = stack = AsyncExitStack()
        ctx["runtime"] = runtime = await stack.enter_async_context(open_runtime(settings))
        ctx["userbots"] = userbots = UserbotPool(runtime,
                                                 factory if factory is not None else telethon_factory(settings))
        stack.push_async_callback(userbots.close)
        await userbots.sync()

    async def shutdown(ctx: dict[str, Any]) -> None:
        await ctx["runtime"].redis.delete(USERBOT_HEARTBEAT_KEY)  # login steps now fail fast
        await ctx["exit_stack"].aclose()

    return {
        "functions": USERBOT_JOBS,
        "queue_name": USERBOT_QUEUE,
        "cron_jobs": [
            cron(userbot_heartbeat, second={0, 30}, run_at_startup=True),
            cron(sync_userbots, second=15),
            cron(sweep_provider_dispatch, second=45),
        ],
        "on_startup": startup,
        "on_shutdown": shutdown,
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "max_jobs": 20,
        "max_tries": 8,
        # A dispatch job holds its provider's lock for at most this long.
        "job_timeout": LOCK_TIMEOUT_S,
        "keep_result": 3600,
    }


UserbotWorkerSettings = type("UserbotWorkerSettings", (), userbot_worker_options(Settings.from_env()))
