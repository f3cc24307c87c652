"""arq worker settings: `supportai worker` runs `WorkerSettings` and `supportai userbot`
runs `UserbotWorkerSettings`; tests build the same options for their own settings with
`worker_options` / `userbot_worker_options`."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from arq import cron
from arq.connections import RedisSettings

from supportai.api.logging import configure_logging
from supportai.config import Settings
from supportai.domain.dispatch.service import LOCK_TIMEOUT_S
from supportai.domain.dispatch.userbot import (
    USERBOT_HEARTBEAT_KEY,
    USERBOT_QUEUE,
    UserbotFactory,
    UserbotPool,
    telethon_factory,
)
from supportai.health import WORKER_HEARTBEAT_EVERY_S
from supportai.runtime import open_runtime
from workers.jobs import (
    JOBS,
    USERBOT_JOBS,
    heartbeat,
    requeue_stalled,
    schedule_service_syncs,
    schedule_ticket_polls,
    schedule_tracking,
    sweep_provider_dispatch,
    sync_userbots,
    userbot_heartbeat,
)


def worker_options(settings: Settings) -> dict[str, Any]:
    async def startup(ctx: dict[str, Any]) -> None:
        configure_logging(settings.log_level)
        ctx["exit_stack"] = stack = AsyncExitStack()
        ctx["runtime"] = await stack.enter_async_context(open_runtime(settings))

    async def shutdown(ctx: dict[str, Any]) -> None:
        await ctx["exit_stack"].aclose()

    return {
        "functions": JOBS,
        "cron_jobs": [
            cron(heartbeat, second=set(range(0, 60, WORKER_HEARTBEAT_EVERY_S)), run_at_startup=True),
            cron(schedule_service_syncs, hour={0, 6, 12, 18}, minute=0, second=0),
            cron(schedule_ticket_polls, second=0),
            cron(requeue_stalled, minute=set(range(0, 60, 2)), second=30),
            cron(schedule_tracking, minute=set(range(5, 60, 10)), second=0),
        ],
        "on_startup": startup,
        "on_shutdown": shutdown,
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "max_jobs": 20,
        "max_tries": 8,
        "job_timeout": 300,
        "keep_result": 3600,
    }


def userbot_worker_options(settings: Settings, factory: UserbotFactory | None = None) -> dict[str, Any]:
    """The userbot worker: holds the owners' Telegram accounts (one client per tenant, made
    by `factory`, Telethon by default) and sends every message to providers. Run one."""

    async def startup(ctx: dict[str, Any]) -> None:
        configure_logging(settings.log_level)
        ctx["exit_stack"] = stack = AsyncExitStack()
        ctx["runtime"] = runtime = await stack.enter_async_context(open_runtime(settings))
        ctx["userbots"] = userbots = UserbotPool(runtime, factory if factory is not None else telethon_factory(settings))
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


WorkerSettings = type("WorkerSettings", (), worker_options(Settings.from_env()))
UserbotWorkerSettings = type("UserbotWorkerSettings", (), userbot_worker_options(Settings.from_env()))
