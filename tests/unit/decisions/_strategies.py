"""Hypothesis strategies for decision inputs: any valid order, service and moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import msgspec
from hypothesis import strategies as st

from supportai.engine.decisions import DecisionInput, Intent, OrderFacts, OrderStatus, ServicePolicy

zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=zones
)
# Mostly after the order, sometimes slightly before it (clock skew between systems);
# both around speed-up times (hours) and around refill windows (days).
ages = st.one_of(
    st.timedeltas(min_value=timedelta(hours=-1), max_value=timedelta(days=2)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800)),
)


any_intent = st.sampled_from(Intent)
any_status = st.sampled_from(OrderStatus)


@st.composite
def orders(draw: st.DrawFn, statuses: st.SearchStrategy[OrderStatus] = any_status) -> OrderFacts:
    quantity = draw(st.integers(0, 100_000))
    start_count = draw(st.integers(0, 1_000_000))
    order = OrderFacts(
        status=draw(statuses),
        created_at=draw(moments),
        start_count=start_count,
        quantity=quantity,
        # Panels do report remains outside 0..quantity now and then.
        remains=draw(st.integers(-10, quantity + 10)),
    )
    expected = start_count + order.delivered
    current_count = draw(
        st.none()
        | st.integers(0, expected + 1_000)
        # Small drops, where tolerance decides.
        | st.integers(max(0, expected - 100), expected)
    )
    return msgspec.structs.replace(order, current_count=current_count)


services = st.builds(
    ServicePolicy,
    refill_days=st.none() | st.integers(0, 400),
    cancel_allowed=st.booleans(),
    speed_up_after_hours=st.none() | st.floats(0, 100),
    screenshot_for=st.frozensets(st.sampled_from(Intent)),
)


@st.composite
def decision_inputs(
    draw: st.DrawFn,
    intents: st.SearchStrategy[Intent] = any_intent,
    statuses: st.SearchStrategy[OrderStatus] = any_status,
) -> DecisionInput:
    order = draw(orders(statuses))
    return DecisionInput(
        intent=draw(intents),
        now=order.created_at + draw(ages),
        service=draw(services),
        order=order,
        has_screenshot=draw(st.booleans()),
        tolerance=draw(st.none() | st.integers(0, 100)),
        refill_partial=draw(st.booleans()),
    )
