"""The support pipeline: one customer message in; for every order in it a reply, a
request forwarded to the provider, or an item in the owner's review queue.

Each step is idempotent, so a job that crashed anywhere can simply run again:
- requests are unique per (message, order): a re-run finds and skips decided ones;
- quota is charged in the same transaction that records the decision;
- a call to the outside world is marked `pending` and committed before it is made;
  a re-run that finds `pending` never repeats it (a provider call is escalated for a
  human to check; a ticket reply is looked for in the ticket thread first).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.audit.service import record
from supportai.domain.billing.service import (
    consume_requests,
    current_subscription,
    should_alert_quota,
)
from supportai.domain.dispatch.customer import reply_bot, send_to_customer
from supportai.domain.dispatch.service import schedule_dispatch
from supportai.domain.requests.events import escalate, log_event
from supportai.domain.requests.models import (
    OPEN_STATUSES,
    DispatchItem,
    Message,
    MessageStatus,
    RequestEvent,
    SideEffect,
    Source,
    SupportRequest,
)
from supportai.domain.requests.order_locks import lock_orders
from supportai.domain.services.models import Service
from supportai.domain.services.service import policy_for
from supportai.domain.setup.models import PanelConnection, ProviderAccount
from supportai.domain.setup.service import (
    PanelClients,
    clients_for,
    llm_config,
    provider_client,
)
from supportai.domain.telegram.bots import notify_owner
from supportai.domain.telegram.conversation import take_telegram_message
from supportai.domain.templates.service import tenant_templates
from supportai.domain.tenants.models import TenantSettings
from supportai.domain.tenants.service import get_settings
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
from supportai.engine.templates import Notice, ReplyItem, render_combined_reply, reply_facts
from supportai.engine.tracking import Baseline
from supportai.engine.understanding import MAX_ORDERS_PER_MESSAGE, Understanding, understand
from supportai.errors import UpstreamUnavailable
from supportai.integrations.counts import HttpCountSource
from supportai.integrations.llm import classify_with_llm, needs_llm
from supportai.integrations.panel import PanelNotFound, PanelOrder, PanelUnavailable
from supportai.integrations.provider import ItemError, Provider, ProviderError, ProviderRejected
from supportai.runtime import Runtime

# Outcomes after which the provider is asked to act, and the action they ask for.
PROVIDER_ACTION = {
    Outcome.FORWARD_REFILL: "refill",
    Outcome.FORWARD_CANCEL: "cancel",
    Outcome.FORWARD_SPEED_UP: "speed_up",
}


class PanelDown(Exception):
    """The panel could not be reached; the job retries later. Nothing was charged."""


async def process_message(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID) -> str:
    """Run (or resume) the pipeline for one stored message; returns the message status.

    The message row is read once and carried (detached) from one short transaction to the
    next; no transaction is held open across a call to the panel, a provider or Telegram.
    A fresh message costs a constant number of statements, however many orders it names:
    rows are written in batches, and the quota is charged for all its orders at once.
    """
    db = runtime.db
    async with db.tenant_session(tenant_id) as session:
        loaded = await _load_message(session, message_id)
        if loaded is None:
            return "missing"
        message, settings, connection = loaded
        understanding, llm = None, None
        if message.analysis is not None:  # understood once, then kept: a resume acts on the same reading
            understanding = msgspec.convert(message.analysis, Understanding)
        elif not needs_llm(offline := understand(message.text)) or (llm := await llm_config(runtime, session)) is None:
            understanding = offline
    clients = clients_for(runtime, connection, settings) if connection else None
    done = message.status in (MessageStatus.PROCESSED, MessageStatus.FAILED)
    if not done and message.source == Source.TELEGRAM and not message.customer:
        done = not await take_telegram_message(runtime, tenant_id, message_id)
        async with db.tenant_session(tenant_id) as session:  # the conversation has changed it
            message = await session.get_one(Message, message_id)
    if done:
        status = message.status
        await _send_reply(runtime, tenant_id, message, clients, None)  # a reply a crash left unsent
        return MessageStatus.PROCESSED if status != MessageStatus.FAILED else status
    if understanding is None:  # only the tenant's LLM can tell; asked outside any transaction
        assert llm is not None
        understanding = await classify_with_llm(message.text, offline, llm, runtime.http)

    if understanding.orders:
        if clients is None:  # kept until the owner connects the panel; the sweeper retries it
            await _set_status(runtime, tenant_id, message, MessageStatus.WAITING_PANEL, "no panel connected yet")
            return MessageStatus.WAITING_PANEL
        orders = await _fetch_orders(runtime, tenant_id, message, clients, understanding)
        counts = await live_counts(runtime, settings, orders)
    else:
        orders, counts = {}, {}

    resumed = message.analysis is not None  # decisions commit with the analysis: none were made before
    async with db.tenant_session(tenant_id) as session:
        session.add(message)
        requests = await _decide_requests(
            session, message, understanding, orders, counts, settings, resumed=resumed,
            time_scale=runtime.settings.time_scale,
        )
        calls, dispatch_queued = await _plan_provider_calls(runtime, session, requests, resumed=resumed)
        message.analysis = msgspec.to_builtins(understanding)
        message.intent, message.lang = understanding.intent, understanding.lang
        message.confidence = understanding.confidence
        if not calls:
            await _store_reply(session, message, understanding, requests)

    if calls:
        results = [(call, await _call_provider(call)) for call in calls]
        async with db.tenant_session(tenant_id) as session:
            session.add(message)
            for call, result in results:
                dispatch_queued |= _record_call(session, call, result)
            await _store_reply(session, message, understanding, requests)
    if dispatch_queued:
        await schedule_dispatch(runtime, tenant_id)  # the Telegram forwards, batched per provider

    escalated = await _send_reply(runtime, tenant_id, message, clients, requests)
    if escalated:
        await notify_owner(runtime, tenant_id, _review_notice(message.customer, escalated))
    return MessageStatus.PROCESSED


async def _load_message(
    session: AsyncSession, message_id: uuid.UUID
) -> tuple[Message, TenantSettings, PanelConnection | None] | None:
    """The message with the tenant's settings and panel connection, in one statement."""
    row = (await session.execute(
        sa.select(Message, TenantSettings, PanelConnection)
        .outerjoin(TenantSettings, TenantSettings.tenant_id == Message.tenant_id)
        .outerjoin(PanelConnection, PanelConnection.tenant_id == Message.tenant_id)
        .where(Message.id == message_id)
    )).first()
    if row is None:
        return None
    message, settings, connection = row
    return message, settings or await get_settings(session), connection


