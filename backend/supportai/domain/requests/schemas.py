from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec

from supportai.domain.auth.schemas import Input


class MessageIn(Input):
    customer: Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="The customer's panel username")]
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
    has_attachment: bool = False
    external_id: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None


class MessageAccepted(msgspec.Struct):
    id: uuid.UUID
    status: str
    duplicate: bool


class RequestSummary(msgspec.Struct):
    id: uuid.UUID
    order_id: str | None
    intent: str
    outcome: str | None
    status: str


class MessageOut(msgspec.Struct):
    id: uuid.UUID
    status: str
    intent: str | None
    lang: str | None
    reply: str | None
    requests: list[RequestSummary]


class MessageSummary(msgspec.Struct):
    """A stored customer message as the owner sees it (a failed one has a retry action)."""

    id: uuid.UUID
    created_at: datetime
    source: str
    customer: str
    ticket_id: int | None
    text: str
    status: str  # received | waiting_panel | processed | failed
    attempts: int  # failed runs so far; at the limit the message is failed
    last_error: str | None
    intent: str | None
    reply_text: str | None
    processed_at: datetime | None


class MessagePage(msgspec.Struct):
    items: list[MessageSummary]
    next_cursor: str | None


class RequestOut(msgspec.Struct):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime | None
    message_id: uuid.UUID
    customer: str
    order_id: str | None
    external_order_id: str | None
    provider: str | None
    service_id: int | None
    intent: str
    outcome: str | None
    status: str
    reason: str | None
    drop: int | None
    provider_refill_id: str | None
    follow_ups: int  # reminders sent to the provider
    next_check_at: datetime | None  # when tracking looks at the order again (null: not tracked)


class EventOut(msgspec.Struct):
    at: datetime
    kind: str
    detail: dict[str, Any]


class RequestDetail(RequestOut):
    message_text: str
    reply: str | None
    timeline: list[EventOut]


class RequestPage(msgspec.Struct):
    items: list[RequestOut]
    next_cursor: str | None
    counts: dict[str, int]  # per status, for the filters other than status


class QueueItem(msgspec.Struct):
    request: RequestOut
    reason: str


class ManualReplyIn(Input):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class ActionIn(Input):
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None
