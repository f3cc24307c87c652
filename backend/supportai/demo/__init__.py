"""`supportai demo`: the whole product on one machine, against a simulated world.

Starts the panel/provider simulator and the Telegram Bot API stand-in, the API (on the
port the README names, serving the web app) and both workers; sets up a demo owner; then
customers write in many languages (customers.py), providers answer in Telegram
(providers.py), and every message and what follows it is printed (narrator.py). Simulated
time runs fast (clock.py), so follow-ups and tracking show within minutes.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from supportai.api.web import default_web_dir
from supportai.demo.clock import FastClock
from supportai.demo.customers import Customers, DemoOrders
from supportai.demo.narrator import Narrator
from supportai.demo.providers import Providers
from supportai.demo.stack import (
    DemoStack,
    advance_world,
    open_demo_stack,
    poll_tickets_now,
    tracking_in_background,
)
from supportai.demo.tenant import OWNER_CHAT_ID, PASSWORD
from supportai.simulator.server import bound_socket

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
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    async with open_demo_stack(listener=listener, hour_s=hour_s, env={"SUPPORTAI_DATA_DIR": data_dir}) as stack:
        _announce(report, stack)
        narrator = Narrator(stack.runtime, stack.tenant.tenant_id, stack.clock, report)
        try:
            await _play(stack, narrator, every_s=every_s, duration_s=duration_s)
        finally:
            report(_summary(narrator.outcomes, stack.clock))
        return narrator.outcomes


async def _play(stack: DemoStack, narrator: Narrator, *, every_s: float, duration_s: float | None) -> None:
    orders = DemoOrders()
    customers = Customers(stack.world, stack.sim, stack.api, stack.tenant.api_key, orders)
    providers = Providers(
        stack.telegram, stack.sim, stack.clock, stack.tenant.bot_id, stack.tenant.provider_chats, orders,
        lambda text: narrator.say(f"owner notified on Telegram: \"{text}\""), OWNER_CHAT_ID,
    )
    started = time.monotonic()
    next_customer = started
    async with tracking_in_background(stack, TRACK_EVERY_S):
        while duration_s is None or time.monotonic() - started < duration_s:
            if time.monotonic() >= next_customer:
                if await customers.next() == "ticket":  # read from the panel now, not at the next poll
                    await poll_tickets_now(stack)
                next_customer += every_s
            await advance_world(stack)
            await narrator.step()  # before the providers' step: a message is told before what the owner heard of it
            await providers.step()
            await asyncio.sleep(TICK_S)


def _announce(report: Callable[[str], object], stack: DemoStack) -> None:
    settings, clock, tenant, api_url = stack.settings, stack.clock, stack.tenant, stack.api_url
    built = (Path(settings.web_dir or default_web_dir()) / "index.html").is_file()
    report(f"SupportAI demo: 1 simulated hour every {clock.hour_s:g} s ({clock.speed:.0f}× real time)")
    report(f"  web app           {api_url}/" if built else
           f"  web app           not built: run scripts/build-web (needs Node.js), then {api_url}/")
    report(f"  demo login        {tenant.email} / {PASSWORD}")
    report(f"  API and docs      {api_url}/api, {api_url}/schema")
    report(f"  panel simulator   {stack.sim_url}/_sim/info")
    report(f"  Telegram stand-in {stack.telegram_url}   (Ctrl-C stops the demo)")


def _summary(outcomes: Counter[str], clock: FastClock) -> str:
    decided = ", ".join(f"{outcome} {count}" for outcome,
                        count in outcomes.most_common() if not outcome.startswith("_"))
    hours = (clock.now() - clock.started) / 3600
    return (f"demo over: {outcomes['_messages']} customer messages in {hours:.0f} simulated hours; "
            f"{decided or 'no decisions yet'}")
