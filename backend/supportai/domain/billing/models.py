from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, TenantScoped


class Subscription(TenantScoped, Base):
    """The tenant's plan and current billing cycle: the support-request quota lives here."""

    __tablename__ = "subscriptions"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    plan: Mapped[str] = mapped_column(sa.String(32))
    anchored_at: Mapped[datetime]  # the first cycle's start: anniversaries count from it
    cycle_number: Mapped[int] = mapped_column(default=0)
    cycle_start: Mapped[datetime]
    cycle_end: Mapped[datetime]  # the billing anniversary
    requests_used: Mapped[int] = mapped_column(default=0)
    requests_limit: Mapped[int]  # the plan's requests plus any upgrade bonus this cycle
    allows_overage: Mapped[bool] = mapped_column(default=False)
    quota_alerted_at: Mapped[datetime | None] = mapped_column(default=None)
    # Tracking credits: the plan's base credits for this cycle (they expire at its end),
    # then prepaid ones (they do not). The ledger below explains every change.
    base_credits: Mapped[int] = mapped_column(default=0)
    prepaid_credits: Mapped[int] = mapped_column(default=0)

    @property
    def credits_left(self) -> int:
        return self.base_credits + self.prepaid_credits


class CreditEntry(TenantScoped, Base):
    """One movement of tracking credits; the balances equal the sums of these."""

    __tablename__ = "credit_ledger"
    __table_args__ = (sa.Index(None, "tenant_id", "created_at"),)

    kind: Mapped[str] = mapped_column(sa.String(16))  # grant | consume | expire | purchase | adjust
    pool: Mapped[str] = mapped_column(sa.String(8))  # base | prepaid
    amount: Mapped[int]  # signed: what it added to (or took from) the pool
    balance: Mapped[int]  # the pool's balance after it
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)



class CreditPurchase(TenantScoped, Base):
    """A credit pack bought through the crypto gateway: pending until its webhook says paid."""

    __tablename__ = "credit_purchases"
    __table_args__ = (
        sa.Index(None, "tenant_id", "created_at"),
        # Global on purpose: the gateway's webhook names it before the tenant is known.
        sa.UniqueConstraint("order_id"),
    )

    order_id: Mapped[str] = mapped_column(sa.String(64))  # ours, sent to the gateway
    pack: Mapped[str] = mapped_column(sa.String(16))
    credits: Mapped[int]
    amount_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(8), default="USD")
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")  # pending | paid | failed
    gateway_uuid: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    gateway_status: Mapped[str | None] = mapped_column(sa.String(32), default=None)  # the latest seen
    payment_url: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    paid_at: Mapped[datetime | None] = mapped_column(default=None)