"""The login steps the userbot worker (`supportai userbot`) runs for the web app
(userbot_login.py asks): the code, the code sent back, the password. Both sign-in steps
share one skeleton; a connected account joins the pool (userbot_pool.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import NamedTuple

import sqlalchemy as sa
import structlog

from supportai.domain.dispatch.models import UserbotAccount, UserbotState
from supportai.domain.dispatch.userbot import LoginAnswer
from supportai.domain.dispatch.userbot_pool import LoginUserbot, UserbotPool
from supportai.integrations.telegram import (
    FloodWait,
    PasswordRequired,
    TelegramError,
    UserbotIdentity,
)
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.userbot")

NOT_CONFIGURED = (
    "This server cannot log in Telegram accounts: set SUPPORTAI_TELEGRAM_API_ID and "
    "SUPPORTAI_TELEGRAM_API_HASH (from my.telegram.org) for the userbot worker."
)


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
    async with runtime.db.unit_of_work(tenant_id) as uow:
        account = await uow.session.scalar(sa.select(UserbotAccount)) or UserbotAccount(phone=phone)
        uow.session.add(account)
        account.phone, account.state = phone, UserbotState.CODE_SENT
        # The code must be used from the session that asked for it: keep it for step 2.
        account.session_encrypted = runtime.secrets.encrypt(client.session_string)
        account.phone_code_hash_encrypted = runtime.secrets.encrypt(phone_code_hash)
        account.telegram_id = account.username = account.flood_wait_until = account.last_error = None
        await uow.commit()
    return LoginAnswer(state=UserbotState.CODE_SENT)


async def submit_login_code(
    runtime: Runtime, pool: UserbotPool, tenant_id: uuid.UUID, code_encrypted: str
) -> LoginAnswer:
    """Step 2: the code; done, unless the account has two-step verification."""
    code = runtime.secrets.decrypt(code_encrypted)

    async def sign_in(client: LoginUserbot, account: _StoredLogin) -> UserbotIdentity:
        return await client.sign_in(account.phone, code, runtime.secrets.decrypt(account.phone_code_hash_encrypted))

    return await _sign_in_step(runtime, pool, tenant_id, UserbotState.CODE_SENT, sign_in)


async def submit_login_password(
    runtime: Runtime, pool: UserbotPool, tenant_id: uuid.UUID, password_encrypted: str
) -> LoginAnswer:
    """Step 3, for accounts with two-step verification: the cloud password."""
    password = runtime.secrets.decrypt(password_encrypted)

    async def sign_in(client: LoginUserbot, account: _StoredLogin) -> UserbotIdentity:
        return await client.sign_in_password(password)

    return await _sign_in_step(runtime, pool, tenant_id, UserbotState.PASSWORD_NEEDED, sign_in)


class _StoredLogin(NamedTuple):
    """What a sign-in step reads from the account, decrypted only where it is used."""

    phone: str
    session_string: str
    phone_code_hash_encrypted: str


async def _sign_in_step(
    runtime: Runtime,
    pool: UserbotPool,
    tenant_id: uuid.UUID,
    expected: UserbotState,
    sign_in: Callable[[LoginUserbot, _StoredLogin], Awaitable[UserbotIdentity]],
) -> LoginAnswer:
    """One sign-in step on the session that asked for the code: connected, a password
    asked for, or why Telegram refused."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        account = await uow.session.scalar(sa.select(UserbotAccount))
        if account is None or account.state != expected or pool.factory is None:
            return _out_of_step(account)
        stored = _StoredLogin(
            account.phone, runtime.secrets.decrypt(account.session_encrypted or ""),
            account.phone_code_hash_encrypted or "",
        )
    client = pool.factory(stored.session_string)
    try:
        await client.connect()
        identity = await sign_in(client, stored)
    except PasswordRequired:
        await client.disconnect()
        return await _password_needed(runtime, tenant_id, client)
    except TelegramError as exc:
        await client.disconnect()
        return await _failed(runtime, tenant_id, exc)
    return await _connected(runtime, pool, tenant_id, client, identity)


async def _password_needed(runtime: Runtime, tenant_id: uuid.UUID, client: LoginUserbot) -> LoginAnswer:
    async with runtime.db.unit_of_work(tenant_id) as uow:
        account = await uow.session.scalar(sa.select(UserbotAccount))
        if account is not None:
            account.state, account.last_error = UserbotState.PASSWORD_NEEDED, None
            account.session_encrypted = runtime.secrets.encrypt(client.session_string)
        await uow.commit()
    return LoginAnswer(state=UserbotState.PASSWORD_NEEDED)


async def _connected(
    runtime: Runtime, pool: UserbotPool, tenant_id: uuid.UUID, client: LoginUserbot, identity: UserbotIdentity
) -> LoginAnswer:
    async with runtime.db.unit_of_work(tenant_id) as uow:
        account = await uow.session.scalar(sa.select(UserbotAccount))
        if account is None:  # removed while logging in
            await client.disconnect()
            return _out_of_step(None)
        account.state = UserbotState.CONNECTED
        account.session_encrypted = runtime.secrets.encrypt(client.session_string)
        account.phone_code_hash_encrypted = account.last_error = account.flood_wait_until = None
        account.telegram_id, account.username = identity.id, identity.username
        await uow.commit()
    await pool.adopt(tenant_id, client)
    return LoginAnswer(state=UserbotState.CONNECTED)


async def _failed(runtime: Runtime, tenant_id: uuid.UUID, error: TelegramError, *,
                  phone: str | None = None) -> LoginAnswer:
    """Keep the reason on the account (the owner sees it) and answer it to the API."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        account = await uow.session.scalar(sa.select(UserbotAccount))
        if account is None:
            account = UserbotAccount(phone=phone or "", state=UserbotState.NEEDS_LOGIN)
            uow.session.add(account)
        account.last_error = f"Telegram: {error.reason}"[:500]
        state = account.state
        await uow.commit()
    if isinstance(error, FloodWait):
        return LoginAnswer(
            state=state, error=f"Telegram asks to wait {wait_in_words(error.seconds)} before trying again.",
            problem="rate_limited", retry_after_s=error.seconds,
        )
    return LoginAnswer(state=state, error=f"Telegram did not accept it: {error.reason}", problem="invalid")


def wait_in_words(seconds: int) -> str:
    """A flood wait as an owner reads it: "40 seconds", "5 minutes", "3 hours 20 minutes"."""
    if seconds < 60:
        return f"{seconds} second{'s' * (seconds != 1)}"
    minutes = -(-seconds // 60)  # rounded up: trying again a little late is fine, early is not
    if minutes < 120:
        return f"{minutes} minute{'s' * (minutes != 1)}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} hours" + (f" {minutes} minute{'s' * (minutes != 1)}" if minutes else "")


def _out_of_step(account: UserbotAccount | None) -> LoginAnswer:
    state = account.state if account is not None else UserbotState.NEEDS_LOGIN
    return LoginAnswer(state=state, error=f"The account is {state}: this step does not apply now.", problem="conflict")
