"""Follow-up monitoring of forwarded requests (rules.md, "Provider dispatch and follow-up").

Pure decisions, no I/O: given what a forwarded request looked like when it was forwarded
(its baseline) and what the order looks like now, has the provider acted? And if not,
is it time to remind the provider, or to hand the request to the owner?
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import msgspec

from supportai.engine.decisions import Intent, OrderStatus


class Baseline(msgspec.Struct, frozen=True):
    """The order when the request was forwarded: what progress is measured against."""

    status: str
    remains: int = 0
    current_count: int | None = None  # the live count, when the tenant has a count source
    drop: int | None = None  # refill: how many units were missing


class Snapshot(msgspec.Struct, frozen=True):
    """The order now, as the panel (and the count source, and the provider) tell it."""

    status: str
    remains: int = 0
    current_count: int | None = None
    refill_status: str | None = None  # the provider's refill status, for API refills


class Step(StrEnum):
    RESOLVE = "resolve"  # the provider acted: tell the customer, stop tracking
    WAIT = "wait"  # check again at the next interval
    FOLLOW_UP = "follow_up"  # remind the provider
    ESCALATE = "escalate"  # reminded enough: the owner takes over
    CLOSE = "close"  # the order closed: nothing left to refill or speed up


# Statuses that end a refill's or speed-up's tracking ("Refunded" is read as `Canceled`).
CLOSED_ORDER = frozenset({OrderStatus.CANCELED, OrderStatus.FAILED})


def order_closed(intent: Intent, now: Snapshot) -> bool:
    """A refill or speed-up whose order was canceled, refunded or failed meanwhile: its
    tracking ends (a cancel waits for exactly that, as progress)."""
    return intent in (Intent.REFILL, Intent.SPEED_UP) and OrderStatus(now.status) in CLOSED_ORDER


def has_progressed(intent: Intent, baseline: Baseline, now: Snapshot) -> bool:
    """Refill: the count rose by at least half the drop, or the provider's refill is
    `Completed`. Cancel: the order is `Canceled` or `Partial`. Speed-up: the remains
    fell, or the order is `Completed`."""
    match intent:
        case Intent.REFILL:
            if (now.refill_status or "").casefold() == "completed":
                return True
            if now.current_count is None or baseline.current_count is None or not baseline.drop:
                return False
            return now.current_count - baseline.current_count >= -(-baseline.drop // 2)
        case Intent.CANCEL:
            return now.status in (OrderStatus.CANCELED, OrderStatus.PARTIAL)
        case Intent.SPEED_UP:
            return now.status == OrderStatus.COMPLETED or now.remains < baseline.remains
    return False


def unmeasurable(intent: Intent, baseline: Baseline, now: Snapshot) -> bool:
    """A refill nothing can measure: no live count to compare, no refill status from the
    provider's API. Once the provider confirmed it, it is assumed done when the follow-up
    window passes with no decline (rules.md, "Assumed resolution")."""
    no_count = now.current_count is None or baseline.current_count is None or not baseline.drop
    return intent == Intent.REFILL and now.refill_status is None and no_count


def next_step(
    *,
    progressed: bool,
    waiting_since: datetime,
    now: datetime,
    follow_up_after: timedelta,
    follow_ups: int,
    max_follow_ups: int,
) -> Step:
    """`waiting_since`: when the request was forwarded, or last followed up."""
    if progressed:
        return Step.RESOLVE
    if now - waiting_since < follow_up_after:
        return Step.WAIT
    return Step.ESCALATE if follow_ups >= max_follow_ups else Step.FOLLOW_UP


class Check(msgspec.Struct, frozen=True):
    """What one check of a forwarded request comes to."""

    step: Step
    assumed: bool = False  # resolved by assumption: confirmed, nothing to measure, no decline in the window
    baseline: Baseline | None = None  # the request had none (forwarded before tracking began): measured from now


def plan_check(
    *,
    intent: Intent,
    confirmed: bool,
    baseline: Baseline | None,
    order: Snapshot | None,
    drop: int | None,
    waiting_since: datetime,
    now: datetime,
    follow_up_after: timedelta,
    follow_ups: int,
    max_follow_ups: int,
) -> Check:
    """The step for a request whose order now looks like `order` (None: gone from the panel)."""
    if order is None:  # nothing left to measure
        return Check(Step.ESCALATE)
    if order_closed(intent, order):
        return Check(Step.CLOSE)
    new_baseline = None
    if baseline is None:
        baseline = new_baseline = Baseline(
            status=order.status, remains=order.remains, current_count=order.current_count, drop=drop,
        )
    step = next_step(
        progressed=has_progressed(intent, baseline, order), waiting_since=waiting_since, now=now,
        follow_up_after=follow_up_after, follow_ups=follow_ups, max_follow_ups=max_follow_ups,
    )
    # Confirmed, nothing to measure, the window passed without a decline: assumed done.
    if step in (Step.FOLLOW_UP, Step.ESCALATE) and confirmed and unmeasurable(intent, baseline, order):
        return Check(Step.RESOLVE, assumed=True, baseline=new_baseline)
    return Check(step, baseline=new_baseline)
