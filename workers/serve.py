"""`supportai worker`: the arq workers of `worker_process_options` (the control queue's
and the messages queue's) side by side in one process and event loop, stopped together."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from arq.connections import create_pool
from arq.worker import Worker

from supportai.config import Settings
from workers.settings import worker_process_options


def run_worker_process(settings: Settings, *, burst: bool = False) -> None:
    """The `supportai worker` command; with `burst`, until every queue is empty."""
    option_sets = worker_process_options(settings)
    asyncio.run(drain(option_sets) if burst else serve(option_sets, stop_on_signals=True))


async def serve(option_sets: list[dict[str, Any]], *, burst: bool = False, stop_on_signals: bool = False,
                **overrides: Any) -> None:
    """Run one arq worker per option set until they stop (burst: each when its queue is empty)."""
    workers = [Worker(**{**options, **overrides}, burst=burst, handle_signals=False) for options in option_sets]
    if stop_on_signals:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, lambda signum=signum: [worker.handle_sig(signum) for worker in workers])
    try:
        await asyncio.gather(*(worker.async_run() for worker in workers))
    except asyncio.CancelledError:
        pass  # stopped by a signal
    finally:
        for worker in workers:
            await worker.close()


async def drain(option_sets: list[dict[str, Any]], **overrides: Any) -> None:
    """Burst runs until no queue has jobs left: a control job (a ticket poll) may queue
    messages after the messages worker found its queue empty, and the other way round."""
    redis = await create_pool(option_sets[0]["redis_settings"])
    try:
        while True:
            await serve(option_sets, burst=True, **overrides)
            if not any([await redis.zcard(options["queue_name"]) for options in option_sets]):
                return
    finally:
        await redis.aclose()

