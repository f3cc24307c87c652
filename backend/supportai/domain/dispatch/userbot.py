"""The owner's own Telegram account (the "userbot"): connecting it from the web app, and
holding it connected in the userbot worker.

A Telethon client is a long-lived connection, so clients live in one long-running
process, `supportai userbot`: an arq worker on USERBOT_QUEUE that holds one client per
connected tenant (`UserbotPool`), hands provider replies to `handle_provider_reply`, and
runs every provider dispatch job (see service.py). API handlers never touch Telethon:
each login step is a job on that queue, and the handler waits for its answer.

Run exactly one userbot worker: Telegram refuses a session used from two connections at
once. The StringSession (a full account credential) and the phone_code_hash are stored
encrypted; login codes and passwords travel through Redis encrypted and are never stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

import msgspec
import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.config import Settings
from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.dispatch.replies import handle_provider_reply
from supportai.domain.dispatch.schemas import UserbotOut
from supportai.domain.telegram.models import UserbotAccount, UserbotState
from supportai.errors import Conflict, InvalidInput, RateLimited, UpstreamUnavailable
from supportai.integrations.telegram import (
    FloodWait,
    IncomingTelegramMessage,
    PasswordRequired,
    ProviderChat,
    SentMessage,
    TelegramError,
    UserbotIdentity,
)
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.userbot")

USERBOT_QUEUE = "supportai:userbot"
USERBOT_HEARTBEAT_KEY = "supportai:userbot:heartbeat"
USERBOT_HEARTBEAT_TTL_S = 90  # the worker stamps it every 30 s
ASK_TIMEOUT_S = 30  # how long an API call waits for a login step

# Job names, as workers/jobs.py defines them.
SEND_CODE_JOB = "userbot_send_code"
SUBMIT_CODE_JOB = "userbot_submit_code"
SUBMIT_PASSWORD_JOB = "userbot_submit_password"
FORGET_JOB = "userbot_forget"

NOT_CONFIGURED = (
    "This server cannot log in Telegram accounts: set SUPPORTAI_TELEGRAM_API_ID and "
    "SUPPORTAI_TELEGRAM_API_HASH (from my.telegram.org) for the userbot worker."
)


class LoginUserbot(Protocol):
    """The owner's account with everything the userbot worker needs: the login steps,
    sending, looking chats up, incoming messages. TelethonUserbot is one."""

    @property
    def session_string(self) -> str: ...

    def is_connected(self) -> bool: ...

    async def connect(self) -> None: ...

    async def disconnect(self) -> None: ...

    async def is_authorized(self) -> bool: ...

    async def send_code(self, phone: str) -> str: ...

    async def sign_in(self, phone: str, code: str, phone_code_hash: str) -> UserbotIdentity: ...

    async def sign_in_password(self, password: str) -> UserbotIdentity: ...

    async def log_out(self) -> None: ...

    async def resolve_chat(self, username: str) -> ProviderChat: ...

    async def send(self, chat: ProviderChat, text: str, reply_to: int | None = None) -> SentMessage: ...

    def on_message(self, handler: Callable[[IncomingTelegramMessage], Awaitable[None]]) -> None: ...


class UserbotFactory(Protocol):
    """Builds a client from a stored StringSession ("" for a new login). Tests pass a fake."""

    def __call__(self, session: str) -> LoginUserbot: ...


def telethon_factory(settings: Settings) -> UserbotFactory | None:
    """Real clients, or None when the server has no Telegram app credentials."""
    if settings.telegram_api_id is None or not settings.telegram_api_hash:
        return None
    from supportai.integrations.telegram import TelethonUserbot

    api_id, api_hash = settings.telegram_api_id, settings.telegram_api_hash
    return lambda session: TelethonUserbot(api_id, api_hash, session)


class LoginAnswer(msgspec.Struct, frozen=True):
    """A login job's answer to the API: the account's state now, or why the step failed."""

    state: str
    error: str | None = None
    problem: str | None = None  # invalid | conflict | rate_limited | unavailable
    retry_after_s: int | None = None


# --- the userbot worker's side -------------------------------------------------------------


class UserbotPool:
    """The owners' accounts this process holds: one connected client per tenant."""

    def __init__(self, runtime: Runtime, factory: UserbotFactory | None) -> None:
        self._runtime = runtime
        self.factory = factory
        self._clients: dict[uuid.UUID, LoginUserbot] = {}

    def get(self, tenant_id: uuid.UUID) -> LoginUserbot | None:
        return self._clients.get(tenant_id)

    async def adopt(self, tenant_id: uuid.UUID, client: LoginUserbot) -> None:
        """Hold a logged-in, connected client; provider replies it receives get handled."""
        await self.drop(tenant_id)
        client.on_message(self._reply_handler(tenant_id))
        self._clients[tenant_id] = client

    async def drop(self, tenant_id: uuid.UUID) -> None:
        client = self._clients.pop(tenant_id, None)
        if client is not None:
            await client.disconnect()

    async def log_out(self, tenant_id: uuid.UUID, session_encrypted: str | None) -> None:
        """End a removed account's session on Telegram too, so it leaves the owner's list of
        devices. The held client is used if there is one, else one built from the session."""
        client = self._clients.pop(tenant_id, None)
        if client is None and session_encrypted and self.factory is not None:
            client = self.factory(self._runtime.secrets.decrypt(session_encrypted))
        if client is None:
            return
        try:
            if not client.is_connected():
                await client.connect()
            await client.log_out()
        except TelegramError as exc:  # already ended on Telegram, or unreachable: ours is gone anyway
            log.warning("userbot_log_out_failed", tenant_id=str(tenant_id), error=str(exc))
        finally:
            await client.disconnect()

    async def close(self) -> None:
        for tenant_id in list(self._clients):
            await self.drop(tenant_id)

    async def sync(self) -> int:
        """Hold exactly the accounts the database says are connected (at startup, then
        every minute): reconnects after a restart or a lost connection, and lets go of
        removed accounts. Returns how many are held."""
        async with self._runtime.db.system_session() as session:
            stored = {
                account.tenant_id: account.session_encrypted
                for account in await session.scalars(
                    sa.select(UserbotAccount).where(
                        UserbotAccount.state.in_([UserbotState.CONNECTED, UserbotState.FLOOD_WAIT]),
                        UserbotAccount.session_encrypted.is_not(None),
                    )
                )
            }
        for tenant_id in set(self._clients) - set(stored):
            await self.drop(tenant_id)
        for tenant_id, session_encrypted in stored.items():
            client = self._clients.get(tenant_id)
            if (client is None or not client.is_connected()) and session_encrypted:
                await self._reconnect(tenant_id, self._runtime.secrets.decrypt(session_encrypted))
        return len(self._clients)

    async def _reconnect(self, tenant_id: uuid.UUID, session_string: str) -> None:
        if self.factory is None:
            return
        client = self.factory(session_string)
        try:
            await client.connect()
            authorized = await client.is_authorized()
        except TelegramError as exc:  # Telegram unreachable: the next sync tries again
            log.warning("userbot_reconnect_failed", tenant_id=str(tenant_id), error=exc.reason)
            await client.disconnect()
            return
        if authorized:
            await self.adopt(tenant_id, client)
            return
        await client.disconnect()
        async with self._runtime.db.tenant_session(tenant_id) as session:
            account = await session.scalar(sa.select(UserbotAccount))
            if account is not None:
                account.state, account.session_encrypted = UserbotState.NEEDS_LOGIN, None
                account.last_error = "Telegram ended this session (logged out from another device?); connect again."

    def _reply_handler(self, tenant_id: uuid.UUID) -> Callable[[IncomingTelegramMessage], Awaitable[None]]:
        async def on_message(incoming: IncomingTelegramMessage) -> None:
            try:
                await handle_provider_reply(self._runtime, tenant_id, incoming, "userbot")
            except Exception:  # one reply that fails must not stop the account's updates
                log.exception("provider_reply_failed", tenant_id=str(tenant_id), chat_id=incoming.chat_id)

        return on_message


