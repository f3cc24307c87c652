"""Property: after any sequence of grants, uses, purchases, upgrades and renewals (whose
payment expires the old base credits), through the product's own functions on PostgreSQL,
each credit pool's balance equals the sum of its ledger rows and never goes negative."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from supportai.domain.billing import invoices
from supportai.domain.billing.cycle import renew
from supportai.domain.billing.models import CreditEntry, Invoice
from supportai.domain.billing.plans import CREDIT_PACKS, PLANS, PlanCode
from supportai.domain.billing.service import (
    consume_credits,
    grant_allowance,
    locked_subscription,
    open_subscription,
)
from supportai.domain.billing.subscriptions import apply_paid_invoice
from supportai.domain.tenants.models import Tenant
from supportai.engine.billing import Line, Status
from supportai.runtime import open_runtime

steps = st.lists(st.one_of(
    st.tuples(st.just("use"), st.integers(1, 30_000)),
    st.tuples(st.just("grant"), st.integers(1, 5_000)),
    st.tuples(st.just("purchase"), st.sampled_from(list(CREDIT_PACKS))),
    st.tuples(st.just("upgrade"), st.sampled_from(list(PLANS))),
    st.tuples(st.just("renew"), st.none()),
), max_size=12)


async def _pay(session, invoice: Invoice) -> None:
    invoice.status, invoice.paid_at = "paid", datetime.now(UTC)
    apply_paid_invoice(session, await locked_subscription(session), invoice, datetime.now(UTC))


async def _apply(session, tenant_id, step: str, value) -> None:
    subscription = await locked_subscription(session)
    match step:
        case "use":
            await consume_credits(session, value, reason="tracking")
        case "grant":
            await grant_allowance(session, requests=0, credits=value, reason="test")
        case "purchase":
            pack = CREDIT_PACKS[value]
            line = Line("credits", pack.code, 1, pack.price_cents)
            await _pay(session, await invoices.issue(session, tenant_id, "credits", [line], pack=pack.code,
                                                                 credits=pack.credits))
        case "upgrade" if PLANS[PlanCode(value)].price_cents > PLANS[PlanCode(subscription.plan)].price_cents:
            await _pay(session, await invoices.issue(session, tenant_id, "upgrade", [], plan=value))
        case "renew":
            await renew(session, subscription)
            renewal = await session.scalar(sa.select(Invoice).where(Invoice.kind == "renewal",
                                                                    Invoice.status == "open"))
            await _pay(session, renewal)


async def _run(test_settings, sequence) -> tuple[dict[str, int], dict[str, int]]:
    async with open_runtime(test_settings) as runtime:
        async with runtime.db.system_session() as session:
            tenant = Tenant(name="ledger property")
            session.add(tenant)
            await session.flush()
            subscription = open_subscription(session, datetime.now(UTC), tenant_id=tenant.id)
            subscription.billed, subscription.status = True, Status.ACTIVE
        for step, value in sequence:
            async with runtime.db.tenant_session(tenant.id) as session:
                await _apply(session, tenant.id, step, value)
        async with runtime.db.tenant_session(tenant.id) as session:
            subscription = await locked_subscription(session)
            rows = await session.execute(sa.select(CreditEntry.pool, sa.func.sum(CreditEntry.amount))
                                         .group_by(CreditEntry.pool))
            sums = {pool: int(total) for pool, total in rows}
            return ({"base": sums.get("base", 0), "prepaid": sums.get("prepaid", 0)},
                    {"base": subscription.base_credits, "prepaid": subscription.prepaid_credits})


@examples(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_balances_equal_the_ledger_sums_after_any_sequence(settings, sequence):
    sums, balances = asyncio.run(_run(settings, sequence))
    assert sums == balances
    assert min(balances.values()) >= 0
