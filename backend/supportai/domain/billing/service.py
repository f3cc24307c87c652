"""The support-request quota (one unit per (order, intent) request, consumed atomically)
and the tracking credits (one per order per check, base credits first, every movement in
the ledger)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.billing.models import CreditEntry, Subscription
from supportai.domain.billing.plans import CREDIT_PACKS, DEFAULT_PLAN, PLANS, PlanCode
from supportai.domain.billing.schemas import CreditEntryOut, CreditPackOut, CreditsOut, UsageOut
from supportai.domain.requests.schemas import AutomationFigure
from supportai.engine.billing import Cycle, Status, add_months, overage_blocks, rolled_forward


def open_subscription(session: AsyncSession, now: datetime, tenant_id: uuid.UUID | None = None) -> Subscription:
    """The plan a new account starts on, with its base credits; its billing anniversary is
    the sign-up day. `tenant_id` for a session not bound to the tenant (sign-up)."""
    plan = PLANS[DEFAULT_PLAN]
    subscription = Subscription(
        tenant_id=tenant_id, plan=plan.code, status=Status.ACTIVE, billed=False, anchored_at=now, cycle_number=0,
        cycle_start=now,
        cycle_end=add_months(now, 1), requests_used=0, requests_limit=plan.requests_per_cycle,
        allows_overage=plan.allows_overage, base_credits=plan.base_credits, prepaid_credits=0,
    )
    session.add(subscription)
    ledger(session, tenant_id, "grant", "base", plan.base_credits, plan.base_credits, cycle=0)
    return subscription


async def current_subscription(session: AsyncSession, now: datetime | None = None) -> Subscription:
    """The tenant's subscription; unbilled (self-hosted) ones rolled forward to `now`.
    Billed ones move only by payment and the billing cron (domain.billing.cycle).

    Accounts get one at sign-up; older ones get it here, where two first uses at once
    are settled by the unique constraint.
    """
    now = now or datetime.now(UTC)
    subscription = await session.scalar(sa.select(Subscription))
    if subscription is None:
        try:
            async with session.begin_nested():
                open_subscription(session, now)
        except IntegrityError:
            pass  # another worker created it first
        subscription = await session.scalar(sa.select(Subscription))
        assert subscription is not None
    if not subscription.billed and now >= subscription.cycle_end:
        await roll_forward_unbilled(session, subscription, now)
    return subscription


async def roll_forward_unbilled(session: AsyncSession, subscription: Subscription, now: datetime) -> None:
    """Self-hosted mode: each anniversary passed starts a cycle as if paid, on the plan after
    any scheduled downgrade. One conditional UPDATE on the cycle number, so two workers
    rolling over at once cannot reset usage twice."""
    cycle = rolled_forward(cycle_of(subscription), now)
    plan = PLANS[PlanCode(subscription.scheduled_plan or subscription.plan)]
    rolled = await session.execute(
        sa.update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.cycle_number == subscription.cycle_number)
        .values(
            cycle_number=cycle.number, cycle_start=cycle.start, cycle_end=cycle.end, requests_used=0,
            # A new cycle gets the plan's own quota and base credits: bonuses and unused
            # base credits expire; prepaid credits carry over.
            requests_limit=plan.requests_per_cycle, quota_alerted_at=None, base_credits=plan.base_credits,
            plan=plan.code, allows_overage=plan.allows_overage, scheduled_plan=None,
        )
        .execution_options(synchronize_session=False)
    )
    if rolled.rowcount == 1:  # this worker rolled it over: it writes the ledger
        if subscription.base_credits:
            ledger(session, subscription.tenant_id, "expire", "base", -subscription.base_credits, 0,
                   cycle=subscription.cycle_number)
        ledger(session, subscription.tenant_id, "grant", "base", plan.base_credits, plan.base_credits,
               cycle=cycle.number)
    await session.refresh(subscription)


def cycle_of(subscription: Subscription) -> Cycle:
    return Cycle(Status(subscription.status), subscription.anchored_at, subscription.cycle_number,
                 subscription.cycle_start, subscription.cycle_end, subscription.trial_ends_at,
                 subscription.grace_ends_at)


def set_cycle(subscription: Subscription, cycle: Cycle) -> None:
    subscription.status, subscription.anchored_at = cycle.status, cycle.anchored_at
    subscription.cycle_number, subscription.cycle_start, subscription.cycle_end = cycle.number, cycle.start, cycle.end
    subscription.trial_ends_at, subscription.grace_ends_at = cycle.trial_ends_at, cycle.grace_ends_at


def blocked_reason(subscription: Subscription) -> str | None:
    """Why new requests are refused right now: "lapsed" (unpaid), "quota" (used up), or None."""
    if subscription.status == Status.LAPSED:
        return "lapsed"
    if not subscription.allows_overage and subscription.requests_used >= subscription.requests_limit:
        return "quota"
    return None


async def locked_subscription(session: AsyncSession) -> Subscription:
    """The tenant's subscription, its row locked for the rest of the transaction."""
    subscription = await session.scalar(
        sa.select(Subscription).with_for_update().execution_options(populate_existing=True)
    )
    assert subscription is not None
    return subscription


