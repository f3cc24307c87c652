"""Tracking, checking one request: what the order looks like now against its baseline,
and the step that follows (resolved, reminded, escalated or checked again later)."""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.dispatch.provider_calls import PROVIDER_ACTION
from supportai.domain.dispatch.scheduling import queue_dispatch
from supportai.domain.requests.events import escalate, log_event
from supportai.domain.requests.models import ASSUMED_RESOLVED, SupportRequest
from supportai.domain.tenants.models import TenantSettings
from supportai.engine.decisions import Intent, Outcome, RequestStatus
from supportai.engine.tracking import (
    Baseline,
    Snapshot,
    Step,
    has_progressed,
    next_step,
    order_closed,
    unmeasurable,
)

# What the customer is told when tracking ends because the order closed.
CLOSED_NOTICE = {Intent.REFILL: Outcome.ORDER_CANCELED, Intent.SPEED_UP: Outcome.ORDER_CLOSED}


def check_request(
    session: AsyncSession, request: SupportRequest, snapshot: Snapshot | None, settings: TenantSettings, now: datetime,
    time_scale: float,
) -> Step:
    """Apply one check to the request and return what was done (intervals shortened by `time_scale`)."""
    if snapshot is None:  # gone from the panel: nothing left to measure
        escalate(session, request, "the order is no longer found on the panel")
        request.next_check_at = None
        return Step.ESCALATE
    if order_closed(Intent(request.intent), snapshot):
        _close(session, request, snapshot, now)
        return Step.CLOSE
    if request.baseline is None:  # forwarded before tracking began: measure from now on
        request.baseline = msgspec.to_builtins(Baseline(
            status=snapshot.status, remains=snapshot.remains, current_count=snapshot.current_count, drop=request.drop,
        ))
    intent, baseline = Intent(request.intent), msgspec.convert(request.baseline, Baseline)
    step = next_step(
        progressed=has_progressed(intent, baseline, snapshot),
        waiting_since=request.followed_up_at or request.created_at,
        now=now, follow_up_after=settings.follow_up_window / time_scale, follow_ups=request.follow_ups,
        max_follow_ups=settings.max_follow_ups,
    )
    # Confirmed, nothing to measure, the window passed without a decline: assumed done.
    assumed = step in (Step.FOLLOW_UP, Step.ESCALATE) and request.status == RequestStatus.ACKNOWLEDGED and (
        unmeasurable(intent, baseline, snapshot)
    )
    step = Step.RESOLVE if assumed else step
    log_event(session, request, "checked", step=str(step), **msgspec.to_builtins(snapshot))
    match step:
        case Step.RESOLVE:
            request.status, request.resolved_at = RequestStatus.RESOLVED, now
            if assumed:
                request.reason = ASSUMED_RESOLVED
            log_event(session, request, "resolved", by="assumed" if assumed else "tracking")
        case Step.FOLLOW_UP:
            request.follow_ups += 1
            request.followed_up_at = now
            queue_dispatch(session, request, PROVIDER_ACTION[Outcome(request.outcome)], follow_up=request.follow_ups)
        case Step.ESCALATE:
            escalate(session, request, f"no progress after {request.follow_ups} follow-up(s) with the provider")
    ended = step in (Step.RESOLVE, Step.ESCALATE)
    request.next_check_at = None if ended else now + settings.tracking_interval / time_scale
    return step


def _close(session: AsyncSession, request: SupportRequest, snapshot: Snapshot, now: datetime) -> None:
    """The order closed while the provider was asked to act: tracking ends here, with no
    reminder and no escalation, and is never resumed (no next check)."""
    log_event(session, request, "checked", step=str(Step.CLOSE), **msgspec.to_builtins(snapshot))
    request.status, request.resolved_at, request.next_check_at = RequestStatus.CLOSED, now, None
    request.reason = f"the order became {snapshot.status} while it was tracked"
    log_event(session, request, "closed", by="tracking", order_status=snapshot.status)
