"""Deciding: a message's requests, one per order it names, in one transaction.

For the batch: the orders are locked (the open-request check, one at a time per order),
earlier requests about them are read (`duplicates.py`: duplicates, superseded ones,
refills assumed done, repeats within the cooldown), and the quota is charged for all the
new requests in one statement. Then each order is decided on its own: ownership, exclusion,
and the engine's decision, which a forwarded request is tracked from.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.audit.service import record
from supportai.domain.billing.models import Subscription
from supportai.domain.billing.service import (
    consume_requests,
    current_subscription,
    should_alert_quota,
)
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify
from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import (
    Message,
    SupportRequest,
)
from supportai.domain.requests.order_locks import lock_orders
from supportai.domain.services.models import Service
from supportai.domain.services.service import policy_for
from supportai.domain.support.duplicates import earlier_requests, reopen, supersede
from supportai.domain.tenants.models import TenantSettings
from supportai.engine.billing import Status
from supportai.engine.decisions import (
    DecisionInput,
    Intent,
    OrderFacts,
    OrderStatus,
    Outcome,
    RequestStatus,
    ServicePolicy,
    decide,
    request_status,
)
from supportai.engine.refill_policy import refill_days_from_name
from supportai.engine.templates import reply_facts
from supportai.engine.tracking import Baseline
from supportai.engine.understanding import OrderIntent, Understanding
from supportai.integrations.panel import PanelOrder

QUOTA_WARNING_SHARE = 0.8  # the owner is told once per cycle when this share of the quota is used


@dataclass
class QuotaCharge:
    """The quota for a message's new requests, charged for the batch at once."""

    subscription: Subscription
    open_for: dict[str, list[SupportRequest]]  # open requests of other messages, per order (same intent)
    duplicate: set[str]  # orders with such a request that is not waiting for the customer
    repeated: set[str]  # orders the customer was answered about within the cooldown: no quota
    assumed: dict[str, list[SupportRequest]]  # refills resolved as assumed lately: reopened, no quota
    lapsed: bool  # unpaid: no new request is taken in (open ones go on)
    granted: int  # units charged and not yet given to a request
    blocked: bool = False  # some request found no unit


@dataclass(frozen=True)
class OrderContext:
    """What deciding one order needs besides the order itself."""

    message: Message
    counts: dict[str, int]  # live counts, per order id
    services: dict[int, Service]  # by panel service id
    settings: TenantSettings
    now: datetime
    time_scale: float


async def decide_requests(
    session: AsyncSession,
    message: Message,
    understanding: Understanding,
    orders: dict[str, PanelOrder],
    counts: dict[str, int],
    settings: TenantSettings,
    *,
    resumed: bool,
    time_scale: float,
) -> list[SupportRequest]:
    """Make (or, on a resume, complete) the message's requests; returns all of them.

    Everything is read first and the quota charged for all orders in one statement, so the
    new rows are written in one batch at the end of the transaction."""
    existing = list(await session.scalars(
        sa.select(SupportRequest).where(SupportRequest.message_id == message.id).order_by(SupportRequest.created_at)
    )) if resumed else []
    decided = {r.order_id for r in existing}
    if understanding.too_many_orders or (not understanding.orders and understanding.intent != Intent.OTHER):
        return existing  # answered by a notice; no request is made
    if not understanding.orders:
        if None not in decided:
            request = _new_request(session, message, None, Intent.OTHER)
            _settle(session, request, Outcome.ESCALATE, reason="message names no order")
            existing.append(request)
        return existing

    subscription = await current_subscription(session)
    pending = [o for o in understanding.orders if o.id not in decided]
    await lock_orders(session, message.tenant_id, [o.id for o in pending])  # the open-request check, one at a time
    services = await _services_by_panel_id(session, {orders[o.id].service_id for o in pending if o.id in orders})
    charge = await charge_quota(session, subscription, message, pending, settings)
    used = subscription.requests_used + charge.granted
    context = OrderContext(message, counts, services, settings, utcnow(), time_scale)
    made = [decide_order(session, context, item, orders.get(item.id), charge) for item in pending]
    await _tell_owner_of_quota(session, subscription, charge, used)
    return existing + made


