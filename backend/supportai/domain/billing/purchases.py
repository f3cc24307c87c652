"""Credit packs, bought as invoices of kind `credits` (the buyCredits / listCreditPurchases API)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.billing import invoices
from supportai.domain.billing.gateways import chosen_gateway
from supportai.domain.billing.models import Invoice
from supportai.domain.billing.plans import CREDIT_PACKS
from supportai.domain.billing.schemas import PurchaseOut
from supportai.engine.billing import Line
from supportai.errors import InvalidInput
from supportai.runtime import Runtime


async def start_purchase(runtime: Runtime, actor: Principal, pack_code: str, gateway: str | None) -> PurchaseOut:
    """The pack's invoice and its first payment attempt; the owner pays on the gateway's page.
    The invoice is committed first: paying it commits steps of its own (`invoices.pay`)."""
    pack = CREDIT_PACKS.get(pack_code)
    if pack is None:
        raise InvalidInput(f"No credit pack is called {pack_code!r} (one of: {', '.join(CREDIT_PACKS)}).",
                           field="pack")
    chosen_gateway(runtime, gateway)  # 503 / 400 before anything is issued
    line = Line("credits", f"{pack.credits:,} tracking credits ({pack.code} pack)", 1, pack.price_cents)
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        invoice = await invoices.issue(uow.session, actor.tenant_id, "credits", [line], pack=pack.code,
                                       credits=pack.credits)
        record(uow.session, "credits.purchase_started", actor=actor, target=pack.code,
               invoice=invoice.label)
        await uow.commit()
    attempt = await invoices.pay(runtime, actor, invoice.id, gateway)
    return PurchaseOut.of(invoice, [attempt])


async def purchases(session: AsyncSession, limit: int) -> list[PurchaseOut]:
    rows = list(await session.scalars(
        sa.select(Invoice).where(Invoice.kind == "credits").order_by(Invoice.created_at.desc()).limit(limit)
    ))
    attempts = await invoices.attempts_of(session, [i.id for i in rows])
    return [PurchaseOut.of(i, attempts[i.id]) for i in rows]
