"""The billing cron: the subscriptions' clock and the payment attempts' expiry.

Idempotent and safe to run twice at once: each subscription is handled in its own
transaction under its row lock (`SKIP LOCKED`: a second run passes it by), and each step
re-reads the state it moves from, so a step already taken is not taken again.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.billing import invoices
from supportai.domain.billing.gateways import billing_enforced
from supportai.domain.billing.models import Invoice, PaymentAttempt, Subscription
from supportai.domain.billing.plans import PLANS, PlanCode
from supportai.domain.billing.service import cycle_of, roll_forward_unbilled, set_cycle
from supportai.domain.billing.subscriptions import terms
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify
from supportai.engine import billing
from supportai.engine.billing import Status
from supportai.runtime import Runtime


async def run_billing(runtime: Runtime, now: datetime | None = None) -> dict[str, int]:
    """One pass: what it did, by step (renew, lapse, bill, unbill, expire)."""
    now = now or datetime.now(UTC)
    enforced = billing_enforced(runtime)
    done: Counter[str] = Counter()
    for subscription_id in await _due(runtime, now, enforced):
        async with runtime.db.unit_of_work(None) as uow:
            subscription = await uow.session.scalar(sa.select(Subscription).where(Subscription.id == subscription_id)
                                                    .with_for_update(skip_locked=True))
            if subscription is not None and (step := await _step(runtime, uow.session, subscription, now, enforced)):
                done[step] += 1
            await uow.commit()
    done["expire"] = await expire_attempts(runtime, now)
    return dict(done)


async def _due(runtime: Runtime, now: datetime, enforced: bool) -> list[uuid.UUID]:
    async with runtime.db.unit_of_work(None) as uow:
        return list(await uow.session.scalars(sa.select(Subscription.id).where(sa.or_(
            Subscription.billed != enforced,
            sa.and_(Subscription.billed, sa.or_(
                sa.and_(Subscription.status == Status.TRIALING, Subscription.trial_ends_at <= now),
                sa.and_(Subscription.status == Status.ACTIVE, Subscription.cycle_end <= now),
                sa.and_(Subscription.status == Status.PAST_DUE, Subscription.grace_ends_at <= now),
            )),
        ))))


async def _step(
    runtime: Runtime, session: AsyncSession, subscription: Subscription, now: datetime, enforced: bool
) -> str | None:
    if subscription.billed != enforced:
        return await _follow_the_server(session, subscription, now, enforced)
    step = billing.due_step(cycle_of(subscription), now)
    if step == "renew":
        await renew(session, subscription)
    elif step == "lapse":
        set_cycle(subscription, billing.lapsed(cycle_of(subscription)))
        subscription.lapsed_at = now
        record(session, "subscription.lapsed", actor=None, tenant_id=subscription.tenant_id, plan=subscription.plan)
        await notify(session, OwnerEvent.SUBSCRIPTION_LAPSING, f"lapsed:{subscription.cycle_end.isoformat()}",
                     "Your subscription has lapsed", "The renewal invoice was not paid in time: new requests are "
                     "refused until it is paid. Open requests are still processed and nothing is deleted.",
                     "/billing", tenant_id=subscription.tenant_id)
    return step


async def renew(session: AsyncSession, subscription: Subscription) -> None:
    """The anniversary: the renewal invoice (the next plan, and this cycle's overage counted
    before anything resets), and past due until it is paid."""
    ending = PLANS[PlanCode(subscription.plan)]
    following = PLANS[PlanCode(subscription.scheduled_plan or subscription.plan)]
    cycle = billing.renewed(cycle_of(subscription))
    lines = billing.renewal_lines(terms(following), terms(ending), subscription.requests_used,
                                  subscription.requests_limit)
    invoice = await invoices.issue(
        session, subscription.tenant_id, "renewal", lines, plan=following.code, period_start=cycle.end,
        period_end=billing.add_months(cycle.anchored_at, cycle.number + 2), due_at=cycle.grace_ends_at,
    )
    due = f"{cycle.grace_ends_at:%Y-%m-%d %H:%M} UTC" if cycle.grace_ends_at else "soon"
    await notify(session, OwnerEvent.RENEWAL_DUE, str(invoice.id), f"Renewal invoice {invoice.label} is due",
                 f"{invoice.total_cents / 100:.2f} {invoice.currency} for {following.name}. Your account is past "
                 f"due until it is paid; pay by {due} to keep it running.", "/billing",
                 tenant_id=subscription.tenant_id)
    set_cycle(subscription, cycle)
    record(session, "subscription.past_due", actor=None, tenant_id=subscription.tenant_id, plan=following.code,
           grace_ends_at=cycle.grace_ends_at.isoformat() if cycle.grace_ends_at else None)


async def _follow_the_server(session: AsyncSession, subscription: Subscription, now: datetime, enforced: bool) -> str:
    """A gateway was configured (bill from the next anniversary) or removed (self-hosted
    again: active, unpaid plan and renewal invoices void)."""
    if enforced:
        if now >= subscription.cycle_end:
            await roll_forward_unbilled(session, subscription, now)  # as if paid, up to today
        subscription.billed = True
    else:
        subscription.billed, subscription.status = False, Status.ACTIVE
        subscription.trial_ends_at = subscription.grace_ends_at = subscription.lapsed_at = None
        await invoices.void_open(session, subscription.tenant_id, ("subscription", "renewal"), reason="self-hosted")
    record(session, "subscription.billing_" + ("on" if enforced else "off"), actor=None,
           tenant_id=subscription.tenant_id)
    return "bill" if enforced else "unbill"


async def expire_attempts(runtime: Runtime, now: datetime) -> int:
    """Attempts past the gateway's invoice lifetime can no longer be paid."""
    async with runtime.db.unit_of_work(None) as uow:
        expired = list(await uow.session.scalars(sa.select(PaymentAttempt).where(
            PaymentAttempt.status.in_(("pending", "short")), PaymentAttempt.expires_at <= now,
        ).with_for_update(skip_locked=True)))
        for attempt in expired:
            invoice = await uow.session.scalar(sa.select(Invoice).where(Invoice.id == attempt.invoice_id)
                                               .with_for_update())
            assert invoice is not None
            invoices.expire_attempt(uow.session, attempt, invoice)
        await uow.commit()
        return len(expired)
