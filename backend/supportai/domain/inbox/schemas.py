from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import msgspec

from supportai.domain.requests.models import MessageStatus
from supportai.domain.requests.schemas import RequestSummary
from supportai.engine.decisions import RequestStatus


class InboxFilters(msgspec.Struct, frozen=True):
    """What the inbox list and its CSV export are narrowed by (all optional)."""

    search: str | None = None  # in the text, the customer's name, or an order id
    created_from: datetime | None = None
    created_to: datetime | None = None
    source: str | None = None  # ticket | telegram | api
    lang: str | None = None
    intent: str | None = None  # the message's, or one of its requests'
    status: str | None = None  # the message's (received, processed, failed…) or one of its requests' (escalated…)
    has_orders: bool | None = None


# A message status or a request status (the two sets share no value).
InboxStatus = StrEnum("InboxStatus", [(s.name, s.value) for s in (*MessageStatus, *RequestStatus)])  # type: ignore[misc]


class InboxMessage(msgspec.Struct):
    """A stored customer message with the requests made from it and the reply it got."""

    id: uuid.UUID
    created_at: datetime
    source: str
    customer: str
    ticket_id: int | None
    text: str
    has_attachment: bool
    status: str
    intent: str | None
    lang: str | None
    reply_text: str | None
    replied_at: datetime | None
    requests: list[RequestSummary]  # none for a question answered without an order


class InboxPage(msgspec.Struct):
    items: list[InboxMessage]
    next_cursor: str | None


class Conversation(msgspec.Struct):
    """A message in its thread: the same panel ticket, or the customer's messages on the
    same channel when there is no ticket. Oldest first."""

    message_id: uuid.UUID
    customer: str
    source: str
    ticket_id: int | None
    messages: list[InboxMessage]


class CustomerHistory(msgspec.Struct):
    customer: str
    first_seen: datetime
    last_seen: datetime
    message_count: int
    request_count: int
    requests_by_status: dict[str, int]
    messages: list[InboxMessage]  # the newest, newest first
