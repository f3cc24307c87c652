"""The whole product on one machine against a simulated world: what the demo and the
simulated-month benchmark both run on.

The panel/provider simulator, the Telegram Bot API stand-in and both payment gateways'
stand-ins, each on a local port; the API (serving the web app) in a thread; both workers in
this process; a demo owner wired to all of them through the API. Simulated time runs fast
(clock.py): SupportAI's follow-up monitoring keeps the simulated world's pace.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx
from arq.worker import Worker

from supportai.app import create_app
from supportai.config import Settings
from supportai.db.migrations import upgrade
from supportai.demo.clock import FastClock
from supportai.demo.tenant import DemoTenant, create_demo_tenant
from supportai.domain.support.tracking import track_requests
from supportai.integrations.panel import PanelUnavailable
from supportai.queues import CONTROL_QUEUE
from supportai.runtime import Runtime, open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.payments import create_payments_app, gateway_env, stand_in_gateway
from supportai.simulator.server import serve_in_thread
from supportai.simulator.telegram import create_telegram_app
from supportai.simulator.world import World, build_world
from workers.settings import userbot_worker_options, worker_process_options


@dataclass
class DemoStack:
    settings: Settings
    runtime: Runtime
    world: World
    clock: FastClock
    tenant: DemoTenant
    api: httpx.AsyncClient  # SupportAI's API
    telegram: httpx.AsyncClient  # the Bot API stand-in
    sim: SimulatorControlClient
    api_url: str
    sim_url: str
    telegram_url: str


@asynccontextmanager
async def open_demo_stack(
    *, listener: socket.socket, hour_s: float, env: Mapping[str, str], world_name: str = "demo"
) -> AsyncIterator[DemoStack]:
    """`env` adds to (and wins over) the process environment: e.g. the data dir, or a
    `DATABASE_URL` and `REDIS_URL` of the caller's."""
    api_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    clock, world = FastClock(hour_s), build_world(world_name, tickets=0)
    async with AsyncExitStack() as stack:
        sim_url = stack.enter_context(serve_in_thread(create_simulator_app(world)))
        telegram_url = stack.enter_context(serve_in_thread(create_telegram_app()))
        # Both payment gateways' stand-ins: the demo owner can change plans and pay on their pages.
        payments = stand_in_gateway()
        payments_url = stack.enter_context(serve_in_thread(create_payments_app(payments)))
        settings = Settings.from_env({
            **os.environ, **gateway_env(payments, payments_url),
            "SUPPORTAI_ALLOW_PRIVATE_URLS": "true",
            "SUPPORTAI_LOG_LEVEL": "WARNING", "SUPPORTAI_TELEGRAM_API": telegram_url, "SUPPORTAI_PUBLIC_URL": api_url,
            # Follow-ups and tracking keep the simulated world's pace.
            "SUPPORTAI_TIME_SCALE": str(clock.speed),
            # Every run signs up a new owner from this machine.
            "SUPPORTAI_SIGNUPS_PER_IP": os.environ.get("SUPPORTAI_SIGNUPS_PER_IP", "1000"),
            **env,
        })
        await _migrate(settings)
        stack.enter_context(serve_in_thread(create_app(settings), listener=listener))
        runtime = await stack.enter_async_context(open_runtime(settings))
        await _start_workers(stack, settings)
        api, telegram, sim_http = [
            await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=30))
            for url in (api_url, telegram_url, sim_url)
        ]
        tenant = await create_demo_tenant(api, telegram, runtime, world, sim_url)
        yield DemoStack(
            settings=settings, runtime=runtime, world=world, clock=clock, tenant=tenant, api=api,
            telegram=telegram, sim=SimulatorControlClient(sim_http, sim_url),
            api_url=api_url, sim_url=sim_url, telegram_url=telegram_url,
        )


async def _migrate(settings: Settings) -> None:
    await asyncio.to_thread(upgrade, settings.database_url)
    for noisy in ("alembic", "arq"):  # what the demo prints is the story, not their progress
        logging.getLogger(noisy).setLevel(logging.WARNING)


async def _start_workers(stack: AsyncExitStack, settings: Settings) -> None:
    """The worker and the userbot worker, in this process; stopped (first) when the stack ends.
    Their own signal handling is off: Ctrl-C and SIGTERM stop the whole run, not just them."""
    workers = [
        Worker(**options, poll_delay=0.2, handle_signals=False)  # type: ignore[arg-type]
        for options in (*worker_process_options(settings), userbot_worker_options(settings))
    ]
    tasks = [asyncio.create_task(worker.async_run()) for worker in workers]

    async def stop() -> None:
        for task in tasks:
            task.cancel()
        for worker in workers:
            await worker.close()

    stack.push_async_callback(stop)


async def advance_world(stack: DemoStack) -> None:
    """Keep the simulated world on the fast clock."""
    await stack.sim.advance(max(stack.clock.now() - stack.world.now(), 0))


@contextlib.asynccontextmanager
async def tracking_in_background(stack: DemoStack, every_s: float) -> AsyncIterator[None]:
    """Run follow-up monitoring at most every `every_s` real seconds while the block runs:
    the worker's schedule (every 10 minutes) is too slow at this pace, and run inline a slow
    run would hold up everything else."""

    async def keep_tracking() -> None:
        while True:
            started = time.monotonic()
            with contextlib.suppress(PanelUnavailable):  # the requests stay due: the next run checks them
                await track_requests(stack.runtime, stack.tenant.tenant_id)
            await asyncio.sleep(max(every_s - (time.monotonic() - started), 0))

    task = asyncio.create_task(keep_tracking())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def poll_tickets_now(stack: DemoStack) -> None:
    """Read the panel's tickets now rather than at the next scheduled poll."""
    await stack.runtime.queue.enqueue_job(
        "poll_tickets", str(stack.tenant.tenant_id), _job_id=f"demo-poll:{time.time_ns()}", _queue_name=CONTROL_QUEUE,
    )
