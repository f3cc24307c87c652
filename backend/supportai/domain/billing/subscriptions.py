"""The subscription as the owner sees and changes it: plans, the trial's first invoice,
upgrades (prorated, applied on payment with the unused allowance carried over), downgrades
(at the anniversary), and what a paid invoice does to the subscription."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.billing import invoices
from supportai.domain.billing.gateways import billing_enforced, chosen_gateway, gateway_names
from supportai.domain.billing.models import Invoice, Subscription
from supportai.domain.billing.plans import DEFAULT_PLAN, PLANS, Plan, PlanCode
from supportai.domain.billing.schemas import (
    NextRenewalOut,
    PlanChangeOut,
    PlanOut,
    ScheduledChangeOut,
    SubscriptionOut,
)
from supportai.domain.billing.service import (
    blocked_reason,
    current_subscription,
    cycle_of,
    ledger,
    locked_subscription,
    set_cycle,
)
from supportai.engine import billing
from supportai.engine.billing import Cycle, Line, Status
from supportai.errors import Conflict, InvalidInput
from supportai.runtime import Runtime


def terms(plan: Plan) -> billing.PlanTerms:
    return billing.PlanTerms(plan.name, plan.price_cents, plan.overage_block_requests, plan.overage_block_price_cents)


async def _open(session: AsyncSession) -> list[Invoice]:
    return list(await session.scalars(
        sa.select(Invoice).where(Invoice.status == "open").order_by(Invoice.created_at.desc(), Invoice.number.desc())
    ))


def _next_renewal(subscription: Subscription, open_invoices: list[Invoice]) -> NextRenewalOut | None:
    if not subscription.billed:
        return None  # self-hosted: renews without an invoice
    due = next((i for i in open_invoices if i.kind in ("subscription", "renewal")), None)
    if due is not None and due.plan:
        return NextRenewalOut(at=due.due_at or subscription.cycle_end, plan=due.plan, amount_cents=due.total_cents)
    ending = PLANS[PlanCode(subscription.plan)]
    following = PLANS[PlanCode(subscription.scheduled_plan or subscription.plan)]
    lines = billing.renewal_lines(terms(following), terms(ending), subscription.requests_used,
                                  subscription.requests_limit)
    return NextRenewalOut(at=subscription.cycle_end, plan=following.code, amount_cents=billing.total(lines))


async def read_subscription(runtime: Runtime, session: AsyncSession, now: datetime | None = None) -> SubscriptionOut:
    subscription = await current_subscription(session, now)
    await session.refresh(subscription)
    open_invoices = await _open(session)
    used, limit = subscription.requests_used, subscription.requests_limit
    scheduled = None
    if subscription.scheduled_plan:
        scheduled = ScheduledChangeOut(plan=subscription.scheduled_plan, effective_at=subscription.cycle_end)
    return SubscriptionOut(
        plan=PlanOut.of(PLANS[PlanCode(subscription.plan)]), status=subscription.status,
        billing_enforced=billing_enforced(runtime), trial_ends_at=subscription.trial_ends_at,
        cycle_start=subscription.cycle_start, cycle_end=subscription.cycle_end,
        next_renewal=_next_renewal(subscription, open_invoices), scheduled_change=scheduled,
        requests_used=used, requests_limit=limit, requests_left=max(limit - used, 0),
        blocked_reason=blocked_reason(subscription),
        open_invoices=await invoices.invoices_with_attempts(session, open_invoices),
        gateways=gateway_names(runtime),
    )


async def start_trial(runtime: Runtime, session: AsyncSession, subscription: Subscription, now: datetime) -> None:
    """A new account on a billing server: 7 days of Starter's limits, and the first invoice."""
    if not billing_enforced(runtime):
        return
    subscription.billed = True
    set_cycle(subscription, billing.trial(now))
    await issue_first_invoice(session, subscription.tenant_id, PLANS[DEFAULT_PLAN], subscription.cycle_end)


async def issue_first_invoice(session: AsyncSession, tenant_id: uuid.UUID, plan: Plan, due_at: datetime) -> Invoice:
    """The trial's invoice: paying it starts the first cycle on that plan."""
    line = billing.plan_line(terms(plan))
    return await invoices.issue(session, tenant_id, "subscription", [line], plan=plan.code, due_at=due_at)


async def change_plan(
    runtime: Runtime, actor: Principal, code: str, gateway: str | None, now: datetime | None = None
) -> PlanChangeOut:
    """The change is decided and kept in one transaction; when there is something to pay, the
    payment page is asked for after it commits (`invoices.pay`), and the answer read after that."""
    now = now or datetime.now(UTC)
    if code not in PLANS:
        raise InvalidInput(f"No plan is called {code!r} (one of: {', '.join(PLANS)}).", field="plan")
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        change, invoice = await _change(runtime, uow.session, actor, PLANS[PlanCode(code)], now)
        if invoice is not None:
            chosen_gateway(runtime, gateway)  # 503 / 400 before the change is kept
        await uow.commit()
    payment_url = None
    if invoice is not None:
        payment_url = (await invoices.pay(runtime, actor, invoice.id, gateway, now)).payment_url
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        issued = None if invoice is None else await uow.session.get_one(Invoice, invoice.id)
        out = None if issued is None else (await invoices.invoices_with_attempts(uow.session, [issued]))[0]
        answer = PlanChangeOut(change=change, subscription=await read_subscription(runtime, uow.session, now),
                               invoice=out, payment_url=payment_url)
        await uow.commit()
    return answer


