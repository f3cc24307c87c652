"""Sending a notification's Telegram and e-mail copies (after the commit that wrote it).

A copy is claimed (`sending`) in one transaction and sent outside it, so two jobs never
send it both; one that fails for a reason that may pass (network, SMTP down) is tried
again by the sweeper, up to MAX_ATTEMPTS, and one that cannot work (no owner chat, no
e-mail configured) fails at once with the reason the owner sees in the centre.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.auth.models import Role, User
from supportai.domain.notifications.models import DeliveryState, Notification
from supportai.domain.notifications.service import enqueue_delivery
from supportai.domain.telegram.bots import messenger_for, tenant_bot
from supportai.domain.telegram.models import TelegramBot
from supportai.domain.tenants.service import get_settings
from supportai.integrations.email import EmailError
from supportai.integrations.telegram import TelegramError
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.notifications")
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=1)  # times the attempt number
CLAIM_LOST_AFTER = timedelta(minutes=10)  # a `sending` copy older than this had its worker die


class Undeliverable(Exception):
    """This copy cannot be sent as the account is set up; trying again will not help."""


@dataclass
class Claim:
    notification: Notification
    telegram: bool
    email: bool
    chat: str | None
    bot: TelegramBot | None
    email_to: str | None


async def deliver(runtime: Runtime, tenant_id: uuid.UUID, notification_id: uuid.UUID) -> str:
    """Send the notification's pending copies; returns what became of them."""
    claim = await _claim(runtime, tenant_id, notification_id)
    if claim is None:
        return "nothing pending"
    results: dict[str, str | None] = {}
    if claim.telegram:
        results["telegram_state"] = await _attempt(_send_telegram(runtime, claim))
    if claim.email:
        results["email_state"] = await _attempt(_send_email(runtime, claim))
    async with runtime.db.unit_of_work(tenant_id) as uow:
        row = await uow.session.get_one(Notification, notification_id, with_for_update=True)
        errors = []
        for column, error in results.items():
            setattr(row, column, _state_after(error, row.delivery_attempts))
            if error:
                errors.append(error)
        row.delivery_error = "; ".join(errors)[:500] or None
        await uow.commit()
    return ", ".join(f"{c.removesuffix('_state')}: {getattr(row, c)}" for c in results)


async def _claim(runtime: Runtime, tenant_id: uuid.UUID, notification_id: uuid.UUID) -> Claim | None:
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        row = await session.get(Notification, notification_id, with_for_update=True)
        if row is None:
            return None
        telegram, email = row.telegram_state == DeliveryState.PENDING, row.email_state == DeliveryState.PENDING
        if not (telegram or email):
            return None
        for column, pending in (("telegram_state", telegram), ("email_state", email)):
            if pending:
                setattr(row, column, DeliveryState.SENDING)
        row.delivery_attempts += 1
        row.attempted_at = utcnow()
        settings = await get_settings(session)
        claim = Claim(row, telegram, email, settings.owner_telegram_chat_id, await tenant_bot(session),
                      settings.notification_email or await owner_email(session))
        await uow.commit()
    return claim


async def owner_email(session: AsyncSession) -> str | None:
    return await session.scalar(
        sa.select(User.email).where(User.role == Role.OWNER, User.is_active.is_(True)).order_by(User.created_at)
    )


async def _attempt(send: object) -> str | None:
    """None when sent; else why not, prefixed with `!` when trying again cannot help."""
    try:
        await send  # type: ignore[misc]
    except Undeliverable as exc:
        return f"!{exc}"
    except (TelegramError, EmailError) as exc:
        return str(exc)
    return None


def _state_after(error: str | None, attempts: int) -> str:
    if error is None:
        return DeliveryState.SENT
    if error.startswith("!") or attempts >= MAX_ATTEMPTS:
        return DeliveryState.FAILED
    return DeliveryState.PENDING


async def _send_telegram(runtime: Runtime, claim: Claim) -> None:
    if claim.bot is None or not claim.chat:
        raise Undeliverable("telegram: no bot or owner chat is set up (Settings → Notifications)")
    async with messenger_for(runtime, claim.bot) as messenger:
        await messenger.send(claim.chat, _text(runtime, claim.notification))


async def _send_email(runtime: Runtime, claim: Claim) -> None:
    mailer = runtime.clients.mailer()
    if mailer is None:
        raise Undeliverable("e-mail: this server has no SMTP server configured")
    if not claim.email_to:
        raise Undeliverable("e-mail: no address to send to")
    await mailer.send(claim.email_to, f"[SupportAI] {claim.notification.title}", _text(runtime, claim.notification))


def _text(runtime: Runtime, notification: Notification) -> str:
    link = f"\n\n{runtime.settings.public_base_url}{notification.link}" if notification.link else ""
    return f"{notification.title}\n\n{notification.body}{link}"


async def sweep_deliveries(runtime: Runtime, now: datetime | None = None) -> int:
    """Queue the copies a lost job left: pending and due again, or claimed by a dead worker."""
    now = now or utcnow()
    waiting = sa.or_(Notification.telegram_state == DeliveryState.PENDING,
                     Notification.email_state == DeliveryState.PENDING)
    async with runtime.db.unit_of_work(None) as uow:
        session = uow.session
        for column in (Notification.telegram_state, Notification.email_state):
            await session.execute(
                sa.update(Notification).where(column == DeliveryState.SENDING,
                                              Notification.attempted_at < now - CLAIM_LOST_AFTER)
                .values({column: DeliveryState.PENDING}).execution_options(synchronize_session=False)
            )
        rows = (await session.execute(
            sa.select(Notification.tenant_id, Notification.id, Notification.delivery_attempts,
                      Notification.attempted_at).where(waiting).limit(500)
        )).all()
        await uow.commit()
    due = [(r.tenant_id, r.id, r.delivery_attempts) for r in rows
           if r.attempted_at is None or r.attempted_at <= now - RETRY_AFTER * r.delivery_attempts]
    for tenant_id, notification_id, attempts in due:
        await enqueue_delivery(runtime.queue, tenant_id, notification_id, run=str(attempts))
    return len(due)
