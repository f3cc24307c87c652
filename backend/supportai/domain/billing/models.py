from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, JSONDocument, TenantScoped


class Subscription(TenantScoped, Base):
    """The tenant's plan and current billing cycle: the support-request quota lives here."""

    __tablename__ = "subscriptions"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    plan: Mapped[str] = mapped_column(sa.String(32))
    # engine.billing.Status. `billed` is False in self-hosted mode (no payment gateway):
    # then cycles roll over as if paid; the billing cron keeps it in step with the server.
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    billed: Mapped[bool] = mapped_column(default=False)
    trial_ends_at: Mapped[datetime | None] = mapped_column(default=None)
    grace_ends_at: Mapped[datetime | None] = mapped_column(default=None)  # while past due
    lapsed_at: Mapped[datetime | None] = mapped_column(default=None)
    scheduled_plan: Mapped[str | None] = mapped_column(sa.String(32), default=None)  # a downgrade at the anniversary
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


class Invoice(TenantScoped, Base):
    """What an owner owes: a plan (the trial's first invoice), an upgrade's proration, a
    renewal (with any overage) or a credit pack. Paid through one of its attempts."""

    __tablename__ = "invoices"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "number"), sa.Index(None, "tenant_id", "created_at"))

    number: Mapped[int]  # per tenant: INV-000001, …
    kind: Mapped[str] = mapped_column(sa.String(16))  # subscription | upgrade | renewal | credits
    status: Mapped[str] = mapped_column(sa.String(16), default="open")  # open | paid | expired | void
    currency: Mapped[str] = mapped_column(sa.String(8), default="USD")
    total_cents: Mapped[int]
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)  # engine.billing.Line as dicts
    plan: Mapped[str | None] = mapped_column(sa.String(32), default=None)  # the plan it pays for
    pack: Mapped[str | None] = mapped_column(sa.String(16), default=None)  # credits: the pack
    credits: Mapped[int | None] = mapped_column(default=None)
    period_start: Mapped[datetime | None] = mapped_column(default=None)
    period_end: Mapped[datetime | None] = mapped_column(default=None)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    paid_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def label(self) -> str:
        """The number as the owner reads it: INV-000123."""
        return f"INV-{self.number:06d}"


class PaymentAttempt(TenantScoped, Base):
    """One try at paying an invoice on one gateway: pending until its webhook says how it went."""

    __tablename__ = "payment_attempts"
    __table_args__ = (
        sa.Index(None, "tenant_id", "invoice_id"),
        sa.Index(None, "status", "expires_at"),  # the cron's expiry sweep
        # Global on purpose: the gateway's webhook names it before the tenant is known.
        sa.UniqueConstraint("order_id"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("invoices.id", ondelete="CASCADE"))
    gateway: Mapped[str] = mapped_column(sa.String(16))  # cryptomus | nowpayments
    order_id: Mapped[str] = mapped_column(sa.String(64))  # ours, sent to the gateway
    amount_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(8), default="USD")
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")  # pending | paid | short | failed | expired
    gateway_uuid: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    gateway_status: Mapped[str | None] = mapped_column(sa.String(32), default=None)  # the latest seen
    payment_url: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    expires_at: Mapped[datetime]
    paid_at: Mapped[datetime | None] = mapped_column(default=None)
