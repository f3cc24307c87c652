from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from supportai.db.base import utcnow
from supportai.domain.auth.schemas import Input
from supportai.domain.requests.models import Message, RequestEvent, SupportRequest
from supportai.engine.sla import NO_TARGETS, SlaTargets, WaitingOn, wait_of

# The statuses that put a request in the review queue.
QueueStatus = Literal["escalated", "blocked_quota"]

class MessageIn(Input):
    customer: Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="The customer's panel username")]
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
    has_attachment: bool = False
    external_id: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None


class MessageAccepted(msgspec.Struct):
    id: uuid.UUID
    status: str
    duplicate: bool


def wait_fields(row: SupportRequest, targets: SlaTargets | None, now: datetime | None = None) -> dict[str, Any]:
    """The SLA fields of a request (supportai.engine.sla): what it waits on, since when, when
    that wait is due under the tenant's `targets` (None: not known here, so no due time)."""
    wait = wait_of(row.status, row.waiting_since, targets or NO_TARGETS, now or utcnow())
    if wait is None:
        return dict(waiting_on=None, waiting_since=None, sla_due_at=None, overdue=False)
    return dict(waiting_on=wait.on, waiting_since=wait.since, sla_due_at=wait.due_at, overdue=wait.overdue)


class RequestSummary(msgspec.Struct):
    id: uuid.UUID
    order_id: str | None
    intent: str
    outcome: str | None
    status: str
    waiting_on: WaitingOn | None  # person (review queue) or provider (forwarded); null: no one
    waiting_since: datetime | None  # when the current wait began
    sla_due_at: datetime | None  # when it is due under the tenant's target (null: target off)
    overdue: bool

    @classmethod
    def of(cls, row: SupportRequest, targets: SlaTargets | None = None) -> RequestSummary:
        return cls(id=row.id, order_id=row.order_id, intent=row.intent, outcome=row.outcome, status=row.status,
                   **wait_fields(row, targets))


class MessageOut(msgspec.Struct):
    id: uuid.UUID
    status: str
    intent: str | None
    lang: str | None
    reply: str | None
    requests: list[RequestSummary]

    @classmethod
    def of(cls, row: Message, requests: Iterable[SupportRequest], targets: SlaTargets | None = None) -> MessageOut:
        return cls(
            id=row.id, status=row.status, intent=row.intent, lang=row.lang, reply=row.reply_text,
            requests=[RequestSummary.of(r, targets) for r in requests],
        )


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

    @classmethod
    def of(cls, row: Message) -> MessageSummary:
        return cls(
            id=row.id, created_at=row.created_at, source=row.source, customer=row.customer, ticket_id=row.ticket_id,
            text=row.text, status=row.status, attempts=row.attempts, last_error=row.last_error, intent=row.intent,
            reply_text=row.reply_text, processed_at=row.processed_at,
        )


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
    waiting_on: WaitingOn | None  # person (review queue) or provider (forwarded); null: no one
    waiting_since: datetime | None  # when the current wait began (not the request's creation)
    sla_due_at: datetime | None  # when it is due under the tenant's target (null: target off)
    overdue: bool  # past `sla_due_at`
    assignee_id: uuid.UUID | None  # the team member who took it; null: unassigned

    @classmethod
    def of(cls, row: SupportRequest, targets: SlaTargets | None = None) -> RequestOut:
        """`targets`: the tenant's SLA targets (supportai.domain.requests.sla.sla_targets)."""
        return cls(**_request_fields(row, targets))


def _request_fields(row: SupportRequest, targets: SlaTargets | None) -> dict[str, Any]:
    """RequestOut's fields, shared with RequestDetail."""
    return dict(**wait_fields(row, targets),
        id=row.id, created_at=row.created_at, updated_at=row.updated_at, message_id=row.message_id,
        customer=row.customer, order_id=row.order_id, external_order_id=row.external_order_id, provider=row.provider,
        service_id=row.service_id, intent=row.intent, outcome=row.outcome, status=row.status, reason=row.reason,
        drop=row.drop, provider_refill_id=row.provider_refill_id, follow_ups=row.follow_ups,
        next_check_at=row.next_check_at, assignee_id=row.assignee_id,
    )


class EventOut(msgspec.Struct):
    at: datetime
    kind: str
    detail: dict[str, Any]
    by_name: str | None = None  # the team member in `detail.by`, when a person acted

    @classmethod
    def of(cls, row: RequestEvent, names: dict[str, str]) -> EventOut:
        return cls(at=row.created_at, kind=row.kind, detail=row.detail, by_name=names.get(str(row.detail.get("by"))))


class RequestDetail(RequestOut):
    message_text: str
    reply: str | None
    timeline: list[EventOut]
    # What the decision found, formatted for people: current_count, expected_count,
    # refill_days, wait (each only when known).
    facts: dict[str, str]
    baseline: dict[str, Any] | None  # the order when forwarded: status, remains, current_count, drop
    service_name: str | None  # the catalogue's name of the order's service (what is counted)
    assignee_name: str | None  # the assignee by name (`auth.people`)

    @classmethod
    def of(  # type: ignore[override]
        cls, row: SupportRequest, message: Message, events: list[RequestEvent], names: dict[str, str],
        service_name: str | None, targets: SlaTargets | None = None,
    ) -> RequestDetail:
        return cls(
            **_request_fields(row, targets), message_text=message.text, reply=message.reply_text,
            timeline=[EventOut.of(e, names) for e in events], facts=row.facts, baseline=row.baseline,
            service_name=service_name, assignee_name=names.get(str(row.assignee_id)),
        )


class RequestListItem(RequestOut):
    """A request in the list, with the message it came from."""

    message_text: str
    lang: str | None
    source: str  # the channel: ticket | telegram | api

    @classmethod
    def of(  # type: ignore[override]
        cls, row: SupportRequest, message: Message, targets: SlaTargets | None = None
    ) -> RequestListItem:
        return cls(**_request_fields(row, targets), message_text=message.text, lang=message.lang, source=message.source)


class RequestPage(msgspec.Struct):
    items: list[RequestListItem]
    next_cursor: str | None
    counts: dict[str, int]  # per status, for the filters other than status


class QueueItem(msgspec.Struct):
    request: RequestOut
    reason: str
    assignee_name: str | None = None  # who took it, by name (`auth.people`)

    @classmethod
    def of(
        cls, row: SupportRequest, targets: SlaTargets | None = None, names: dict[str, str] | None = None
    ) -> QueueItem:
        return cls(request=RequestOut.of(row, targets), reason=row.reason or str(row.outcome),
                   assignee_name=(names or {}).get(str(row.assignee_id)))


class ManualReplyIn(Input):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class AssignIn(Input):
    # A team member of this account (the caller's own id takes it); null: unassigned.
    user_id: uuid.UUID | None


class ActionIn(Input):
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class AutomationFigure(msgspec.Struct):
    """How much of the support the automation did alone in a period [start, end)."""

    period_start: datetime
    period_end: datetime
    requests: int
    automated_resolved: int  # resolved with no human touch
    automated_resolution_rate: float | None  # automated_resolved / requests; null without requests
    human_touched: int  # escalated, or acted on by a person (resolve, close, reply, re-forward)
    wrong_actions: int  # forwarded, then declined by the provider: forwarded when not eligible
