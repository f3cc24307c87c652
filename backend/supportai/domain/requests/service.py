"""The owner's view of support requests: list, detail with timeline, queue and actions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.db.pagination import Page, decode_cursor, encode_cursor, newest_first, page_of
from supportai.db.search import contains
from supportai.domain.auth.people import people_names
from supportai.domain.auth.principal import Principal
from supportai.domain.requests.assignees import assignee_clause
from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import (
    Message,
    RequestEvent,
    SupportRequest,
)
from supportai.domain.requests.schemas import (
    MessageOut,
    QueueItem,
    RequestDetail,
    RequestListItem,
    RequestOut,
    RequestPage,
)
from supportai.domain.requests.sla import overdue_clause, sla_targets, waiting_clause
from supportai.domain.services.models import Service
from supportai.engine.decisions import Outcome, RequestStatus
from supportai.errors import NotFound

QUEUE_STATUSES = (RequestStatus.ESCALATED, RequestStatus.BLOCKED_QUOTA)
# newest: newest first (every request); waiting: the requests waiting on someone, oldest wait first.
RequestSort = Literal["newest", "waiting"]


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
    search: str | None = None,
    source: str | None = None,
    lang: str | None = None,
    overdue: bool | None = None,
    sort: RequestSort = "newest",
    assignee: tuple[str, Principal] | None = None,
) -> RequestPage:
    """`assignee`: the filter value (`assignees.assignee_clause`) and who asks."""
    targets, now = await sla_targets(session), utcnow()
    filters = [] if assignee is None else [assignee_clause(*assignee)]
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
    filters += _message_filters(search, source, lang)
    if overdue is not None:
        filters.append(overdue_clause(targets, now) if overdue else ~overdue_clause(targets, now))
    if sort == "waiting":
        filters.append(waiting_clause())
    counts = dict((await session.execute(
        sa.select(SupportRequest.status, sa.func.count()).where(*filters).group_by(SupportRequest.status)
    )).all())
    if status is not None:
        filters.append(SupportRequest.status == status)
    statement = sa.select(SupportRequest).where(*filters)
    if sort == "waiting":
        page = _waiting_page(list(await session.scalars(oldest_waiting_first(statement, cursor, limit))), limit)
    else:
        statement = newest_first(statement, SupportRequest, cursor, limit)
        page = page_of(list(await session.scalars(statement)), limit, lambda row: row)
    messages = {m.id: m for m in await session.scalars(
        sa.select(Message).where(Message.id.in_({r.message_id for r in page.items}))
    )} if page.items else {}
    return RequestPage(
        items=[RequestListItem.of(r, messages[r.message_id], targets) for r in page.items],
        next_cursor=page.next_cursor, counts=counts,
    )


def oldest_waiting_first(statement: sa.Select[Any], cursor: str | None, limit: int) -> sa.Select[Any]:
    """Keyset paging over (waiting_since, id), oldest wait first; one extra row tells if more exist."""
    if cursor:
        since, row_id = decode_cursor(cursor)
        statement = statement.where(sa.or_(
            SupportRequest.waiting_since > since,
            sa.and_(SupportRequest.waiting_since == since, SupportRequest.id > row_id),
        ))
    return statement.order_by(SupportRequest.waiting_since, SupportRequest.id).limit(limit + 1)


def _waiting_page(rows: list[SupportRequest], limit: int) -> Page[SupportRequest]:
    more, rows = len(rows) > limit, rows[:limit]
    last = rows[-1] if more and rows else None
    cursor = encode_cursor(last.waiting_since, last.id) if last is not None and last.waiting_since else None
    return Page(items=rows, next_cursor=cursor)


def _message_filters(search: str | None, source: str | None, lang: str | None) -> list[sa.ColumnElement[bool]]:
    """Search over the message text, the customer and the order id; the message's channel and language."""
    filters = []
    if search and (search := search.strip()):
        in_text = sa.select(Message.id).where(Message.id == SupportRequest.message_id, contains(Message.text, search))
        filters.append(sa.or_(
            in_text.exists(), contains(SupportRequest.customer, search), SupportRequest.order_id == search.lstrip("#")
        ))
    for column, value in ((Message.source, source), (Message.lang, lang)):
        if value is not None:
            of_message = sa.select(Message.id).where(Message.id == SupportRequest.message_id, column == value)
            filters.append(of_message.exists())
    return filters


