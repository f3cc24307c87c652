"""Follow-up monitoring (rules.md, "Provider dispatch and follow-up").

Every forwarded request is checked each tracking interval (default 6 h) until the
provider has acted: then the customer is told. Without progress after the follow-up
window (default 24 h) the provider is reminded over Telegram, in the same form as the
request; after the last reminder (default 3) the owner takes over. Each check costs one
tracking credit per order; at 0 credits tracking pauses, losing nothing (due requests
stay due), and resumes by itself once there are credits again.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import msgspec
import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.billing.service import consume_credits, current_subscription
from supportai.domain.dispatch.customer import reply_bot, send_to_customer
from supportai.domain.dispatch.service import schedule_dispatch
from supportai.domain.requests.events import escalate, log_event
from supportai.domain.requests.models import (
    WITH_PROVIDER,
    Message,
    RequestEvent,
    Source,
    SupportRequest,
)
from supportai.domain.requests.pipeline import PROVIDER_ACTION, live_counts, queue_dispatch
from supportai.domain.setup.models import PanelConnection, ProviderAccount
from supportai.domain.setup.service import PanelClients, clients_for, provider_client
from supportai.domain.telegram.bots import notify_owner
from supportai.domain.telegram.models import TelegramBot
from supportai.domain.templates.service import tenant_templates
from supportai.domain.tenants.models import TenantSettings
from supportai.domain.tenants.service import get_settings
from supportai.engine.decisions import Intent, Outcome, RequestStatus
from supportai.engine.templates import Notice, render_combined_reply
from supportai.engine.tracking import Baseline, Snapshot, Step, has_progressed, next_step
from supportai.integrations.provider import ProviderError
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.tracking")

MAX_CHECKS_PER_RUN = 500  # more wait for the next run
DONE_NOTICE = {
    Intent.REFILL: Notice.REFILL_DONE, Intent.CANCEL: Notice.CANCEL_DONE, Intent.SPEED_UP: Notice.SPEED_UP_DONE,
}


@dataclass
class TrackingRun:
    checked: int = 0
    resolved: int = 0
    followed_up: int = 0
    escalated: int = 0
    paused: bool = False  # due requests left unchecked for want of credits


@dataclass
class _Notices:
    """What to tell whom once the checks are committed."""

    customers: dict[uuid.UUID, tuple[Message, TelegramBot | None, str, list[uuid.UUID]]] = field(default_factory=dict)
    owner: list[str] = field(default_factory=list)


async def tenants_with_due_checks(runtime: Runtime, now: datetime | None = None) -> list[uuid.UUID]:
    async with runtime.db.system_session() as session:
        return list(await session.scalars(
            sa.select(SupportRequest.tenant_id).distinct().where(
                SupportRequest.status.in_(WITH_PROVIDER), SupportRequest.next_check_at <= (now or utcnow())
            )
        ))


async def track_requests(runtime: Runtime, tenant_id: uuid.UUID, now: datetime | None = None) -> TrackingRun:
    """Check the tenant's due requests (as many as its credits pay for) and act on each."""
    now = now or utcnow()
    async with runtime.db.tenant_session(tenant_id) as session:
        settings = await get_settings(session)
        connection = await session.scalar(sa.select(PanelConnection))
        affordable = min((await current_subscription(session)).credits_left, MAX_CHECKS_PER_RUN)
        due = list(await session.scalars(
            sa.select(SupportRequest)
            .where(SupportRequest.status.in_(WITH_PROVIDER), SupportRequest.next_check_at <= now)
            .order_by(SupportRequest.next_check_at, SupportRequest.id)
            .limit(affordable + 1)  # one more tells whether some must wait for credits
        ))
        accounts = {a.name.casefold(): a for a in await session.scalars(sa.select(ProviderAccount))}
    paused = len(due) > affordable
    due = due[:affordable]
    if not due or connection is None:
        return TrackingRun(paused=paused)

    # Facts first, outside any transaction; a panel that is down raises before any credit is spent.
    clients = clients_for(runtime, connection, settings)
    orders = {str(k): v for k, v in (await clients.admin.orders(int(r.order_id or 0) for r in due)).items()}
    refills = [r for r in due if r.intent == Intent.REFILL and r.order_id in orders]
    counts = await live_counts(runtime, settings, {r.order_id: orders[r.order_id] for r in refills if r.order_id})
    refill_statuses = await _refill_statuses(runtime, accounts, refills)

    run, notices = TrackingRun(paused=paused), _Notices()
    async with runtime.db.tenant_session(tenant_id) as session:
        # Read again, locked: the owner or a provider's reply may have settled some meanwhile,
        # and an overlapping run may have checked some (their next check is no longer due).
        due = list(await session.scalars(
            sa.select(SupportRequest)
            .where(
                SupportRequest.id.in_([r.id for r in due]), SupportRequest.status.in_(WITH_PROVIDER),
                SupportRequest.next_check_at <= now,
            )
            .order_by(SupportRequest.next_check_at, SupportRequest.id)
            .with_for_update()
        ))
        charge = await consume_credits(session, len(due), reason="tracking", orders=len(due))
        if charge.crossed == "low":
            notices.owner.append(f"Tracking credits are running low: {charge.balance_after} left.")
        elif charge.crossed == "empty":
            notices.owner.append("Tracking credits are used up: order tracking is paused until you buy more.")
        resolved: list[SupportRequest] = []
        for request in due[: charge.taken]:
            order = orders.get(request.order_id or "")
            snapshot = None if order is None else Snapshot(
                status=order.status, remains=order.remains or 0, current_count=counts.get(request.order_id or ""),
                refill_status=refill_statuses.get(request.provider_refill_id or ""),
            )
            step = _check(session, request, snapshot, settings, now, runtime.settings.time_scale)
            run.checked += 1
            if step == Step.RESOLVE:
                resolved.append(request)
            elif step == Step.FOLLOW_UP:
                run.followed_up += 1
            elif step == Step.ESCALATE:
                run.escalated += 1
                notices.owner.append(f"Review needed: order {request.order_id} ({request.intent}): {request.reason}")
        run.resolved = len(resolved)
        await _compose_notices(session, resolved, notices)

    if run.followed_up:
        await schedule_dispatch(runtime, tenant_id)
    await _notify_customers(runtime, tenant_id, clients, notices)
    for text in notices.owner:
        await notify_owner(runtime, tenant_id, text)
    return run


