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
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.billing.service import consume_credits
from supportai.domain.dispatch.customer import reply_bot, send_to_customer
from supportai.domain.dispatch.scheduling import schedule_dispatch
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify
from supportai.domain.requests.models import Message, RequestEvent, Source, SupportRequest
from supportai.domain.setup.models import ProviderAccount
from supportai.domain.setup.service import clients_for, provider_client
from supportai.domain.support.pipeline import live_counts
from supportai.domain.support.tracking_check import CLOSED_NOTICE, CheckTiming, apply_check, plan, record_waits
from supportai.domain.support.tracking_due import DueChecks, DueRequest, lock_due, select_due
from supportai.domain.telegram.models import TelegramBot
from supportai.domain.templates.service import reply_texts_of
from supportai.domain.tenants.models import TenantSettings
from supportai.engine.decisions import Intent
from supportai.engine.templates import Notice, render_combined_reply
from supportai.engine.tracking import Snapshot, Step
from supportai.integrations.clients import PanelClients
from supportai.integrations.panel import PanelOrder
from supportai.integrations.provider import ProviderError
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.tracking")

DONE_NOTICE = {
    Intent.REFILL: Notice.REFILL_DONE, Intent.CANCEL: Notice.CANCEL_DONE, Intent.SPEED_UP: Notice.SPEED_UP_DONE,
}


@dataclass
class TrackingRun:
    checked: int = 0
    resolved: int = 0
    followed_up: int = 0
    escalated: int = 0
    closed: int = 0  # the order closed meanwhile: tracking ended, the customer told
    paused: bool = False  # due requests left unchecked for want of credits


@dataclass(frozen=True)
class _Facts:
    """What the due orders look like now, gathered outside any transaction."""

    orders: dict[str, PanelOrder]
    counts: dict[str, int]
    refill_statuses: dict[str, str]  # by the provider's refill id

    def snapshot(self, request: Any) -> Snapshot | None:
        """The order of a request (or of a row with its `order_id` and `provider_refill_id`) now."""
        order = self.orders.get(request.order_id or "")
        return None if order is None else Snapshot(
            status=order.status, remains=order.remains or 0, current_count=self.counts.get(request.order_id or ""),
            refill_status=self.refill_statuses.get(request.provider_refill_id or ""),
        )


@dataclass
class _Notices:
    """What to tell whom once the checks are committed."""

    customers: dict[uuid.UUID, tuple[Message, TelegramBot | None, str, list[uuid.UUID]]] = field(default_factory=dict)


async def track_requests(runtime: Runtime, tenant_id: uuid.UUID, now: datetime | None = None) -> TrackingRun:
    """Check the tenant's due requests (as many as its credits pay for) and act on each."""
    now = now or utcnow()
    due = await select_due(runtime, tenant_id, now)
    if not due.requests or due.connection is None:
        return TrackingRun(paused=due.paused)
    # Facts first, outside any transaction; a panel that is down raises before any credit is spent.
    clients = clients_for(runtime, due.connection, due.settings)
    facts = await _gather_facts(runtime, clients, due)

    run, notices = TrackingRun(paused=due.paused), _Notices()
    async with runtime.db.unit_of_work(tenant_id) as uow:
        await _check_due(runtime, uow.session, due, facts, now, run, notices)
        await uow.commit()
    if run.followed_up:
        await schedule_dispatch(runtime, tenant_id)
    await _notify_customers(runtime, tenant_id, clients, notices)
    return run


async def _gather_facts(runtime: Runtime, clients: PanelClients, due: DueChecks) -> _Facts:
    orders = {str(k): v for k, v in (await clients.admin.orders(int(r.order_id or 0) for r in due.requests)).items()}
    refills = [r for r in due.requests if r.intent == Intent.REFILL and r.order_id in orders]
    counts = await live_counts(runtime, due.settings, {r.order_id: orders[r.order_id] for r in refills if r.order_id})
    return _Facts(orders, counts, await _refill_statuses(runtime, due.accounts, refills))


