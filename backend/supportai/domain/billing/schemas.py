from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec


class UsageOut(msgspec.Struct):
    plan: str
    plan_name: str
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


class PurchaseOut(msgspec.Struct):
    id: uuid.UUID
    pack: str
    credits: int
    amount: str  # "9.00"
    currency: str
    status: str  # pending | paid | failed
    payment_url: str | None  # the gateway's page to pay on
    created_at: datetime
    paid_at: datetime | None