async def send_login_code(
    runtime: Runtime, pool: UserbotPool, tenant_id: uuid.UUID, phone_encrypted: str
) -> LoginAnswer:
    """Step 1: Telegram sends a code to the owner's Telegram apps (or by SMS)."""
    phone = runtime.secrets.decrypt(phone_encrypted)
    if pool.factory is None:
        return LoginAnswer(state=UserbotState.NEEDS_LOGIN, error=NOT_CONFIGURED, problem="unavailable")
    client = pool.factory("")
    try:
        await client.connect()
        phone_code_hash = await client.send_code(phone)
    except TelegramError as exc:
        return await _failed(runtime, tenant_id, exc, phone=phone)
    finally:
        await client.disconnect()
    await pool.drop(tenant_id)  # the new login replaces the account held so far
    async with runtime.db.tenant_session(tenant_id) as session:
        account = await session.scalar(sa.select(UserbotAccount)) or UserbotAccount(phone=phone)
        session.add(account)
        account.phone, account.state = phone, UserbotState.CODE_SENT
        # The code must be used from the session that asked for it: keep it for step 2.
        account.session_encrypted = runtime.secrets.encrypt(client.session_string)
        account.phone_code_hash_encrypted = runtime.secrets.encrypt(phone_code_hash)
        account.telegram_id = account.username = account.flood_wait_until = account.last_error = None
    return LoginAnswer(state=UserbotState.CODE_SENT)


