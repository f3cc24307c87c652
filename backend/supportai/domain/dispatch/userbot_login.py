"""The web app's side of connecting the owner's Telegram account: each login step is a
job on the userbot worker (userbot_worker.py), and the handler waits for its answer.
"""

from __future__ import annotations

from datetime import timedelta

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.unit_of_work import after_commit
from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.dispatch.models import UserbotAccount, UserbotState
from supportai.domain.dispatch.schemas import UserbotOut, mask_phone
from supportai.domain.dispatch.userbot import (
    FORGET_JOB,
    SEND_CODE_JOB,
    SUBMIT_CODE_JOB,
    SUBMIT_PASSWORD_JOB,
    USERBOT_HEARTBEAT_KEY,
    USERBOT_QUEUE,
    LoginAnswer,
)
from supportai.errors import Conflict, InvalidInput, RateLimited, UpstreamUnavailable
from supportai.runtime import Runtime

ASK_TIMEOUT_S = 30  # how long an API call waits for a login step


async def _account(session: AsyncSession) -> UserbotAccount | None:
    # populate_existing: the userbot worker changed the row since this session last read it.
    return await session.scalar(sa.select(UserbotAccount).execution_options(populate_existing=True))


async def userbot_status(session: AsyncSession) -> UserbotOut:
    return UserbotOut.of(await _account(session))


async def start_login(runtime: Runtime, actor: Principal, phone: str) -> UserbotOut:
    phone = "+" + "".join(ch for ch in phone if ch.isdigit())  # as Telegram writes it
    # Encrypted like the code and password: job arguments sit in Redis and in arq's logs.
    answer = await _ask_worker(runtime, SEND_CODE_JOB, str(actor.tenant_id), runtime.secrets.encrypt(phone))
    return await _after(runtime, actor, answer, audit=("userbot.code_requested", mask_phone(phone)))


async def submit_code(runtime: Runtime, actor: Principal, code: str) -> UserbotOut:
    return await _sign_in_step(
        runtime, actor, SUBMIT_CODE_JOB, code,
        expected=UserbotState.CODE_SENT, out_of_step="Ask for a code first (POST /api/setup/userbot/start).",
    )


async def submit_password(runtime: Runtime, actor: Principal, password: str) -> UserbotOut:
    return await _sign_in_step(
        runtime, actor, SUBMIT_PASSWORD_JOB, password,
        expected=UserbotState.PASSWORD_NEEDED, out_of_step="No password is asked for now.",
    )


async def _sign_in_step(
    runtime: Runtime, actor: Principal, job: str, secret: str, *, expected: UserbotState, out_of_step: str,
) -> UserbotOut:
    """A step that may end the login (the code, the password): sent encrypted, audited
    once the account is connected."""
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        await _require_state(uow.session, expected, out_of_step)
    answer = await _ask_worker(runtime, job, str(actor.tenant_id), runtime.secrets.encrypt(secret))
    return await _after(runtime, actor, answer, audit=None)


async def remove_userbot(runtime: Runtime, session: AsyncSession, actor: Principal) -> None:
    """Forget the account here; the userbot worker logs it out of Telegram (the session,
    still encrypted, rides in the job) and lets go of it."""
    account = await _account(session)
    if account is None:
        return
    await session.delete(account)
    record(session, "userbot.removed", actor=actor, target=mask_phone(account.phone))
    forget = account.session_encrypted

    async def logout() -> None:  # once the account is gone here, not before
        await runtime.queue.enqueue_job(FORGET_JOB, str(actor.tenant_id), forget, _queue_name=USERBOT_QUEUE)

    after_commit(session, logout)


async def _require_state(session: AsyncSession, state: UserbotState, detail: str) -> None:
    account = await _account(session)
    if account is None or account.state != state:
        raise Conflict(detail)


async def _ask_worker(runtime: Runtime, job: str, *args: str) -> LoginAnswer:
    """Run a login step on the userbot worker and wait for its answer. No transaction is
    open meanwhile: the worker writes the account, and what is read after sees its work."""
    if not await runtime.redis.exists(USERBOT_HEARTBEAT_KEY):
        raise UpstreamUnavailable("The userbot worker is not running (start it with `supportai userbot`).")
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


async def _after(
    runtime: Runtime, actor: Principal, answer: LoginAnswer, *, audit: tuple[str, str | None] | None
) -> UserbotOut:
    """The worker's answer as the API's: its error as a problem, or the account as it is now
    (audited: `audit`, or the connection once it is made)."""
    if answer.error is not None:
        if answer.problem == "rate_limited":
            raise RateLimited(answer.error, answer.retry_after_s or 60)
        if answer.problem == "conflict":
            raise Conflict(answer.error)
        if answer.problem == "unavailable":
            raise UpstreamUnavailable(answer.error)
        raise InvalidInput(answer.error)
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        out = await userbot_status(uow.session)
        if audit is None and out.state == UserbotState.CONNECTED:
            audit = ("userbot.connected", out.username)
        if audit is not None:
            record(uow.session, audit[0], actor=actor, target=audit[1])
        await uow.commit()
    return out
