"""Helpers for the dispatch tests: a tenant wired to the Bot API stand-in, forwarded
requests, running queued dispatch jobs, and a fake owner's account with login steps."""

from __future__ import annotations

import asyncio
import itertools
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from arq.constants import job_key_prefix
from arq.worker import Worker
from redis.asyncio import Redis

from supportai.config import Settings
from supportai.db.base import utcnow
from supportai.domain.dispatch.models import (
    DispatchItem,
    ProviderMessage,
    UserbotAccount,
    UserbotState,
)
from supportai.domain.dispatch.scheduling import DISPATCH_JOB
from supportai.domain.dispatch.userbot import USERBOT_HEARTBEAT_KEY, USERBOT_QUEUE
from supportai.domain.dispatch.userbot_pool import UserbotPool
from supportai.domain.requests.models import Message, SupportRequest
from supportai.domain.telegram.models import TelegramBot
from supportai.integrations.telegram import (
    IncomingTelegramMessage,
    LoginFailed,
    PasswordRequired,
    ProviderChat,
    SentMessage,
    TelegramError,
    UserbotIdentity,
)
from supportai.integrations.telegram.fakes import FakeUserbot
from supportai.queues import CONTROL_QUEUE
from supportai.runtime import Runtime
from workers.jobs import deliver_notification, dispatch_provider_batch
from workers.settings import userbot_worker_options

# Provider chats registered in the stand-in: public supergroups, in Bot API id form.
PROVIDER_CHATS = {
    "followhub": -1001000000001,
    "smmvertex": -1001000000002,
    "growlane": -1001000000003,
}
OWNER_CHAT_ID = 700001  # the owner's private chat with their bot
CUSTOMER_CHAT_ID = 700002  # a customer who wrote to the bot
PROVIDER_ADMIN_ID = 800001  # the person answering in provider chats
LOGIN_CODE = "24680"

_bot_ids = itertools.count(int(uuid.uuid4().int % 10_000) * 1000 + 6_000_000)


