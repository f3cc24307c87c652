"""The owner's view of support requests: list, detail with timeline, queue and actions."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.db.pagination import newest_first, page_of
from supportai.domain.auth.principal import Principal
from supportai.domain.dispatch.customer import reply_bot, send_to_customer
from supportai.domain.dispatch.service import schedule_dispatch
from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import (
    DispatchItem,
    Message,
    RequestEvent,
    Source,
    SupportRequest,
)
from supportai.domain.requests.pipeline import PROVIDER_ACTION, call_provider_apis
from supportai.domain.requests.schemas import (
    EventOut,
    MessageOut,
    QueueItem,
    RequestDetail,
    RequestOut,
    RequestPage,
    RequestSummary,
)
from supportai.domain.setup.service import panel_clients
from supportai.domain.tenants.service import get_settings
from supportai.engine.decisions import Outcome, RequestStatus
from supportai.errors import InvalidInput, NotFound, UpstreamUnavailable
from supportai.runtime import Runtime

QUEUE_STATUSES = (RequestStatus.ESCALATED, RequestStatus.BLOCKED_QUOTA)


def request_out(request: SupportRequest) -> RequestOut:
    return RequestOut(**{field: getattr(request, field) for field in RequestOut.__struct_fields__})


async def list_requests(
    session: AsyncSession,
    *,
    status: str | None,
    intent: str | None,
    outcome: str | None,
    customer: str | None,
    order_id: str | None,
    created_from: datetime | None,
    created_to: datetime | None,
    cursor: str | None,
    limit: int,
) -> RequestPage:
    filters = []
    for column, value in (
        (SupportRequest.intent, intent), (SupportRequest.outcome, outcome),
        (SupportRequest.customer, customer), (SupportRequest.order_id, order_id),
    ):
        if value is not None:
            filters.append(column == value)
    if created_from is not None:
        filters.append(SupportRequest.created_at >= created_from)
    if created_to is not None:
        filters.append(SupportRequest.created_at < created_to)
    counts = dict((await session.execute(
        sa.select(SupportRequest.status, sa.func.count()).where(*filters).group_by(SupportRequest.status)
    )).all())
    if status is not None:
        filters.append(SupportRequest.status == status)
    rows = list(await session.scalars(newest_first(sa.select(SupportRequest).where(*filters), SupportRequest, cursor, limit)))
    page = page_of(rows, limit, request_out)
    return RequestPage(items=page.items, next_cursor=page.next_cursor, counts=counts)


async def get_request(session: AsyncSession, request_id: uuid.UUID) -> SupportRequest:
    request = await session.get(SupportRequest, request_id)
    if request is None:
        raise NotFound("No such request.")
    return request


async def request_detail(session: AsyncSession, request_id: uuid.UUID) -> RequestDetail:
    request = await get_request(session, request_id)
    message = await session.get_one(Message, request.message_id)
    events = await session.scalars(
        sa.select(RequestEvent).where(RequestEvent.request_id == request.id).order_by(RequestEvent.created_at)
    )
    return RequestDetail(
        **{field: getattr(request, field) for field in RequestOut.__struct_fields__},
        message_text=message.text,
        reply=message.reply_text,
        timeline=[EventOut(at=e.created_at, kind=e.kind, detail=e.detail) for e in events],
    )


async def review_queue(session: AsyncSession, limit: int) -> list[QueueItem]:
    rows = await session.scalars(
        sa.select(SupportRequest)
        .where(SupportRequest.status.in_(QUEUE_STATUSES))
        .order_by(SupportRequest.created_at, SupportRequest.id)
        .limit(limit)
    )
    return [QueueItem(request=request_out(r), reason=r.reason or str(r.outcome)) for r in rows]


async def set_status(
    session: AsyncSession, actor: Principal, request_id: uuid.UUID, status: RequestStatus, note: str | None
) -> RequestOut:
    request = await get_request(session, request_id)
    request.status = status
    request.resolved_at = utcnow()
    log_event(session, request, str(status), by=str(actor.id), note=note)
    return request_out(request)


async def reforward(runtime: Runtime, session: AsyncSession, actor: Principal, request_id: uuid.UUID) -> RequestOut:
    request = await get_request(session, request_id)
    if request.outcome not in PROVIDER_ACTION:
        raise InvalidInput("Only requests that were forwarded to a provider can be forwarded again.")
    await session.execute(sa.delete(DispatchItem).where(DispatchItem.request_id == request.id))
    request.status = RequestStatus.FORWARDED
    request.provider_call = None
    request.reason = None
    # Tracked afresh: a new window before any reminder, and the reminders counted again.
    tracking_interval = (await get_settings(session)).tracking_interval / runtime.settings.time_scale
    request.next_check_at, request.follow_ups, request.followed_up_at = utcnow() + tracking_interval, 0, None
    log_event(session, request, "reforwarded", by=str(actor.id))
    await session.commit()  # the provider step below reads and writes in its own sessions
    await call_provider_apis(runtime, request.tenant_id, request.message_id)
    await schedule_dispatch(runtime, request.tenant_id)  # if it goes out over Telegram
    await session.refresh(request)
    return request_out(request)


async def reply_manually(
    runtime: Runtime, session: AsyncSession, actor: Principal, request_id: uuid.UUID, text: str
) -> RequestOut:
    request = await get_request(session, request_id)
    message = await session.get_one(Message, request.message_id)
    clients = await panel_clients(runtime, session) if message.source == Source.TICKET else None
    bot = await reply_bot(session, message) if message.source == Source.TELEGRAM else None
    error = await send_to_customer(runtime, message, text, clients, bot)
    if error is not None:
        raise UpstreamUnavailable(f"The reply could not be sent: {error}")
    log_event(session, request, "manual_reply", by=str(actor.id), text=text)
    return request_out(request)


async def message_result(session: AsyncSession, message_id: uuid.UUID) -> MessageOut:
    message = await session.get(Message, message_id)
    if message is None:
        raise NotFound("No such message.")
    requests = await session.scalars(
        sa.select(SupportRequest).where(SupportRequest.message_id == message.id).order_by(SupportRequest.created_at)
    )
    return MessageOut(
        id=message.id, status=message.status, intent=message.intent, lang=message.lang, reply=message.reply_text,
        requests=[RequestSummary(id=r.id, order_id=r.order_id, intent=r.intent, outcome=r.outcome, status=r.status)
                  for r in requests],
    )


async def blocked_this_cycle(session: AsyncSession, since: datetime) -> int:
    return await session.scalar(
        sa.select(sa.func.count()).where(
            SupportRequest.outcome == Outcome.QUOTA_EXCEEDED, SupportRequest.created_at >= since
        )
    ) or 0