async def submit_login_code(
    runtime: Runtime, pool: UserbotPool, tenant_id: uuid.UUID, code_encrypted: str
) -> LoginAnswer:
    """Step 2: the code; done, unless the account has two-step verification."""
    async with runtime.db.tenant_session(tenant_id) as session:
        account = await session.scalar(sa.select(UserbotAccount))
        if account is None or account.state != UserbotState.CODE_SENT or pool.factory is None:
            return _out_of_step(account)
        phone = account.phone
        session_string = runtime.secrets.decrypt(account.session_encrypted or "")
        phone_code_hash = runtime.secrets.decrypt(account.phone_code_hash_encrypted or "")
    client = pool.factory(session_string)
    try:
        await client.connect()
        identity = await client.sign_in(phone, runtime.secrets.decrypt(code_encrypted), phone_code_hash)
    except PasswordRequired:
        await client.disconnect()
        async with runtime.db.tenant_session(tenant_id) as session:
            account = await session.scalar(sa.select(UserbotAccount))
            if account is not None:
                account.state, account.last_error = UserbotState.PASSWORD_NEEDED, None
                account.session_encrypted = runtime.secrets.encrypt(client.session_string)
        return LoginAnswer(state=UserbotState.PASSWORD_NEEDED)
    except TelegramError as exc:
        await client.disconnect()
        return await _failed(runtime, tenant_id, exc)
    return await _connected(runtime, pool, tenant_id, client, identity)


async def submit_login_password(
    runtime: Runtime, pool: UserbotPool, tenant_id: uuid.UUID, password_encrypted: str
) -> LoginAnswer:
    """Step 3, for accounts with two-step verification: the cloud password."""
    async with runtime.db.tenant_session(tenant_id) as session:
        account = await session.scalar(sa.select(UserbotAccount))
        if account is None or account.state != UserbotState.PASSWORD_NEEDED or pool.factory is None:
            return _out_of_step(account)
        session_string = runtime.secrets.decrypt(account.session_encrypted or "")
    client = pool.factory(session_string)
    try:
        await client.connect()
        identity = await client.sign_in_password(runtime.secrets.decrypt(password_encrypted))
    except TelegramError as exc:
        await client.disconnect()
        return await _failed(runtime, tenant_id, exc)
    return await _connected(runtime, pool, tenant_id, client, identity)


async def _connected(
    runtime: Runtime, pool: UserbotPool, tenant_id: uuid.UUID, client: LoginUserbot, identity: UserbotIdentity
) -> LoginAnswer:
    async with runtime.db.tenant_session(tenant_id) as session:
        account = await session.scalar(sa.select(UserbotAccount))
        if account is None:  # removed while logging in
            await client.disconnect()
            return _out_of_step(None)
        account.state = UserbotState.CONNECTED
        account.session_encrypted = runtime.secrets.encrypt(client.session_string)
        account.phone_code_hash_encrypted = account.last_error = account.flood_wait_until = None
        account.telegram_id, account.username = identity.id, identity.username
    await pool.adopt(tenant_id, client)
    return LoginAnswer(state=UserbotState.CONNECTED)


async def _failed(runtime: Runtime, tenant_id: uuid.UUID, error: TelegramError, *, phone: str | None = None) -> LoginAnswer:
    """Keep the reason on the account (the owner sees it) and answer it to the API."""
    async with runtime.db.tenant_session(tenant_id) as session:
        account = await session.scalar(sa.select(UserbotAccount))
        if account is None:
            account = UserbotAccount(phone=phone or "", state=UserbotState.NEEDS_LOGIN)
            session.add(account)
        account.last_error = f"Telegram: {error.reason}"[:500]
        state = account.state
    if isinstance(error, FloodWait):
        return LoginAnswer(
            state=state, error=f"Telegram asks to wait {error.seconds} s before trying again.",
            problem="rate_limited", retry_after_s=error.seconds,
        )
    return LoginAnswer(state=state, error=f"Telegram did not accept it: {error.reason}", problem="invalid")


def _out_of_step(account: UserbotAccount | None) -> LoginAnswer:
    state = account.state if account is not None else UserbotState.NEEDS_LOGIN
    return LoginAnswer(state=state, error=f"The account is {state}: this step does not apply now.", problem="conflict")


# --- the API's side --------------------------------------------------------------------------


