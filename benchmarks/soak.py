"""Soak with crashes: customer messages through the public API while workers, the API and
Redis are killed (`kill -9`) and restarted at random; then the stack drains and the
database and the simulator's records are checked.

    .venv/bin/python benchmarks/soak.py [--messages 3000] [--rate 10] [--worker-kills 7] [--api-kills 1]
                                        [--redis-kills 1] [--workers 2] [--seed 7]

The API (uvicorn), `--workers` worker processes (`supportai worker`), the simulator
(`supportai simulate`) and a private `redis-server` (the options `.ci/run` starts Redis with,
on a free port: the machine's Redis is untouched) run as processes of their own on a
throw-away PostgreSQL database. A tenant is wired as the README's walkthrough does it, its
providers too (`wire_tenant`); customers write about orders made on the simulated panel:
refills that are due (a provider API call), refills that are not, cancels of pending orders
(a provider API call), questions without an order, and repeats of an earlier order by its
customer. A POST that fails (the API or Redis is down) is sent again with the same
external id, as an integration would. Tracking runs are queued every few seconds, two at
once now and then, so that tracking credits are charged (and overlap) during the soak.

It prints the figures and exits non-zero on any violation: a message accepted but not
stored or not processed, a duplicate request (message and order), a second quota unit or
provider call for one order and action, a reply recorded twice, quota used ≠ requests
charged, credits consumed ≠ checks. Drain: from the last kill to every message processed
(target ≤ 2 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import sqlalchemy as sa
from arq.connections import RedisSettings, create_pool
from cryptography.fernet import Fernet
from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import throwaway_database

from supportai.config import Settings
from supportai.db.database import Database
from supportai.demo.customers import DELIVERED, PENDING, REFILLABLE, Customers, DemoOrders, OrderKind
from supportai.domain.billing.models import CreditEntry, Subscription
from supportai.domain.billing.service import grant_allowance
from supportai.domain.requests.models import Message, MessageStatus, RequestEvent, SupportRequest
from supportai.queues import CONTROL_QUEUE
from supportai.runtime import open_runtime
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.processes import free_port, settings_env, wait_until_ready
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import build_world

DRAIN_TARGET_S = 120
TIME_SCALE = 360  # tracking's 6 h interval becomes 60 s, so requests are checked during the soak
TRACK_EVERY_S = 5
# What customers write about, by weight: (kind of order or None, text, weight).
MIX: list[tuple[OrderKind | None, str, int]] = [
    (REFILLABLE, "refill {0} please, my followers dropped", 40),
    (DELIVERED, "order {0} lost followers? please refill", 20),
    (PENDING, "please cancel order {0}, wrong link", 15),
    (None, "Hello, do you accept USDT TRC20 for deposits?", 10),
]
REPEAT_WEIGHT = 15  # the same customer about an order an earlier message named


@dataclass(frozen=True)
class Written:
    external_id: str
    customer: str
    text: str


@dataclass
class Figures:
    accepted: dict[str, str] = field(default_factory=dict)  # external id -> message id
    resent: int = 0  # POSTs sent again after a failure
    kills: Counter[str] = field(default_factory=Counter)
    last_kill_at: float = 0.0
    last_killed: str = ""
    violations: list[str] = field(default_factory=list)


class Stack:
    """The soak's processes: each started, `kill -9`ed and restarted by name."""

    def __init__(self, env: dict[str, str], ports: dict[str, int], workers: int, logs: Path) -> None:
        self.env, self.ports, self.logs = env, ports, logs
        supportai = [sys.executable, "-m", "supportai.cli"]
        self.commands = {
            "redis": ["redis-server", "--bind", "127.0.0.1", "--port", str(ports["redis"]), "--save", "",
                      "--appendonly", "no"],
            "simulator": [*supportai, "simulate", "--seed", "soak", "--port", str(ports["simulator"])],
            "api": [*supportai, "serve", "--port", str(ports["api"])],
            **{f"worker-{n}": [*supportai, "worker"] for n in range(1, workers + 1)},
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: list[IO[bytes]] = []

    def start(self, name: str) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self._logs.append(log)
        self.processes[name] = subprocess.Popen(self.commands[name], env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT)

    def kill(self, name: str) -> None:
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)
        for log in self._logs:
            log.close()

    def tail(self, lines: int = 30) -> str:
        return "\n".join(f"--- {path.name} ---\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
                         for path in sorted(self.logs.glob("*.log")))


