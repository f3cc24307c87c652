from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec


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
