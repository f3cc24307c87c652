"""Follow-up monitoring decisions: progress per intent, and when to remind or escalate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from supportai.domain.billing.service import CreditCharge
from supportai.engine.decisions import Intent
from supportai.engine.tracking import (
    Baseline,
    Check,
    Snapshot,
    Step,
    has_progressed,
    next_step,
    order_closed,
    plan_check,
    unmeasurable,
)

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(("now_count", "progressed"), [(1100, False), (1149, False), (1150, True), (1400, True)])
def test_a_refill_progresses_when_the_count_regains_half_the_drop(now_count, progressed):
    baseline = Baseline(status="Completed", current_count=1100, drop=100)
    assert has_progressed(Intent.REFILL, baseline, Snapshot(status="Completed", current_count=now_count)) is progressed


def test_an_odd_drop_needs_the_larger_half():
    baseline = Baseline(status="Completed", current_count=1000, drop=5)
    assert not has_progressed(Intent.REFILL, baseline, Snapshot(status="Completed", current_count=1002))
    assert has_progressed(Intent.REFILL, baseline, Snapshot(status="Completed", current_count=1003))


def test_a_refill_completed_by_the_provider_progresses_without_a_count():
    baseline = Baseline(status="Completed", drop=100)
    assert has_progressed(Intent.REFILL, baseline, Snapshot(status="Completed", refill_status="Completed"))
    assert not has_progressed(Intent.REFILL, baseline, Snapshot(status="Completed", refill_status="In progress"))
    assert not has_progressed(Intent.REFILL, baseline, Snapshot(status="Completed"))  # nothing to measure


@pytest.mark.parametrize(("status", "progressed"), [
    ("Pending", False), ("In progress", False), ("Canceled", True), ("Partial", True), ("Completed", False),
])
def test_a_cancel_progresses_when_the_order_is_canceled_or_partial(status, progressed):
    baseline = Baseline(status="Pending", remains=1000)
    assert has_progressed(Intent.CANCEL, baseline, Snapshot(status=status, remains=1000)) is progressed


@pytest.mark.parametrize(("status", "remains", "progressed"), [
    ("In progress", 600, False), ("In progress", 599, True), ("Completed", 0, True), ("Partial", 600, False),
])
def test_a_speed_up_progresses_when_the_remains_fall_or_the_order_completes(status, remains, progressed):
    baseline = Baseline(status="In progress", remains=600)
    assert has_progressed(Intent.SPEED_UP, baseline, Snapshot(status=status, remains=remains)) is progressed


def step(*, progressed=False, hours_waiting=0.0, follow_ups=0, max_follow_ups=3):
    return next_step(
        progressed=progressed, waiting_since=T0, now=T0 + timedelta(hours=hours_waiting),
        follow_up_after=timedelta(hours=24), follow_ups=follow_ups, max_follow_ups=max_follow_ups,
    )


def test_progress_resolves_whatever_the_wait():
    assert step(progressed=True, hours_waiting=100, follow_ups=3) == Step.RESOLVE


def test_no_progress_waits_out_the_follow_up_window_then_reminds_then_escalates():
    assert step(hours_waiting=23.9) == Step.WAIT
    assert step(hours_waiting=24) == Step.FOLLOW_UP
    assert step(hours_waiting=30, follow_ups=2) == Step.FOLLOW_UP
    assert step(hours_waiting=24, follow_ups=3) == Step.ESCALATE
    assert step(hours_waiting=24, max_follow_ups=0) == Step.ESCALATE


@pytest.mark.parametrize(("before", "after", "crossed"), [
    (900, 600, None), (600, 499, "low"), (499, 400, None), (400, 0, "empty"), (0, 0, None), (1, 0, "empty"),
])
def test_the_owner_hears_once_when_credits_run_low_and_once_when_they_run_out(before, after, crossed):
    assert CreditCharge(taken=before - after, balance_before=before, balance_after=after).crossed == crossed


@pytest.mark.parametrize(
    ("intent", "status", "closed"),
    [
        (Intent.REFILL, "Canceled", True), (Intent.REFILL, "Refunded", True), (Intent.REFILL, "Fail", True),
        (Intent.SPEED_UP, "Canceled", True), (Intent.SPEED_UP, "Fail", True),
        (Intent.REFILL, "Completed", False), (Intent.SPEED_UP, "In progress", False),
        (Intent.CANCEL, "Canceled", False),  # what a cancel waits for: progress, not an end
    ],
)
def test_tracking_ends_for_a_refill_or_speed_up_whose_order_closes(intent, status, closed):
    assert order_closed(intent, Snapshot(status=status)) is closed


@pytest.mark.parametrize(
    ("baseline_count", "now_count", "refill_status", "unmeasured"),
    [(None, None, None, True), (1100, None, None, True), (1100, 1200, None, False), (None, None, "In progress", False)],
)
def test_a_refill_without_a_count_or_a_refill_status_cannot_be_measured(
    baseline_count, now_count, refill_status, unmeasured
):
    baseline = Baseline(status="Completed", current_count=baseline_count, drop=400 if baseline_count else None)
    now = Snapshot(status="Completed", current_count=now_count, refill_status=refill_status)
    assert unmeasurable(Intent.REFILL, baseline, now) is unmeasured
    assert not unmeasurable(Intent.SPEED_UP, baseline, Snapshot(status="In progress"))  # remains always tell


def check(order, *, baseline=None, intent=Intent.REFILL, confirmed=False, hours_waiting=1.0, follow_ups=0):
    return plan_check(
        intent=intent, confirmed=confirmed, baseline=baseline, order=order, drop=400, waiting_since=T0,
        now=T0 + timedelta(hours=hours_waiting), follow_up_after=timedelta(hours=24), follow_ups=follow_ups,
        max_follow_ups=3,
    )


COUNTED = Baseline(status="Completed", current_count=1100, drop=400)


def test_a_check_that_finds_nothing_new_waits_and_keeps_the_baseline():
    assert check(Snapshot(status="Completed", current_count=1120), baseline=COUNTED) == Check(Step.WAIT)


def test_a_check_without_a_baseline_measures_from_now_on():
    made = check(Snapshot(status="Completed", current_count=1100))
    assert made == Check(Step.WAIT, baseline=Baseline(status="Completed", current_count=1100, drop=400))


def test_an_order_gone_from_the_panel_is_escalated_and_a_closed_one_closed():
    assert check(None, baseline=COUNTED) == Check(Step.ESCALATE)
    assert check(Snapshot(status="Canceled"), baseline=COUNTED, hours_waiting=100, follow_ups=3) == Check(Step.CLOSE)


def test_a_confirmed_refill_nothing_can_measure_is_assumed_done_once_the_window_passes():
    unmeasured = Baseline(status="Completed")
    assert check(Snapshot(status="Completed"), baseline=unmeasured, confirmed=True) == Check(Step.WAIT)
    late = check(Snapshot(status="Completed"), baseline=unmeasured, confirmed=True, hours_waiting=25)
    assert late == Check(Step.RESOLVE, assumed=True)
    # Not confirmed by the provider: reminded, not assumed; a measurable one is never assumed.
    assert check(Snapshot(status="Completed"), baseline=unmeasured, hours_waiting=25) == Check(Step.FOLLOW_UP)
    measured = check(Snapshot(status="Completed", current_count=1100), baseline=COUNTED, confirmed=True,
                     hours_waiting=25)
    assert measured == Check(Step.FOLLOW_UP)