def _review_notice(customer: str, requests: list[SupportRequest]) -> str:
    lines = [f"Review needed for {customer}:"]
    lines += [f"- order {r.order_id or '(none)'} ({r.intent}): {r.reason or r.outcome}" for r in requests]
    return "\n".join(lines)


async def _fetch_orders(
    runtime: Runtime, tenant_id: uuid.UUID, message: Message, clients: PanelClients, understanding: Understanding
) -> dict[str, PanelOrder]:
    try:
        found = await clients.admin.orders(int(order.id) for order in understanding.orders)
    except PanelUnavailable as exc:
        await _set_status(runtime, tenant_id, message, MessageStatus.WAITING_PANEL, str(exc))
        raise PanelDown(str(exc)) from exc
    return {str(order_id): order for order_id, order in found.items()}


async def _set_status(runtime: Runtime, tenant_id: uuid.UUID, message: Message, status: str, error: str) -> None:
    async with runtime.db.tenant_session(tenant_id) as session:
        session.add(message)
        message.status, message.last_error = status, error[:500]


async def live_counts(runtime: Runtime, settings: TenantSettings, orders: dict[str, PanelOrder]) -> dict[str, int]:
    url = settings.count_source_url
    if not url:
        return {}
    source = HttpCountSource(runtime.http, url)
    counts = {}
    for order_id, order in orders.items():
        if order.link and (count := await source.current_count(order.link)) is not None:
            counts[order_id] = count
    return counts