async def _check_due(
    runtime: Runtime, session: AsyncSession, due: DueChecks, facts: _Facts, now: datetime, run: TrackingRun,
    notices: _Notices,
) -> None:
    """Charge the requests still due and check each, in the caller's transaction."""
    locked = await lock_due(session, due.requests, now)
    charge = await consume_credits(session, len(locked), reason="tracking", orders=len(locked))
    await _tell_owner_of_credits(session, charge.crossed, charge.balance_after, now)
    timing = CheckTiming.of(due.settings, runtime.settings.time_scale)
    # Nothing new, baseline kept: the next check moves on, in bulk. The rest one by one.
    waits, acting = [], []
    for row in locked[: charge.taken]:
        order = facts.snapshot(row)
        check = plan(row, order, timing, now)
        if check.step == Step.WAIT and check.baseline is None:
            waits.append((row, order))
        else:
            acting.append((row, order, check))
    run.checked += len(waits) + len(acting)
    await record_waits(session, waits, now, now + timing.tracking_interval)
    requests = {r.id: r for r in await session.scalars(
        sa.select(SupportRequest).where(SupportRequest.id.in_([row.id for row, _, _ in acting]))
    )} if acting else {}
    told: list[tuple[SupportRequest, str]] = []  # the customers' notices: (request, template)
    for row, order, check in acting:
        request = requests[row.id]
        apply_check(session, request, order, check, timing, now)
        await _count_step(session, request, check.step, now, run, told)
    await _compose_notices(session, told, notices, due.settings)


async def _count_step(
    session: AsyncSession, request: SupportRequest, step: Step, now: datetime, run: TrackingRun,
    told: list[tuple[SupportRequest, str]],
) -> None:
    """Count what a check did, and note whom to tell: the customer of a resolved or closed
    request, the owner of an escalated one."""
    match step:
        case Step.RESOLVE:
            run.resolved += 1
            told.append((request, DONE_NOTICE[Intent(request.intent)]))
        case Step.CLOSE:
            run.closed += 1
            told.append((request, CLOSED_NOTICE[Intent(request.intent)]))
        case Step.FOLLOW_UP:
            run.followed_up += 1
        case Step.ESCALATE:
            run.escalated += 1
            await notify(session, OwnerEvent.ESCALATION, f"{request.id}:{now.isoformat()}",
                         f"Review needed: order {request.order_id}", f"{request.intent}: {request.reason}",
                         "/requests")


async def _tell_owner_of_credits(session: AsyncSession, crossed: str | None, left: int, now: datetime) -> None:
    """Once per crossing: the charge that crossed the line is made once (a retry finds it made)."""
    if crossed == "low":
        await notify(session, OwnerEvent.CREDITS_LOW, f"low:{now.isoformat()}", "Tracking credits are running low",
                     f"{left} tracking credits left. Tracking pauses when they run out.", "/billing")
    elif crossed == "empty":
        await notify(session, OwnerEvent.CREDITS_OUT, f"empty:{now.isoformat()}", "Tracking credits are used up",
                     "Order tracking is paused until you buy more credits.", "/billing")


async def _refill_statuses(
    runtime: Runtime, accounts: dict[str, ProviderAccount], requests: list[DueRequest]
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


async def _compose_notices(
    session: AsyncSession, told: list[tuple[SupportRequest, str]], notices: _Notices, settings: TenantSettings
) -> None:
    """One message per customer message: "Orders 1 and 2 have been refilled", in the language
    of its reply."""
    if not told:
        return
    messages = {m.id: m for m in await session.scalars(
        sa.select(Message).where(Message.id.in_({r.message_id for r, _ in told}))
    )}
    texts_of = await reply_texts_of(
        session, messages.values(), in_customer_language=settings.reply_in_customer_language)
    for message_id, message in messages.items():
        about = [(r, key) for r, key in told if r.message_id == message_id]
        texts = texts_of[message_id]
        text = render_combined_reply([(key, r.order_id, {}) for r, key in about], texts.templates, texts.words)
        bot = await reply_bot(session, message) if message.source == Source.TELEGRAM else None
        notices.customers[message_id] = (message, bot, text, [r.id for r, _ in about])


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
        async with runtime.db.unit_of_work(tenant_id) as uow:
            uow.session.add_all(events)
            await uow.commit()