@contextmanager
def stack_processes(env: dict[str, str], ports: dict[str, int], workers: int, logs: Path) -> Iterator[Stack]:
    stack = Stack(env, ports, workers, logs)
    try:
        yield stack
    finally:
        stack.stop_all()


async def wait_for(condition: Callable[[], Awaitable[bool]], what: str, limit_s: float, every_s: float = 0.5,
                   ) -> float:
    """Wait for `condition()` (an async predicate) however slow the machine; seconds taken."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        if await condition():
            return time.monotonic() - started
        await asyncio.sleep(every_s)
    raise RuntimeError(f"{what}: not within {limit_s:.0f} s")


async def redis_answers(url: str) -> bool:
    client = Redis.from_url(url)
    try:
        return bool(await client.ping())
    except Exception:
        return False
    finally:
        await client.aclose()


async def restart(stack: Stack, name: str, settings: Settings, api: httpx.AsyncClient) -> None:
    stack.start(name)
    if name == "api":
        await wait_until_ready(api, stack.processes["api"])
    elif name == "redis":
        await wait_for(lambda: redis_answers(settings.redis_url), "redis restarted", 120, 0.1)


async def wire(api: httpx.AsyncClient, sim: SimulatorControlClient, sim_url: str, settings: Settings,
               ) -> tuple[uuid.UUID, str]:
    """A tenant connected to the simulator as the walkthrough does it, with its providers, a
    panel limit that lets the pipeline run at full speed, and quota and credits to spare."""
    world = build_world("soak")  # the simulator's world: same seed, same keys and catalogue
    panel = (await sim.info())["panel"]
    if (panel["admin_key"], panel["user_key"]) != (world.admin_key, world.user_key):
        raise RuntimeError("the simulator's world is not the one seeded 'soak'")
    signup = (await api.post("/api/auth/signup", json={
        "email": "soak@example.com", "password": "soak password 123", "panel_name": "Soak"})).raise_for_status().json()
    owner = {"Authorization": f"Bearer {signup['access_token']}"}
    await wire_tenant(api, owner, world, sim_url)
    (await api.patch("/api/tenant/settings", headers=owner, json={"panel_requests_per_s": 100})).raise_for_status()
    key = (await api.post("/api/api-keys", headers=owner, json={
        "name": "soak", "scopes": ["messages:write", "messages:read"]})).raise_for_status().json()["key"]
    tenant_id = uuid.UUID(signup["tenant_id"])
    async with open_runtime(settings) as runtime, runtime.db.unit_of_work(tenant_id) as uow:
        await grant_allowance(uow.session, requests=10_000_000, credits=10_000_000, reason="soak")
        await uow.commit()
    return tenant_id, key


async def write_plan(sim: SimulatorControlClient, api: httpx.AsyncClient, count: int, rng: random.Random,
                     ) -> list[Written]:
    """The messages to send, each about an order made for it on the panel (or none), some
    repeating an earlier message's order."""
    customers = Customers(build_world("soak"), sim, api, "", DemoOrders(), seed=rng.randint(0, 1 << 30))
    users = list(customers.world.users)
    kinds = [*MIX, (None, "", REPEAT_WEIGHT)]
    written: list[Written] = []
    for n in range(count):
        kind, text, _ = rng.choices(kinds, weights=[weight for *_, weight in kinds])[0]
        if not text and written:  # a repeat: its customer writes the same again
            earlier = rng.choice(written)
            written.append(Written(f"soak-{n}", earlier.customer, earlier.text))
            continue
        kind, text = (kind, text) if text else MIX[-1][:2]
        user = rng.choice(users)
        order_id = await customers.place_order(kind, user, None) if kind else None
        written.append(Written(f"soak-{n}", user, text.format(order_id)))
    return written


RETRIED_STATUSES = {429, 500, 502, 503, 504}


