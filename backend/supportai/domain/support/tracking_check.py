"""Tracking, checking: what each due order looks like now against its baseline, and the
step that follows (resolved, reminded, escalated, closed, or checked again later).

Most checks find nothing new and only move the next check on. Those are written for the
whole run in two statements (`record_waits`); the others are applied one by one through
the ORM (`apply_check`), with their timeline steps, reminders and escalations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.clauses import among
from supportai.db.scoping import current_tenant
from supportai.domain.dispatch.provider_calls import PROVIDER_ACTION
from supportai.domain.dispatch.scheduling import queue_dispatch
from supportai.domain.requests.events import escalate, log_event
from supportai.domain.requests.models import ASSUMED_RESOLVED, RequestEvent, SupportRequest
from supportai.domain.tenants.models import TenantSettings
from supportai.engine.decisions import Intent, Outcome, RequestStatus
from supportai.engine.tracking import Baseline, Check, Snapshot, Step, plan_check

# What the customer is told when tracking ends because the order closed.
CLOSED_NOTICE = {Intent.REFILL: Outcome.ORDER_CANCELED, Intent.SPEED_UP: Outcome.ORDER_CLOSED}

@dataclass(frozen=True, slots=True)
class CheckedRequest:
    """What planning a check reads, as plain columns: `lock_due` reads these (locked)
    rather than whole requests; attribute access on them is cheap, on a result row not."""

    id: uuid.UUID
    status: str
    intent: str
    order_id: str | None
    provider_refill_id: str | None
    baseline: dict[str, Any] | None
    drop: int | None
    follow_ups: int
    followed_up_at: datetime | None
    created_at: datetime


def request_columns(shape: type) -> list[Any]:
    """The request columns a plain-row dataclass (`CheckedRequest`, `DueRequest`) is filled
    from by position: its fields, in order, so the two cannot drift apart."""
    return [getattr(SupportRequest, field.name) for field in fields(shape)]


@dataclass(frozen=True)
class CheckTiming:
    """A tenant's follow-up settings, read once per run (intervals shortened by the
    deployment's time scale) rather than once per check."""

    follow_up_after: timedelta
    max_follow_ups: int
    tracking_interval: timedelta

    @classmethod
    def of(cls, settings: TenantSettings, time_scale: float) -> CheckTiming:
        return cls(settings.follow_up_window / time_scale, settings.max_follow_ups,
                   settings.tracking_interval / time_scale)


_INTENTS = {intent.value: intent for intent in Intent}  # a lookup is cheaper than Intent(...) per check


def plan(request: CheckedRequest | SupportRequest, order: Snapshot | None, timing: CheckTiming, now: datetime) -> Check:
    """The check of a request (a CheckedRequest, or the request itself) whose order now looks
    like `order`."""
    return plan_check(
        intent=_INTENTS[request.intent], confirmed=request.status == RequestStatus.ACKNOWLEDGED,
        baseline=None if request.baseline is None else msgspec.convert(request.baseline, Baseline),
        order=order, drop=request.drop, waiting_since=request.followed_up_at or request.created_at, now=now,
        follow_up_after=timing.follow_up_after, follow_ups=request.follow_ups, max_follow_ups=timing.max_follow_ups,
    )


async def record_waits(
    session: AsyncSession, waits: list[tuple[CheckedRequest, Snapshot]], now: datetime, next_check_at: datetime
) -> None:
    """Checks that found nothing new, (row, order now) each: the next check moves on and each
    timeline gets its `checked` step, as `apply_check` writes them, in one statement each."""
    if not waits:
        return
    await session.execute(
        sa.update(SupportRequest).where(among(session, SupportRequest.id, [row.id for row, _ in waits]))
        .values(next_check_at=next_check_at, updated_at=now).execution_options(synchronize_session=False)
    )
    # Into the table itself, every column given: the ORM's bulk path and its per-row
    # defaults cost more than the statement (a bulk insert is not stamped by the session hook).
    tenant_id, step = current_tenant(session.sync_session), str(Step.WAIT)
    await session.execute(sa.insert(RequestEvent.__table__), [
        {"id": uuid.uuid4(), "created_at": now, "tenant_id": tenant_id, "request_id": row.id, "kind": "checked",
         "detail": {"step": step, **msgspec.to_builtins(order)}}
        for row, order in waits
    ])


def apply_check(
    session: AsyncSession, request: SupportRequest, order: Snapshot | None, check: Check, timing: CheckTiming,
    now: datetime,
) -> None:
    """Write a planned check to the request: its timeline, status, reminder and next check."""
    if order is None:
        escalate(session, request, "the order is no longer found on the panel")
        request.next_check_at = None
        return
    if check.step == Step.CLOSE:
        _close(session, request, order, now)
        return
    if check.baseline is not None:
        request.baseline = msgspec.to_builtins(check.baseline)
    log_event(session, request, "checked", step=str(check.step), **msgspec.to_builtins(order))
    match check.step:
        case Step.RESOLVE:
            request.status, request.resolved_at = RequestStatus.RESOLVED, now
            if check.assumed:
                request.reason = ASSUMED_RESOLVED
            log_event(session, request, "resolved", by="assumed" if check.assumed else "tracking")
        case Step.FOLLOW_UP:
            request.follow_ups += 1
            request.followed_up_at = now
            queue_dispatch(session, request, PROVIDER_ACTION[Outcome(request.outcome)], follow_up=request.follow_ups)
        case Step.ESCALATE:
            escalate(session, request, f"no progress after {request.follow_ups} follow-up(s) with the provider")
    ended = check.step in (Step.RESOLVE, Step.ESCALATE)
    request.next_check_at = None if ended else now + timing.tracking_interval


def _close(session: AsyncSession, request: SupportRequest, order: Snapshot, now: datetime) -> None:
    """The order closed while the provider was asked to act: tracking ends here, with no
    reminder and no escalation, and is never resumed (no next check)."""
    log_event(session, request, "checked", step=str(Step.CLOSE), **msgspec.to_builtins(order))
    request.status, request.resolved_at, request.next_check_at = RequestStatus.CLOSED, now, None
    request.reason = f"the order became {order.status} while it was tracked"
    log_event(session, request, "closed", by="tracking", order_status=order.status)