async def _decide_requests(
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
    busy = await _open_requests(session, message.id, [(o.id, o.intent) for o in pending])
    open_for = {o.id: busy.get((o.id, o.intent), []) for o in pending}
    # Another open request for the same order and intent makes this one a duplicate; one
    # waiting for the customer is superseded instead, handing over its quota unit.
    duplicate = {o for o, rs in open_for.items() if any(r.status != RequestStatus.WAITING_CUSTOMER for r in rs)}
    carried = {o for o, rs in open_for.items() if o not in duplicate and any(r.quota_charged for r in rs)}
    lapsed = subscription.status == Status.LAPSED  # unpaid: no new request is taken in (open ones go on)
    wanted = len(pending) - len(duplicate) - len(carried)
    granted = 0 if lapsed else await consume_requests(session, subscription, wanted)
    blocked = False
    now = utcnow()
    made = []
    for item in pending:
        request = _new_request(session, message, item.id, Intent(item.intent))
        made.append(request)
        order = orders.get(item.id)
        if order is not None and order.user.casefold() == message.customer.casefold():
            request.external_order_id = order.external_id
            request.provider = order.provider
            request.service_id = order.service_id
        else:
            order = None  # not found and not owned answer alike: ids cannot be probed
        if item.id in duplicate:
            _settle(session, request, Outcome.DUPLICATE_OPEN_REQUEST)
            continue
        if _supersede(session, open_for[item.id], request):
            log_event(session, request, "quota_carried_over")
        elif granted:
            granted -= 1
            log_event(session, request, "quota_charged")
        else:
            _settle(session, request, Outcome.SUBSCRIPTION_LAPSED if lapsed else Outcome.QUOTA_EXCEEDED,
                    reason="subscription lapsed: an invoice is unpaid" if lapsed else "request quota used up")
            blocked = True
            continue
        request.quota_charged = True
        if order is None:
            _settle(session, request, Outcome.ORDER_NOT_FOUND)
            continue
        service = services.get(order.service_id)
        if service is not None and service.excluded:
            _settle(session, request, Outcome.ESCALATE, reason="service excluded from automation")
            continue
        decision = decide(DecisionInput(
            intent=Intent(item.intent),
            now=now,
            service=policy_for(service, settings) if service else _policy_from_name(order, settings),
            order=_order_facts(order, counts.get(item.id)),
            has_screenshot=message.has_attachment,
            tolerance=settings.tolerance,
            refill_partial=settings.refill_partial,
        ))
        request.drop = decision.drop
        request.facts = reply_facts(decision)
        _settle(session, request, decision.outcome, reason="order failed at the panel" if (
            decision.outcome == Outcome.ESCALATE and order.status == OrderStatus.FAILED) else None)
        if request.status == RequestStatus.FORWARDED:  # tracked from now on (domain.requests.tracking)
            request.baseline = msgspec.to_builtins(Baseline(
                status=order.status, remains=order.remains or 0, current_count=counts.get(item.id), drop=decision.drop,
            ))
            request.next_check_at = now + settings.tracking_interval / time_scale
    if blocked and not lapsed and await should_alert_quota(session, subscription):
        record(session, "quota.exhausted", actor=None, limit=subscription.requests_limit)
    return existing + made


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


async def _open_requests(
    session: AsyncSession, message_id: uuid.UUID, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], list[SupportRequest]]:
    """Open requests from other messages for these (order, intent) pairs."""
    if not pairs:
        return {}
    rows = await session.scalars(
        sa.select(SupportRequest).where(
            SupportRequest.order_id.in_({order_id for order_id, _ in pairs}),
            SupportRequest.status.in_(OPEN_STATUSES),
            SupportRequest.message_id != message_id,
        )
    )
    wanted = set(pairs)
    found: dict[tuple[str, str], list[SupportRequest]] = {}
    for row in rows:
        if (row.order_id, row.intent) in wanted:
            found.setdefault((row.order_id, row.intent), []).append(row)  # type: ignore[arg-type]
    return found


def _supersede(session: AsyncSession, waiting: list[SupportRequest], request: SupportRequest) -> bool:
    """A request waiting for the customer (e.g. for a screenshot) is replaced by their new
    message about the same order: closed, and its quota unit carried over. True if any
    unit was carried, so the new request is not charged twice."""
    carried = False
    for old in waiting:
        old.status, old.reason = RequestStatus.CLOSED, "superseded by a newer message"
        log_event(session, old, "superseded", by_request=str(request.id))
        carried = carried or old.quota_charged
        old.quota_charged = False
    return carried


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


@dataclass(frozen=True)
class ProviderCall:
    request: SupportRequest
    action: str
    client: Provider


@dataclass(frozen=True)
class CallResult:
    refill_id: str | None = None
    error: str | None = None
    unavailable: bool = False  # down, broken or refusing our key: Telegram may still reach it
    uncertain: bool = False  # the answer was lost after the call may have reached the provider


async def call_provider_apis(runtime: Runtime, tenant_id: uuid.UUID, message_id: uuid.UUID) -> None:
    """Send the message's forwarded requests that are not with their provider yet (a
    re-forward by the owner): each to the provider's API or to the Telegram dispatcher."""
    async with runtime.db.tenant_session(tenant_id) as session:
        requests = list(await session.scalars(
            sa.select(SupportRequest).where(SupportRequest.message_id == message_id)
        ))
        calls, _ = await _plan_provider_calls(runtime, session, requests, resumed=True)
    results = [(call, await _call_provider(call)) for call in calls]
    if results:
        async with runtime.db.tenant_session(tenant_id) as session:
            for call, result in results:
                _record_call(session, call, result)


