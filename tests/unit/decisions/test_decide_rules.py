"""Rules of decide() beyond the acceptance table: boundaries, defaults, facts, statuses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from supportai.engine.decisions import (
    Decision,
    DecisionInput,
    Intent,
    OrderStatus,
    Outcome,
    RequestStatus,
    decide,
    default_tolerance,
    request_status,
)

from ._support import T0, make_input, make_order, make_service

MICROSECOND = timedelta(microseconds=1)


class TestRefillWindow:
    def test_exactly_at_the_end_of_the_window_is_still_inside(self) -> None:
        case = make_input(now=T0 + timedelta(days=30), service=make_service(refill_days=30))

        decision = decide(case)

        assert decision.outcome == Outcome.NO_DROP
        assert decision.days_left == 0

    def test_just_after_the_window_the_period_has_expired(self) -> None:
        case = make_input(
            now=T0 + timedelta(days=30) + MICROSECOND, service=make_service(refill_days=30)
        )

        assert decide(case) == Decision(outcome=Outcome.REFILL_PERIOD_EXPIRED, refill_days=30)

    def test_the_window_is_measured_in_absolute_time_across_timezones(self) -> None:
        customer_zone = timezone(timedelta(hours=-8))
        end_of_window_elsewhere = (T0 + timedelta(days=30)).astimezone(customer_zone)

        case = make_input(now=end_of_window_elsewhere, service=make_service(refill_days=30))

        assert decide(case).outcome == Outcome.NO_DROP

    def test_lifetime_refill_never_expires(self) -> None:
        case = make_input(now=T0 + timedelta(days=50 * 365), service=make_service(refill_days=None))

        decision = decide(case)

        assert decision.outcome == Outcome.NO_DROP
        assert (decision.refill_days, decision.days_left) == (None, None)

    def test_days_left_counts_whole_days(self) -> None:
        case = make_input(
            now=T0 + timedelta(days=10, hours=1), service=make_service(refill_days=30)
        )

        assert decide(case).days_left == 19

    def test_no_refill_is_reported_before_the_window_or_the_status(self) -> None:
        case = make_input(
            now=T0 + timedelta(days=400),
            service=make_service(refill_days=0),
            order=make_order(status=OrderStatus.CANCELED),
        )

        assert decide(case).outcome == Outcome.REFILL_NOT_AVAILABLE


class TestRefillCounts:
    # make_order(): start 1,000 + delivered 1,000 = expected 2,000.

    def test_a_drop_exactly_at_the_tolerance_is_no_drop(self) -> None:
        case = make_input(order=make_order(current_count=1_990), tolerance=10)

        assert decide(case) == Decision(
            outcome=Outcome.NO_DROP,
            expected_count=2_000,
            current_count=1_990,
            refill_days=30,
            days_left=29,
        )

    def test_a_drop_one_above_the_tolerance_is_forwarded_with_the_drop(self) -> None:
        case = make_input(order=make_order(current_count=1_989), tolerance=10)

        decision = decide(case)

        assert decision.outcome == Outcome.FORWARD_REFILL
        assert decision.drop == 11

    @pytest.mark.parametrize(
        ("delivered", "tolerance"),
        [(0, 1), (1, 1), (100, 1), (101, 2), (5_000, 50), (5_001, 51)],
    )
    def test_default_tolerance_is_one_percent_rounded_up_and_at_least_one(
        self, delivered: int, tolerance: int
    ) -> None:
        assert default_tolerance(delivered) == tolerance

    def test_without_a_tolerance_setting_the_default_applies(self) -> None:
        # delivered 1,000 → default tolerance 10
        within = make_input(order=make_order(current_count=1_990), tolerance=None)
        beyond = make_input(order=make_order(current_count=1_989), tolerance=None)

        assert decide(within).outcome == Outcome.NO_DROP
        assert decide(beyond).outcome == Outcome.FORWARD_REFILL

    def test_a_zero_tolerance_forwards_a_drop_of_one(self) -> None:
        case = make_input(order=make_order(current_count=1_999), tolerance=0)

        assert decide(case).drop == 1

    def test_exactly_at_the_start_count_is_not_below_it(self) -> None:
        case = make_input(order=make_order(current_count=1_000))

        decision = decide(case)

        assert decision.outcome == Outcome.FORWARD_REFILL
        assert decision.drop == 1_000

    def test_one_below_the_start_count_cannot_be_refilled(self) -> None:
        case = make_input(order=make_order(current_count=999))

        assert decide(case).outcome == Outcome.BELOW_START_COUNT

    def test_an_unknown_current_count_is_forwarded_without_a_drop(self) -> None:
        decision = decide(make_input(order=make_order(current_count=None)))

        assert decision.outcome == Outcome.FORWARD_REFILL
        assert (decision.drop, decision.expected_count) == (None, 2_000)

    def test_a_partial_order_counts_only_what_was_delivered(self) -> None:
        partial = make_order(status=OrderStatus.PARTIAL, remains=400, current_count=1_500)

        decision = decide(make_input(order=partial, tolerance=0))

        assert (decision.outcome, decision.drop, decision.expected_count) == (
            Outcome.FORWARD_REFILL,
            100,
            1_600,
        )

    def test_partial_orders_are_not_refilled_when_the_tenant_turned_that_off(self) -> None:
        partial = make_order(status=OrderStatus.PARTIAL, remains=400)

        assert decide(make_input(order=partial, refill_partial=False)).outcome == (
            Outcome.ORDER_PARTIAL
        )

    def test_remains_above_the_quantity_counts_as_nothing_delivered(self) -> None:
        partial = make_order(status=OrderStatus.PARTIAL, remains=1_200, current_count=1_000)

        assert decide(make_input(order=partial)).outcome == Outcome.NO_DROP


class TestScreenshot:
    def test_a_required_screenshot_holds_back_a_forward(self) -> None:
        needs_proof = make_service(screenshot_for=frozenset({Intent.REFILL}))
        case = make_input(service=needs_proof, order=make_order(current_count=1_500))

        assert decide(case) == Decision(outcome=Outcome.SCREENSHOT_REQUIRED)

    def test_with_the_screenshot_the_request_is_forwarded(self) -> None:
        needs_proof = make_service(screenshot_for=frozenset({Intent.REFILL}))
        case = make_input(
            service=needs_proof, order=make_order(current_count=1_500), has_screenshot=True
        )

        assert decide(case).outcome == Outcome.FORWARD_REFILL

    def test_answers_that_forward_nothing_need_no_screenshot(self) -> None:
        needs_proof = make_service(screenshot_for=frozenset({Intent.REFILL}))

        assert decide(make_input(service=needs_proof)).outcome == Outcome.NO_DROP

    def test_a_screenshot_for_another_intent_is_not_asked_for(self) -> None:
        needs_proof = make_service(screenshot_for=frozenset({Intent.CANCEL}))
        case = make_input(service=needs_proof, order=make_order(current_count=1_500))

        assert decide(case).outcome == Outcome.FORWARD_REFILL


class TestSpeedUp:
    @staticmethod
    def speed_up_at(age: timedelta, hours: float | None = 6) -> DecisionInput:
        return make_input(
            Intent.SPEED_UP,
            now=T0 + age,
            service=make_service(speed_up_after_hours=hours),
            order=make_order(status=OrderStatus.IN_PROGRESS, remains=300),
        )

    def test_exactly_at_speed_up_after_the_request_is_forwarded(self) -> None:
        assert decide(self.speed_up_at(timedelta(hours=6))).outcome == Outcome.FORWARD_SPEED_UP

    def test_just_before_speed_up_after_the_customer_waits_one_more_second(self) -> None:
        decision = decide(self.speed_up_at(timedelta(hours=6) - MICROSECOND))

        assert decision == Decision(outcome=Outcome.WITHIN_EXPECTED_TIME, wait_seconds=1)

    def test_the_wait_is_the_time_left(self) -> None:
        decision = decide(self.speed_up_at(timedelta(hours=1, minutes=30)))

        assert decision.wait_seconds == 4 * 3600 + 30 * 60

    def test_without_a_service_setting_speed_up_after_is_six_hours(self) -> None:
        assert decide(self.speed_up_at(timedelta(hours=5), hours=None)).wait_seconds == 3600
        assert decide(self.speed_up_at(timedelta(hours=6), hours=None)).is_forward

    def test_fractional_hours_are_honoured(self) -> None:
        assert decide(self.speed_up_at(timedelta(minutes=29), hours=0.5)).wait_seconds == 60


class TestStatuses:
    @pytest.mark.parametrize(
        ("spelling", "status"),
        [
            ("Cancelled", OrderStatus.CANCELED),
            ("CANCELED", OrderStatus.CANCELED),
            ("Refunded", OrderStatus.CANCELED),
            ("in_progress", OrderStatus.IN_PROGRESS),
            ("In Progress", OrderStatus.IN_PROGRESS),
            ("inprogress", OrderStatus.IN_PROGRESS),
            ("completed", OrderStatus.COMPLETED),
            ("Complete", OrderStatus.COMPLETED),
            (" partial ", OrderStatus.PARTIAL),
            ("Fail", OrderStatus.FAILED),
            ("failed", OrderStatus.FAILED),
        ],
    )
    def test_status_spellings_are_normalised(self, spelling: str, status: OrderStatus) -> None:
        assert OrderStatus(spelling) is status

    def test_an_unknown_status_is_rejected(self) -> None:
        with pytest.raises(ValueError):
            OrderStatus("Teleported")

    @pytest.mark.parametrize("intent", [Intent.REFILL, Intent.CANCEL, Intent.SPEED_UP])
    def test_a_failed_order_goes_to_the_owner(self, intent: Intent) -> None:
        case = make_input(intent, order=make_order(status=OrderStatus.FAILED, remains=1_000))

        assert decide(case).outcome == Outcome.ESCALATE

    def test_a_failed_order_outside_its_refill_window_is_still_just_expired(self) -> None:
        case = make_input(now=T0 + timedelta(days=31), order=make_order(status=OrderStatus.FAILED))

        assert decide(case).outcome == Outcome.REFILL_PERIOD_EXPIRED

    def test_a_closed_order_is_reported_before_the_cancel_policy(self) -> None:
        case = make_input(
            Intent.CANCEL,
            service=make_service(cancel_allowed=False),
            order=make_order(status=OrderStatus.CANCELED),
        )

        assert decide(case).outcome == Outcome.ALREADY_CANCELED


class TestValidation:
    def test_a_naive_now_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="now must be timezone-aware"):
            make_input(now=datetime(2026, 1, 2, 12, 0))

    def test_a_naive_created_at_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="created_at must be timezone-aware"):
            make_order(created_at=datetime(2026, 1, 1))

    @pytest.mark.parametrize(
        "build",
        [
            lambda: make_service(refill_days=-1),
            lambda: make_service(speed_up_after_hours=-0.5),
            lambda: make_service(speed_up_after_hours=float("nan")),
            lambda: make_order(quantity=-1),
            lambda: make_order(current_count=-5),
            lambda: make_input(tolerance=-1),
        ],
    )
    def test_negative_amounts_are_rejected(self, build: Callable[[], object]) -> None:
        with pytest.raises(ValueError, match="must not be negative"):
            build()

    @pytest.mark.parametrize(
        "build",
        [
            lambda: make_service(refill_days=10_000_001),
            lambda: make_service(speed_up_after_hours=240_000_001),
        ],
    )
    def test_absurd_periods_are_rejected(self, build: Callable[[], object]) -> None:
        with pytest.raises(ValueError, match="must be at most"):
            build()

    @pytest.mark.parametrize(
        ("intent", "status", "outcome"),
        [
            (Intent.REFILL, OrderStatus.COMPLETED, Outcome.NO_DROP),
            (Intent.SPEED_UP, OrderStatus.PENDING, Outcome.WITHIN_EXPECTED_TIME),
        ],
    )
    @pytest.mark.parametrize("order_first", [True, False])
    def test_the_longest_periods_across_the_whole_calendar_do_not_overflow(
        self, intent: Intent, status: OrderStatus, outcome: Outcome, order_first: bool
    ) -> None:
        earliest, latest = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
        created_at, now = (earliest, latest) if order_first else (latest, earliest)
        case = make_input(
            intent,
            now=now,
            service=make_service(refill_days=10_000_000, speed_up_after_hours=240_000_000),
            order=make_order(status=status, created_at=created_at),
        )

        assert decide(case).outcome == outcome


class TestRequestStatus:
    @pytest.mark.parametrize(
        ("outcome", "status"),
        [
            (Outcome.FORWARD_REFILL, RequestStatus.FORWARDED),
            (Outcome.FORWARD_CANCEL, RequestStatus.FORWARDED),
            (Outcome.FORWARD_SPEED_UP, RequestStatus.FORWARDED),
            (Outcome.SCREENSHOT_REQUIRED, RequestStatus.WAITING_CUSTOMER),
            (Outcome.ORDER_ID_MISSING, RequestStatus.WAITING_CUSTOMER),
            (Outcome.ESCALATE, RequestStatus.ESCALATED),
            (Outcome.QUOTA_EXCEEDED, RequestStatus.BLOCKED_QUOTA),
            (Outcome.NO_DROP, RequestStatus.RESOLVED),
            (Outcome.ORDER_NOT_FOUND, RequestStatus.RESOLVED),
            (Outcome.WITHIN_EXPECTED_TIME, RequestStatus.RESOLVED),
        ],
    )
    def test_outcome_sets_the_request_status(self, outcome: Outcome, status: RequestStatus) -> None:
        assert request_status(outcome) is status

    @pytest.mark.parametrize("outcome", list(Outcome))
    def test_only_forward_outcomes_are_forwarded(self, outcome: Outcome) -> None:
        is_forward = Decision(outcome=outcome).is_forward

        assert is_forward == (request_status(outcome) is RequestStatus.FORWARDED)
        assert is_forward == outcome.startswith("forward_")
