"""SLA timers: what a support request waits on, since when, when that wait is due and
whether it is overdue, given the tenant's two targets. Pure: no clock, no I/O.

A request waits on a *person* while it is in the review queue (escalated, or blocked by
quota: staff must act) and on a *provider* while it is forwarded or acknowledged. Any other
status waits on no one we promise anything for (open: the pipeline; waiting_customer: the
customer; resolved, declined, closed: done).

A wait begins when the request enters a waiting status, and a new one begins whenever it
enters one again (forwarded again, reopened, escalated again): the timer measures the
current wait, not the request's age. The one step that continues a wait is the provider
acknowledging a forwarded request: it is still theirs to act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from supportai.engine.decisions import RequestStatus


class WaitingOn(StrEnum):
    PERSON = "person"
    PROVIDER = "provider"


PERSON_STATUSES = frozenset({RequestStatus.ESCALATED, RequestStatus.BLOCKED_QUOTA})
PROVIDER_STATUSES = frozenset({RequestStatus.FORWARDED, RequestStatus.ACKNOWLEDGED})

DEFAULT_PERSON_MINUTES = 240
DEFAULT_PROVIDER_MINUTES = 2880


def waiting_on(status: str | None) -> WaitingOn | None:
    if status in PERSON_STATUSES:
        return WaitingOn.PERSON
    if status in PROVIDER_STATUSES:
        return WaitingOn.PROVIDER
    return None


def statuses_waiting_on(kind: WaitingOn) -> frozenset[RequestStatus]:
    return PERSON_STATUSES if kind == WaitingOn.PERSON else PROVIDER_STATUSES


def continues_wait(old: str | None, new: str) -> bool:
    """Whether a request going from `old` to `new` keeps its current wait (and its timer)."""
    return new == RequestStatus.ACKNOWLEDGED and old in PROVIDER_STATUSES


@dataclass(frozen=True)
class SlaTargets:
    """How long a request may wait on each side; None: no target (off)."""

    person: timedelta | None
    provider: timedelta | None

    @classmethod
    def of_minutes(cls, person: int | None, provider: int | None) -> SlaTargets:
        return cls(
            person=None if person is None else timedelta(minutes=person),
            provider=None if provider is None else timedelta(minutes=provider),
        )

    def for_kind(self, kind: WaitingOn) -> timedelta | None:
        return self.person if kind == WaitingOn.PERSON else self.provider


DEFAULT_TARGETS = SlaTargets.of_minutes(DEFAULT_PERSON_MINUTES, DEFAULT_PROVIDER_MINUTES)
NO_TARGETS = SlaTargets(person=None, provider=None)


@dataclass(frozen=True)
class Wait:
    on: WaitingOn
    since: datetime | None  # None: the start is unknown (then it has no due time)
    due_at: datetime | None  # None: no target for this side, or no known start
    overdue: bool

    def overdue_by(self, now: datetime) -> timedelta | None:
        return now - self.due_at if self.overdue and self.due_at is not None else None


def wait_of(status: str, since: datetime | None, targets: SlaTargets, now: datetime) -> Wait | None:
    """The request's current wait, or None when it waits on no one. Overdue once `now` is
    past the due time (a request due exactly now is not overdue yet)."""
    kind = waiting_on(status)
    if kind is None:
        return None
    target = targets.for_kind(kind)
    due_at = since + target if since is not None and target is not None else None
    return Wait(on=kind, since=since, due_at=due_at, overdue=due_at is not None and now > due_at)


def breach_cutoff(target: timedelta | None, now: datetime) -> datetime | None:
    """Waits that began before this are overdue at `now` (the same rule as `wait_of`)."""
    return None if target is None else now - target