async def _plan_provider_calls(
    runtime: Runtime, session: AsyncSession, requests: list[SupportRequest], *, resumed: bool
) -> tuple[list[ProviderCall], bool]:
    """Which forwarded requests go to the provider's API (marked `pending` in this
    transaction, before the call) and which become Telegram dispatch items. Returns the
    calls to make and whether anything was queued for Telegram."""
    forwarded = [r for r in requests if r.outcome in PROVIDER_ACTION and r.status == RequestStatus.FORWARDED]
    if not forwarded:
        return [], False
    with session.no_autoflush:  # the new requests are written once, with their final state
        accounts = {a.name.casefold(): a for a in await session.scalars(sa.select(ProviderAccount))}
        dispatched = set(await session.scalars(
            sa.select(DispatchItem.request_id).where(DispatchItem.request_id.in_([r.id for r in forwarded]))
        )) if resumed else set()
    calls, queued = [], False
    for request in forwarded:
        action = PROVIDER_ACTION[Outcome(request.outcome)]
        account = accounts.get((request.provider or "").casefold())
        if request.provider_call == SideEffect.PENDING:
            # A previous run crashed during the call: we cannot know if it went out.
            escalate(session, request, "interrupted while calling the provider; check before retrying")
        elif request.provider_call is not None or request.id in dispatched:
            continue
        elif account is None or not request.external_order_id:
            escalate(session, request, f"no provider settings for {request.provider or 'this order'}")
        elif (client := provider_client(runtime, account)) and _api_allows(account, action):
            request.provider_call = SideEffect.PENDING
            log_event(session, request, "provider_call_started", action=action, provider=account.name)
            calls.append(ProviderCall(request, action, client))
        else:
            queue_dispatch(session, request, action)
            queued = True
    return calls, queued


def _api_allows(account: ProviderAccount, action: str) -> bool:
    return (action == "refill" and account.refill_via_api) or (action == "cancel" and account.cancel_via_api)


def queue_dispatch(session: AsyncSession, request: SupportRequest, action: str, follow_up: int = 0) -> None:
    """Hand the request to the Telegram dispatcher; `follow_up` numbers a reminder."""
    session.add(DispatchItem(
        request=request, provider=request.provider or "", action=action, follow_up=follow_up,
        external_order_id=request.external_order_id or "",
    ))
    log_event(session, request, "dispatch_queued", action=action, provider=request.provider, follow_up=follow_up)


async def _call_provider(call: ProviderCall) -> CallResult:
    external_id = call.request.external_order_id or ""
    try:
        if call.action == "refill":
            return CallResult(refill_id=await call.client.refill(external_id))
        result = (await call.client.cancel([external_id])).get(external_id)
        return CallResult(error=result.message if isinstance(result, ItemError) else None)
    except ProviderRejected as exc:
        return CallResult(error=str(exc))
    except ProviderError as exc:
        return CallResult(error=str(exc), unavailable=not exc.outcome_unknown, uncertain=exc.outcome_unknown)


def _record_call(session: AsyncSession, call: ProviderCall, result: CallResult) -> bool:
    """Store what the provider's API answered; True if the request went to Telegram instead."""
    request, action = call.request, call.action
    session.add(request)
    if result.error is None:
        request.provider_call = SideEffect.DONE
        request.provider_refill_id = result.refill_id
        log_event(session, request, "provider_call_done", action=action, refill_id=result.refill_id)
        return False
    error = result.error[:500]
    request.provider_error = error
    if result.uncertain:  # not sent again by any channel: tracking sees whether it acted, then reminds
        request.provider_call = SideEffect.UNCERTAIN
        log_event(session, request, "provider_call_uncertain", action=action, error=error)
        return False
    request.provider_call = SideEffect.FAILED
    log_event(session, request, "provider_call_failed", action=action, error=error)
    if result.unavailable:  # the API is down: Telegram still reaches the provider
        queue_dispatch(session, request, action)
        return True
    request.status = RequestStatus.DECLINED
    log_event(session, request, "declined", by="provider_api", error=error)
    return False