@dataclass
class DispatchTenant:
    """A signed-up tenant with a bot in the stand-in, its providers and settings."""

    account: Any  # tests.conftest.Account
    runtime: Runtime
    control: httpx.AsyncClient  # the stand-in's control API
    api: Any  # the SupportAI API test client
    bot_id: int

    @property
    def tenant_id(self) -> uuid.UUID:
        return uuid.UUID(self.account.tenant_id)

    async def bot_sent(self, chat_id: int) -> list[str]:
        """What this tenant's bot sent to a chat, from the stand-in's log."""
        response = await self.control.get(f"/_tg/bots/{self.bot_id}/sent", params={"chat_id": chat_id})
        assert response.status_code == 200, response.text
        return [message["text"] for message in response.json()]

    async def owner_notices(self) -> list[str]:
        """What the owner was told on Telegram: the tenant's queued notification copies are
        delivered first, through the worker's job, as the control worker does."""
        for job in await self.runtime.queue.queued_jobs(queue_name=CONTROL_QUEUE):
            if job.function == "deliver_notification" and job.args[0] == str(self.account.tenant_id):
                await self.runtime.queue.zrem(CONTROL_QUEUE, job.job_id)
                await self.runtime.queue.delete(job_key_prefix + job.job_id)
                await deliver_notification({"runtime": self.runtime}, *job.args)
        return await self.bot_sent(OWNER_CHAT_ID)

    async def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        response = await self.control.get(f"/_tg/bots/{self.bot_id}/sent", params={"chat_id": chat_id})
        return response.json()

    async def settings(self, **changes: Any) -> None:
        response = await self.api.patch("/api/tenant/settings", json=changes, headers=self.account.headers)
        assert response.status_code == 200, response.text

    async def add_provider(self, name: str, telegram_chat: str | None) -> None:
        response = await self.api.post(
            "/api/providers", json={"name": name, "telegram_chat": telegram_chat}, headers=self.account.headers
        )
        assert response.status_code == 201, response.text

    async def request(self, request_id: uuid.UUID) -> dict[str, Any]:
        response = await self.api.get(f"/api/requests/{request_id}", headers=self.account.headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def timeline(self, request_id: uuid.UUID) -> list[dict[str, Any]]:
        return (await self.request(request_id))["timeline"]

    async def provider_messages(self) -> list[ProviderMessage]:
        async with self.runtime.db.tenant_session(self.tenant_id) as session:
            return list(await session.scalars(sa.select(ProviderMessage).order_by(ProviderMessage.created_at)))

    async def dispatch_items(self) -> list[DispatchItem]:
        async with self.runtime.db.tenant_session(self.tenant_id) as session:
            return list(await session.scalars(sa.select(DispatchItem).order_by(DispatchItem.created_at)))

    async def time_passes_for_retries(self) -> None:
        """Make every deferred provider message due, as the clock would (tests don't wait)."""
        async with self.runtime.db.tenant_session(self.tenant_id) as session:
            waiting = sa.select(ProviderMessage).where(ProviderMessage.retry_at.is_not(None))
            for message in await session.scalars(waiting):
                message.retry_at = utcnow() - timedelta(seconds=1)

    async def forward(
        self, provider: str, external_ids: list[str], *, action: str = "speed_up", source: str = "api",
        reply_to: dict[str, Any] | None = None, age: timedelta = timedelta(0),
    ) -> list[uuid.UUID]:
        """Requests from one customer message, forwarded and waiting for Telegram dispatch,
        as the pipeline leaves them. Returns the request ids, in order."""
        created = utcnow() - age
        async with self.runtime.db.tenant_session(self.tenant_id) as session:
            message = Message(
                id=uuid.uuid4(), source=source, external_id=uuid.uuid4().hex, customer="alice",
                text=f"{action} {' '.join(external_ids)}", reply_to=reply_to, status="processed",
                created_at=created,
            )
            session.add(message)
            ids = []
            for position, external_id in enumerate(external_ids):
                arrived = created + timedelta(microseconds=position)  # in the order the customer wrote them
                request = SupportRequest(
                    id=uuid.uuid4(), message=message, customer="alice", order_id=f"9{external_id}",
                    external_order_id=external_id, provider=provider, intent=action, outcome=f"forward_{action}",
                    status="forwarded", facts={}, created_at=arrived,
                )
                session.add(request)
                session.add(DispatchItem(
                    request=request, provider=provider, action=action, external_order_id=external_id,
                    created_at=arrived,
                ))
                ids.append(request.id)
        return ids


async def wire_tenant(account: Any, runtime: Runtime, control: httpx.AsyncClient, api: Any) -> DispatchTenant:
    """Give a tenant its own bot in the stand-in (so its sent log is its own) and an owner chat."""
    bot_id = next(_bot_ids)
    token = f"{bot_id}:AAE-dispatch-{uuid.uuid4().hex[:8]}"
    registered = await control.post("/_tg/bots", json={"token": token, "username": f"panel{bot_id}_bot"})
    assert registered.status_code == 201, registered.text
    async with runtime.db.tenant_session(uuid.UUID(account.tenant_id)) as session:
        session.add(TelegramBot(
            telegram_id=bot_id, username=f"panel{bot_id}_bot", token_encrypted=runtime.secrets.encrypt(token),
            webhook_secret_hash="0" * 64, webhook_url="http://127.0.0.1/unused",
        ))
    tenant = DispatchTenant(account=account, runtime=runtime, control=control, api=api, bot_id=bot_id)
    await tenant.settings(owner_telegram_chat_id=str(OWNER_CHAT_ID))
    return tenant


async def run_dispatch_jobs(runtime: Runtime, tenant_id: uuid.UUID, userbots: UserbotPool | None = None) -> list[str]:
    """Run the tenant's queued dispatch jobs now, through the worker's job function, as the
    userbot worker does when they fall due. Returns their job ids."""
    ran = []
    for job in await runtime.queue.queued_jobs(queue_name=USERBOT_QUEUE):
        if job.function == DISPATCH_JOB and job.args[0] == str(tenant_id):
            await runtime.queue.zrem(USERBOT_QUEUE, job.job_id)
            await runtime.queue.delete(job_key_prefix + job.job_id)
            await dispatch_provider_batch({"runtime": runtime, "userbots": userbots}, *job.args)
            ran.append(job.job_id)
    return ran


async def queued_dispatch_jobs(runtime: Runtime, tenant_id: uuid.UUID) -> list[Any]:
    return [
        job for job in await runtime.queue.queued_jobs(queue_name=USERBOT_QUEUE)
        if job.function == DISPATCH_JOB and job.args[0] == str(tenant_id)
    ]


async def dispatch_now(tenant: DispatchTenant, provider: str, action: str = "speed_up",
                       userbots: UserbotPool | None = None) -> int:
    """The dispatch job for one provider, called as the worker calls it."""
    return await dispatch_provider_batch(
        {"runtime": tenant.runtime, "userbots": userbots}, str(tenant.tenant_id), provider, action
    )


# --- the owner's account -------------------------------------------------------------------


class FakeAccount(FakeUserbot):
    """The owner's Telegram account with Telethon's login steps, scripted: the code is
    LOGIN_CODE, and `password` (when set) is the two-step verification password. Sends
    go through FakeUserbot (real Telethon errors, mapped as in production)."""

    def __init__(self, session: str = "", *, password: str | None = None, failure: Exception | None = None) -> None:
        super().__init__(connected=False, failure=failure)
        self.session = session
        self.password = password
        self.tries = 0  # sends attempted, failed or not
        self.handlers: list[Callable[[IncomingTelegramMessage], Awaitable[None]]] = []
        self.logged_out_session: str | None = None  # the session log_out ended

    @property
    def session_string(self) -> str:
        return self.session

    async def connect(self) -> None:
        self.connected = True

    async def disconnect(self) -> None:
        self.connected = False

    async def is_authorized(self) -> bool:
        return self.session.startswith("authorized:")

    async def log_out(self) -> None:
        if not self.connected:
            raise TelegramError("Cannot send requests while disconnected")
        self.logged_out_session, self.session = self.session, ""

    async def send_code(self, phone: str) -> str:
        self.session = f"code-requested:{phone}"
        return f"hash-{phone}"

    async def sign_in(self, phone: str, code: str, phone_code_hash: str) -> UserbotIdentity:
        if code != LOGIN_CODE or phone_code_hash != f"hash-{phone}" or not self.session.startswith("code-requested:"):
            raise LoginFailed("The phone code entered was invalid (caused by SignInRequest)")
        if self.password is not None:
            self.session = f"password-needed:{phone}"
            raise PasswordRequired("Two-steps verification is enabled and a password is required")
        return self._authorized()

    async def sign_in_password(self, password: str) -> UserbotIdentity:
        if password != self.password or not self.session.startswith("password-needed:"):
            raise LoginFailed("The password (and thus its hash value) you entered is invalid")
        return self._authorized()

    def _authorized(self) -> UserbotIdentity:
        self.session = f"authorized:{uuid.uuid4().hex}"
        return UserbotIdentity(id=900001, username="panel_owner")

    async def resolve_chat(self, username: str) -> ProviderChat:
        name = username.lstrip("@").removesuffix("_support")
        return ProviderChat(chat_id=PROVIDER_CHATS[name], username=username.lstrip("@"), access_hash=42)

    async def send(self, chat: ProviderChat, text: str, reply_to: int | None = None) -> SentMessage:
        self.tries += 1
        return await super().send(chat, text, reply_to)

    def on_message(self, handler: Callable[[IncomingTelegramMessage], Awaitable[None]]) -> None:
        self.handlers.append(handler)

    async def receive(self, incoming: IncomingTelegramMessage) -> None:
        """A message arrives, as Telethon's NewMessage event would deliver it."""
        for handler in self.handlers:
            await handler(incoming)


@dataclass
class FakeAccountFactory:
    """The UserbotFactory the userbot worker uses in tests; keeps every client it made."""

    password: str | None = None
    clients: list[FakeAccount] = field(default_factory=list)

    def __call__(self, session: str) -> FakeAccount:
        client = FakeAccount(session, password=self.password)
        self.clients.append(client)
        return client


async def connect_account(tenant: DispatchTenant, account: FakeAccount) -> UserbotPool:
    """The owner's account, logged in and held by a userbot worker's pool."""
    async with tenant.runtime.db.tenant_session(tenant.tenant_id) as session:
        session.add(UserbotAccount(phone="+491511234567", state=UserbotState.CONNECTED, telegram_id=900001))
    pool = UserbotPool(tenant.runtime, FakeAccountFactory())
    await account.connect()
    await pool.adopt(tenant.tenant_id, account)
    return pool


class WorkerThread:
    """The userbot worker's thread, to run code in its event loop (where its clients live)."""

    loop: asyncio.AbstractEventLoop

    async def call(self, coroutine: Awaitable[Any]) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)  # type: ignore[arg-type]
        return await asyncio.wrap_future(future)