def mask_phone(phone: str) -> str:
    """Enough to recognise the number, not enough to read it off a screen: +49•••••••67."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 5:
        return "•" * len(digits)
    return f"+{digits[:2]}{'•' * (len(digits) - 4)}{digits[-2:]}"


def userbot_out(account: UserbotAccount | None) -> UserbotOut:
    if account is None:
        return UserbotOut(phone=None, state=UserbotState.NEEDS_LOGIN, username=None, flood_wait_until=None, last_error=None)
    return UserbotOut(
        phone=mask_phone(account.phone) if account.phone else None, state=account.state,
        username=account.username, flood_wait_until=account.flood_wait_until, last_error=account.last_error,
    )


async def _account(session: AsyncSession) -> UserbotAccount | None:
    # populate_existing: the userbot worker changed the row since this session last read it.
    return await session.scalar(sa.select(UserbotAccount).execution_options(populate_existing=True))


async def userbot_status(session: AsyncSession) -> UserbotOut:
    return userbot_out(await _account(session))


async def start_login(runtime: Runtime, session: AsyncSession, actor: Principal, phone: str) -> UserbotOut:
    phone = "+" + "".join(ch for ch in phone if ch.isdigit())  # as Telegram writes it
    # Encrypted like the code and password: job arguments sit in Redis and in arq's logs.
    answer = await _ask_worker(
        runtime, session, SEND_CODE_JOB, str(actor.tenant_id), runtime.secrets.encrypt(phone)
    )
    record(session, "userbot.code_requested", actor=actor, target=mask_phone(phone))
    return await _after(session, answer)


async def submit_code(runtime: Runtime, session: AsyncSession, actor: Principal, code: str) -> UserbotOut:
    await _require_state(session, UserbotState.CODE_SENT, "Ask for a code first (POST /api/setup/userbot/start).")
    answer = await _ask_worker(runtime, session, SUBMIT_CODE_JOB, str(actor.tenant_id), runtime.secrets.encrypt(code))
    out = await _after(session, answer)
    if out.state == UserbotState.CONNECTED:
        record(session, "userbot.connected", actor=actor, target=out.username)
    return out


async def submit_password(runtime: Runtime, session: AsyncSession, actor: Principal, password: str) -> UserbotOut:
    await _require_state(session, UserbotState.PASSWORD_NEEDED, "No password is asked for now.")
    answer = await _ask_worker(
        runtime, session, SUBMIT_PASSWORD_JOB, str(actor.tenant_id), runtime.secrets.encrypt(password)
    )
    out = await _after(session, answer)
    record(session, "userbot.connected", actor=actor, target=out.username)
    return out


async def remove_userbot(runtime: Runtime, session: AsyncSession, actor: Principal) -> None:
    """Forget the account here; the userbot worker logs it out of Telegram (the session,
    still encrypted, rides in the job) and lets go of it."""
    account = await _account(session)
    if account is None:
        return
    await session.delete(account)
    record(session, "userbot.removed", actor=actor, target=mask_phone(account.phone))
    await session.commit()
    await runtime.queue.enqueue_job(
        FORGET_JOB, str(actor.tenant_id), account.session_encrypted, _queue_name=USERBOT_QUEUE
    )


async def _require_state(session: AsyncSession, state: UserbotState, detail: str) -> None:
    account = await _account(session)
    if account is None or account.state != state:
        raise Conflict(detail)


async def _ask_worker(runtime: Runtime, session: AsyncSession, job: str, *args: str) -> LoginAnswer:
    """Run a login step on the userbot worker and wait for its answer."""
    if not await runtime.redis.exists(USERBOT_HEARTBEAT_KEY):
        raise UpstreamUnavailable("The userbot worker is not running (start it with `supportai userbot`).")
    # The worker writes the account: end this session's transaction so we then read its work.
    await session.commit()
    # _expires: a step the worker has not started in time is dropped, not run late.
    queued = await runtime.queue.enqueue_job(
        job, *args, _queue_name=USERBOT_QUEUE, _expires=timedelta(seconds=ASK_TIMEOUT_S)
    )
    assert queued is not None  # a fresh random job id is never taken
    try:
        answer = await queued.result(timeout=ASK_TIMEOUT_S, poll_delay=0.1)
    except TimeoutError as exc:
        raise UpstreamUnavailable("The userbot worker did not answer in time; please try again.") from exc
    return msgspec.convert(answer, LoginAnswer)


async def _after(session: AsyncSession, answer: LoginAnswer) -> UserbotOut:
    if answer.error is not None:
        if answer.problem == "rate_limited":
            raise RateLimited(answer.error, answer.retry_after_s or 60)
        if answer.problem == "conflict":
            raise Conflict(answer.error)
        if answer.problem == "unavailable":
            raise UpstreamUnavailable(answer.error)
        raise InvalidInput(answer.error)
    return await userbot_status(session)
