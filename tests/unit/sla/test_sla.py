"""SLA timers (supportai.engine.sla): what a request waits on, its due time, overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from supportai.engine.decisions import RequestStatus
from supportai.engine.sla import (
    DEFAULT_TARGETS,
    NO_TARGETS,
    SlaTargets,
    WaitingOn,
    breach_cutoff,
    continues_wait,
    wait_of,
    waiting_on,
)

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
TARGETS = SlaTargets.of_minutes(240, 2880)


@pytest.mark.parametrize(("status", "expected"), [
    (RequestStatus.ESCALATED, WaitingOn.PERSON),
    (RequestStatus.BLOCKED_QUOTA, WaitingOn.PERSON),
    (RequestStatus.FORWARDED, WaitingOn.PROVIDER),
    (RequestStatus.ACKNOWLEDGED, WaitingOn.PROVIDER),
    (RequestStatus.OPEN, None),
    (RequestStatus.WAITING_CUSTOMER, None),
    (RequestStatus.RESOLVED, None),
    (RequestStatus.DECLINED, None),
    (RequestStatus.CLOSED, None),
    (None, None),
    ("something-new", None),
])
def test_what_each_status_waits_on(status: str | None, expected: WaitingOn | None) -> None:
    assert waiting_on(status) == expected


def test_a_provider_wait_past_its_target_is_overdue() -> None:
    since = NOW - timedelta(hours=49)
    wait = wait_of(RequestStatus.FORWARDED, since, TARGETS, NOW)
    assert wait is not None
    assert (wait.on, wait.since, wait.due_at, wait.overdue) == (WaitingOn.PROVIDER, since, since + timedelta(hours=48),
                                                                 True)
    assert wait.overdue_by(NOW) == timedelta(hours=1)


def test_a_person_wait_within_its_target_is_not_overdue() -> None:
    since = NOW - timedelta(hours=3)
    wait = wait_of(RequestStatus.ESCALATED, since, TARGETS, NOW)
    assert wait is not None and wait.on == WaitingOn.PERSON
    assert wait.due_at == NOW + timedelta(hours=1) and not wait.overdue
    assert wait.overdue_by(NOW) is None


def test_due_exactly_now_is_not_yet_overdue_and_a_moment_later_is() -> None:
    since = NOW - timedelta(minutes=240)
    assert not wait_of(RequestStatus.BLOCKED_QUOTA, since, TARGETS, NOW).overdue  # type: ignore[union-attr]
    later = NOW + timedelta(microseconds=1)
    assert wait_of(RequestStatus.BLOCKED_QUOTA, since, TARGETS, later).overdue  # type: ignore[union-attr]


def test_the_sweep_cutoff_follows_the_same_rule() -> None:
    cutoff = breach_cutoff(TARGETS.provider, NOW)
    assert cutoff == NOW - timedelta(minutes=2880)
    # A wait that began strictly before the cutoff is overdue; one at the cutoff is not.
    assert wait_of(RequestStatus.FORWARDED, cutoff - timedelta(seconds=1), TARGETS, NOW).overdue  # type: ignore
    assert not wait_of(RequestStatus.FORWARDED, cutoff, TARGETS, NOW).overdue  # type: ignore[union-attr]
    assert breach_cutoff(None, NOW) is None


def test_a_target_that_is_off_gives_no_due_time_and_never_overdue() -> None:
    person_off = SlaTargets.of_minutes(None, 2880)
    ancient = NOW - timedelta(days=365)
    wait = wait_of(RequestStatus.ESCALATED, ancient, person_off, NOW)
    assert wait is not None and wait.on == WaitingOn.PERSON and wait.since == ancient
    assert wait.due_at is None and not wait.overdue
    # The other side keeps its target.
    assert wait_of(RequestStatus.FORWARDED, ancient, person_off, NOW).overdue  # type: ignore[union-attr]
    for status in (RequestStatus.ESCALATED, RequestStatus.FORWARDED):
        off = wait_of(status, ancient, NO_TARGETS, NOW)
        assert off is not None and off.due_at is None and not off.overdue


def test_statuses_that_wait_on_no_one_have_no_wait_whatever_the_start() -> None:
    for status in (RequestStatus.OPEN, RequestStatus.WAITING_CUSTOMER, RequestStatus.RESOLVED,
                   RequestStatus.DECLINED, RequestStatus.CLOSED):
        assert wait_of(status, NOW - timedelta(days=30), TARGETS, NOW) is None


def test_an_unknown_start_shows_the_wait_without_a_due_time() -> None:
    wait = wait_of(RequestStatus.ACKNOWLEDGED, None, TARGETS, NOW)
    assert wait is not None and wait.on == WaitingOn.PROVIDER
    assert wait.since is None and wait.due_at is None and not wait.overdue


def test_only_the_provider_acknowledging_continues_a_wait() -> None:
    assert continues_wait(RequestStatus.FORWARDED, RequestStatus.ACKNOWLEDGED)
    assert continues_wait(RequestStatus.ACKNOWLEDGED, RequestStatus.ACKNOWLEDGED)
    # Forwarded again (from forwarded, acknowledged or declined), escalated again, reopened: a new wait.
    for old, new in [
        (RequestStatus.FORWARDED, RequestStatus.FORWARDED),
        (RequestStatus.ACKNOWLEDGED, RequestStatus.FORWARDED),
        (RequestStatus.DECLINED, RequestStatus.FORWARDED),
        (RequestStatus.ESCALATED, RequestStatus.ESCALATED),
        (RequestStatus.FORWARDED, RequestStatus.ESCALATED),
        (RequestStatus.RESOLVED, RequestStatus.FORWARDED),
        (None, RequestStatus.FORWARDED),
        (RequestStatus.ESCALATED, RequestStatus.ACKNOWLEDGED),
    ]:
        assert not continues_wait(old, new), (old, new)


def test_the_defaults_are_four_hours_and_two_days() -> None:
    assert SlaTargets(person=timedelta(hours=4), provider=timedelta(days=2)) == DEFAULT_TARGETS
