"""Tracking, checking: what each due order looks like now against its baseline, and the
step that follows (resolved, reminded, escalated, closed, or checked again later).

Most checks find nothing new and only move the next check on. Those are written for the
whole run in two statements (`record_waits`); the others are applied one by one through
the ORM (`apply_check`), with their timeline steps, reminders and escalations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

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

# What planning a check reads: `lock_due` reads these rather than whole requests.
CHECK_COLUMNS = (
    SupportRequest.id, SupportRequest.status, SupportRequest.intent, SupportRequest.order_id,
    SupportRequest.provider_refill_id, SupportRequest.baseline, SupportRequest.drop, SupportRequest.follow_ups,
    SupportRequest.followed_up_at, SupportRequest.created_at,
)


def plan(request: Any, order: Snapshot | None, settings: TenantSettings, now: datetime, time_scale: float) -> Check:
    """The check of a request (a row of CHECK_COLUMNS, or the request) whose order now looks
    like `order`; intervals are shortened by `time_scale`."""
    return plan_check(
        intent=Intent(request.intent), confirmed=request.status == RequestStatus.ACKNOWLEDGED,
        baseline=None if request.baseline is None else msgspec.convert(request.baseline, Baseline),
        order=order, drop=request.drop, waiting_since=request.followed_up_at or request.created_at, now=now,
        follow_up_after=settings.follow_up_window / time_scale, follow_ups=request.follow_ups,
        max_follow_ups=settings.max_follow_ups,
    )


async def record_waits(
    session: AsyncSession, waits: list[tuple[Any, Snapshot]], now: datetime, next_check_at: datetime
) -> None:
    """Checks that found nothing new, (row, order now) each: the next check moves on and each
    timeline gets its `checked` step, as `apply_check` writes them, in one statement each."""
    if not waits:
        return
    await session.execute(
        sa.update(SupportRequest).where(SupportRequest.id.in_([row.id for row, _ in waits]))
        .values(next_check_at=next_check_at, updated_at=now).execution_options(synchronize_session=False)
    )
    tenant_id = current_tenant(session.sync_session)  # a bulk insert is not stamped by the session hook
    await session.execute(sa.insert(RequestEvent), [
        {"tenant_id": tenant_id, "request_id": row.id, "kind": "checked",
         "detail": {"step": str(Step.WAIT), **msgspec.to_builtins(order)}}
        for row, order in waits
    ])


def apply_check(
    session: AsyncSession, request: SupportRequest, order: Snapshot | None, check: Check, settings: TenantSettings,
    now: datetime, time_scale: float,
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
    request.next_check_at = None if ended else now + settings.tracking_interval / time_scale


def _close(session: AsyncSession, request: SupportRequest, order: Snapshot, now: datetime) -> None:
    """The order closed while the provider was asked to act: tracking ends here, with no
    reminder and no escalation, and is never resumed (no next check)."""
    log_event(session, request, "checked", step=str(Step.CLOSE), **msgspec.to_builtins(order))
    request.status, request.resolved_at, request.next_check_at = RequestStatus.CLOSED, now, None
    request.reason = f"the order became {order.status} while it was tracked"
    log_event(session, request, "closed", by="tracking", order_status=order.status)