@asynccontextmanager
async def running_userbot_worker(settings: Settings, factory: FakeAccountFactory) -> AsyncIterator[WorkerThread]:
    """The real userbot worker (arq, USERBOT_QUEUE) with fake accounts, in its own thread
    and event loop as it is its own process in production (and because the API test client
    holds the test's event loop while a request runs)."""
    handle = WorkerThread()
    stopping: list[asyncio.Event] = []

    async def serve() -> None:
        handle.loop = asyncio.get_running_loop()
        stopping.append(asyncio.Event())
        worker = Worker(**userbot_worker_options(settings, factory), handle_signals=False, poll_delay=0.05)
        running = asyncio.create_task(worker.async_run())
        await stopping[0].wait()
        await worker.close()
        with suppress(asyncio.CancelledError):
            await running

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    redis = Redis.from_url(settings.redis_url)
    try:
        async with asyncio.timeout(10):  # up once its heartbeat is stamped
            while not await redis.exists(USERBOT_HEARTBEAT_KEY):
                assert thread.is_alive(), "the userbot worker stopped while starting"
                await asyncio.sleep(0.02)
        yield handle
    finally:
        await redis.aclose()
        if stopping:
            handle.loop.call_soon_threadsafe(stopping[0].set)
        await asyncio.to_thread(thread.join, 10)


def incoming(
    chat_id: int, text: str, *, reply_to: int | None = None, from_user_id: int = PROVIDER_ADMIN_ID,
    from_username: str | None = "provider_admin",
) -> IncomingTelegramMessage:
    return IncomingTelegramMessage(
        chat_id=chat_id, message_id=int(uuid.uuid4().int % 1_000_000), from_user_id=from_user_id,
        from_username=from_username, text=text, has_photo=False, reply_to_message_id=reply_to,
    )