async def _tell_owner_of_quota(session: AsyncSession, subscription: Subscription, charge: QuotaCharge,
                               used: int) -> None:
    """Once per cycle each: 80% of the quota used, and the first request it blocked."""
    cycle, limit = f"{subscription.id}:{subscription.cycle_number}", subscription.requests_limit
    if charge.blocked and not charge.lapsed and await should_alert_quota(session, subscription):
        record(session, "quota.exhausted", actor=None, limit=limit)
        await notify(session, OwnerEvent.QUOTA_EXHAUSTED, cycle, "Your request quota is used up",
                     f"All {limit} requests of this cycle are used. New requests wait in the review queue "
                     "until you upgrade or the cycle renews.", "/billing")
    elif limit and used >= QUOTA_WARNING_SHARE * limit and used > subscription.requests_used:  # this one charged
        await notify(session, OwnerEvent.QUOTA_WARNING, cycle, "80% of your request quota is used",
                     f"{used} of {limit} requests used this cycle.", "/billing")


async def charge_quota(
    session: AsyncSession, subscription: Subscription, message: Message, pending: Sequence[OrderIntent],
    settings: TenantSettings,
) -> QuotaCharge:
    """Charge the quota once for the orders that need a new unit: not duplicates, not
    those whose waiting request hands its unit over, not refills assumed done that the
    customer writes about again, and not repeats within the cooldown."""
    earlier = await earlier_requests(session, message, [(o.id, o.intent) for o in pending], settings)
    open_for = {o.id: earlier.open.get((o.id, o.intent), []) for o in pending}
    # Another open request for the same order and intent makes this one a duplicate; one
    # waiting for the customer is superseded instead, handing over its quota unit.
    duplicate = {o for o, rs in open_for.items() if any(r.status != RequestStatus.WAITING_CUSTOMER for r in rs)}
    carried = {o for o, rs in open_for.items() if o not in duplicate and any(r.quota_charged for r in rs)}
    assumed = {o.id: rs for o in pending if (rs := earlier.assumed.get((o.id, o.intent))) and o.id not in duplicate}
    repeated = {o.id for o in pending if (o.id, o.intent) in earlier.answered} - duplicate - carried - set(assumed)
    lapsed = subscription.status == Status.LAPSED
    wanted = len(pending) - len(duplicate) - len(carried) - len(repeated) - len(assumed)
    granted = 0 if lapsed else await consume_requests(session, subscription, wanted)
    return QuotaCharge(subscription, open_for, duplicate, repeated, assumed, lapsed, granted)


def decide_order(
    session: AsyncSession, context: OrderContext, item: OrderIntent, order: PanelOrder | None, charge: QuotaCharge
) -> SupportRequest:
    """The request for one order of the message, decided."""
    message = context.message
    request = _new_request(session, message, item.id, Intent(item.intent))
    if order is not None and order.user.casefold() == message.customer.casefold():
        request.external_order_id = order.external_id
        request.provider = order.provider
        request.service_id = order.service_id
    else:
        order = None  # not found and not owned answer alike: ids cannot be probed
    if item.id in charge.duplicate:
        _settle(session, request, Outcome.DUPLICATE_OPEN_REQUEST)
        return request
    if item.id in charge.assumed:  # the provider may not have acted after all: tracked again
        check_in = context.settings.tracking_interval / context.time_scale
        reopen(session, charge.assumed[item.id], request, context.now, check_in)
        _settle(session, request, Outcome.DUPLICATE_OPEN_REQUEST)
        return request
    if not _pay(session, request, charge):
        return request
    if order is None:
        _settle(session, request, Outcome.ORDER_NOT_FOUND)
        return request
    service = context.services.get(order.service_id)
    if service is not None and service.excluded:
        _settle(session, request, Outcome.ESCALATE, reason="service excluded from automation")
        return request
    _apply_decision(session, context, request, order, service)
    return request


