"""Follow-up monitoring of 1,000,000 tracked orders across 1,000 tenants on one worker.

The simulator runs in its own process with every order (a 3-day-old Completed order
whose refill the provider has in progress) and 20 ms of latency per call. Each tenant is
wired to it through the API (`wire_tenant`) as a panel of its own, with its own
providers: every tenant's panel and providers get a loopback address of their own
(127.x.y.z), so each has its own rate-limit budget, as separate hosts do in production.
The forwarded refill requests are seeded with COPY (set-up, not measured), all due now.

Then the control worker (production options, no schedules, burst mode) runs
`track_requests` for every tenant with due checks, as `schedule_tracking` queues them,
round after round until nothing is due (a run checks at most MAX_CHECKS_PER_RUN).
Prints the HTTP calls the simulator served (panel order look-ups and providers'
refill statuses, against the bound of ceil(orders/100) per tenant's panel and provider),
the credits the ledger charged (must equal the checks recorded), database statements
(a `before_cursor_execute` listener; an executemany is one) and wall time. Exits non-zero when calls exceed
the bound or credits differ from checks. The count source is not configured: it is asked
once per order (`live_counts`), which this benchmark leaves out.

    .venv/bin/python benchmarks/tracking_sweep.py [--orders 1000000] [--tenants 1000] [--latency-ms 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import sys
import time
import uuid
from collections import Counter
from dataclasses import astuple, dataclass
from datetime import timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import msgspec
import sqlalchemy as sa
from arq.worker import Worker
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from supportai.app import create_app
from supportai.config import Settings
from supportai.db.base import utcnow
from supportai.domain.billing.service import grant_allowance
from supportai.domain.requests.models import MessageStatus, RequestStatus, Source
from supportai.domain.support.tracking_due import tenants_with_due_checks
from supportai.engine.decisions import Intent
from supportai.queues import CONTROL_QUEUE
from supportai.runtime import open_runtime
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.records import SimRefill
from supportai.simulator.server import running_simulator
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import World, build_world
from workers.settings import control_worker_options

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import PG_ADMIN_DSN, benchmark_settings
from pipeline_processing import StatementCounter, refillable_services

IDS_PER_CALL = 100  # what the panel's and providers' batch calls take
DAY = 86400
HOSTS_PER_OCTET = 250


@dataclass(frozen=True)
class Order:
    """One tracked order as seeded: the tenant it belongs to and the provider's side."""

    tenant: int
    order_id: int
    provider: str
    service_id: int
    external_id: str
    refill_id: str


def host(kind: int, tenant: int, port: int) -> str:
    """A loopback address of its own per (tenant, panel or provider): its own rate limit."""
    return f"http://127.{kind + 1}.{tenant // HOSTS_PER_OCTET}.{tenant % HOSTS_PER_OCTET + 1}:{port}"


