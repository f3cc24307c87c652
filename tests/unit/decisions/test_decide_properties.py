"""Properties of decide() over generated orders, services and times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import msgspec
from hypothesis import assume, given
from hypothesis import strategies as st

from supportai.engine.decisions import (
    DecisionInput,
    Intent,
    OrderFacts,
    OrderStatus,
    Outcome,
    ServicePolicy,
    decide,
    default_tolerance,
)

from ._strategies import decision_inputs, moments, orders

OPEN = {OrderStatus.PENDING, OrderStatus.IN_PROGRESS, OrderStatus.PROCESSING}
INTAKE = {
    Outcome.ORDER_ID_MISSING,
    Outcome.ORDER_NOT_FOUND,
    Outcome.DUPLICATE_OPEN_REQUEST,
    Outcome.QUOTA_EXCEEDED,
    Outcome.SUBSCRIPTION_LAPSED,
}
OUTCOMES_BY_INTENT = {
    Intent.REFILL: {
        Outcome.REFILL_NOT_AVAILABLE,
        Outcome.REFILL_PERIOD_EXPIRED,
        Outcome.ORDER_NOT_COMPLETED,
        Outcome.ORDER_CANCELED,
        Outcome.ORDER_PARTIAL,
        Outcome.BELOW_START_COUNT,
        Outcome.NO_DROP,
        Outcome.FORWARD_REFILL,
    },
    Intent.CANCEL: {
        Outcome.CANNOT_CANCEL_COMPLETED,
        Outcome.ALREADY_PARTIAL,
        Outcome.ALREADY_CANCELED,
        Outcome.CANCEL_NOT_AVAILABLE,
        Outcome.FORWARD_CANCEL,
    },
    Intent.SPEED_UP: {
        Outcome.ALREADY_COMPLETED,
        Outcome.ORDER_CLOSED,
        Outcome.WITHIN_EXPECTED_TIME,
        Outcome.FORWARD_SPEED_UP,
    },
    Intent.OTHER: set(),
}
# Reachable for every intent: escalation, and the screenshot hold on a forward.
ANY_INTENT = {Outcome.ESCALATE, Outcome.SCREENSHOT_REQUIRED}

# Refills of delivered orders, where the counts decide.
refills_by_count = decision_inputs(
    intents=st.just(Intent.REFILL),
    statuses=st.sampled_from([OrderStatus.COMPLETED, OrderStatus.PARTIAL]),
)


def expected_and_tolerance(case: DecisionInput) -> tuple[int, int]:
    delivered = case.order.delivered
    tolerance = default_tolerance(delivered) if case.tolerance is None else case.tolerance
    return case.order.start_count + delivered, tolerance


@given(decision_inputs())
def test_every_valid_input_gets_an_outcome_of_its_intent(case: DecisionInput) -> None:
    outcome = decide(case).outcome

    assert outcome not in INTAKE
    assert outcome in OUTCOMES_BY_INTENT[case.intent] | ANY_INTENT


@given(decision_inputs())
def test_other_requests_always_go_to_the_owner(case: DecisionInput) -> None:
    other = msgspec.structs.replace(case, intent=Intent.OTHER)

    assert decide(other).outcome == Outcome.ESCALATE


@given(decision_inputs())
def test_refills_are_forwarded_only_for_eligible_orders(case: DecisionInput) -> None:
    if decide(case).outcome != Outcome.FORWARD_REFILL:
        return
    order, refill_days = case.order, case.service.refill_days
    assert refill_days != 0
    assert refill_days is None or case.now <= order.created_at + timedelta(days=refill_days)
    assert order.status is OrderStatus.COMPLETED or (
        order.status is OrderStatus.PARTIAL and case.refill_partial
    )
    assert order.current_count is None or order.current_count >= order.start_count


@given(decision_inputs())
def test_cancels_are_forwarded_only_for_running_cancelable_orders(case: DecisionInput) -> None:
    if decide(case).outcome == Outcome.FORWARD_CANCEL:
        assert case.order.status in OPEN
        assert case.service.cancel_allowed


@given(decision_inputs())
def test_speed_ups_are_forwarded_only_for_running_orders_past_their_time(
    case: DecisionInput,
) -> None:
    if decide(case).outcome == Outcome.FORWARD_SPEED_UP:
        assert case.order.status in OPEN
        assert case.now - case.order.created_at >= case.service.speed_up_after


@given(decision_inputs())
def test_nothing_is_forwarded_without_a_required_screenshot(case: DecisionInput) -> None:
    if case.intent in case.service.screenshot_for and not case.has_screenshot:
        assert not decide(case).is_forward


@given(decision_inputs())
def test_a_screenshot_only_ever_releases_the_held_forward(case: DecisionInput) -> None:
    without = decide(msgspec.structs.replace(case, has_screenshot=False))
    with_screenshot = decide(msgspec.structs.replace(case, has_screenshot=True))

    if without.outcome == Outcome.SCREENSHOT_REQUIRED:
        assert with_screenshot.is_forward
    else:
        assert with_screenshot == without


@given(refills_by_count)
def test_drop_is_positive_above_tolerance_and_within_what_was_delivered(
    case: DecisionInput,
) -> None:
    decision = decide(case)
    if decision.outcome != Outcome.FORWARD_REFILL:
        assert decision.drop is None
        return
    if case.order.current_count is None:
        assert decision.drop is None
        return
    expected, tolerance = expected_and_tolerance(case)
    assert decision.drop == expected - case.order.current_count
    assert 0 < decision.drop <= case.order.delivered
    assert decision.drop > tolerance


@given(refills_by_count)
def test_no_drop_means_the_count_is_within_tolerance(case: DecisionInput) -> None:
    if decide(case).outcome == Outcome.NO_DROP:
        expected, tolerance = expected_and_tolerance(case)
        assert case.order.current_count is not None
        assert case.order.start_count <= case.order.current_count
        assert expected - case.order.current_count <= tolerance


@given(decision_inputs(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
def test_an_expired_refill_period_stays_expired(case: DecisionInput, later: timedelta) -> None:
    refill = msgspec.structs.replace(case, intent=Intent.REFILL)
    if decide(refill).outcome == Outcome.REFILL_PERIOD_EXPIRED:
        afterwards = msgspec.structs.replace(refill, now=refill.now + later)
        assert decide(afterwards).outcome == Outcome.REFILL_PERIOD_EXPIRED


@given(decision_inputs())
def test_a_lifetime_refill_never_expires(case: DecisionInput) -> None:
    lifetime = msgspec.structs.replace(case.service, refill_days=None)
    refill = msgspec.structs.replace(case, intent=Intent.REFILL, service=lifetime)

    assert decide(refill).outcome != Outcome.REFILL_PERIOD_EXPIRED


@given(orders(), st.integers(1, 400))
def test_the_refill_window_includes_its_last_moment(order: OrderFacts, days: int) -> None:
    end = order.created_at + timedelta(days=days)
    service = ServicePolicy(refill_days=days, cancel_allowed=True)

    def outcome_at(now: datetime) -> Outcome:
        return decide(
            DecisionInput(intent=Intent.REFILL, now=now, service=service, order=order)
        ).outcome

    assert outcome_at(end) != Outcome.REFILL_PERIOD_EXPIRED
    assert outcome_at(end + timedelta(microseconds=1)) == Outcome.REFILL_PERIOD_EXPIRED


@given(
    st.integers(0, 1_000_000),
    st.integers(1, 100_000),
    st.none() | st.integers(0, 2_000),
)
def test_a_drop_exactly_at_tolerance_is_no_drop_and_one_more_is_forwarded(
    start_count: int, quantity: int, tolerance_setting: int | None
) -> None:
    tolerance = default_tolerance(quantity) if tolerance_setting is None else tolerance_setting
    assume(tolerance + 1 <= quantity)  # a larger drop would go below the start count

    def decide_at(current_count: int) -> tuple[Outcome, int | None]:
        order = OrderFacts(
            status=OrderStatus.COMPLETED,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            start_count=start_count,
            quantity=quantity,
            remains=0,
            current_count=current_count,
        )
        decision = decide(
            DecisionInput(
                intent=Intent.REFILL,
                now=order.created_at,
                service=ServicePolicy(refill_days=None, cancel_allowed=True),
                order=order,
                tolerance=tolerance_setting,
            )
        )
        return decision.outcome, decision.drop

    expected = start_count + quantity
    assert decide_at(expected - tolerance) == (Outcome.NO_DROP, None)
    assert decide_at(expected - tolerance - 1) == (Outcome.FORWARD_REFILL, tolerance + 1)


@given(
    moments,
    st.sampled_from(sorted(OPEN)),
    st.none() | st.floats(0.01, 100),
)
def test_speed_up_is_forwarded_from_exactly_speed_up_after(
    created_at: datetime, status: OrderStatus, hours: float | None
) -> None:
    service = ServicePolicy(refill_days=30, cancel_allowed=True, speed_up_after_hours=hours)
    order = OrderFacts(
        status=status, created_at=created_at, start_count=0, quantity=100, remains=100
    )

    def decide_at(now: datetime) -> Outcome:
        case = DecisionInput(intent=Intent.SPEED_UP, now=now, service=service, order=order)
        return decide(case).outcome

    due = created_at + service.speed_up_after
    assert decide_at(due) == Outcome.FORWARD_SPEED_UP
    assert decide_at(due - timedelta(microseconds=1)) == Outcome.WITHIN_EXPECTED_TIME


@given(decision_inputs())
def test_the_wait_told_to_the_customer_ends_when_a_speed_up_is_due(case: DecisionInput) -> None:
    decision = decide(case)
    if decision.outcome != Outcome.WITHIN_EXPECTED_TIME:
        return
    assert decision.wait_seconds is not None and decision.wait_seconds >= 1
    told_to_come_back_at = case.now + timedelta(seconds=decision.wait_seconds)
    due = case.order.created_at + case.service.speed_up_after
    assert due <= told_to_come_back_at < due + timedelta(seconds=1)


@given(
    st.sampled_from(OrderStatus),
    st.sampled_from(["", " ", "_", "-"]),
    st.sampled_from([str.lower, str.upper, str.title, str.swapcase]),
)
def test_status_spellings_normalise_to_the_same_status(
    status: OrderStatus, separator: str, change_case: Callable[[str], str]
) -> None:
    assert OrderStatus(change_case(status.value.replace(" ", separator))) is status
