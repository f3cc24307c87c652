"""The plans of the brief, as data. Prices in US cents."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class PlanCode(StrEnum):
    STARTER = "starter"
    GROWTH = "growth"
    SCALE = "scale"
    ENTERPRISE = "enterprise"


class Plan(msgspec.Struct, frozen=True):
    code: PlanCode
    name: str
    price_cents: int
    requests_per_cycle: int
    base_credits: int
    # Enterprise only: past the limit requests are counted and billed per block, never blocked.
    overage_block_requests: int | None = None
    overage_block_price_cents: int | None = None

    @property
    def allows_overage(self) -> bool:
        return self.overage_block_requests is not None


PLANS: dict[PlanCode, Plan] = {
    plan.code: plan
    for plan in (
        Plan(code=PlanCode.STARTER, name="Starter", price_cents=2900, requests_per_cycle=50, base_credits=500),
        Plan(code=PlanCode.GROWTH, name="Growth", price_cents=6900, requests_per_cycle=200, base_credits=2000),
        Plan(code=PlanCode.SCALE, name="Scale", price_cents=14900, requests_per_cycle=500, base_credits=6000),
        Plan(
            code=PlanCode.ENTERPRISE, name="Enterprise", price_cents=29900, requests_per_cycle=1000,
            base_credits=20000, overage_block_requests=500, overage_block_price_cents=7900,
        ),
    )
}

DEFAULT_PLAN = PlanCode.STARTER


class CreditPack(msgspec.Struct, frozen=True):
    code: str
    credits: int
    price_cents: int  # USD


# Prepaid tracking credits; they never expire and are used after the base credits.
CREDIT_PACKS: dict[str, CreditPack] = {
    pack.code: pack
    for pack in (
        CreditPack(code="small", credits=1_000, price_cents=900),
        CreditPack(code="medium", credits=5_000, price_cents=3900),
        CreditPack(code="large", credits=15_000, price_cents=9900),
        CreditPack(code="xl", credits=50_000, price_cents=27900),
    )
}

