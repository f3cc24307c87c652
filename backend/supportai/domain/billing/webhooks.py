"""Applying a verified payment notice, once. The attempt's, the subscription's and the
invoice's rows are locked (`FOR UPDATE`), so the same paid notice delivered many times at once is applied by one of
them; the others find the invoice paid. Notices may come in any order: a late "waiting"
never undoes a payment."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.billing.invoices import expire_attempt
from supportai.domain.billing.models import Invoice, PaymentAttempt, Subscription
from supportai.domain.billing.subscriptions import apply_paid_invoice
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify
from supportai.domain.webhooks.events import EventType, emit
from supportai.integrations.payments import PaymentNotice
from supportai.runtime import Runtime

# What a notice may turn a not-yet-paid attempt into (a short payment can still be completed).
_CAN_BECOME = {"short": {"pending"}, "failed": {"pending", "short"}, "expired": {"pending", "short"}}
_FAILED = {"short": "arrived short and was not applied", "failed": "failed"}  # what the owner is told


async def apply_notice(runtime: Runtime, gateway: str, notice: PaymentNotice, now: datetime | None = None) -> str:
    """Returns the outcome: paid, already paid, short, pending, failed, expired or unknown."""
    async with runtime.db.unit_of_work(None) as uow:  # the tenant is known from the attempt
        outcome = await _apply(uow.session, gateway, notice, now or datetime.now(UTC))
        await uow.commit()
    return outcome


async def _apply(session: AsyncSession, gateway: str, notice: PaymentNotice, now: datetime) -> str:
    attempt = await session.scalar(sa.select(PaymentAttempt).where(
        PaymentAttempt.order_id == notice.order_id, PaymentAttempt.gateway == gateway).with_for_update())
    if attempt is None:
        return "unknown"
    # Locked in the order plan changes lock them (subscription, then invoice): no deadlock.
    subscription = await session.scalar(
        sa.select(Subscription).where(Subscription.tenant_id == attempt.tenant_id).with_for_update()
    )
    invoice = await session.scalar(sa.select(Invoice).where(Invoice.id == attempt.invoice_id).with_for_update())
    assert invoice is not None and subscription is not None
    attempt.gateway_status = notice.status
    attempt.gateway_uuid = attempt.gateway_uuid or notice.uuid
    if invoice.status in ("paid", "void"):
        return "already " + invoice.status
    if notice.state == "paid":
        if notice.currency.upper() != attempt.currency or notice.amount * 100 < attempt.amount_cents:
            return await _move(session, attempt, invoice, "short")
        attempt.status, attempt.paid_at = "paid", now
        invoice.status, invoice.paid_at = "paid", now
        record(session, "invoice.paid", actor=None, tenant_id=invoice.tenant_id, target=invoice.label,
               gateway=gateway, order_id=attempt.order_id, total_cents=invoice.total_cents)
        apply_paid_invoice(session, subscription, invoice, now)
        await notify(session, OwnerEvent.PAYMENT_CONFIRMED, str(invoice.id), f"Payment received for {invoice.label}",
                     f"{invoice.total_cents / 100:.2f} {attempt.currency} paid through {gateway}. Thank you!",
                     "/billing", tenant_id=invoice.tenant_id)
        emit(session, invoice.tenant_id, EventType.PAYMENT_CONFIRMED, {  # to the owner's webhook endpoints
            "invoice_id": str(invoice.id), "invoice": invoice.label, "total_cents": invoice.total_cents,
            "currency": attempt.currency, "gateway": gateway, "paid_at": now.isoformat()})
        return "paid"
    return await _move(session, attempt, invoice, notice.state)


async def _move(session: AsyncSession, attempt: PaymentAttempt, invoice: Invoice, state: str) -> str:
    if attempt.status in _CAN_BECOME.get(state, set()):
        if state == "expired":
            expire_attempt(session, attempt, invoice)
        else:
            attempt.status = state
            record(session, "payment." + state, actor=None, tenant_id=invoice.tenant_id, target=invoice.label,
                   order_id=attempt.order_id)
            if state in _FAILED:
                await notify(session, OwnerEvent.PAYMENT_FAILED, f"{attempt.id}:{state}",
                             f"Payment for {invoice.label} {_FAILED[state]}",
                             f"The {attempt.gateway} payment of {attempt.amount_cents / 100:.2f} {attempt.currency} "
                             f"{_FAILED[state]}. You can pay the invoice again from Billing.", "/billing",
                             tenant_id=invoice.tenant_id)
    return attempt.status