async def send(api: httpx.AsyncClient, key: str, message: Written, figures: Figures, limit_s: float) -> None:
    """POST until accepted, again with the same external id after a failure."""
    body = {"customer": message.customer, "text": message.text, "external_id": message.external_id}
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        try:
            answer = await api.post("/api/v1/messages", headers={"X-API-Key": key}, json=body)
        except httpx.TransportError:
            answer = None
        if answer is not None and answer.status_code == 202:
            message_id = answer.json()["id"]
            if figures.accepted.setdefault(message.external_id, message_id) != message_id:
                figures.violations.append(f"{message.external_id} accepted twice, as two messages")
            return
        if answer is not None and answer.status_code not in RETRIED_STATUSES:
            raise RuntimeError(f"POST /api/v1/messages: {answer.status_code} {answer.text}")
        figures.resent += 1
        await asyncio.sleep(0.5)
    raise RuntimeError(f"{message.external_id} not accepted within {limit_s:.0f} s")


async def send_all(api: httpx.AsyncClient, key: str, messages: list[Written], rate: float, figures: Figures) -> None:
    gate = asyncio.Semaphore(32)
    started = time.monotonic()

    async def one(n: int, message: Written) -> None:
        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
        async with gate:
            await send(api, key, message, figures, limit_s=600)

    await asyncio.gather(*(one(n, message) for n, message in enumerate(messages)))


def kill_plan(kills: dict[str, int], workers: int, window_s: float, rng: random.Random) -> list[tuple[float, str]]:
    """(seconds from the start of sending, process) for every kill, spread over the window."""
    names = [rng.choice([f"worker-{n}" for n in range(1, workers + 1)]) if kind == "worker" else kind
             for kind, count in kills.items() for _ in range(count)]
    rng.shuffle(names)
    return [(window_s * (0.1 + 0.8 * (n + rng.random()) / len(names)), name) for n, name in enumerate(names)]


async def chaos(stack: Stack, plan: list[tuple[float, str]], settings: Settings, api: httpx.AsyncClient,
                figures: Figures, rng: random.Random) -> None:
    started = time.monotonic()
    for at_s, name in plan:
        await asyncio.sleep(max(0.0, started + at_s - time.monotonic()))
        stack.kill(name)
        figures.kills[name.split("-")[0]] += 1
        figures.last_kill_at, figures.last_killed = time.monotonic(), name
        await asyncio.sleep(rng.uniform(0.5, 3))
        await restart(stack, name, settings, api)


async def keep_tracking(redis_url: str, tenant_id: uuid.UUID, stop: asyncio.Event) -> None:
    """Queue a tracking run every few seconds (two at once every fourth time) on the control
    queue, as the schedule does every 10 minutes; a run that cannot be queued (Redis down) is skipped."""
    queue = await create_pool(RedisSettings.from_dsn(redis_url))
    runs = 0
    try:
        while not stop.is_set():
            runs += 1
            for copy in range(2 if runs % 4 == 0 else 1):
                with suppress(Exception):  # Redis is down for a moment: the next run goes
                    await queue.enqueue_job("track_requests", str(tenant_id), _job_id=f"soak-track:{runs}:{copy}",
                                            _queue_name=CONTROL_QUEUE)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), TRACK_EVERY_S)
    finally:
        await queue.aclose()


async def unfinished(db: Database, tenant_id: uuid.UUID) -> int:
    """Messages stored but not yet processed (or failed)."""
    async with db.unit_of_work(tenant_id) as uow:
        return await uow.session.scalar(sa.select(sa.func.count()).select_from(Message).where(
            Message.status.in_([MessageStatus.RECEIVED, MessageStatus.WAITING_PANEL]))) or 0


