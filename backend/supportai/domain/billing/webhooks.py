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
from supportai.integrations.payments import PaymentNotice
from supportai.runtime import Runtime

# What a notice may turn a not-yet-paid attempt into (a short payment can still be completed).
_CAN_BECOME = {"short": {"pending"}, "failed": {"pending", "short"}, "expired": {"pending", "short"}}


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
            return _move(session, attempt, invoice, "short")
        attempt.status, attempt.paid_at = "paid", now
        invoice.status, invoice.paid_at = "paid", now
        record(session, "invoice.paid", actor=None, tenant_id=invoice.tenant_id, target=invoice.label,
               gateway=gateway, order_id=attempt.order_id, total_cents=invoice.total_cents)
        apply_paid_invoice(session, subscription, invoice, now)
        return "paid"
    return _move(session, attempt, invoice, notice.state)


def _move(session: AsyncSession, attempt: PaymentAttempt, invoice: Invoice, state: str) -> str:
    if attempt.status in _CAN_BECOME.get(state, set()):
        if state == "expired":
            expire_attempt(session, attempt, invoice)
        else:
            attempt.status = state
            record(session, "payment." + state, actor=None, tenant_id=invoice.tenant_id, target=invoice.label,
                   order_id=attempt.order_id)
    return attempt.status
