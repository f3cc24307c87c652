"""Invoices and their payment attempts: issuing, listing, and starting a payment on a gateway."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.billing.gateways import WEBHOOK_PATHS, chosen_gateway
from supportai.domain.billing.models import Invoice, PaymentAttempt
from supportai.domain.billing.schemas import InvoiceOut
from supportai.engine.billing import Line, total
from supportai.errors import Conflict, NotFound, UpstreamUnavailable
from supportai.integrations.payments import PaymentError, PaymentGateway
from supportai.runtime import Runtime

PAYABLE = ("open", "expired")  # an expired invoice is paid again through a new attempt


async def issue(
    session: AsyncSession, tenant_id: uuid.UUID, kind: str, lines: list[Line], **fields: object
) -> Invoice:
    """A new open invoice, numbered next for its tenant (a concurrent one retries the number)."""
    for _ in range(5):
        number = await session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(Invoice.number), 0) + 1).where(Invoice.tenant_id == tenant_id)
        )
        invoice = Invoice(tenant_id=tenant_id, number=number, kind=kind, total_cents=total(lines),
                          lines=[{**asdict(line), "amount_cents": line.amount_cents} for line in lines], **fields)
        try:
            async with session.begin_nested():
                session.add(invoice)
        except IntegrityError:
            continue
        record(session, "invoice.issued", actor=None, tenant_id=tenant_id, target=invoice.label, kind=kind,
               total_cents=invoice.total_cents)
        return invoice
    raise Conflict("Invoices are being issued at the same moment; try again.")


async def void_open(session: AsyncSession, tenant_id: uuid.UUID, kinds: tuple[str, ...], reason: str) -> None:
    """Close the tenant's unpaid invoices of these kinds (superseded by a new one)."""
    for invoice in await session.scalars(sa.select(Invoice).where(
        Invoice.tenant_id == tenant_id, Invoice.kind.in_(kinds), Invoice.status.in_(PAYABLE)
    ).with_for_update()):
        invoice.status = "void"
        record(session, "invoice.voided", actor=None, tenant_id=tenant_id, target=invoice.label, reason=reason)


def expire_attempt(session: AsyncSession, attempt: PaymentAttempt, invoice: Invoice) -> None:
    """The attempt can no longer be paid. A pack or upgrade invoice expires with it (it can be
    paid again through a new attempt); plan and renewal invoices stay open until paid or void."""
    attempt.status = "expired"
    record(session, "payment.expired", actor=None, tenant_id=invoice.tenant_id, target=invoice.label,
           order_id=attempt.order_id)
    if invoice.kind in ("credits", "upgrade") and invoice.status == "open":
        invoice.status = "expired"
        record(session, "invoice.expired", actor=None, tenant_id=invoice.tenant_id, target=invoice.label)


async def attempts_of(session: AsyncSession, invoice_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[PaymentAttempt]]:
    found: dict[uuid.UUID, list[PaymentAttempt]] = {i: [] for i in invoice_ids}
    if invoice_ids:
        for attempt in await session.scalars(sa.select(PaymentAttempt).where(
            PaymentAttempt.invoice_id.in_(invoice_ids)).order_by(PaymentAttempt.created_at.desc())):
            found[attempt.invoice_id].append(attempt)
    return found


async def invoices_with_attempts(session: AsyncSession, invoices: list[Invoice]) -> list[InvoiceOut]:
    attempts = await attempts_of(session, [i.id for i in invoices])
    return [InvoiceOut.of(i, attempts[i.id]) for i in invoices]


async def list_invoices(session: AsyncSession, status: str | None, limit: int) -> list[InvoiceOut]:
    query = sa.select(Invoice).order_by(Invoice.created_at.desc(), Invoice.number.desc()).limit(limit)
    if status:
        query = query.where(Invoice.status == status)
    return await invoices_with_attempts(session, list(await session.scalars(query)))


async def get_invoice(session: AsyncSession, invoice_id: uuid.UUID) -> InvoiceOut:
    invoice = await session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound("No such invoice.")
    return (await invoices_with_attempts(session, [invoice]))[0]


async def pay(
    runtime: Runtime, actor: Principal, invoice_id: uuid.UUID, gateway_name: str | None, now: datetime | None = None,
) -> PaymentAttempt:
    """The invoice's current unexpired attempt on the gateway, or a new one (its page made by
    the gateway). The attempt is committed before the gateway is asked, so its webhook finds
    it, and no transaction is held open across the call."""
    now = now or datetime.now(UTC)
    gateway = chosen_gateway(runtime, gateway_name)
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        attempt, invoice, is_new = await _attempt_for(uow.session, invoice_id, gateway, now)
        await uow.commit()
    if not is_new:
        return attempt
    try:
        made = await gateway.create_invoice(
            order_id=attempt.order_id, amount=Decimal(invoice.total_cents) / 100, currency=invoice.currency,
            callback_url=runtime.settings.public_base_url + WEBHOOK_PATHS[gateway.name],
            return_url=f"{runtime.settings.public_base_url}/billing",
        )
    except PaymentError as exc:
        async with runtime.db.unit_of_work(actor.tenant_id) as uow:
            attempt = await uow.session.merge(attempt, load=False)
            attempt.status, attempt.gateway_status = "failed", "no invoice"
            await uow.commit()  # kept, closed: the owner sees the attempt, and may try again
        raise UpstreamUnavailable(f"The payment gateway did not create the invoice: {exc}") from exc
    async with runtime.db.unit_of_work(actor.tenant_id) as uow:
        attempt = await uow.session.merge(attempt, load=False)
        attempt.gateway_uuid, attempt.payment_url = made.uuid, made.url
        record(uow.session, "payment.started", actor=actor, target=invoice.label, gateway=gateway.name,
               order_id=attempt.order_id)
        await uow.session.flush()
        await uow.session.refresh(attempt)  # the columns the database filled in, for the answer
        await uow.commit()
    return attempt


async def _attempt_for(
    session: AsyncSession, invoice_id: uuid.UUID, gateway: PaymentGateway, now: datetime
) -> tuple[PaymentAttempt, Invoice, bool]:
    """The invoice's pending attempt with a page on the gateway, or a new one (True)."""
    invoice = await session.scalar(sa.select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if invoice is None:
        raise NotFound("No such invoice.")
    if invoice.status not in PAYABLE:
        raise Conflict(f"Invoice {invoice.label} is {invoice.status}: there is nothing to pay.")
    invoice.status = "open"  # an expired one is payable again
    current = await session.scalar(sa.select(PaymentAttempt).where(
        PaymentAttempt.invoice_id == invoice.id, PaymentAttempt.gateway == gateway.name,
        PaymentAttempt.status == "pending", PaymentAttempt.expires_at > now, PaymentAttempt.payment_url.is_not(None),
    ).order_by(PaymentAttempt.created_at.desc()).limit(1))
    if current is not None:
        return current, invoice, False
    attempt = PaymentAttempt(
        invoice_id=invoice.id, gateway=gateway.name, order_id=f"{invoice.kind}-{uuid.uuid4().hex}",
        amount_cents=invoice.total_cents, currency=invoice.currency, expires_at=now + gateway.lifetime,
    )
    session.add(attempt)
    return attempt, invoice, True