async def _store_reply(
    session: AsyncSession, message: Message, understanding: Understanding, requests: list[SupportRequest]
) -> None:
    """Compose the message's one reply and mark it pending, committed before it is sent."""
    if message.reply_state is not None:
        return  # composed by an earlier run
    with session.no_autoflush:
        templates = await tenant_templates(session)
    if understanding.too_many_orders:
        items: list[ReplyItem] = [(Notice.TOO_MANY_ORDERS, None, {"max_orders": str(MAX_ORDERS_PER_MESSAGE)})]
    elif not understanding.orders and understanding.intent != Intent.OTHER:
        items = [(Outcome.ORDER_ID_MISSING, None, {})]
    else:
        items = [(key, r.order_id, r.facts) for r in requests if (key := _reply_key(r)) is not None]
    message.reply_text = render_combined_reply(items, templates) if items else None
    message.reply_state = SideEffect.PENDING if message.reply_text else SideEffect.DONE


def _reply_key(request: SupportRequest) -> str | None:
    """Which template answers this request now; None sends nothing (quota-blocked)."""
    match request.status:
        case RequestStatus.BLOCKED_QUOTA:
            return None
        case RequestStatus.ESCALATED:
            return Outcome.ESCALATE
        case RequestStatus.DECLINED:
            return Notice.PROVIDER_DECLINED
    return request.outcome


async def _send_reply(
    runtime: Runtime,
    tenant_id: uuid.UUID,
    message: Message,
    clients: PanelClients | None,
    requests: list[SupportRequest] | None,
) -> list[SupportRequest]:
    """Deliver the composed reply (if one is pending) and mark the message processed.
    Returns the message's escalated requests, for the owner's notice."""
    retry = message.reply_state == SideEffect.SENDING  # an earlier run began sending this reply
    pending = message.reply_state in (SideEffect.PENDING, SideEffect.SENDING) and bool(message.reply_text)
    source, ticket_id, text = message.source, message.ticket_id, message.reply_text or ""
    bot = None
    if pending and source == Source.TELEGRAM:
        async with runtime.db.tenant_session(tenant_id) as session:
            bot = await reply_bot(session, message)
    # Only a retry of this reply is looked for in the ticket thread, after the customer's
    # message: the same words sent earlier answered something else. Telegram cannot be
    # asked whether an earlier attempt arrived: a crash mid-send may repeat it, never lose
    # it. API messages have no channel back: the reply is the API result itself.
    already_on_ticket = (
        retry and source == Source.TICKET and ticket_id is not None and clients is not None
        and await _already_replied(clients, ticket_id, text, after=_thread_message_id(message))
    )
    if pending and not already_on_ticket:
        if source == Source.TICKET and not retry:
            await _set_reply_state(runtime, tenant_id, message, SideEffect.SENDING)
        error = await send_to_customer(runtime, message, text, clients, bot)
        if error is not None:
            raise UpstreamUnavailable(f"the reply could not be sent: {error}")
    async with runtime.db.tenant_session(tenant_id) as session:
        session.add(message)
        if requests is None:
            requests = list(await session.scalars(
                sa.select(SupportRequest).where(SupportRequest.message_id == message.id)
            ))
        if pending:
            message.reply_state, message.replied_at = SideEffect.DONE, utcnow()
            # A step in each timeline, though not a change to the request itself.
            session.add_all(
                RequestEvent(request_id=r.id, kind="replied", detail={"channel": source}) for r in requests
            )
        newly_processed = message.status != MessageStatus.PROCESSED
        message.status, message.last_error = MessageStatus.PROCESSED, None
        message.processed_at = message.processed_at or utcnow()
    return [r for r in requests if r.status == RequestStatus.ESCALATED] if newly_processed else []


async def _set_reply_state(runtime: Runtime, tenant_id: uuid.UUID, message: Message, state: str) -> None:
    async with runtime.db.tenant_session(tenant_id) as session:
        session.add(message)
        message.reply_state = state


def _thread_message_id(message: Message) -> int:
    """The customer's message's id in its ticket thread (external id `ticket:message`)."""
    _, _, message_id = message.external_id.rpartition(":")
    return int(message_id) if message_id.isdigit() else 0


async def _already_replied(clients: PanelClients, ticket_id: int, text: str, *, after: int) -> bool:
    """A retried job may have sent the reply before crashing: look for it in the thread,
    among the staff messages posted after the customer's message `after`."""
    try:
        thread = await clients.admin.ticket(ticket_id)
    except PanelNotFound:
        return False
    return any(
        m.author != "customer" and (m.id or 0) > after and m.text.strip() == text.strip() for m in thread.messages
    )

