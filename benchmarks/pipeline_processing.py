"""Support requests per second through the worker, and database statements per request.

A tenant is wired to the simulator as the pipeline tests wire it, except that each
provider is served on a port of its own (a host of its own, as in production, so each
has its own rate-limit budget). Messages naming 1 or 10 orders are stored through intake;
then the worker (the production options without the schedules, in burst mode) processes
them all, timed from its start to the empty queue. Simulator latency applies to every
panel and provider call. Two workloads, every order a Completed refill order:
- answered: the counts are intact, each request is answered `no_drop` (no provider call);
- forwarded: the followers dropped, each request goes to the provider's refill API, which
  the product paces at 10 calls/s per provider host.

Statements are counted with a `before_cursor_execute` listener on the worker runtime's
engine (every SELECT/INSERT/UPDATE/DELETE sent; BEGIN/COMMIT are not statements here).
Target: statements per request constant (a 10-order message costs no more per request
than a 1-order message) and at most 16 (one of them the per-order lock of the decision).

    .venv/bin/python benchmarks/pipeline_processing.py [--requests 300] [--latencies 0,50]
        [--orders-per-message 1,10] [--poll-delay SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from arq.worker import Worker
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from supportai.app import create_app
from supportai.config import Settings
from supportai.domain.billing.service import current_subscription
from supportai.domain.requests.intake import receive_message
from supportai.domain.requests.models import Message, MessageStatus, Source, SupportRequest
from supportai.engine.refill_policy import refill_days_from_name
from supportai.runtime import open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.records import SimService
from supportai.simulator.server import serve_in_thread
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import World, build_world
from workers.settings import worker_options

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import benchmark_settings

DAY = 86400
STATEMENTS_PER_REQUEST_TARGET = 16
# The most a tenant may allow (`panel_requests_per_s` ≤ 100): the panel's politeness
# limit would otherwise be the figure (5/s by default), not the pipeline.
PANEL_REQUESTS_PER_S = 100


WORKLOADS = {"answered": 1500, "forwarded": 1100}  # the link's current count: 1,500 is all delivered


@dataclass
class Run:
    workload: str
    latency_ms: int
    orders_per_message: int
    messages: int
    requests: int
    seconds: float
    cpu_seconds: float  # this process, all threads (the simulators' included)
    statements: Counter[str]  # by verb: SELECT, INSERT, UPDATE, DELETE

    @property
    def per_request(self) -> float:
        return sum(self.statements.values()) / self.requests


class StatementCounter:
    """Counts the statements an engine sends, by their first word."""

    def __init__(self) -> None:
        self.by_verb: Counter[str] = Counter()

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.by_verb[statement.lstrip().split(None, 1)[0].upper()] += 1


@dataclass
class Bench:
    settings: Settings
    world: World
    tenant_id: uuid.UUID
    simulators: list[SimulatorControlClient]
    services: list[SimService]  # one refillable service per provider
    poll_delay: float | None

    async def run(self, workload: str, latency_ms: int, orders_per_message: int, requests: int) -> Run:
        for simulator in self.simulators:
            await simulator.configure(latency_ms=latency_ms)
        message_ids = await self._feed(requests // orders_per_message, orders_per_message, WORKLOADS[workload])
        counter = StatementCounter()
        started, cpu_started = time.perf_counter(), time.process_time()
        await self._work(counter)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        made = await self._check(message_ids)
        return Run(
            workload, latency_ms, orders_per_message, len(message_ids), made, seconds, cpu_seconds, counter.by_verb
        )

    async def _feed(self, messages: int, orders_per_message: int, current_count: int) -> list[uuid.UUID]:
        """Store `messages` messages through intake; each from one customer about their own orders."""
        customers = list(self.world.users)
        ids = []
        async with open_runtime(self.settings) as runtime:
            for number in range(messages):
                customer = customers[number % len(customers)]
                orders = [self._order(customer, number * orders_per_message + n, current_count)
                          for n in range(orders_per_message)]
                message, _ = await receive_message(
                    runtime, self.tenant_id, source=Source.API, external_id=None, customer=customer,
                    text="please refill " + ", ".join(str(order_id) for order_id in orders),
                )
                ids.append(message.id)
        return ids

    def _order(self, customer: str, sequence: int, current_count: int) -> int:
        """A 3-day-old order of 1,000 from a start count of 500, spread over the providers."""
        service = self.services[sequence % len(self.services)]
        return self.world.create_order(
            user=customer, service_id=service.id, quantity=1000, link=f"https://instagram.com/p/{uuid.uuid4().hex}",
            status="Completed", start_count=500, remains=0, current_count=current_count,
            created=int(self.world.now() - 3 * DAY),
        ).id

    async def _work(self, counter: StatementCounter) -> None:
        options = {**worker_options(self.settings), "cron_jobs": []}
        start_runtime = options["on_startup"]

        async def startup(ctx: dict[str, Any]) -> None:
            await start_runtime(ctx)
            sa.event.listen(ctx["runtime"].db.engine.sync_engine, "before_cursor_execute", counter)

        extra = {} if self.poll_delay is None else {"poll_delay": self.poll_delay}
        worker = Worker(**{**options, "on_startup": startup}, burst=True, handle_signals=False, **extra)
        try:
            await worker.main()
        finally:
            await worker.close()

    async def _check(self, message_ids: list[uuid.UUID]) -> int:
        """Every message processed; returns how many support requests they made."""
        async with open_runtime(self.settings) as runtime, runtime.db.tenant_session(self.tenant_id) as session:
            statuses = Counter((await session.scalars(
                sa.select(Message.status).where(Message.id.in_(message_ids))
            )).all())
            made = await session.scalar(
                sa.select(sa.func.count()).select_from(SupportRequest).where(SupportRequest.message_id.in_(message_ids))
            )
        if statuses != {MessageStatus.PROCESSED: len(message_ids)}:
            raise SystemExit(f"not every message was processed: {dict(statuses)}")
        return made or 0


def refillable_services(world: World) -> list[SimService]:
    """For each provider, a service whose name promises a refill (the orders are 3 days old)."""
    chosen = {}
    for service in world.services.values():
        if service.provider and service.refill and refill_days_from_name(service.name).days != 0:
            chosen.setdefault(service.provider, service)
    return list(chosen.values())


async def set_up_tenant(settings: Settings, world: World, panel_url: str, provider_urls: dict[str, str]) -> uuid.UUID:
    async with AsyncTestClient(app=create_app(settings)) as client:
        signup = await client.post("/api/auth/signup", json={
            "email": "bench@example.com", "password": "benchmark password", "panel_name": "Bench"})
        headers = {"Authorization": f"Bearer {signup.json()['access_token']}"}
        await wire_tenant(client, headers, world, panel_url, provider_urls=provider_urls)
        patched = await client.patch("/api/tenant/settings", json={"panel_requests_per_s": PANEL_REQUESTS_PER_S},
                                     headers=headers)
        assert patched.status_code == 200, patched.text
    tenant_id = uuid.UUID(signup.json()["tenant_id"])
    async with open_runtime(settings) as runtime, runtime.db.tenant_session(tenant_id) as session:
        subscription = await current_subscription(session)
        subscription.requests_limit = 10_000_000  # the quota is not what is measured
    return tenant_id


async def main(requests: int, latencies: list[int], sizes: list[int], poll_delay: float | None) -> None:
    async with benchmark_settings() as settings:
        await Redis.from_url(settings.redis_url).flushdb()
        world = build_world("pipeline-benchmark", tickets=0, orders=0)
        with ExitStack() as servers:
            panel_url = servers.enter_context(serve_in_thread(create_simulator_app(world)))
            provider_urls = {name: servers.enter_context(serve_in_thread(create_simulator_app(world)))
                             for name in world.providers}
            tenant_id = await set_up_tenant(settings, world, panel_url, provider_urls)
            async with httpx.AsyncClient() as http:
                bench = Bench(
                    settings=settings, world=world, tenant_id=tenant_id,
                    simulators=[SimulatorControlClient(http, url) for url in (panel_url, *provider_urls.values())],
                    services=refillable_services(world), poll_delay=poll_delay,
                )
                await bench.run("answered", 0, 1, 20)  # warm-up: connections, caches, first-use rows
                runs = [await bench.run(workload, latency, size, requests)
                        for workload in WORKLOADS for latency in latencies for size in sizes]
    report(runs, worker_options(settings)["max_jobs"], len(provider_urls), poll_delay)


def report(runs: list[Run], max_jobs: int, providers: int, poll_delay: float | None) -> None:
    print(f"pipeline: worker burst, max_jobs {max_jobs}, poll delay "
          f"{'arq default 0.5' if poll_delay is None else poll_delay} s, PostgreSQL; panel limit "
          f"{PANEL_REQUESTS_PER_S}/s, {providers} providers on their own hosts (10 calls/s each)")
    print(f"{'workload':>9} {'latency':>8} {'orders/msg':>10} {'messages':>8} {'requests':>8} {'seconds':>8} "
          f"{'requests/s':>10} {'msgs/s':>8} {'cpu':>5} {'stmts/req':>9}  by kind per request")
    for run in runs:
        kinds = "  ".join(f"{verb} {count / run.requests:.1f}" for verb, count in sorted(run.statements.items()))
        print(f"{run.workload:>9} {run.latency_ms:>6}ms {run.orders_per_message:>10} {run.messages:>8} "
              f"{run.requests:>8} {run.seconds:>8.2f} {run.requests / run.seconds:>10.1f} "
              f"{run.messages / run.seconds:>8.1f} {run.cpu_seconds / run.seconds:>5.0%} {run.per_request:>9.2f}  "
              f"{kinds}")
    print("cpu: this process's CPU time over wall time; near 100% means one core (the GIL, shared with the "
          "simulator threads) is the limit, not latency")
    for workload in WORKLOADS:
        worst: dict[int, float] = {}  # statements per request, per orders per message, over the latencies
        for run in runs:
            if run.workload == workload:
                worst[run.orders_per_message] = max(worst.get(run.orders_per_message, 0.0), run.per_request)
        print(f"{workload}: statements per request "
              f"{', '.join(f'{worst[size]:.2f} with {size}-order messages' for size in sorted(worst))}")
        if len(worst) > 1:  # statements per message = per_message + orders * per_order
            small, large = min(worst), max(worst)
            per_order = (worst[large] * large - worst[small] * small) / (large - small)
            per_message = worst[small] * small - per_order * small
            growth = ("constant per order (no growth with orders per message)" if worst[large] <= worst[small]
                      else "GROWS with orders per message")
            print(f"  = {per_message:.1f} per message + {per_order:.1f} per order: {growth}")
        verdict = "met" if max(worst.values()) <= STATEMENTS_PER_REQUEST_TARGET else "NOT met"
        print(f"  target <= {STATEMENTS_PER_REQUEST_TARGET} per request: {verdict}")


def numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="support requests per run")
    parser.add_argument("--latencies", type=numbers, default=[0, 50], help="simulator latency per call, ms")
    parser.add_argument("--orders-per-message", type=numbers, default=[1, 10])
    parser.add_argument("--poll-delay", type=float, default=None, help="arq's queue poll delay (default: arq's)")
    options = parser.parse_args()
    asyncio.run(main(options.requests, options.latencies, options.orders_per_message, options.poll_delay))