async def check(db: Database, tenant_id: uuid.UUID, sim: SimulatorControlClient, figures: Figures) -> dict[str, int]:
    """The invariants, from the database and the simulator's records; violations are added to `figures`."""
    bad = figures.violations
    async with db.unit_of_work(tenant_id) as uow:
        session = uow.session
        # The world's own panel tickets are read too: only the API's messages are the soak's.
        messages = {m.external_id: m for m in await session.scalars(sa.select(Message).where(Message.source == "api"))}
        requests = list(await session.scalars(sa.select(SupportRequest)))
        replied = Counter(await session.scalars(
            sa.select(RequestEvent.request_id).where(RequestEvent.kind == "replied")))
        checks = await session.scalar(sa.select(sa.func.count()).where(RequestEvent.kind == "checked")) or 0
        credits = -(await session.scalar(sa.select(sa.func.sum(CreditEntry.amount)).where(
            CreditEntry.kind == "consume")) or 0)
        quota_used = (await session.scalar(sa.select(Subscription))).requests_used
    for external_id, message_id in figures.accepted.items():
        stored = messages.get(external_id)
        if stored is None or str(stored.id) != message_id:
            bad.append(f"lost: {external_id} was accepted as {message_id} but is not stored")
        elif stored.status != MessageStatus.PROCESSED:
            bad.append(f"not processed: {external_id} is {stored.status} ({stored.last_error})")
        elif stored.reply_text and stored.reply_state != "done":
            bad.append(f"reply not sent: {external_id} ({stored.reply_state})")
    bad += [f"stored, never accepted: {e}" for e in messages.keys() - figures.accepted.keys()]
    bad += [f"duplicate request: message {m} order {o}" for (m, o), n in
            Counter((r.message_id, r.order_id) for r in requests).items() if n > 1]
    charged = [r for r in requests if r.quota_charged]
    bad += [f"duplicate quota unit: order {o} {i} charged {n} times" for (o, i), n in
            Counter((r.order_id, r.intent) for r in charged).items() if n > 1]
    bad += [f"duplicate reply: request {r} replied {n} times" for r, n in replied.items() if n > 1]
    if quota_used != len(charged):
        bad.append(f"quota: {quota_used} used, {len(charged)} requests charged")
    if credits != checks:
        bad.append(f"credits: {credits} consumed for {checks} checks")
    calls = await provider_calls(sim, requests, bad)
    return {"messages stored": len(messages), "requests": len(requests), "quota units": len(charged),
            "replies": sum(replied.values()), "provider calls": calls, "tracking checks": checks, "credits": credits}


async def provider_calls(sim: SimulatorControlClient, requests: list[SupportRequest], bad: list[str]) -> int:
    """Refill and cancel calls the providers received, by (provider, action, order): each at most once,
    and one for every request whose call is recorded as done."""
    received: Counter[tuple[str, str, str]] = Counter()
    for action in ("refill", "cancel"):
        for call in await sim.requests(path="/providers/", action=action):
            provider = call["path"].split("/")[2].casefold()
            ids = call["params"].get("order") or call["params"].get("orders", "")
            received.update((provider, action, order) for order in ids.split(",") if order)
    bad += [f"duplicate provider call: {action} of {order} at {provider} ×{n}"
            for (provider, action, order), n in received.items() if n > 1]
    for r in requests:
        if r.provider_call == "done" and ((r.provider or "").casefold(), r.intent, r.external_order_id) not in received:
            bad.append(f"provider call recorded but never received: {r.intent} of {r.external_order_id}")
    return sum(received.values())


@dataclass
class Soak:
    messages: int = 3000
    rate: float = 10.0  # messages/s sent
    kills: dict[str, int] = field(default_factory=lambda: {"worker": 7, "api": 1, "redis": 1})
    workers: int = 2
    seed: int = 7
    drain_limit_s: float = 900  # how long the drain may take before the soak gives up


@dataclass
class Result:
    figures: Figures
    counts: dict[str, int]
    drain_s: float
    wall_s: float


def soak_settings(database_url: str, redis_url: str) -> Settings:
    return Settings(
        database_url=database_url, redis_url=redis_url, jwt_secret=secrets.token_urlsafe(32),
        encryption_keys=(Fernet.generate_key().decode(),), allow_private_urls=True, log_level="WARNING",
        api_requests_per_key=100_000_000, time_scale=TIME_SCALE,
    )


