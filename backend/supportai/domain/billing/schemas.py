from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec

from supportai.domain.billing.models import Invoice, PaymentAttempt
from supportai.domain.billing.plans import Plan
from supportai.domain.requests.schemas import AutomationFigure
from supportai.engine.billing import display


class UsageOut(msgspec.Struct):
    plan: str
    plan_name: str
    status: str  # trialing | active | past_due | lapsed
    blocked_reason: str | None  # quota | lapsed: why new requests are refused right now
    cycle_start: datetime
    cycle_end: datetime
    requests_used: int
    requests_limit: int
    requests_left: int
    overage_requests: int
    overage_blocks: int
    blocked_requests: int  # requests refused this cycle because the quota was used up
    automation: AutomationFigure  # this cycle's automated resolution rate, human touches, wrong actions


class CreditEntryOut(msgspec.Struct):
    at: datetime
    kind: str  # grant | consume | expire | purchase | adjust
    pool: str  # base | prepaid
    amount: int
    balance: int  # the pool's balance after this entry
    detail: dict[str, Any]


class CreditPackOut(msgspec.Struct):
    code: str  # what POST /api/credits/purchases takes
    credits: int
    price_cents: int  # USD


class CreditsOut(msgspec.Struct):
    """Tracking credits: base ones (this cycle's, they expire) are used before prepaid ones."""

    base: int
    prepaid: int
    total: int
    low: bool  # below the warning threshold (500)
    entries: list[CreditEntryOut]  # newest first
    packs: list[CreditPackOut]  # what can be bought


class PurchaseIn(msgspec.Struct, forbid_unknown_fields=True):
    pack: str  # small | medium | large | xl
    gateway: str | None = None  # cryptomus | nowpayments; default: the server's first


class PurchaseOut(msgspec.Struct):
    id: uuid.UUID
    pack: str
    credits: int
    amount: str  # "9.00"
    currency: str
    status: str  # pending | paid | failed | expired
    payment_url: str | None  # the gateway's page to pay on
    created_at: datetime
    paid_at: datetime | None
    invoice_id: uuid.UUID
    expires_at: datetime | None  # when the current attempt stops being payable

    @classmethod
    def of(cls, invoice: Invoice, attempts: list[PaymentAttempt]) -> PurchaseOut:
        """A pack invoice as a purchase: paid or expired as the invoice is, else as its latest attempt."""
        latest = attempts[0] if attempts else None
        if invoice.status in ("paid", "expired"):
            status = invoice.status
        elif invoice.status == "void":
            status = "failed"
        elif latest is None or latest.status == "short":
            status = "pending"
        else:
            status = latest.status
        return cls(
            id=invoice.id, pack=invoice.pack or "", credits=invoice.credits or 0, amount=display(invoice.total_cents),
            currency=invoice.currency, status=status, payment_url=latest.payment_url if latest else None,
            created_at=invoice.created_at, paid_at=invoice.paid_at, invoice_id=invoice.id,
            expires_at=latest.expires_at if latest else None,
        )


class OverageOut(msgspec.Struct):
    block_requests: int
    block_price_cents: int


class PlanOut(msgspec.Struct):
    code: str  # starter | growth | scale | enterprise
    name: str
    price_cents: int
    requests_per_cycle: int
    base_credits: int
    overage: OverageOut | None

    @classmethod
    def of(cls, plan: Plan) -> PlanOut:
        overage = None
        if plan.overage_block_requests is not None and plan.overage_block_price_cents is not None:
            overage = OverageOut(block_requests=plan.overage_block_requests,
                                 block_price_cents=plan.overage_block_price_cents)
        return cls(code=plan.code, name=plan.name, price_cents=plan.price_cents,
                   requests_per_cycle=plan.requests_per_cycle, base_credits=plan.base_credits, overage=overage)


class InvoiceLineOut(msgspec.Struct):
    kind: str  # plan | proration | overage | credits
    description: str
    quantity: int
    unit_cents: int
    amount_cents: int


class PaymentAttemptOut(msgspec.Struct):
    id: uuid.UUID
    invoice_id: uuid.UUID
    gateway: str
    status: str  # pending | paid | short | failed | expired
    payment_url: str | None
    expires_at: datetime
    created_at: datetime
    paid_at: datetime | None

    @classmethod
    def of(cls, attempt: PaymentAttempt) -> PaymentAttemptOut:
        return cls(
            id=attempt.id, invoice_id=attempt.invoice_id, gateway=attempt.gateway, status=attempt.status,
            payment_url=attempt.payment_url, expires_at=attempt.expires_at, created_at=attempt.created_at,
            paid_at=attempt.paid_at,
        )


class InvoiceOut(msgspec.Struct):
    id: uuid.UUID
    number: str  # INV-000123
    kind: str  # subscription | upgrade | renewal | credits
    status: str  # open | paid | expired | void
    total_cents: int
    total: str  # "378.00"
    currency: str
    lines: list[InvoiceLineOut]
    period_start: datetime | None
    period_end: datetime | None
    due_at: datetime | None
    created_at: datetime
    paid_at: datetime | None
    payment_url: str | None  # the current pending attempt's
    attempts: list[PaymentAttemptOut]

    @classmethod
    def of(cls, invoice: Invoice, attempts: list[PaymentAttempt]) -> InvoiceOut:
        pending = next((a for a in attempts if a.status == "pending" and a.payment_url), None)
        return cls(
            id=invoice.id, number=invoice.label, kind=invoice.kind, status=invoice.status,
            total_cents=invoice.total_cents, total=display(invoice.total_cents), currency=invoice.currency,
            lines=[InvoiceLineOut(**line) for line in invoice.lines], period_start=invoice.period_start,
            period_end=invoice.period_end, due_at=invoice.due_at, created_at=invoice.created_at,
            paid_at=invoice.paid_at, payment_url=pending.payment_url if pending and invoice.status == "open" else None,
            attempts=[PaymentAttemptOut.of(a) for a in attempts],
        )


class NextRenewalOut(msgspec.Struct):
    at: datetime
    plan: str
    amount_cents: int


class ScheduledChangeOut(msgspec.Struct):
    plan: str
    effective_at: datetime


class SubscriptionOut(msgspec.Struct):
    plan: PlanOut
    status: str  # trialing | active | past_due | lapsed
    billing_enforced: bool  # false: no payment gateway here, plans renew without invoices
    trial_ends_at: datetime | None
    cycle_start: datetime
    cycle_end: datetime  # the next anniversary
    next_renewal: NextRenewalOut | None
    scheduled_change: ScheduledChangeOut | None
    requests_used: int
    requests_limit: int
    requests_left: int
    blocked_reason: str | None  # quota | lapsed
    open_invoices: list[InvoiceOut]  # newest first
    gateways: list[str]


class PlanChangeIn(msgspec.Struct, forbid_unknown_fields=True):
    plan: str
    gateway: str | None = None


class PlanChangeOut(msgspec.Struct):
    change: str  # upgrade | downgrade | trial_plan
    subscription: SubscriptionOut
    invoice: InvoiceOut | None
    payment_url: str | None


class PayIn(msgspec.Struct, forbid_unknown_fields=True):
    gateway: str | None = None
