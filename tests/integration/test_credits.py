"""Tracking credits: granted at sign-up and each cycle, used base-first, never negative,
and every movement in the ledger, so the balances always equal the ledger's sums."""

from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa

from supportai.domain.billing.models import CreditEntry
from supportai.domain.billing.plans import PLANS, PlanCode
from supportai.domain.billing.service import consume_credits, current_subscription
from supportai.runtime import open_runtime

STARTER_BASE = PLANS[PlanCode.STARTER].base_credits


async def ledger_sums(session) -> dict[str, int]:
    rows = await session.execute(sa.select(CreditEntry.pool,
                                           sa.func.sum(CreditEntry.amount)).group_by(CreditEntry.pool))
    return {pool: total for pool, total in rows}


async def test_credits_are_granted_used_base_first_expired_and_always_match_the_ledger(client, sign_up, settings):
    owner = await sign_up("Credits panel")
    shown = (await client.get("/api/credits", headers=owner.headers)).json()
    assert (shown["base"], shown["prepaid"], shown["total"], shown["low"]) == (STARTER_BASE, 0, STARTER_BASE, False)
    assert [(e["kind"], e["pool"], e["amount"]) for e in shown["entries"]] == [("grant", "base", STARTER_BASE)]
    assert shown["packs"][0] == {"code": "small", "credits": 1000, "price_cents": 900}

    async with open_runtime(settings) as runtime:
        tenant = uuid.UUID(owner.tenant_id)
        async with runtime.db.tenant_session(tenant) as session:
            subscription = await current_subscription(session)
            subscription.prepaid_credits = 100  # as a purchase will (ledger row below)
            session.add(CreditEntry(kind="purchase", pool="prepaid", amount=100, balance=100, detail={}))
        async with runtime.db.tenant_session(tenant) as session:
            charge = await consume_credits(session, STARTER_BASE + 30, reason="tracking")
        assert (charge.taken, charge.balance_after, charge.crossed) == (STARTER_BASE + 30, 70, "low")
        async with runtime.db.tenant_session(tenant) as session:
            assert (await consume_credits(session, 500)).taken == 70  # never below zero
            assert (await consume_credits(session, 5)).taken == 0
        async with runtime.db.tenant_session(tenant) as session:
            subscription = await current_subscription(session)
            assert (subscription.base_credits, subscription.prepaid_credits) == (0, 0)
            assert await ledger_sums(session) == {"base": 0, "prepaid": 0}

            rolled = await current_subscription(session, now=subscription.cycle_end)  # the anniversary
            assert (rolled.base_credits, rolled.prepaid_credits) == (STARTER_BASE, 0)
            assert await ledger_sums(session) == {"base": STARTER_BASE, "prepaid": 0}


async def test_concurrent_charges_never_overdraw(client, sign_up, settings):
    owner = await sign_up("Busy panel")
    async with open_runtime(settings) as runtime:
        tenant = uuid.UUID(owner.tenant_id)

        async def charge(n: int) -> int:
            async with runtime.db.tenant_session(tenant) as session:
                return (await consume_credits(session, n)).taken

        taken = await asyncio.gather(*(charge(30) for _ in range(20)))  # 600 wanted, 500 there
        assert sum(taken) == STARTER_BASE
        async with runtime.db.tenant_session(tenant) as session:
            assert (await current_subscription(session)).base_credits == 0
            assert await ledger_sums(session) == {"base": 0}


async def test_without_a_payment_gateway_buying_answers_503_and_webhooks_404(client, sign_up):
    owner = await sign_up("No gateway")
    refused = await client.post("/api/credits/purchases", json={"pack": "small"}, headers=owner.headers)
    assert refused.status_code == 503 and "Payments are not set up" in refused.json()["detail"]
    assert "SUPPORTAI_" not in refused.json()["detail"]  # owners are not told the server's configuration
    assert (await client.post("/payments/webhook", content=b'{"sign":"x"}')).status_code == 404
