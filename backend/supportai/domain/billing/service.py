"""The support-request quota (one unit per (order, intent) request, consumed atomically)
and the tracking credits (one per order per check, base credits first, every movement in
the ledger)."""

from __future__ import annotations

import calendar
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.api.auth import Principal
from supportai.domain.audit.service import record
from supportai.domain.billing.models import CreditEntry, CreditPurchase, Subscription
from supportai.domain.billing.plans import (
    CREDIT_PACKS,
    DEFAULT_PLAN,
    PLANS,
    PlanCode,
    overage_blocks,
)
from supportai.domain.billing.schemas import (
    CreditEntryOut,
    CreditPackOut,
    CreditsOut,
    PurchaseOut,
    UsageOut,
)
from supportai.errors import InvalidInput, NotConfigured, UpstreamUnavailable
from supportai.integrations.payments import (
    FAILED_STATUSES,
    PAID_STATUSES,
    CryptomusGateway,
    PaymentError,
    PaymentGateway,
    PaymentNotice,
)
from supportai.runtime import Runtime


def add_months(anchor: datetime, months: int) -> datetime:
    """The anniversary `months` after `anchor`, clamped to short months (Jan 31 → Feb 28)
    without drifting: the month after that is Mar 31 again."""
    years, month_index = divmod(anchor.month - 1 + months, 12)
    year, month = anchor.year + years, month_index + 1
    return anchor.replace(year=year, month=month, day=min(anchor.day, calendar.monthrange(year, month)[1]))


def open_subscription(session: AsyncSession, now: datetime, tenant_id: uuid.UUID | None = None) -> Subscription:
    """The plan a new account starts on, with its base credits; its billing anniversary is
    the sign-up day. `tenant_id` for a session not bound to the tenant (sign-up)."""
    plan = PLANS[DEFAULT_PLAN]
    subscription = Subscription(
        tenant_id=tenant_id, plan=plan.code, anchored_at=now, cycle_number=0, cycle_start=now,
        cycle_end=add_months(now, 1), requests_used=0, requests_limit=plan.requests_per_cycle,
        allows_overage=plan.allows_overage, base_credits=plan.base_credits, prepaid_credits=0,
    )
    session.add(subscription)
    _ledger(session, tenant_id, "grant", "base", plan.base_credits, plan.base_credits, cycle=0)
    return subscription


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
                open_subscription(session, now)
        except IntegrityError:
            pass  # another worker created it first
        subscription = await session.scalar(sa.select(Subscription))
        assert subscription is not None
    if now >= subscription.cycle_end:
        number, start, end = subscription.cycle_number, subscription.cycle_start, subscription.cycle_end
        while now >= end:
            number, start, end = number + 1, end, add_months(subscription.anchored_at, number + 2)
        plan = PLANS[PlanCode(subscription.plan)]
        rolled = await session.execute(
            sa.update(Subscription)
            .where(Subscription.id == subscription.id, Subscription.cycle_number == subscription.cycle_number)
            .values(
                cycle_number=number, cycle_start=start, cycle_end=end, requests_used=0,
                # A new cycle gets the plan's own quota and base credits: bonuses and unused
                # base credits expire; prepaid credits carry over.
                requests_limit=plan.requests_per_cycle, quota_alerted_at=None, base_credits=plan.base_credits,
            )
            .execution_options(synchronize_session=False)
        )
        if rolled.rowcount == 1:  # this worker rolled it over: it writes the ledger
            if subscription.base_credits:
                _ledger(session, None, "expire", "base", -subscription.base_credits, 0, cycle=subscription.cycle_number)
            _ledger(session, None, "grant", "base", plan.base_credits, plan.base_credits, cycle=number)
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
    subscription = await session.scalar(
        sa.select(Subscription).with_for_update().execution_options(populate_existing=True)
    )
    assert subscription is not None
    before = subscription.credits_left
    from_base = min(wanted, subscription.base_credits)
    from_prepaid = min(wanted - from_base, subscription.prepaid_credits)
    subscription.base_credits -= from_base
    subscription.prepaid_credits -= from_prepaid
    if from_base:
        _ledger(session, None, "consume", "base", -from_base, subscription.base_credits, **detail)
    if from_prepaid:
        _ledger(session, None, "consume", "prepaid", -from_prepaid, subscription.prepaid_credits, **detail)
    return CreditCharge(taken=from_base + from_prepaid, balance_before=before, balance_after=subscription.credits_left)