def _check(
    session: AsyncSession, request: SupportRequest, snapshot: Snapshot | None, settings: TenantSettings, now: datetime,
    time_scale: float,
) -> Step:
    """Apply one check to the request and return what was done (intervals shortened by `time_scale`)."""
    if snapshot is None:  # gone from the panel: nothing left to measure
        escalate(session, request, "the order is no longer found on the panel")
        request.next_check_at = None
        return Step.ESCALATE
    if request.baseline is None:  # forwarded before tracking began: measure from now on
        request.baseline = msgspec.to_builtins(Baseline(
            status=snapshot.status, remains=snapshot.remains, current_count=snapshot.current_count, drop=request.drop,
        ))
    progressed = has_progressed(Intent(request.intent), msgspec.convert(request.baseline, Baseline), snapshot)
    step = next_step(
        progressed=progressed, waiting_since=request.followed_up_at or request.created_at, now=now,
        follow_up_after=settings.follow_up_window / time_scale, follow_ups=request.follow_ups,
        max_follow_ups=settings.max_follow_ups,
    )
    log_event(session, request, "checked", step=str(step), **msgspec.to_builtins(snapshot))
    match step:
        case Step.RESOLVE:
            request.status, request.resolved_at = RequestStatus.RESOLVED, now
            log_event(session, request, "resolved", by="tracking")
        case Step.FOLLOW_UP:
            request.follow_ups += 1
            request.followed_up_at = now
            queue_dispatch(session, request, PROVIDER_ACTION[Outcome(request.outcome)], follow_up=request.follow_ups)
        case Step.ESCALATE:
            escalate(session, request, f"no progress after {request.follow_ups} follow-up(s) with the provider")
    request.next_check_at = None if step in (Step.RESOLVE, Step.ESCALATE) else now + settings.tracking_interval / time_scale
    return step


async def _refill_statuses(
    runtime: Runtime, accounts: dict[str, ProviderAccount], requests: list[SupportRequest]
) -> dict[str, str]:
    """The providers' own refill statuses, for refills sent through their API (batched)."""
    by_provider: dict[str, list[str]] = defaultdict(list)
    for request in requests:
        if request.provider_refill_id:
            by_provider[(request.provider or "").casefold()].append(request.provider_refill_id)
    statuses: dict[str, str] = {}
    for provider, refill_ids in by_provider.items():
        account = accounts.get(provider)
        client = provider_client(runtime, account) if account else None
        if client is None:
            continue
        try:
            answers = await client.refill_statuses(refill_ids)
        except ProviderError as exc:  # the count still tells; try again next time
            log.warning("refill_status_failed", provider=provider, error=str(exc))
            continue
        statuses.update({refill_id: answer for refill_id, answer in answers.items() if isinstance(answer, str)})
    return statuses


async def _compose_notices(session: AsyncSession, resolved: list[SupportRequest], notices: _Notices) -> None:
    """One message per customer message: "Orders 1 and 2 have been refilled"."""
    if not resolved:
        return
    templates = await tenant_templates(session)
    messages = {m.id: m for m in await session.scalars(
        sa.select(Message).where(Message.id.in_({r.message_id for r in resolved}))
    )}
    for message_id, message in messages.items():
        done = [r for r in resolved if r.message_id == message_id]
        text = render_combined_reply([(DONE_NOTICE[Intent(r.intent)], r.order_id, {}) for r in done], templates)
        bot = await reply_bot(session, message) if message.source == Source.TELEGRAM else None
        notices.customers[message_id] = (message, bot, text, [r.id for r in done])


async def _notify_customers(
    runtime: Runtime, tenant_id: uuid.UUID, clients: PanelClients, notices: _Notices
) -> None:
    """Tell each customer on their message's channel; the timeline says whether it went."""
    events = []
    for message, bot, text, request_ids in notices.customers.values():
        error = await send_to_customer(runtime, message, text, clients, bot)
        kind, detail = ("customer_notified", {"text": text}) if error is None else ("notify_failed", {"error": error})
        events += [RequestEvent(request_id=request_id, kind=kind, detail=detail) for request_id in request_ids]
    if events:
        async with runtime.db.tenant_session(tenant_id) as session:
            session.add_all(events)
