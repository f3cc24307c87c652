"""A tenant wired to the simulator (panel, providers, count source) for pipeline tests."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.config import Settings
from supportai.domain.billing.service import current_subscription
from supportai.domain.requests.intake import receive_message
from supportai.domain.requests.models import Message, Source
from supportai.queues import CONTROL_QUEUE
from supportai.runtime import open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.records import SimOrder, SimService, SimTicket
from supportai.simulator.server import serve_in_thread
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import World, build_world
from tests.conftest import run_queued_jobs

DAY = 86400


@dataclass
class Stack:
    world: World
    base_url: str
    sim: SimulatorControlClient
    client: Any  # the API test client
    account: Any
    settings: Settings

    @property
    def customer(self) -> str:
        return next(iter(self.world.users))

    def service(self, marker: str, *, cancelable: bool | None = None) -> SimService:
        """A panel service with a provider whose name carries `marker`; `cancelable`
        also picks by the catalogue's cancel flag (absent counts as cancelable)."""
        for service in self.world.services.values():
            if marker in service.name and service.provider is not None and (
                cancelable is None or (service.cancel is not False) == cancelable
            ):
                return service
        raise LookupError(marker)

    def order(
        self, marker: str = "[R30]", *, status: str = "Completed", age_days: float = 3, quantity: int = 1000,
        start_count: int = 500, remains: int = 0, current_count: int | None = None, user: str | None = None,
        cancelable: bool | None = None,
    ) -> SimOrder:
        return self.world.create_order(
            user=user or self.customer, service_id=self.service(marker, cancelable=cancelable).id, quantity=quantity,
            link=f"https://instagram.com/p/{uuid.uuid4().hex[:10]}", status=status, start_count=start_count,
            remains=remains, current_count=current_count, created=int(self.world.now() - age_days * DAY),
        )

    def ticket(self, text: str, user: str | None = None) -> SimTicket:
        return self.world.create_ticket(user=user or self.customer, subject="Support", message=text)

    def staff_replies(self, ticket: SimTicket) -> list[str]:
        return [m.message for m in self.world.tickets[ticket.id].messages if m.author == "staff"]

    async def provider_calls(self, action: str) -> list[dict[str, Any]]:
        return [r for r in await self.sim.requests(action=action) if r["path"].startswith("/providers/")]

    async def message(self, text: str, *, external_id: str | None = None) -> tuple[Message, bool]:
        """A customer message through intake, as `POST /api/v1/messages` takes it: (message, is_new)."""
        async with open_runtime(self.settings) as runtime:
            return await receive_message(
                runtime, uuid.UUID(self.account.tenant_id), source=Source.API, external_id=external_id,
                customer=self.customer, text=text,
            )

    async def run_jobs(self) -> None:
        """Poll the panel's tickets now and process everything queued, like the worker does."""
        async with open_runtime(self.settings) as runtime:
            await runtime.queue.enqueue_job(
                "poll_tickets", self.account.tenant_id, _job_id=f"poll:{time.time_ns()}", _queue_name=CONTROL_QUEUE
            )
        await run_queued_jobs(self.settings)

    async def requests_for(self, order: SimOrder) -> list[dict[str, Any]]:
        page = await self.client.get("/api/requests", params={"order_id": str(order.id)}, headers=self.account.headers)
        return page.json()["items"]

    @asynccontextmanager
    async def tenant_session(self) -> AsyncIterator[AsyncSession]:
        """A database session bound to this tenant, committed on exit, as services get one."""
        async with open_runtime(self.settings) as runtime, runtime.db.tenant_session(
            uuid.UUID(self.account.tenant_id)
        ) as session:
            yield session

    async def set_quota(self, limit: int, used: int = 0) -> None:
        async with self.tenant_session() as session:
            subscription = await current_subscription(session)
            subscription.requests_limit, subscription.requests_used = limit, used


@pytest.fixture(scope="module")
async def stack(client, sign_up, settings):
    world = build_world(f"pipeline-{uuid.uuid4().hex[:6]}", tickets=0, orders=30)
    with serve_in_thread(create_simulator_app(world)) as base_url:
        async with httpx.AsyncClient() as http:
            account = await sign_up("Pipeline panel")
            await wire_tenant(client, account.headers, world, base_url)
            stack = Stack(world=world, base_url=base_url, sim=SimulatorControlClient(http, base_url), client=client,
                          account=account, settings=settings)
            await stack.set_quota(10_000)
            yield stack
