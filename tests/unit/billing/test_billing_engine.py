"""engine.billing: proration, carry-over, overage and the subscription's clock, as properties."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from supportai.domain.billing.plans import PLANS, PlanCode
from supportai.engine import billing
from supportai.engine.billing import Status

T0 = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC))
prices = st.sampled_from([p.price_cents for p in PLANS.values()])


def half_up(value: Fraction) -> int:
    """Round a non-negative exact fraction half-up, independently of Decimal."""
    return math.floor(value + Fraction(1, 2))


@given(start=moments, cheaper=prices, dearer=prices, elapsed=st.floats(min_value=0, max_value=1))
def test_proration_is_the_difference_times_the_days_left_over_the_days_in_the_cycle(start, cheaper, dearer, elapsed):
    end = billing.add_months(start, 1)
    now = start + (end - start) * elapsed
    difference = abs(dearer - cheaper)
    days_total = (end - start).days
    days_left = min(math.ceil((end - now).total_seconds() / 86400), days_total)
    amount = billing.prorate(difference, now, start, end)
    assert amount == half_up(Fraction(difference * days_left, days_total))
    assert 0 <= amount <= difference


def test_proration_rounds_half_up_to_the_cent():
    start = datetime(2026, 4, 1, tzinfo=UTC)  # a 30-day cycle
    end = billing.add_months(start, 1)
    # $40.00 × 15/30 = $20.00; $0.03 × 15/30 = 1.5 cents → 2
    assert billing.prorate(4000, start + timedelta(days=15), start, end) == 2000
    assert billing.prorate(3, start + timedelta(days=15), start, end) == 2
    assert billing.prorate(4000, start, start, end) == 4000  # a whole cycle left: the whole difference


@given(limit=st.integers(0, 5000), used=st.integers(0, 6000), plans=st.lists(st.sampled_from(list(PLANS)), max_size=4))
def test_upgrades_carry_the_unused_allowance_over_and_compose(limit, used, plans):
    left = max(limit - used, 0)
    for code in plans:
        left += PLANS[code].requests_per_cycle  # each upgrade adds its plan's allowance to what is left
        limit = billing.carried_over(PLANS[code].requests_per_cycle, limit, used)
        assert limit - used == left
    assert billing.carried_over(200, 50, 45) - 45 == 205  # the brief's example: 205 left


@given(used=st.integers(0, 10_000), limit=st.integers(0, 5_000), block=st.integers(1, 1_000))
def test_overage_is_the_number_of_started_blocks_over_the_limit(used, limit, block):
    blocks = billing.overage_blocks(used, limit, block)
    if used <= limit:
        assert blocks == 0
    else:
        assert (blocks - 1) * block < used - limit <= blocks * block
    assert billing.overage_blocks(used, limit, None) == 0


def test_the_enterprise_example_renews_at_378():
    enterprise = PLANS[PlanCode.ENTERPRISE]
    terms = billing.PlanTerms(enterprise.name, enterprise.price_cents, enterprise.overage_block_requests,
                              enterprise.overage_block_price_cents)
    lines = billing.renewal_lines(terms, terms, used=1300, limit=1000)
    assert [(line.kind, line.quantity, line.amount_cents) for line in lines] == [("plan", 1, 29900),
                                                                                ("overage", 1, 7900)]
    assert billing.display(billing.total(lines)) == "378.00"


def test_the_clock_trial_to_lapse_and_a_payment_starts_a_cycle_from_that_day():
    trial = billing.trial(T0)
    assert billing.due_step(trial, T0 + timedelta(days=7) - timedelta(seconds=1)) is None
    assert billing.due_step(trial, T0 + timedelta(days=7)) == "lapse"
    paid = billing.paid(billing.lapsed(trial), T0 + timedelta(days=9))
    assert (paid.status, paid.start, paid.end) == (Status.ACTIVE, T0 + timedelta(days=9),
                                                   billing.add_months(T0 + timedelta(days=9), 1))


def test_the_clock_grace_keeps_the_anniversary_a_lapse_moves_it():
    active = billing.paid(billing.trial(T0), T0)  # anniversary: the 31st, clamped in short months
    assert billing.due_step(active, active.end) == "renew"
    past_due = billing.renewed(active)
    assert past_due.grace_ends_at == active.end + timedelta(days=3)
    assert billing.due_step(past_due, past_due.grace_ends_at - timedelta(seconds=1)) is None
    in_grace = billing.paid(past_due, active.end + timedelta(days=2))
    assert (in_grace.start, in_grace.end) == (datetime(2026, 2, 28, 9, 30, tzinfo=UTC),
                                              datetime(2026, 3, 31, 9, 30, tzinfo=UTC))
    assert billing.due_step(past_due, past_due.grace_ends_at) == "lapse"
    late = T0 + timedelta(days=40)
    after_lapse = billing.paid(billing.lapsed(past_due), late)
    assert (after_lapse.anchored_at, after_lapse.start, after_lapse.number) == (late, late, 0)
