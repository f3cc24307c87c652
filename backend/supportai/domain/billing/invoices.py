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
from supportai.domain.billing.schemas import InvoiceLineOut, InvoiceOut, PaymentAttemptOut
from supportai.engine.billing import Line, display, total
from supportai.errors import Conflict, NotFound, UpstreamUnavailable
from supportai.integrations.payments import PaymentError
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
        record(session, "invoice.issued", actor=None, tenant_id=tenant_id, target=number_of(invoice), kind=kind,
               total_cents=invoice.total_cents)
        return invoice
    raise Conflict("Invoices are being issued at the same moment; try again.")


def number_of(invoice: Invoice) -> str:
    return f"INV-{invoice.number:06d}"


async def void_open(session: AsyncSession, tenant_id: uuid.UUID, kinds: tuple[str, ...], reason: str) -> None:
    """Close the tenant's unpaid invoices of these kinds (superseded by a new one)."""
    for invoice in await session.scalars(sa.select(Invoice).where(
        Invoice.tenant_id == tenant_id, Invoice.kind.in_(kinds), Invoice.status.in_(PAYABLE)
    ).with_for_update()):
        invoice.status = "void"
        record(session, "invoice.voided", actor=None, tenant_id=tenant_id, target=number_of(invoice), reason=reason)


def expire_attempt(session: AsyncSession, attempt: PaymentAttempt, invoice: Invoice) -> None:
    """The attempt can no longer be paid. A pack or upgrade invoice expires with it (it can be
    paid again through a new attempt); plan and renewal invoices stay open until paid or void."""
    attempt.status = "expired"
    record(session, "payment.expired", actor=None, tenant_id=invoice.tenant_id, target=number_of(invoice),
           order_id=attempt.order_id)
    if invoice.kind in ("credits", "upgrade") and invoice.status == "open":
        invoice.status = "expired"
        record(session, "invoice.expired", actor=None, tenant_id=invoice.tenant_id, target=number_of(invoice))


async def attempts_of(session: AsyncSession, invoice_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[PaymentAttempt]]:
    found: dict[uuid.UUID, list[PaymentAttempt]] = {i: [] for i in invoice_ids}
    if invoice_ids:
        for attempt in await session.scalars(sa.select(PaymentAttempt).where(
            PaymentAttempt.invoice_id.in_(invoice_ids)).order_by(PaymentAttempt.created_at.desc())):
            found[attempt.invoice_id].append(attempt)
    return found


def attempt_out(attempt: PaymentAttempt) -> PaymentAttemptOut:
    return PaymentAttemptOut(
        id=attempt.id, invoice_id=attempt.invoice_id, gateway=attempt.gateway, status=attempt.status,
        payment_url=attempt.payment_url, expires_at=attempt.expires_at, created_at=attempt.created_at,
        paid_at=attempt.paid_at,
    )


def invoice_out(invoice: Invoice, attempts: list[PaymentAttempt]) -> InvoiceOut:
    pending = next((a for a in attempts if a.status == "pending" and a.payment_url), None)
    return InvoiceOut(
        id=invoice.id, number=number_of(invoice), kind=invoice.kind, status=invoice.status,
        total_cents=invoice.total_cents, total=display(invoice.total_cents), currency=invoice.currency,
        lines=[InvoiceLineOut(**line) for line in invoice.lines], period_start=invoice.period_start,
        period_end=invoice.period_end, due_at=invoice.due_at, created_at=invoice.created_at, paid_at=invoice.paid_at,
        payment_url=pending.payment_url if pending and invoice.status == "open" else None,
        attempts=[attempt_out(a) for a in attempts],
    )


async def invoices_out(session: AsyncSession, invoices: list[Invoice]) -> list[InvoiceOut]:
    attempts = await attempts_of(session, [i.id for i in invoices])
    return [invoice_out(i, attempts[i.id]) for i in invoices]


async def list_invoices(session: AsyncSession, status: str | None, limit: int) -> list[InvoiceOut]:
    query = sa.select(Invoice).order_by(Invoice.created_at.desc(), Invoice.number.desc()).limit(limit)
    if status:
        query = query.where(Invoice.status == status)
    return await invoices_out(session, list(await session.scalars(query)))


async def get_invoice(session: AsyncSession, invoice_id: uuid.UUID) -> InvoiceOut:
    invoice = await session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound("No such invoice.")
    return (await invoices_out(session, [invoice]))[0]


async def pay(
    runtime: Runtime, session: AsyncSession, actor: Principal, invoice_id: uuid.UUID, gateway_name: str | None,
    now: datetime | None = None,
) -> PaymentAttempt:
    """The invoice's current unexpired attempt on the gateway, or a new one (its page made by
    the gateway). The attempt is committed before the gateway is asked, so its webhook finds it."""
    now = now or datetime.now(UTC)
    gateway = chosen_gateway(runtime, gateway_name)
    invoice = await session.scalar(sa.select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if invoice is None:
        raise NotFound("No such invoice.")
    if invoice.status not in PAYABLE:
        raise Conflict(f"Invoice {number_of(invoice)} is {invoice.status}: there is nothing to pay.")
    invoice.status = "open"  # an expired one is payable again
    current = await session.scalar(sa.select(PaymentAttempt).where(
        PaymentAttempt.invoice_id == invoice.id, PaymentAttempt.gateway == gateway.name,
        PaymentAttempt.status == "pending", PaymentAttempt.expires_at > now, PaymentAttempt.payment_url.is_not(None),
    ).order_by(PaymentAttempt.created_at.desc()).limit(1))
    if current is not None:
        return current
    attempt = PaymentAttempt(
        invoice_id=invoice.id, gateway=gateway.name, order_id=f"{invoice.kind}-{uuid.uuid4().hex}",
        amount_cents=invoice.total_cents, currency=invoice.currency, expires_at=now + gateway.lifetime,
    )
    session.add(attempt)
    await session.commit()
    try:
        made = await gateway.create_invoice(
            order_id=attempt.order_id, amount=Decimal(invoice.total_cents) / 100, currency=invoice.currency,
            callback_url=runtime.settings.public_base_url + WEBHOOK_PATHS[gateway.name],
            return_url=f"{runtime.settings.public_base_url}/billing",
        )
    except PaymentError as exc:
        attempt.status, attempt.gateway_status = "failed", "no invoice"
        await session.commit()  # kept, closed: the owner sees the attempt, and may try again
        raise UpstreamUnavailable(f"The payment gateway did not create the invoice: {exc}") from exc
    attempt.gateway_uuid, attempt.payment_url = made.uuid, made.url
    record(session, "payment.started", actor=actor, target=number_of(invoice), gateway=gateway.name,
           order_id=attempt.order_id)
    return attempt