async def grant_allowance(session: AsyncSession, *, requests: int, credits: int, **detail: Any) -> Subscription:
    """Extra support requests for the current cycle (the next cycle is the plan's again) and
    prepaid tracking credits, through the ledger: e.g. for the demo, whose customers write
    far more often than a real panel's would."""
    await current_subscription(session)  # rolled forward first: the bonus is for this cycle
    subscription = await session.scalar(
        sa.select(Subscription).with_for_update().execution_options(populate_existing=True)
    )
    assert subscription is not None
    subscription.requests_limit += requests
    if credits:
        subscription.prepaid_credits += credits
        _ledger(session, None, "adjust", "prepaid", credits, subscription.prepaid_credits, **detail)
    return subscription


def _ledger(
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


def payment_gateway(runtime: Runtime) -> PaymentGateway | None:
    settings = runtime.settings
    if not settings.payments_merchant or not settings.payments_api_key:
        return None
    return CryptomusGateway(
        runtime.http, base_url=settings.payments_api_base, merchant=settings.payments_merchant,
        api_key=settings.payments_api_key,
    )


async def start_purchase(runtime: Runtime, session: AsyncSession, actor: Principal, pack_code: str) -> PurchaseOut:
    """Create the invoice for a credit pack; the owner pays on the gateway's page."""
    pack = CREDIT_PACKS.get(pack_code)
    if pack is None:
        raise InvalidInput(f"No credit pack is called {pack_code!r} (one of: {', '.join(CREDIT_PACKS)}).",
                           field="pack")
    gateway = payment_gateway(runtime)
    if gateway is None:
        raise NotConfigured("Payments are not set up on this server (SUPPORTAI_PAYMENTS_MERCHANT and _API_KEY).")
    purchase = CreditPurchase(
        order_id=f"credits-{uuid.uuid4().hex}", pack=pack.code, credits=pack.credits, amount_cents=pack.price_cents,
    )
    session.add(purchase)
    await session.commit()  # known here before the gateway can call back about it
    try:
        invoice = await gateway.create_invoice(
            order_id=purchase.order_id, amount=Decimal(pack.price_cents) / 100, currency=purchase.currency,
            callback_url=f"{runtime.settings.public_base_url}/payments/webhook",
            return_url=f"{runtime.settings.public_base_url}/usage",
        )
    except PaymentError as exc:
        purchase.status, purchase.gateway_status = "failed", "no invoice"
        await session.commit()  # kept, closed: the owner sees the attempt, and may try again
        raise UpstreamUnavailable(f"The payment gateway did not create the invoice: {exc}") from exc
    purchase.gateway_uuid, purchase.payment_url = invoice.uuid, invoice.url
    record(session, "credits.purchase_started", actor=actor, target=pack.code, order_id=purchase.order_id)
    return purchase_out(purchase)


async def apply_payment(runtime: Runtime, notice: PaymentNotice) -> str:
    """Apply a verified webhook once: the pack's credits land on the first `paid` for the
    full amount; repeats, short payments and failures add nothing. Returns the outcome."""
    async with runtime.db.system_session() as session:  # the tenant is known from the purchase
        purchase = await session.scalar(
            sa.select(CreditPurchase).where(CreditPurchase.order_id == notice.order_id).with_for_update()
        )
        if purchase is None:
            return "unknown"
        purchase.gateway_status = notice.status
        purchase.gateway_uuid = purchase.gateway_uuid or notice.uuid
        if purchase.status != "pending":
            return "already " + purchase.status
        if notice.status in PAID_STATUSES:
            if notice.currency.upper() != purchase.currency or notice.amount * 100 < purchase.amount_cents:
                return "short"
            subscription = await session.scalar(
                sa.select(Subscription).where(Subscription.tenant_id == purchase.tenant_id).with_for_update()
            )
            assert subscription is not None
            subscription.prepaid_credits += purchase.credits
            _ledger(session, purchase.tenant_id, "purchase", "prepaid", purchase.credits, subscription.prepaid_credits,
                    order_id=purchase.order_id, pack=purchase.pack)
            purchase.status, purchase.paid_at = "paid", datetime.now(UTC)
            record(session, "credits.purchased", actor=None, tenant_id=purchase.tenant_id, target=purchase.pack,
                   order_id=purchase.order_id, credits=purchase.credits)
            return "paid"
        if notice.status in FAILED_STATUSES:
            purchase.status = "failed"
        return purchase.status


async def purchases(session: AsyncSession, limit: int) -> list[PurchaseOut]:
    rows = await session.scalars(sa.select(CreditPurchase).order_by(CreditPurchase.created_at.desc()).limit(limit))
    return [purchase_out(row) for row in rows]


def purchase_out(purchase: CreditPurchase) -> PurchaseOut:
    return PurchaseOut(
        id=purchase.id, pack=purchase.pack, credits=purchase.credits, amount=f"{purchase.amount_cents / 100:.2f}",
        currency=purchase.currency, status=purchase.status, payment_url=purchase.payment_url,
        created_at=purchase.created_at, paid_at=purchase.paid_at,
    )