def tracked_orders(world: World, orders: int, tenants: int) -> list[Order]:
    """`orders` Completed orders spread over the tenants and providers, each with a refill in progress."""
    services = refillable_services(world)
    customer = next(iter(world.users))
    created = int(world.now() - 3 * DAY)
    made = []
    for number in range(orders):
        service = services[number % len(services)]
        order = world.create_order(
            user=customer, service_id=service.id, quantity=1000, link=f"https://instagram.com/p/sweep{number}",
            status="Completed", start_count=500, remains=0, current_count=1400, created=created,
        )
        provider = world.providers[service.provider or ""]
        refill = SimRefill(id=str(provider.next_refill_id), order_id=order.external_id or "", status="In progress")
        provider.next_refill_id += 1
        provider.refills[refill.id] = refill
        provider.orders[refill.order_id].latest_refill_id = refill.id
        made.append(Order(number * tenants // orders, order.id, provider.name, service.id, refill.order_id, refill.id))
    return made


def sweep_world() -> World:
    """The same world (keys, providers, catalogue) in both processes, the orders only in the simulator's."""
    return build_world("tracking-sweep", users=20, orders=0, tickets=0)


def serve_simulator(orders: int, tenants: int, latency_ms: int, parent: Connection) -> None:
    """Runs in the child process until the parent sends anything."""

    async def serve() -> None:
        world = sweep_world()
        made = [astuple(order) for order in tracked_orders(world, orders, tenants)]
        async with running_simulator(world, latency_ms=latency_ms, host="0.0.0.0") as base_url:
            parent.send((int(base_url.rsplit(":", 1)[1]), made))
            await asyncio.to_thread(parent.recv)  # the parent's "stop"

    asyncio.run(serve())


async def set_up_tenants(settings: Settings, world: World, port: int, tenants: int) -> list[uuid.UUID]:
    """Sign up and wire each tenant; the count source is left off (asked once per order)."""
    ids = []
    async with AsyncTestClient(app=create_app(settings)) as client:
        for tenant in range(tenants):
            signup = await client.post("/api/auth/signup", json={
                "email": f"sweep{tenant}@example.com", "password": "benchmark password",
                "panel_name": f"Sweep {tenant}"})
            assert signup.status_code == 201, signup.text
            headers = {"Authorization": f"Bearer {signup.json()['access_token']}"}
            provider_urls = {name: host(1 + n, tenant, port) for n, name in enumerate(world.providers)}
            await wire_tenant(client, headers, world, host(0, tenant, port), provider_urls=provider_urls)
            patched = await client.patch("/api/tenant/settings", json={"count_source_url": None}, headers=headers)
            assert patched.status_code == 200, patched.text
            ids.append(uuid.UUID(signup.json()["tenant_id"]))
    return ids


async def seed_requests(settings: Settings, tenant_ids: list[uuid.UUID], orders: list[Order]) -> None:
    """One message per tenant and a forwarded refill request per order, due a minute ago (COPY)."""
    now = utcnow()
    per_tenant = Counter(order.tenant for order in orders)
    async with open_runtime(settings) as runtime:
        for tenant, tenant_id in enumerate(tenant_ids):
            async with runtime.db.unit_of_work(tenant_id) as uow:
                await grant_allowance(uow.session, requests=0, credits=per_tenant[tenant], reason="benchmark")
                await uow.commit()
    message_ids = [uuid.uuid4() for _ in tenant_ids]
    baseline = json.dumps({"status": "Completed", "remains": 0, "current_count": None, "drop": 100})
    db = await asyncpg.connect(PG_ADMIN_DSN.rsplit("/", 1)[0] + "/" + settings.database_url.rsplit("/", 1)[1])
    try:
        await db.copy_records_to_table("messages", columns=[
            "id", "tenant_id", "created_at", "source", "external_id", "customer", "text", "has_attachment", "status",
            "attempts"], records=[
            (message_ids[n], tenant_id, now, Source.API.value, f"sweep-{n}", "customer", "please refill", False,
             MessageStatus.PROCESSED.value, 0) for n, tenant_id in enumerate(tenant_ids)])
        await db.copy_records_to_table("support_requests", columns=[
            "id", "tenant_id", "created_at", "message_id", "customer", "order_id", "external_order_id", "provider",
            "service_id", "intent", "status", "drop", "facts", "quota_charged", "provider_call", "provider_refill_id",
            "baseline", "follow_ups", "next_check_at", "updated_at"], records=[
            (uuid.uuid4(), tenant_ids[o.tenant], now, message_ids[o.tenant], "customer", str(o.order_id),
             o.external_id, o.provider, o.service_id, Intent.REFILL.value, RequestStatus.FORWARDED.value, 100, "{}",
             True, "done", o.refill_id, baseline, 0, now - timedelta(minutes=1), now) for o in orders])
        await db.execute("ANALYZE support_requests")
    finally:
        await db.close()


async def run_tracking(settings: Settings, counter: StatementCounter) -> int:
    """Burst rounds of the control worker over the tenants with due checks; returns the rounds."""
    options = {**control_worker_options(settings), "cron_jobs": []}
    start_runtime = options["on_startup"]

    async def startup(ctx: dict[str, Any]) -> None:
        await start_runtime(ctx)
        sa.event.listen(ctx["runtime"].db.engine.sync_engine, "before_cursor_execute", counter)

    rounds = 0
    async with open_runtime(settings) as runtime:
        while due := await tenants_with_due_checks(runtime):
            rounds += 1
            for tenant_id in due:
                await runtime.queue.enqueue_job(
                    "track_requests", str(tenant_id), _job_id=f"track:{tenant_id}:{rounds}", _queue_name=CONTROL_QUEUE)
            worker = Worker(**{**options, "on_startup": startup}, burst=True, handle_signals=False)
            try:
                await worker.main()
            finally:
                await worker.close()
    return rounds


async def ledger_figures(settings: Settings) -> tuple[int, int, int]:
    """(credits consumed, checks recorded, requests not checked) from the database."""
    db = await asyncpg.connect(PG_ADMIN_DSN.rsplit("/", 1)[0] + "/" + settings.database_url.rsplit("/", 1)[1])
    try:
        credits = await db.fetchval("SELECT coalesce(-sum(amount), 0) FROM credit_ledger WHERE kind = 'consume'")
        checks = await db.fetchval("SELECT count(*) FROM request_events WHERE kind = 'checked'")
        unchecked = await db.fetchval("SELECT count(*) FROM support_requests WHERE next_check_at <= now()")
    finally:
        await db.close()
    return credits, checks, unchecked


def call_bounds(orders: list[Order]) -> Counter[str]:
    """ceil(orders/100) per tenant's panel and per tenant's provider, summed by panel/provider."""
    per_panel = Counter(o.tenant for o in orders)
    per_provider = Counter((o.tenant, o.provider) for o in orders)
    bounds: Counter[str] = Counter()
    for count in per_panel.values():
        bounds["panel"] += math.ceil(count / IDS_PER_CALL)
    for (_, provider), count in per_provider.items():
        bounds[provider] += math.ceil(count / IDS_PER_CALL)
    return bounds


def served_calls(log: list[dict[str, Any]]) -> Counter[str]:
    """The simulator's log: panel order look-ups and each provider's refill-status calls."""
    calls: Counter[str] = Counter()
    for entry in log:
        if entry["path"].startswith("/providers/"):
            calls[entry["path"].split("/")[2] if entry["action"] == "refill_status" else "other provider"] += 1
        else:
            calls["panel" if entry["path"].endswith("/orders") else "other panel"] += 1
    return calls


async def main(orders: int, tenants: int, latency_ms: int) -> None:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    simulator = context.Process(target=serve_simulator, args=(orders, tenants, latency_ms, theirs), daemon=True)
    started = time.perf_counter()
    simulator.start()
    try:
        port, rows = await asyncio.to_thread(ours.recv)
        world, made = sweep_world(), [Order(*row) for row in rows]
        print(f"simulator ready in {time.perf_counter() - started:.1f} s: {len(made):,} orders, {latency_ms} ms")
        async with benchmark_settings() as shared, httpx.AsyncClient() as http:
            settings = msgspec.structs.replace(shared, signups_per_ip=tenants)  # all sign up from one address
            await Redis.from_url(settings.redis_url).flushdb()
            started = time.perf_counter()
            tenant_ids = await set_up_tenants(settings, world, port, tenants)
            await seed_requests(settings, tenant_ids, made)
            print(f"set-up in {time.perf_counter() - started:.1f} s: {tenants:,} tenants, {len(made):,} requests")
            control = SimulatorControlClient(http, f"http://127.0.0.1:{port}")
            await control.clear_requests()
            counter = StatementCounter()
            started, cpu_started = time.perf_counter(), time.process_time()
            rounds = await run_tracking(settings, counter)
            seconds = time.perf_counter() - started
            print(f"worker process CPU {(time.process_time() - cpu_started) / seconds:.0%} of wall time")
            calls = served_calls(await control.requests())
            credits, checks, unchecked = await ledger_figures(settings)
    finally:
        ours.send("stop")
        simulator.join(timeout=10)
    failed = report(made, calls, credits, checks, unchecked, counter, rounds, seconds)
    if failed:
        sys.exit("; ".join(failed))


def report(
    made: list[Order], calls: Counter[str], credits: int, checks: int, unchecked: int, counter: StatementCounter,
    rounds: int, seconds: float,
) -> list[str]:
    bounds, failed = call_bounds(made), []
    print(f"tracking: control worker burst, {rounds} rounds, {seconds:.1f} s wall "
          f"({len(made) / seconds:,.0f} orders/s)")
    for name in bounds:
        print(f"  HTTP calls {name:<24} {calls[name]:>8,} (bound {bounds[name]:,})")
        if calls[name] > bounds[name]:
            failed.append(f"{name}: {calls[name]} calls above the bound {bounds[name]}")
    for name in ("other panel", "other provider"):
        print(f"  HTTP calls {name:<24} {calls[name]:>8,}")
    print(f"  checks {checks:,}, credits charged {credits:,}, requests left unchecked {unchecked:,}")
    statements = sum(counter.by_verb.values())
    kinds = ", ".join(f"{verb} {count:,}" for verb, count in sorted(counter.by_verb.items()))
    print(f"  DB statements {statements:,} ({statements / max(checks, 1):.3f} per check): {kinds}")
    if credits != checks:
        failed.append(f"credits {credits} differ from checks {checks}")
    if unchecked:
        failed.append(f"{unchecked} requests left unchecked")
    return failed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--tenants", type=int, default=1_000)
    parser.add_argument("--latency-ms", type=int, default=20)
    options = parser.parse_args()
    asyncio.run(main(options.orders, options.tenants, options.latency_ms))