async def _change(
    runtime: Runtime, session: AsyncSession, actor: Principal, plan: Plan, now: datetime
) -> tuple[str, Invoice | None]:
    """The change made, and the invoice to pay for it if there is one."""
    await current_subscription(session, now)
    subscription = await locked_subscription(session)
    if subscription.status == Status.TRIALING:
        return "trial_plan", await _choose_trial_plan(session, actor, subscription, plan, now)
    if subscription.status != Status.ACTIVE:
        raise Conflict("The subscription has an unpaid invoice: pay it before changing the plan.")
    current = PLANS[PlanCode(subscription.plan)]
    if plan.code == current.code:
        raise Conflict(f"The subscription is already on {current.name}.")
    if plan.price_cents < current.price_cents:
        subscription.scheduled_plan = plan.code
        record(session, "subscription.downgrade_scheduled", actor=actor, target=plan.code,
               effective_at=subscription.cycle_end.isoformat())
        return "downgrade", None
    if not billing_enforced(runtime):  # self-hosted: nothing to pay, the upgrade applies at once
        apply_upgrade(session, subscription, plan)
        record(session, "subscription.upgraded", actor=actor, target=plan.code)
        return "upgrade", None
    await invoices.void_open(session, subscription.tenant_id, ("upgrade",), reason="superseded")
    left, days = billing.days_left(now, subscription.cycle_start, subscription.cycle_end)
    amount = billing.prorate(plan.price_cents - current.price_cents, now, subscription.cycle_start,
                             subscription.cycle_end)
    line = Line("proration", f"{current.name} → {plan.name} for {left} of {days} days", 1, amount)
    return "upgrade", await invoices.issue(session, subscription.tenant_id, "upgrade", [line], plan=plan.code,
                                           period_start=now, period_end=subscription.cycle_end, due_at=now)


async def _choose_trial_plan(
    session: AsyncSession, actor: Principal, subscription: Subscription, plan: Plan, now: datetime
) -> Invoice:
    first = next((i for i in await _open(session) if i.kind == "subscription"), None)
    if first is not None and first.plan == plan.code:
        raise Conflict(f"The trial's invoice is already for {plan.name}.")
    await invoices.void_open(session, subscription.tenant_id, ("subscription",), reason="plan chosen")
    invoice = await issue_first_invoice(session, subscription.tenant_id, plan,
                                        subscription.trial_ends_at or now)
    record(session, "subscription.trial_plan_chosen", actor=actor, target=plan.code)
    return invoice


async def cancel_scheduled_change(runtime: Runtime, session: AsyncSession, actor: Principal) -> SubscriptionOut:
    subscription = await locked_subscription(session)
    if subscription.scheduled_plan:
        record(session, "subscription.change_cancelled", actor=actor, target=subscription.scheduled_plan)
        subscription.scheduled_plan = None
    return await read_subscription(runtime, session)


def apply_upgrade(session: AsyncSession, subscription: Subscription, plan: Plan) -> None:
    """The new plan at once, with what is unused of this cycle's requests and base credits
    on top; the anniversary does not move."""
    subscription.requests_limit = billing.carried_over(plan.requests_per_cycle, subscription.requests_limit,
                                                       subscription.requests_used)
    subscription.base_credits += plan.base_credits
    ledger(session, subscription.tenant_id, "grant", "base", plan.base_credits, subscription.base_credits,
           cycle=subscription.cycle_number, upgrade=plan.code)
    subscription.plan, subscription.allows_overage = plan.code, plan.allows_overage
    subscription.scheduled_plan = None
    subscription.quota_alerted_at = None


def start_cycle(session: AsyncSession, subscription: Subscription, plan: Plan, cycle: Cycle) -> None:
    """A paid cycle begins: the counter resets, the old base credits expire, the plan's are granted."""
    if subscription.base_credits:
        ledger(session, subscription.tenant_id, "expire", "base", -subscription.base_credits, 0,
               cycle=subscription.cycle_number)
    set_cycle(subscription, cycle)
    subscription.plan, subscription.allows_overage, subscription.scheduled_plan = plan.code, plan.allows_overage, None
    subscription.requests_used, subscription.requests_limit = 0, plan.requests_per_cycle
    subscription.base_credits, subscription.quota_alerted_at, subscription.lapsed_at = plan.base_credits, None, None
    ledger(session, subscription.tenant_id, "grant", "base", plan.base_credits, plan.base_credits, cycle=cycle.number)


def apply_paid_invoice(session: AsyncSession, subscription: Subscription, invoice: Invoice, now: datetime) -> None:
    """What a paid invoice buys. Callers hold the subscription's and the invoice's row locks."""
    if invoice.kind == "credits" and invoice.credits:
        subscription.prepaid_credits += invoice.credits
        ledger(session, subscription.tenant_id, "purchase", "prepaid", invoice.credits,
               subscription.prepaid_credits, invoice=invoice.label, pack=invoice.pack)
    elif invoice.kind == "upgrade" and invoice.plan:
        apply_upgrade(session, subscription, PLANS[PlanCode(invoice.plan)])
    elif invoice.kind in ("subscription", "renewal") and invoice.plan and subscription.status != Status.ACTIVE:
        start_cycle(session, subscription, PLANS[PlanCode(invoice.plan)], billing.paid(cycle_of(subscription), now))
    record(session, "subscription.invoice_applied", actor=None, tenant_id=subscription.tenant_id,
           target=invoice.label, kind=invoice.kind, status=subscription.status, plan=subscription.plan)