async def consume_request(session: AsyncSession, subscription: Subscription, units: int = 1) -> bool:
    """Take `units` requests from the quota, all or none. One UPDATE with the limit in its
    WHERE, so two workers racing for the last units cannot both win; Enterprise is never
    refused."""
    taken = await session.execute(
        sa.update(Subscription)
        .where(
            Subscription.id == subscription.id,
            sa.or_(Subscription.allows_overage, Subscription.requests_used + units <= Subscription.requests_limit),
        )
        .values(requests_used=Subscription.requests_used + units)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


async def consume_requests(session: AsyncSession, subscription: Subscription, wanted: int) -> int:
    """Take up to `wanted` requests; returns how many were granted. All at once when they
    fit (one statement, the usual case), else one by one so the last units are still used."""
    if wanted == 0 or await consume_request(session, subscription, wanted):
        return wanted
    granted = 0
    while granted < wanted and await consume_request(session, subscription):
        granted += 1
    return granted


async def should_alert_quota(session: AsyncSession, subscription: Subscription) -> bool:
    """True once per cycle: the first time the quota blocks a request."""
    claimed = await session.execute(
        sa.update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.quota_alerted_at.is_(None))
        .values(quota_alerted_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


LOW_CREDITS = 500  # rules.md: a warning below this, an alert at 0


class CreditCharge(msgspec.Struct, frozen=True):
    taken: int
    balance_before: int
    balance_after: int

    @property
    def crossed(self) -> str | None:
        """"empty" when this charge used the last credit, "low" when it went below the
        warning threshold; None otherwise."""
        if self.balance_after == 0 < self.balance_before:
            return "empty"
        if self.balance_after < LOW_CREDITS <= self.balance_before:
            return "low"
        return None


async def consume_credits(session: AsyncSession, wanted: int, **detail: Any) -> CreditCharge:
    """Take up to `wanted` credits, base ones first. The subscription row is locked for the
    rest of the transaction, so concurrent charges (and purchases) are applied in turn."""
    subscription = await locked_subscription(session)
    before = subscription.credits_left
    from_base = min(wanted, subscription.base_credits)
    from_prepaid = min(wanted - from_base, subscription.prepaid_credits)
    subscription.base_credits -= from_base
    subscription.prepaid_credits -= from_prepaid
    if from_base:
        ledger(session, None, "consume", "base", -from_base, subscription.base_credits, **detail)
    if from_prepaid:
        ledger(session, None, "consume", "prepaid", -from_prepaid, subscription.prepaid_credits, **detail)
    return CreditCharge(taken=from_base + from_prepaid, balance_before=before, balance_after=subscription.credits_left)


async def grant_allowance(session: AsyncSession, *, requests: int, credits: int, **detail: Any) -> Subscription:
    """Extra support requests for the current cycle (the next cycle is the plan's again) and
    prepaid tracking credits, through the ledger: e.g. for the demo, whose customers write
    far more often than a real panel's would."""
    await current_subscription(session)  # rolled forward first: the bonus is for this cycle
    subscription = await locked_subscription(session)
    subscription.requests_limit += requests
    if credits:
        subscription.prepaid_credits += credits
        ledger(session, None, "adjust", "prepaid", credits, subscription.prepaid_credits, **detail)
    return subscription


def ledger(
    session: AsyncSession, tenant_id: uuid.UUID | None, kind: str, pool: str, amount: int, balance: int, **detail: Any
) -> None:
    session.add(CreditEntry(tenant_id=tenant_id, kind=kind, pool=pool, amount=amount, balance=balance, detail=detail))


async def credits(session: AsyncSession, limit: int) -> CreditsOut:
    subscription = await current_subscription(session)
    entries = await session.scalars(
        sa.select(CreditEntry).order_by(CreditEntry.created_at.desc(), CreditEntry.id.desc()).limit(limit)
    )
    return CreditsOut(
        base=subscription.base_credits, prepaid=subscription.prepaid_credits, total=subscription.credits_left,
        low=subscription.credits_left < LOW_CREDITS,
        entries=[CreditEntryOut(at=e.created_at, kind=e.kind, pool=e.pool, amount=e.amount, balance=e.balance,
                                detail=e.detail) for e in entries],
        packs=[CreditPackOut(code=p.code, credits=p.credits, price_cents=p.price_cents) for p in CREDIT_PACKS.values()],
    )


async def usage(session: AsyncSession, blocked_requests: int, automation: AutomationFigure) -> UsageOut:
    subscription = await current_subscription(session)
    await session.refresh(subscription)
    plan = PLANS[PlanCode(subscription.plan)]
    used, limit = subscription.requests_used, subscription.requests_limit
    return UsageOut(
        plan=plan.code, plan_name=plan.name, status=subscription.status, blocked_reason=blocked_reason(subscription),
        cycle_start=subscription.cycle_start, cycle_end=subscription.cycle_end,
        requests_used=used, requests_limit=limit, requests_left=max(limit - used, 0),
        overage_requests=max(used - limit, 0), overage_blocks=overage_blocks(used, limit, plan.overage_block_requests),
        blocked_requests=blocked_requests, automation=automation,
    )