def _pay(session: AsyncSession, request: SupportRequest, charge: QuotaCharge) -> bool:
    """Give the request its quota unit: carried over from the request it supersedes, or
    one of those charged. Without one it is settled as blocked; returns whether it has one."""
    if supersede(session, charge.open_for[request.order_id or ""], request):
        log_event(session, request, "quota_carried_over")
    elif request.order_id in charge.repeated and not charge.lapsed:
        log_event(session, request, "quota_not_charged", reason="asked again within the cooldown")
        return True  # answered afresh from the order as it is now, on the house
    elif charge.granted:
        charge.granted -= 1
        log_event(session, request, "quota_charged")
    else:
        lapsed = charge.lapsed
        _settle(session, request, Outcome.SUBSCRIPTION_LAPSED if lapsed else Outcome.QUOTA_EXCEEDED,
                reason="subscription lapsed: an invoice is unpaid" if lapsed else "request quota used up")
        charge.blocked = True
        return False
    request.quota_charged = True
    return True


def _apply_decision(
    session: AsyncSession, context: OrderContext, request: SupportRequest, order: PanelOrder, service: Service | None
) -> None:
    """The engine's decision for an owned order; a forwarded request is tracked from now on."""
    settings, count = context.settings, context.counts.get(request.order_id or "")
    decision = decide(DecisionInput(
        intent=Intent(request.intent),
        now=context.now,
        service=policy_for(service, settings) if service else _policy_from_name(order, settings),
        order=_order_facts(order, count),
        has_screenshot=context.message.has_attachment,
        tolerance=settings.tolerance,
        refill_partial=settings.refill_partial,
    ))
    request.drop = decision.drop
    request.facts = reply_facts(decision)
    _settle(session, request, decision.outcome, reason="order failed at the panel" if (
        decision.outcome == Outcome.ESCALATE and order.status == OrderStatus.FAILED) else None)
    if request.status == RequestStatus.FORWARDED:  # tracked from now on (domain.requests.tracking)
        request.baseline = msgspec.to_builtins(Baseline(
            status=order.status, remains=order.remains or 0, current_count=count, drop=decision.drop,
        ))
        request.next_check_at = context.now + settings.tracking_interval / context.time_scale


def _new_request(session: AsyncSession, message: Message, order_id: str | None, intent: Intent) -> SupportRequest:
    request = SupportRequest(
        id=uuid.uuid4(), message_id=message.id, customer=message.customer, order_id=order_id, intent=intent,
        facts={},
    )
    session.add(request)
    log_event(session, request, "received", source=message.source, intent=str(intent))
    return request


def _settle(session: AsyncSession, request: SupportRequest, outcome: Outcome, *, reason: str | None = None) -> None:
    request.outcome = outcome
    request.status = request_status(outcome)
    request.reason = reason
    if request.status == RequestStatus.RESOLVED:
        request.resolved_at = utcnow()
    log_event(session, request, "decided", outcome=str(outcome), status=str(request.status), drop=request.drop,
              reason=reason)


async def _services_by_panel_id(session: AsyncSession, service_ids: set[int]) -> dict[int, Service]:
    if not service_ids:
        return {}
    rows = await session.scalars(sa.select(Service).where(Service.panel_service_id.in_(service_ids)))
    return {row.panel_service_id: row for row in rows}


def _policy_from_name(order: PanelOrder, settings: TenantSettings) -> ServicePolicy:
    """For a service not in the catalogue yet: what its name promises, default otherwise."""
    detection = refill_days_from_name(order.service_name or "", settings.lifetime_cap_days)
    return ServicePolicy(refill_days=detection.days, cancel_allowed=True)


def _order_facts(order: PanelOrder, current_count: int | None) -> OrderFacts:
    return OrderFacts(
        status=OrderStatus(order.status),
        created_at=order.created,
        start_count=order.start_count or 0,
        quantity=order.quantity or 0,
        remains=order.remains or 0,
        current_count=current_count,
    )
