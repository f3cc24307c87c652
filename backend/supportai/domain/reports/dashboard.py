"""The dashboard: what support looks like today and over the last days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.auth.people import people_names
from supportai.domain.billing.service import LOW_CREDITS, blocked_reason, current_subscription
from supportai.domain.reports.schemas import ActivityItem, Dashboard, DayCount
from supportai.domain.requests.automation import automation_figure
from supportai.domain.requests.models import (
    WITH_PROVIDER,
    Message,
    MessageStatus,
    RequestEvent,
    SupportRequest,
)
from supportai.engine.decisions import RequestStatus

RECENT_ACTIVITY = 12
# Steps worth showing on the dashboard; the rest (quota charged, checks) are in each timeline.
ACTIVITY_KINDS = ("decided", "escalated", "resolved", "closed", "manual_reply", "reforwarded", "provider_confirmed",
                  "provider_declined", "declined", "replied")


def _utc_day(session: AsyncSession, column: sa.ColumnElement[datetime]) -> sa.ColumnElement[date]:
    if session.bind.dialect.name == "postgresql":
        return sa.func.date(sa.func.timezone("UTC", column))
    return sa.func.date(column)  # SQLite keeps UTC times as text


async def requests_by_day(session: AsyncSession, first_day: date, days: int) -> list[DayCount]:
    start = datetime.combine(first_day, time(), UTC)
    day = _utc_day(session, SupportRequest.created_at)
    rows = (await session.execute(
        sa.select(day, SupportRequest.status, sa.func.count())
        .where(SupportRequest.created_at >= start).group_by(day, SupportRequest.status)
    )).all()
    counts: dict[date, dict[str, int]] = {first_day + timedelta(days=n): {} for n in range(days)}
    for when, status, count in rows:
        when = when if isinstance(when, date) else date.fromisoformat(when)
        if when in counts:
            counts[when][status] = count
    return [DayCount(day=d, by_status=by_status) for d, by_status in counts.items()]


async def recent_activity(session: AsyncSession) -> list[ActivityItem]:
    rows = (await session.execute(
        sa.select(RequestEvent, SupportRequest.customer, SupportRequest.order_id)
        .join(SupportRequest, SupportRequest.id == RequestEvent.request_id)
        .where(RequestEvent.kind.in_(ACTIVITY_KINDS))
        .order_by(RequestEvent.created_at.desc(), RequestEvent.id.desc()).limit(RECENT_ACTIVITY)
    )).all()
    names = await people_names(session, [event.detail.get("by") for event, _, _ in rows])
    return [
        ActivityItem(at=event.created_at, request_id=event.request_id, customer=customer, order_id=order_id,
                     kind=event.kind, detail=event.detail, by_name=names.get(str(event.detail.get("by"))))
        for event, customer, order_id in rows
    ]


async def _count(session: AsyncSession, model: type, *conditions: sa.ColumnElement[bool]) -> int:
    return await session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions)) or 0


async def dashboard(session: AsyncSession, days: int) -> Dashboard:
    today = utcnow().date()
    first_day = today - timedelta(days=days - 1)
    tomorrow = datetime.combine(today + timedelta(days=1), time(), UTC)  # periods are whole days
    subscription = await current_subscription(session)
    status_counts = dict((await session.execute(
        sa.select(SupportRequest.status, sa.func.count())
        .where(SupportRequest.status.in_((RequestStatus.ESCALATED, RequestStatus.BLOCKED_QUOTA, *WITH_PROVIDER)))
        .group_by(SupportRequest.status)
    )).all())
    escalated = status_counts.get(RequestStatus.ESCALATED, 0)
    return Dashboard(
        today=await automation_figure(session, datetime.combine(today, time(), UTC), tomorrow),
        period=await automation_figure(session, datetime.combine(first_day, time(), UTC), tomorrow),
        requests_by_day=await requests_by_day(session, first_day, days),
        open_escalations=escalated,
        waiting_for_provider=sum(status_counts.get(s, 0) for s in WITH_PROVIDER),
        queue=escalated + status_counts.get(RequestStatus.BLOCKED_QUOTA, 0),
        failed_messages=await _count(session, Message, Message.status == MessageStatus.FAILED),
        requests_used=subscription.requests_used, requests_limit=subscription.requests_limit,
        credits_left=subscription.credits_left, credits_low=subscription.credits_left < LOW_CREDITS,
        blocked_reason=blocked_reason(subscription),
        recent_activity=await recent_activity(session),
    )