async def get_request(session: AsyncSession, request_id: uuid.UUID) -> SupportRequest:
    request = await session.get(SupportRequest, request_id)
    if request is None:
        raise NotFound("No such request.")
    return request


async def request_detail(session: AsyncSession, request_id: uuid.UUID) -> RequestDetail:
    request = await get_request(session, request_id)
    message = await session.get_one(Message, request.message_id)
    events = list(await session.scalars(
        sa.select(RequestEvent).where(RequestEvent.request_id == request.id).order_by(RequestEvent.created_at)
    ))
    names = await people_names(session, [request.assignee_id, *(e.detail.get("by") for e in events)])
    service_name = await session.scalar(
        sa.select(Service.name).where(Service.panel_service_id == request.service_id)
    ) if request.service_id is not None else None
    return RequestDetail.of(request, message, events, names, service_name, await sla_targets(session))


# Why a request is in the queue: its reason, or its outcome when it has none (quota-blocked).
def queue_reason() -> sa.ColumnElement[str]:
    return sa.func.coalesce(SupportRequest.reason, SupportRequest.outcome)


async def review_queue(
    session: AsyncSession, limit: int, *, status: str | None = None, reason: str | None = None,
    overdue: bool | None = None, sort: Literal["oldest", "waiting"] = "oldest",
    assignee: tuple[str, Principal] | None = None,
) -> list[QueueItem]:
    """Oldest first (by creation), or by the start of the current wait (`sort=waiting`)."""
    targets = await sla_targets(session)
    statement = sa.select(SupportRequest).where(
        SupportRequest.status.in_(QUEUE_STATUSES) if status is None else SupportRequest.status == status
    )
    if reason is not None:
        statement = statement.where(queue_reason() == reason)
    if assignee is not None:
        statement = statement.where(assignee_clause(*assignee))
    if overdue is not None:
        late = overdue_clause(targets, utcnow())
        statement = statement.where(late if overdue else ~late)
    first = SupportRequest.created_at if sort == "oldest" else sa.func.coalesce(
        SupportRequest.waiting_since, SupportRequest.created_at)
    rows = list(await session.scalars(statement.order_by(first, SupportRequest.id).limit(limit)))
    names = await people_names(session, (r.assignee_id for r in rows if r.assignee_id))
    return [QueueItem.of(r, targets, names) for r in rows]


def apply_status(
    session: AsyncSession, actor: Principal, request: SupportRequest, status: RequestStatus, note: str | None
) -> None:
    """The owner ends a request by hand (resolved or closed): a step in its timeline."""
    request.status = status
    request.resolved_at = utcnow()
    log_event(session, request, str(status), by=str(actor.id), note=note)


async def set_status(
    session: AsyncSession, actor: Principal, request_id: uuid.UUID, status: RequestStatus, note: str | None
) -> RequestOut:
    request = await get_request(session, request_id)
    apply_status(session, actor, request, status, note)
    return RequestOut.of(request, await sla_targets(session))


async def message_result(session: AsyncSession, message_id: uuid.UUID) -> MessageOut:
    message = await session.get(Message, message_id)
    if message is None:
        raise NotFound("No such message.")
    requests = await session.scalars(
        sa.select(SupportRequest).where(SupportRequest.message_id == message.id).order_by(SupportRequest.created_at)
    )
    return MessageOut.of(message, list(requests), await sla_targets(session))


async def blocked_this_cycle(session: AsyncSession, since: datetime) -> int:
    return await session.scalar(
        sa.select(sa.func.count()).select_from(SupportRequest).where(
            SupportRequest.outcome == Outcome.QUOTA_EXCEEDED, SupportRequest.created_at >= since
        )
    ) or 0
