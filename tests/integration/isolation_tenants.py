"""Two tenants with one of everything, made through the product's real flows, for the
isolation walker: a panel (its own simulated world), synced services, providers,
processed messages with requests and a review-queue item, an accepted staff member, an
API key, an LLM endpoint, a Telegram bot with a linked customer, a paid credit purchase
an edited reply template, a saved reply, and a webhook endpoint with a delivery.

Everything runs over real HTTP: the API under uvicorn, the panel simulator, the Bot API
stand-in and the payment gateway stand-in, each on its own free port.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import httpx
from litestar import Litestar

from supportai.app import create_app
from supportai.config import Settings
from supportai.simulator.app import create_simulator_app
from supportai.simulator.payments import PaymentGatewaySim, create_payments_app
from supportai.simulator.server import bound_socket, serve_in_thread
from supportai.simulator.telegram import TelegramState, create_telegram_app
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import World, build_world
from tests.conftest import make_settings, run_queued_jobs
from tests.integration.openapi_walk import ALL_SCOPES

MERCHANT, GATEWAY_KEY = "6f1f8a8e-8d6e-4a51-9c1e-2b8e8f0b7c11", "isolation-gateway-key"
PASSWORD = "isolation walker pw"
_update_ids = count(5000)


@dataclass
class Tenant:
    label: str
    tenant_id: str
    email: str
    staff_email: str
    world: World
    customer: str
    customer_telegram_id: int
    bot_telegram_id: int
    owner: dict[str, str]
    staff: dict[str, str]
    api_key: dict[str, str]
    message_ids: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)  # every id its own views show

    @property
    def markers(self) -> set[str]:
        """Strings only this tenant's own answers may show."""
        return {self.email, self.staff_email, f"Panel {self.label}"}

    def credentials(self, operation: Any) -> dict[str, str]:
        return self.api_key if operation.api_only else self.owner


@dataclass
class Stack:
    app: Litestar
    settings: Settings
    api: httpx.AsyncClient
    telegram: httpx.AsyncClient
    gateway: httpx.AsyncClient
    telegram_state: TelegramState
    payments: PaymentGatewaySim
    worlds: dict[str, tuple[World, str]]  # label -> (world, simulator URL)

    async def say(self, tenant: Tenant, text: str) -> dict[str, Any]:
        """The tenant's linked customer writes to the tenant's bot (through the stand-in)."""
        user_id = tenant.customer_telegram_id
        update = {"update_id": next(_update_ids), "message": {
            "message_id": next(_update_ids), "date": 1_760_000_000, "text": text,
            "chat": {"id": user_id, "type": "private", "first_name": "Customer"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Customer", "username": f"tg{user_id}"},
        }}
        delivered = (await self.telegram.post(f"/_tg/bots/{tenant.bot_telegram_id}/updates", json=update)).json()
        await run_queued_jobs(self.settings)
        return delivered


@asynccontextmanager
async def running_stack(pg_database: str, redis_url: str, labels: tuple[str, ...]) -> AsyncIterator[Stack]:
    """The API and its stand-ins, one simulated panel per label."""
    async with AsyncExitStack() as stack:
        worlds = {}
        for n, label in enumerate(labels):
            world = build_world(f"isolation-{label}-{n}", tickets=0, orders=20)
            worlds[label] = (world, stack.enter_context(serve_in_thread(create_simulator_app(world))))
        telegram_state = TelegramState()
        tg_url = stack.enter_context(serve_in_thread(create_telegram_app(telegram_state)))
        payments = PaymentGatewaySim(MERCHANT, GATEWAY_KEY)
        gateway_url = stack.enter_context(serve_in_thread(create_payments_app(payments)))
        listener = bound_socket()
        api_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        settings = make_settings(
            pg_database, redis_url, telegram_api_base=tg_url, public_base_url=api_url,
            payments_api_base=gateway_url, payments_merchant=MERCHANT, payments_api_key=GATEWAY_KEY,
            api_requests_per_key=1_000_000,
        )
        app = create_app(settings)
        stack.enter_context(serve_in_thread(app, listener=listener))
        clients = [await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=30))
                   for url in (api_url, tg_url, gateway_url)]
        yield Stack(app, settings, *clients, telegram_state, payments, worlds)


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json() if response.content else None