@asynccontextmanager
async def started_stack(soak: Soak, logs: Path) -> AsyncIterator[tuple[Stack, Settings, dict[str, str]]]:
    """Redis, the simulator, the API and the workers running on a throw-away database."""
    ports = {name: free_port() for name in ("redis", "simulator", "api")}
    urls = {name: f"http://127.0.0.1:{ports[name]}" for name in ("simulator", "api")}
    async with throwaway_database() as database_url:
        settings = soak_settings(database_url, f"redis://127.0.0.1:{ports['redis']}/0")
        with stack_processes(settings_env(settings), ports, soak.workers, logs) as stack:
            for name in stack.commands:
                stack.start(name)
            async with httpx.AsyncClient(base_url=urls["simulator"]) as sim_http, httpx.AsyncClient(
                    base_url=urls["api"]) as api_http:
                await wait_for(lambda: redis_answers(settings.redis_url), "redis started", 120, 0.1)
                await wait_until_ready(sim_http, stack.processes["simulator"], "/_sim/info")
                await wait_until_ready(api_http, stack.processes["api"])
            yield stack, settings, urls


async def run(soak: Soak, logs: Path) -> Result:
    rng = random.Random(soak.seed)
    started = time.monotonic()
    async with started_stack(soak, logs) as (stack, settings, urls), httpx.AsyncClient(
            base_url=urls["api"], timeout=30) as api, httpx.AsyncClient() as sim_http:
        sim = SimulatorControlClient(sim_http, urls["simulator"])
        tenant_id, key = await wire(api, sim, urls["simulator"], settings)
        messages = await write_plan(sim, api, soak.messages, rng)
        figures, stop_tracking, db = Figures(), asyncio.Event(), Database(settings.database_url)
        try:
            # Task groups: a failure anywhere cancels the rest, so nothing restarts a process after the stop.
            async with asyncio.TaskGroup() as background:
                background.create_task(keep_tracking(settings.redis_url, tenant_id, stop_tracking))
                async with asyncio.TaskGroup() as traffic:
                    traffic.create_task(send_all(api, key, messages, soak.rate, figures))
                    traffic.create_task(chaos(stack, kill_plan(soak.kills, soak.workers, soak.messages / soak.rate,
                                                               rng), settings, api, figures, rng))
                quiet_from = figures.last_kill_at or time.monotonic()
                await wait_for(lambda: _drained(db, tenant_id), "drain", soak.drain_limit_s, every_s=1)
                drain_s = time.monotonic() - quiet_from
                stop_tracking.set()
            for name in [n for n in stack.processes if n.startswith("worker")]:
                stack.stop(name)  # gracefully: no check or call is left half done
            counts = await check(db, tenant_id, sim, figures)
        except BaseException:
            print(stack.tail(), file=sys.stderr)
            raise
        finally:
            await db.dispose()
    return Result(figures, counts, drain_s, time.monotonic() - started)


async def _drained(db: Database, tenant_id: uuid.UUID) -> bool:
    return await unfinished(db, tenant_id) == 0


def report(soak: Soak, result: Result) -> None:
    figures = result.figures
    kills = ", ".join(f"{n} {kind}" for kind, n in sorted(figures.kills.items()))
    print(f"soak: {soak.messages} messages at {soak.rate:g}/s, {soak.workers} worker processes, kills: {kills}")
    print(f"  accepted        {len(figures.accepted):8d}   (POSTs sent again after a failure: {figures.resent})")
    for name, value in result.counts.items():
        print(f"  {name:<15} {value:8d}")
    print(f"  drain           {result.drain_s:8.1f} s (after the last kill, of {figures.last_killed or 'none'}; "
          f"target <= {DRAIN_TARGET_S} s)")
    print(f"  wall time       {result.wall_s:8.1f} s")
    print(f"  violations      {len(figures.violations):8d}")
    for violation in figures.violations[:50]:
        print(f"    {violation}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=10.0, help="messages sent per second")
    parser.add_argument("--worker-kills", type=int, default=7)
    parser.add_argument("--api-kills", type=int, default=1)
    parser.add_argument("--redis-kills", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    soak = Soak(messages=args.messages, rate=args.rate, workers=args.workers, seed=args.seed,
                kills={"worker": args.worker_kills, "api": args.api_kills, "redis": args.redis_kills})
    with tempfile.TemporaryDirectory(prefix="soak-") as logs:
        result = asyncio.run(run(soak, Path(logs)))
    report(soak, result)
    sys.exit(1 if result.figures.violations else 0)


if __name__ == "__main__":
    main()
