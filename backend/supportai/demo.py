"""`supportai demo`: the whole product on one machine, fed by a simulated panel.

Starts the simulator, the API and a worker; signs up a demo tenant wired to the
simulator; then plays customers writing tickets in many languages and prints what
SupportAI did with them, until stopped (or for `--duration` seconds).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa
from arq.worker import Worker

from supportai.app import create_app
from supportai.config import Settings
from supportai.db.migrations import upgrade
from supportai.domain.requests.models import Message, MessageStatus, SupportRequest
from supportai.runtime import Runtime, open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.records import SimOrder
from supportai.simulator.server import serve_in_thread
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import World, build_world
from workers.settings import worker_options

# What customers write, in the languages panels hear from. {id} is one of their orders.
CUSTOMER_MESSAGES = (
    "refill {id} pls, followers dropped",
    "отмените заказ {id}, пожалуйста",
    "bhai {id} pe refill daal do, likes gir gaye",
    "Order {id} stuck since yesterday, speed up please 🙏",
    "الطلب {id} نزل المتابعين، أريد تعويض",
    "Tolong cancel pesanan {id} ya kak, salah link",
    "pedido {id} caiu muito, podem repor?",
    "{id} siparişim düştü, telafi yapar mısınız",
    "hủy giúp em đơn {id} với ạ",
    "زمان زیادی گذشته، سفارش {id} رو سریع‌تر کنید",
    "Hello, do you accept USDT TRC20 for deposits?",
    "my followers dropped, can you refill?",
)


@dataclass
class DemoTenant:
    email: str
    password: str
    headers: dict[str, str]
    tenant_id: uuid.UUID


async def run_demo(
    *, every_s: float = 4.0, duration_s: float | None = None, data_dir: str = "var/demo",
    report: Callable[[str], object] = print,
) -> Counter[str]:
    """Run until cancelled or `duration_s` passes; returns outcomes counted by the end."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    settings = Settings.from_env({
        **os.environ, "SUPPORTAI_DATA_DIR": data_dir, "SUPPORTAI_ALLOW_PRIVATE_URLS": "true",
        "SUPPORTAI_LOG_LEVEL": "WARNING",
    })
    await asyncio.to_thread(upgrade, settings.database_url)
    world = build_world("demo", tickets=0)
    async with AsyncExitStack() as stack:
        sim_url = stack.enter_context(serve_in_thread(create_simulator_app(world)))
        api_url = stack.enter_context(serve_in_thread(create_app(settings)))
        runtime = await stack.enter_async_context(open_runtime(settings))
        worker = Worker(**worker_options(settings), poll_delay=0.2)
        worker_task = asyncio.create_task(worker.async_run())
        http = await stack.enter_async_context(httpx.AsyncClient(base_url=api_url, timeout=30))
        tenant = await _create_tenant(http, world, sim_url)
        report(f"SupportAI API     {api_url}   (OpenAPI: {api_url}/schema)")
        report(f"Panel simulator   {sim_url}   (control: {sim_url}/_sim/info)")
        report(f"Demo owner        {tenant.email} / {tenant.password}")
        rng = random.Random(7)
        started = time.monotonic()
        outcomes: Counter[str] = Counter()
        try:
            while duration_s is None or time.monotonic() - started < duration_s:
                _write_ticket(world, rng)
                await runtime.queue.enqueue_job("poll_tickets", str(tenant.tenant_id), _job_id=f"demo-poll:{time.time_ns()}")
                await asyncio.sleep(every_s)
                outcomes = await _summary(runtime, tenant.tenant_id)
                report(_summary_line(outcomes))
        finally:
            worker_task.cancel()
            await worker.close()
        return outcomes


async def _create_tenant(http: httpx.AsyncClient, world: World, sim_url: str) -> DemoTenant:
    email, password = f"demo-{uuid.uuid4().hex[:6]}@supportai.local", "demo password 123"
    signup = (await http.post("/api/auth/signup", json={"email": email, "password": password,
                                                         "panel_name": "Demo SMM Panel"})).json()
    headers = {"Authorization": f"Bearer {signup['access_token']}"}
    await wire_tenant(http, headers, world, sim_url)
    return DemoTenant(email=email, password=password, headers=headers, tenant_id=uuid.UUID(signup["tenant_id"]))


def _write_ticket(world: World, rng: random.Random) -> None:
    order: SimOrder = rng.choice(list(world.orders.values()))
    text = rng.choice(CUSTOMER_MESSAGES).format(id=order.id)
    world.create_ticket(user=order.user, subject="Order help", message=text)


async def _summary(runtime: Runtime, tenant_id: uuid.UUID) -> Counter[str]:
    async with runtime.db.tenant_session(tenant_id) as session:
        messages = await session.scalar(sa.select(sa.func.count(Message.id)))
        processed = await session.scalar(
            sa.select(sa.func.count(Message.id)).where(Message.status == MessageStatus.PROCESSED)
        )
        outcomes = Counter({
            outcome or "pending": count for outcome, count in (await session.execute(
                sa.select(SupportRequest.outcome, sa.func.count()).group_by(SupportRequest.outcome)
            )).all()
        })
        statuses = dict((await session.execute(
            sa.select(SupportRequest.status, sa.func.count()).group_by(SupportRequest.status)
        )).all())
    outcomes["_messages"], outcomes["_processed"] = messages or 0, processed or 0
    outcomes["_forwarded"], outcomes["_escalated"] = statuses.get("forwarded", 0), statuses.get("escalated", 0)
    return outcomes


def _summary_line(outcomes: Counter[str]) -> str:
    by_outcome = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()) if not k.startswith("_"))
    return (
        f"messages in {outcomes['_messages']} (processed {outcomes['_processed']}) | "
        f"forwarded {outcomes['_forwarded']} | escalated {outcomes['_escalated']} | {by_outcome}"
    )
