"""The inbox: every stored customer message, with or without orders, its requests and
reply; a message's conversation and a customer's history. Providers' replies, stored as
messages too, are not in the list."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.pagination import newest_first, page_of
from supportai.db.search import contains
from supportai.domain.inbox.schemas import (
    Conversation,
    CustomerHistory,
    InboxFilters,
    InboxMessage,
    InboxPage,
)
from supportai.domain.requests.models import PROVIDER_SENDER, Message, MessageStatus, Source, SupportRequest
from supportai.domain.requests.schemas import RequestSummary
from supportai.domain.requests.sla import sla_targets
from supportai.errors import InvalidInput, NotFound

MESSAGE_STATUSES = frozenset(MessageStatus)
THREAD_LIMIT = 200
HISTORY_LIMIT = 100


def filtered_messages(filters: InboxFilters) -> sa.Select[Any]:
    """The messages matching `filters`, unordered (the list pages them, the export streams them)."""
    if filters.created_from and filters.created_to and filters.created_from >= filters.created_to:
        raise InvalidInput("`created_from` must be before `created_to`.", field="created_from")
    statement = sa.select(Message).where(~Message.customer.startswith(PROVIDER_SENDER, autoescape=True))
    if filters.search and (search := filters.search.strip()):
        about_order = sa.select(SupportRequest.id).where(
            SupportRequest.message_id == Message.id, SupportRequest.order_id == search.lstrip("#")
        )
        statement = statement.where(
            sa.or_(contains(Message.text, search), contains(Message.customer, search), about_order.exists())
        )
    for column, value in ((Message.source, filters.source), (Message.lang, filters.lang)):
        if value is not None:
            statement = statement.where(column == value)
    if filters.intent is not None:  # the message's, or one of its requests'
        statement = statement.where(sa.or_(Message.intent == filters.intent, _with_request(
            SupportRequest.intent == filters.intent)))
    if filters.status in MESSAGE_STATUSES:
        statement = statement.where(Message.status == filters.status)
    elif filters.status is not None:  # a request status: messages with such a request
        statement = statement.where(_with_request(SupportRequest.status == filters.status))
    if filters.created_from is not None:
        statement = statement.where(Message.created_at >= filters.created_from)
    if filters.created_to is not None:
        statement = statement.where(Message.created_at < filters.created_to)
    if filters.has_orders is not None:
        with_order = _with_request(SupportRequest.order_id.is_not(None))
        statement = statement.where(with_order if filters.has_orders else ~with_order)
    return statement


def _with_request(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The message has a request for which `condition` holds."""
    return sa.select(SupportRequest.id).where(SupportRequest.message_id == Message.id, condition).exists()


async def with_requests(session: AsyncSession, messages: Sequence[Message]) -> list[InboxMessage]:
    """The messages as the inbox shows them, their requests read in one statement."""
    requests: dict[uuid.UUID, list[RequestSummary]] = {m.id: [] for m in messages}
    if messages:
        targets = await sla_targets(session)
        rows = await session.scalars(
            sa.select(SupportRequest).where(SupportRequest.message_id.in_(requests))
            .order_by(SupportRequest.created_at, SupportRequest.id)
        )
        for r in rows:
            requests[r.message_id].append(RequestSummary.of(r, targets))
    return [
        InboxMessage(
            id=m.id, created_at=m.created_at, source=m.source, customer=m.customer, ticket_id=m.ticket_id,
            text=m.text, has_attachment=m.has_attachment, status=m.status, intent=m.intent, lang=m.lang,
            reply_text=m.reply_text, replied_at=m.replied_at, requests=requests[m.id],
        )
        for m in messages
    ]


async def list_inbox(session: AsyncSession, filters: InboxFilters, cursor: str | None, limit: int) -> InboxPage:
    rows = list(await session.scalars(newest_first(filtered_messages(filters), Message, cursor, limit)))
    page = page_of(rows, limit, lambda row: row)
    return InboxPage(items=await with_requests(session, page.items), next_cursor=page.next_cursor)


async def conversation(session: AsyncSession, message_id: uuid.UUID) -> Conversation:
    message = await session.get(Message, message_id)
    if message is None:
        raise NotFound("No such message.")
    same_thread = (
        Message.ticket_id == message.ticket_id
        if message.source == Source.TICKET and message.ticket_id is not None
        else Message.customer == message.customer
    )
    thread = list(await session.scalars(
        sa.select(Message).where(Message.source == message.source, same_thread)
        .order_by(Message.created_at.desc(), Message.id.desc()).limit(THREAD_LIMIT)
    ))
    thread.reverse()
    return Conversation(
        message_id=message.id, customer=message.customer, source=message.source, ticket_id=message.ticket_id,
        messages=await with_requests(session, thread),
    )


async def customer_history(session: AsyncSession, customer: str) -> CustomerHistory:
    spans = (await session.execute(
        sa.select(sa.func.count(), sa.func.min(Message.created_at), sa.func.max(Message.created_at))
        .select_from(Message)  # the FROM names the entity, so the tenant scope applies
        .where(Message.customer == customer)
    )).one()
    message_count, first_seen, last_seen = spans
    if not message_count:
        raise NotFound("No messages from this customer.")
    by_status = Counter(dict((await session.execute(
        sa.select(SupportRequest.status, sa.func.count()).where(SupportRequest.customer == customer)
        .group_by(SupportRequest.status)
    )).all()))
    recent = list(await session.scalars(
        sa.select(Message).where(Message.customer == customer)
        .order_by(Message.created_at.desc(), Message.id.desc()).limit(HISTORY_LIMIT)
    ))
    return CustomerHistory(
        customer=customer, first_seen=first_seen, last_seen=last_seen, message_count=message_count,
        request_count=sum(by_status.values()), requests_by_status=dict(by_status),
        messages=await with_requests(session, recent),
    )
