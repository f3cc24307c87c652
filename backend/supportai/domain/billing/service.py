"""The support-request quota: one unit per (order, intent) request, consumed atomically."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.billing.models import Subscription
from supportai.domain.billing.plans import DEFAULT_PLAN, PLANS, PlanCode, overage_blocks
from supportai.domain.billing.schemas import UsageOut


def add_months(anchor: datetime, months: int) -> datetime:
    """The anniversary `months` after `anchor`, clamped to short months (Jan 31 → Feb 28)
    without drifting: the month after that is Mar 31 again."""
    years, month_index = divmod(anchor.month - 1 + months, 12)
    year, month = anchor.year + years, month_index + 1
    return anchor.replace(year=year, month=month, day=min(anchor.day, calendar.monthrange(year, month)[1]))


def new_subscription(now: datetime) -> Subscription:
    """The plan a new account starts on; its billing anniversary is the sign-up day."""
    plan = PLANS[DEFAULT_PLAN]
    return Subscription(
        plan=plan.code, anchored_at=now, cycle_number=0, cycle_start=now, cycle_end=add_months(now, 1),
        requests_used=0, requests_limit=plan.requests_per_cycle, allows_overage=plan.allows_overage,
    )


async def current_subscription(session: AsyncSession, now: datetime | None = None) -> Subscription:
    """The tenant's subscription with its cycle rolled forward to `now`.

    Accounts get one at sign-up; older ones get it here, where two first uses at once
    are settled by the unique constraint. The rollover is one conditional UPDATE on the
    cycle number, so two workers rolling over at once cannot reset usage twice.
    """
    now = now or datetime.now(UTC)
    subscription = await session.scalar(sa.select(Subscription))
    if subscription is None:
        try:
            async with session.begin_nested():
                session.add(new_subscription(now))
        except IntegrityError:
            pass  # another worker created it first
        subscription = await session.scalar(sa.select(Subscription))
        assert subscription is not None
    if now >= subscription.cycle_end:
        number, start, end = subscription.cycle_number, subscription.cycle_start, subscription.cycle_end
        while now >= end:
            number, start, end = number + 1, end, add_months(subscription.anchored_at, number + 2)
        await session.execute(
            sa.update(Subscription)
            .where(Subscription.id == subscription.id, Subscription.cycle_number == subscription.cycle_number)
            .values(
                cycle_number=number, cycle_start=start, cycle_end=end, requests_used=0,
                # A new cycle gets the plan's own quota: upgrade bonuses expire.
                requests_limit=PLANS[PlanCode(subscription.plan)].requests_per_cycle, quota_alerted_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        await session.refresh(subscription)
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


async def usage(session: AsyncSession, blocked_requests: int) -> UsageOut:
    subscription = await current_subscription(session)
    await session.refresh(subscription)
    plan = PLANS[PlanCode(subscription.plan)]
    used, limit = subscription.requests_used, subscription.requests_limit
    return UsageOut(
        plan=plan.code, plan_name=plan.name, cycle_start=subscription.cycle_start, cycle_end=subscription.cycle_end,
        requests_used=used, requests_limit=limit, requests_left=max(limit - used, 0),
        overage_requests=max(used - limit, 0), overage_blocks=overage_blocks(plan, used, limit),
        blocked_requests=blocked_requests,
    )
