"""`supportai demo`: the whole product on one machine, against a simulated world.

Starts the panel/provider simulator and the Telegram Bot API stand-in, the API (on the
port the README names, serving the web app) and both workers; sets up a demo owner; then
customers write in many languages (customers.py), providers answer in Telegram
(providers.py), and every message and what follows it is printed (narrator.py). Simulated
time runs fast (clock.py), so follow-ups and tracking show within minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
from arq.worker import Worker

from supportai.api.web import default_web_dir
from supportai.app import create_app
from supportai.config import Settings
from supportai.db.migrations import upgrade
from supportai.demo.clock import FastClock
from supportai.demo.customers import Customers, DemoOrders
from supportai.demo.narrator import Narrator
from supportai.demo.providers import Providers
from supportai.demo.tenant import OWNER_CHAT_ID, PASSWORD, DemoTenant, create_demo_tenant
from supportai.domain.requests.tracking import track_requests
from supportai.integrations.panel import PanelUnavailable
from supportai.queues import CONTROL_QUEUE
from supportai.runtime import Runtime, open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.payments import PaymentGatewaySim, create_payments_app, gateway_env
from supportai.simulator.server import bound_socket, serve_in_thread
from supportai.simulator.telegram import create_telegram_app
from supportai.simulator.world import World, build_world
from workers.settings import userbot_worker_options, worker_process_options

TICK_S = 0.5
TRACK_EVERY_S = 2.0  # between tracking runs: the worker's schedule (every 10 minutes) is too slow here


PRINT = functools.partial(print, flush=True)  # lines show as they happen, even piped


class DemoError(Exception):
    """The demo cannot start (e.g. its port is taken); the message says what to do."""


async def run_demo(
    *, every_s: float = 4.0, duration_s: float | None = None, data_dir: str = "var/demo", port: int = 8000,
    hour_s: float = 3.0, report: Callable[[str], object] = PRINT,
) -> Counter[str]:
    """Run until cancelled or `duration_s` passes; returns the decisions counted (and
    `_messages`, the customer messages told)."""
    try:
        listener = bound_socket(port=port)
    except OSError as exc:
        raise DemoError(f"port {port} is taken ({exc.strerror}): stop what runs there or pass --port") from exc
    api_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    clock, world = FastClock(hour_s), build_world("demo", tickets=0)
    async with AsyncExitStack() as stack:
        sim_url = stack.enter_context(serve_in_thread(create_simulator_app(world)))
        telegram_url = stack.enter_context(serve_in_thread(create_telegram_app()))
        # Both payment gateways' stand-ins: the demo owner can change plans and pay on their pages.
        payments = PaymentGatewaySim("demo-merchant", "demo-payments-key", nowpayments_key="demo-nowpayments-key",
                                     ipn_secret="demo-ipn-secret")
        payments_url = stack.enter_context(serve_in_thread(create_payments_app(payments)))
        settings = Settings.from_env({
            **os.environ, **gateway_env(payments, payments_url),
            "SUPPORTAI_DATA_DIR": data_dir, "SUPPORTAI_ALLOW_PRIVATE_URLS": "true",
            "SUPPORTAI_LOG_LEVEL": "WARNING", "SUPPORTAI_TELEGRAM_API": telegram_url, "SUPPORTAI_PUBLIC_URL": api_url,
            # Follow-ups and tracking keep the simulated world's pace.
            "SUPPORTAI_TIME_SCALE": str(clock.speed),
            # Every run signs up a new owner from this machine.
            "SUPPORTAI_SIGNUPS_PER_IP": os.environ.get("SUPPORTAI_SIGNUPS_PER_IP", "1000"),
        })
        await asyncio.to_thread(upgrade, settings.database_url)
        for noisy in ("alembic", "arq"):  # what the demo prints is the story, not their progress
            logging.getLogger(noisy).setLevel(logging.WARNING)
        stack.enter_context(serve_in_thread(create_app(settings), listener=listener))
        runtime = await stack.enter_async_context(open_runtime(settings))
        await _start_workers(stack, settings)
        clients = [await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=30))
                   for url in (api_url, telegram_url, sim_url)]
        api, telegram, sim_http = clients
        tenant = await create_demo_tenant(api, telegram, runtime, world, sim_url)
        _announce(report, settings, clock, api_url, sim_url, telegram_url, tenant)
        narrator = Narrator(runtime, tenant.tenant_id, clock, report)
        try:
            await _play(world, SimulatorControlClient(sim_http, sim_url), api, telegram, runtime, tenant, clock,
                        narrator, every_s=every_s, duration_s=duration_s)
        finally:
            report(_summary(narrator.outcomes, clock))
        return narrator.outcomes


async def _start_workers(stack: AsyncExitStack, settings: Settings) -> None:
    """The worker and the userbot worker, in this process; stopped (first) when the demo ends.
    Their own signal handling is off: Ctrl-C and SIGTERM stop the whole demo, not just them."""
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


async def _play(
    world: World, sim: SimulatorControlClient, api: httpx.AsyncClient, telegram: httpx.AsyncClient, runtime: Runtime,
    tenant: DemoTenant, clock: FastClock, narrator: Narrator, *, every_s: float, duration_s: float | None,
) -> None:
    orders = DemoOrders()
    customers = Customers(world, sim, api, tenant.api_key, clock, orders)
    providers = Providers(telegram, sim, clock, tenant.bot_id, tenant.provider_chats, orders,
                          lambda text: narrator.say(f"owner notified on Telegram: \"{text}\""), OWNER_CHAT_ID)
    started = time.monotonic()
    next_customer, next_tracking = started, started
    while duration_s is None or time.monotonic() - started < duration_s:
        if time.monotonic() >= next_customer:
            if await customers.next() == "ticket":  # read from the panel now, not at the next poll
                await runtime.queue.enqueue_job(
                    "poll_tickets", str(tenant.tenant_id), _job_id=f"demo-poll:{time.time_ns()}",
                    _queue_name=CONTROL_QUEUE,
                )
            next_customer += every_s
        await sim.advance(max(clock.now() - world.now(), 0))  # the simulated world keeps the fast clock
        await narrator.step()  # before the providers' step: a message is told before what the owner heard of it
        await providers.step()
        if time.monotonic() >= next_tracking:
            with contextlib.suppress(PanelUnavailable):  # the requests stay due: the next run checks them
                await track_requests(runtime, tenant.tenant_id)
            next_tracking += TRACK_EVERY_S
        await asyncio.sleep(TICK_S)


def _announce(report: Callable[[str], object], settings: Settings, clock: FastClock, api_url: str, sim_url: str,
              telegram_url: str, tenant: DemoTenant) -> None:
    built = (Path(settings.web_dir or default_web_dir()) / "index.html").is_file()
    report(f"SupportAI demo: 1 simulated hour every {clock.hour_s:g} s ({clock.speed:.0f}× real time)")
    report(f"  web app           {api_url}/" if built else
           f"  web app           not built: run scripts/build-web (needs Node.js), then {api_url}/")
    report(f"  demo login        {tenant.email} / {PASSWORD}")
    report(f"  API and docs      {api_url}/api, {api_url}/schema")
    report(f"  panel simulator   {sim_url}/_sim/info")
    report(f"  Telegram stand-in {telegram_url}   (Ctrl-C stops the demo)")


def _summary(outcomes: Counter[str], clock: FastClock) -> str:
    decided = ", ".join(f"{outcome} {count}" for outcome, count in outcomes.most_common() if not outcome.startswith("_"))
    hours = (clock.now() - clock.started) / 3600
    return f"demo over: {outcomes['_messages']} customer messages in {hours:.0f} simulated hours; {decided or 'no decisions yet'}"