async def populate(stack: Stack, label: str, bot_telegram_id: int) -> Tenant:
    api = stack.api
    world, sim_url = stack.worlds[label]
    email = f"{label.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    signup = _ok(await api.post("/api/auth/signup", json={
        "email": email, "password": PASSWORD, "panel_name": f"Panel {label}"}), 201)
    owner = {"Authorization": f"Bearer {signup['access_token']}"}
    await wire_tenant(api, owner, world, sim_url)
    _ok(await api.post("/api/services/sync", headers=owner), 202)
    await run_queued_jobs(stack.settings)

    key = _ok(await api.post("/api/api-keys", headers=owner, json={"name": f"walker {label}", "scopes": ALL_SCOPES}),
              201)
    staff_email = f"staff-{label.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    invitation = _ok(await api.post("/api/users/invitations", headers=owner, json={"email": staff_email}), 201)
    joined = _ok(await api.post("/api/auth/accept-invitation",
                                json={"token": invitation["token"], "password": PASSWORD}))
    _ok(await api.put("/api/setup/llm", headers=owner, json={
        "url": f"{sim_url}/llm/{label}/v1", "model": "walker-model", "api_key": f"sk-{label}"}))
    [template, *_] = _ok(await api.get("/api/templates", headers=owner))
    _ok(await api.put(f"/api/templates/{template['key']}", headers=owner, json={"text": f"{template['text']} "}))
    _ok(await api.post("/api/saved-replies", headers=owner, json={"title": f"Saved {label}", "text": "{orders}."}), 201)
    endpoint = _ok(await api.post("/api/webhooks/endpoints", headers=owner, json={
        "url": f"{sim_url}/hooks/{label}", "description": f"CRM of {label}"}), 201)
    _ok(await api.post(f"/api/webhooks/endpoints/{endpoint['id']}/test", headers=owner), 202)  # a delivery
    customer = next(user for user in world.users if any(o.user == user for o in world.orders.values()))
    tenant = Tenant(
        label=label, tenant_id=signup["tenant_id"], email=email, staff_email=staff_email, world=world,
        customer=customer, customer_telegram_id=bot_telegram_id + 1, bot_telegram_id=bot_telegram_id, owner=owner,
        staff={"Authorization": f"Bearer {joined['access_token']}"}, api_key={"X-API-Key": key["key"]},
    )
    await _connect_bot(stack, tenant)
    await _customer_writes(stack, tenant)
    await _buy_credits(stack, tenant)
    return tenant


async def _connect_bot(stack: Stack, tenant: Tenant) -> None:
    token = f"{tenant.bot_telegram_id}:AAH-{tenant.label}-isolation-bot"
    _ok(await stack.telegram.post("/_tg/bots", json={"token": token, "username": f"panel_{tenant.label.lower()}_bot"}),
        201)
    _ok(await stack.api.put("/api/setup/telegram-bot", headers=tenant.owner, json={"token": token}))
    await stack.say(tenant, "hello")
    await stack.say(tenant, tenant.customer)
    code = _latest_code(tenant.world, tenant.customer)
    await stack.say(tenant, code)
    links = _ok(await stack.api.get("/api/telegram/links", headers=tenant.owner))
    assert links, "the customer did not get linked"


def _latest_code(world: World, username: str) -> str:
    for ticket in sorted(world.tickets.values(), key=lambda t: t.id, reverse=True):
        if ticket.user == username and (found := re.search(r"code is (\d{6})", ticket.messages[-1].message)):
            return found.group(1)
    raise LookupError(username)


async def _customer_writes(stack: Stack, tenant: Tenant) -> None:
    """A refill and a cancel of the customer's own orders, and a question for the queue."""
    orders = [o.id for o in tenant.world.orders.values() if o.user == tenant.customer]
    texts = [f"refill {orders[0]} please, it dropped", f"cancel {orders[-1]}", "Hello, can I pay with Payeer?"]
    for n, text in enumerate(texts):
        posted = _ok(await stack.api.post("/api/v1/messages", headers=tenant.api_key, json={
            "customer": tenant.customer, "text": text, "external_id": f"walker-{n}"}), 202)
        tenant.message_ids.append(posted["id"])
    await stack.say(tenant, f"refill {orders[0]}")  # and one through the bot
    await run_queued_jobs(stack.settings)
    requests = _ok(await stack.api.get("/api/requests", headers=tenant.owner))["items"]
    queue = _ok(await stack.api.get("/api/queue", headers=tenant.owner))
    assert requests and queue, "the messages made no requests or no queue item"


async def _buy_credits(stack: Stack, tenant: Tenant) -> None:
    purchase = _ok(await stack.api.post("/api/credits/purchases", headers=tenant.owner, json={"pack": "small"}), 201)
    invoice_id = purchase["payment_url"].rsplit("/", 1)[1]
    _ok(await stack.gateway.post(f"/_pay/invoices/{invoice_id}/notify", json={"status": "paid"}))
