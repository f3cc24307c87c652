"""Credit packs, bought as invoices of kind `credits` (the buyCredits / listCreditPurchases API)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.billing import invoices
from supportai.domain.billing.gateways import chosen_gateway
from supportai.domain.billing.models import Invoice, PaymentAttempt
from supportai.domain.billing.plans import CREDIT_PACKS
from supportai.domain.billing.schemas import PurchaseOut
from supportai.engine.billing import Line, display
from supportai.errors import InvalidInput
from supportai.runtime import Runtime


async def start_purchase(
    runtime: Runtime, session: AsyncSession, actor: Principal, pack_code: str, gateway: str | None
) -> PurchaseOut:
    """The pack's invoice and its first payment attempt; the owner pays on the gateway's page."""
    pack = CREDIT_PACKS.get(pack_code)
    if pack is None:
        raise InvalidInput(f"No credit pack is called {pack_code!r} (one of: {', '.join(CREDIT_PACKS)}).",
                           field="pack")
    chosen_gateway(runtime, gateway)  # 503 / 400 before anything is issued
    line = Line("credits", f"{pack.credits:,} tracking credits ({pack.code} pack)", 1, pack.price_cents)
    invoice = await invoices.issue(session, actor.tenant_id, "credits", [line], pack=pack.code, credits=pack.credits)
    record(session, "credits.purchase_started", actor=actor, target=pack.code, invoice=invoices.number_of(invoice))
    attempt = await invoices.pay(runtime, session, actor, invoice.id, gateway)
    return purchase_out(invoice, [attempt])


async def purchases(session: AsyncSession, limit: int) -> list[PurchaseOut]:
    rows = list(await session.scalars(
        sa.select(Invoice).where(Invoice.kind == "credits").order_by(Invoice.created_at.desc()).limit(limit)
    ))
    attempts = await invoices.attempts_of(session, [i.id for i in rows])
    return [purchase_out(i, attempts[i.id]) for i in rows]


def purchase_out(invoice: Invoice, attempts: list[PaymentAttempt]) -> PurchaseOut:
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
    return PurchaseOut(
        id=invoice.id, pack=invoice.pack or "", credits=invoice.credits or 0, amount=display(invoice.total_cents),
        currency=invoice.currency, status=status, payment_url=latest.payment_url if latest else None,
        created_at=invoice.created_at, paid_at=invoice.paid_at, invoice_id=invoice.id,
        expires_at=latest.expires_at if latest else None,
    )
