"""Subscription money and time, with no I/O: anniversaries, proration, upgrade carry-over,
Enterprise overage, renewal lines and the subscription's state machine
(trialing → active → past_due → lapsed; any of them → active on payment).

Money is integer US cents; fractions of a cent are rounded half-up once, at the end.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

TRIAL = timedelta(days=7)
GRACE = timedelta(days=3)
DAY = timedelta(days=1)


class Status(StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"  # the renewal invoice is unpaid, within the grace period
    LAPSED = "lapsed"  # unpaid after the trial or the grace: new requests are refused


def add_months(anchor: datetime, months: int) -> datetime:
    """The anniversary `months` after `anchor`, clamped to short months (Jan 31 → Feb 28)
    without drifting: the month after that is Mar 31 again."""
    years, month_index = divmod(anchor.month - 1 + months, 12)
    year, month = anchor.year + years, month_index + 1
    return anchor.replace(year=year, month=month, day=min(anchor.day, calendar.monthrange(year, month)[1]))


def display(cents: int) -> str:
    """378_00 → "378.00"."""
    return f"{Decimal(cents) / 100:.2f}"


def days_left(now: datetime, cycle_start: datetime, cycle_end: datetime) -> tuple[int, int]:
    """(days left, days in the cycle). A started day counts as left: the upgrade serves it."""
    total = max((cycle_end - cycle_start) // DAY, 1)
    remaining = cycle_end - now
    left = remaining // DAY + (1 if remaining % DAY else 0)
    return min(max(left, 0), total), total


def prorate(difference_cents: int, now: datetime, cycle_start: datetime, cycle_end: datetime) -> int:
    """The price difference × days left ÷ days in the cycle, rounded half-up to the cent."""
    left, total = days_left(now, cycle_start, cycle_end)
    exact = Decimal(difference_cents) * left / total
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def carried_over(new_allowance: int, current_limit: int, used: int) -> int:
    """The cycle's new limit after an upgrade: what is left becomes the new plan's allowance
    plus what is unused of the current limit (its bonus included), and the requests already
    used stay counted. 45/50 used, then Growth's 200: limit 250, 205 left. Several upgrades
    in one cycle compose."""
    return used + new_allowance + max(current_limit - used, 0)


def overage_blocks(used: int, limit: int, block_requests: int | None) -> int:
    """ceil((used − limit) / block); 0 within the limit or without overage terms."""
    if block_requests is None or used <= limit:
        return 0
    return -(-(used - limit) // block_requests)


@dataclass(frozen=True)
class Line:
    kind: str  # plan | proration | overage | credits
    description: str
    quantity: int
    unit_cents: int

    @property
    def amount_cents(self) -> int:
        return self.quantity * self.unit_cents


@dataclass(frozen=True)
class PlanTerms:
    """What the engine needs of a plan (domain.billing.plans holds the plans themselves)."""

    name: str
    price_cents: int
    overage_block_requests: int | None = None
    overage_block_price_cents: int | None = None


def plan_line(plan: PlanTerms) -> Line:
    return Line("plan", f"{plan.name} plan, one month", 1, plan.price_cents)


def renewal_lines(next_plan: PlanTerms, ending_plan: PlanTerms, used: int, limit: int) -> list[Line]:
    """The next cycle's plan (after any scheduled change) and the ending cycle's overage."""
    lines = [plan_line(next_plan)]
    blocks = overage_blocks(used, limit, ending_plan.overage_block_requests)
    if blocks:
        lines.append(Line(
            "overage", f"{used - limit} requests over {limit}: blocks of {ending_plan.overage_block_requests}",
            blocks, ending_plan.overage_block_price_cents or 0,
        ))
    return lines


def total(lines: list[Line]) -> int:
    return sum(line.amount_cents for line in lines)


@dataclass(frozen=True)
class Cycle:
    """A subscription's billing clock; `grace_ends_at` is set while past due."""

    status: Status
    anchored_at: datetime  # anniversaries count from it
    number: int
    start: datetime
    end: datetime  # the next anniversary
    trial_ends_at: datetime | None = None
    grace_ends_at: datetime | None = None


def trial(now: datetime) -> Cycle:
    """Sign-up: the trial is the first cycle until the first payment sets the anniversary."""
    return Cycle(Status.TRIALING, anchored_at=now, number=0, start=now, end=now + TRIAL, trial_ends_at=now + TRIAL)


def due_step(cycle: Cycle, now: datetime) -> str | None:
    """What the clock owes at `now`: "renew" (issue the renewal invoice, go past due),
    "lapse", or None."""
    match cycle.status:
        case Status.TRIALING if cycle.trial_ends_at is not None and now >= cycle.trial_ends_at:
            return "lapse"  # no extra grace: the trial was the time to pay
        case Status.ACTIVE if now >= cycle.end:
            return "renew"
        case Status.PAST_DUE if cycle.grace_ends_at is not None and now >= cycle.grace_ends_at:
            return "lapse"
    return None


def renewed(cycle: Cycle) -> Cycle:
    return replace(cycle, status=Status.PAST_DUE, grace_ends_at=cycle.end + GRACE)


def lapsed(cycle: Cycle) -> Cycle:
    return replace(cycle, status=Status.LAPSED)


def paid(cycle: Cycle, now: datetime) -> Cycle:
    """The subscription (or renewal) invoice is paid: the next cycle starts. Within grace
    it starts at the anniversary, which does not move; after the trial or a lapse it starts
    on the payment day, which becomes the new anniversary."""
    if cycle.status == Status.PAST_DUE:
        number = cycle.number + 1
        return Cycle(Status.ACTIVE, cycle.anchored_at, number, cycle.end, add_months(cycle.anchored_at, number + 1))
    if cycle.status in (Status.TRIALING, Status.LAPSED):
        return Cycle(Status.ACTIVE, anchored_at=now, number=0, start=now, end=add_months(now, 1))
    return cycle  # already active: nothing to start


def rolled_forward(cycle: Cycle, now: datetime) -> Cycle:
    """Self-hosted mode (no gateway): every anniversary passed starts a cycle, as if paid."""
    number, start, end = cycle.number, cycle.start, cycle.end
    while now >= end:
        number, start, end = number + 1, end, add_months(cycle.anchored_at, number + 2)
    return replace(cycle, status=Status.ACTIVE, number=number, start=start, end=end, grace_ends_at=None)
