"""The support-request quota over the pipeline: Enterprise overage, what never counts,
the owner's alert when it runs out, and the billing cycle rolling over."""

from __future__ import annotations

import asyncio
import calendar
import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from supportai.domain.billing.models import Subscription
from supportai.domain.billing.plans import PLANS, PlanCode
from supportai.domain.billing.service import consume_request, current_subscription
from supportai.domain.requests.intake import enqueue_processing, requeue_stalled_messages
from supportai.domain.requests.models import Message, MessageStatus
from supportai.domain.tenants.models import TenantSettings
from supportai.engine.billing import add_months
from supportai.runtime import open_runtime

ENTERPRISE = PLANS[PlanCode.ENTERPRISE]
STARTER = PLANS[PlanCode.STARTER]


async def usage(stack) -> dict[str, Any]:
    return (await stack.client.get("/api/usage", headers=stack.account.headers)).json()


async def use_plan(stack, plan: PlanCode, *, limit: int, used: int) -> None:
    """Put the tenant on `plan` with this cycle's limit and usage, not alerted yet."""
    async with stack.tenant_session() as session:
        subscription = await current_subscription(session)
        subscription.plan, subscription.allows_overage = plan, PLANS[plan].allows_overage
        subscription.requests_limit, subscription.requests_used = limit, used
        subscription.quota_alerted_at = None


async def refills(stack, count: int) -> list[str]:
    """A ticket asking to refill `count` dropped orders, processed; returns the statuses."""
    orders = [stack.order(current_count=1100) for _ in range(count)]
    stack.ticket("please refill " + ", ".join(str(order.id) for order in orders))
    await stack.run_jobs()
    return [(await stack.requests_for(order))[0]["status"] for order in orders]


async def quota_alerts(stack) -> int:
    response = await stack.client.get(
        "/api/audit", params={"action": "quota.exhausted", "limit": 200}, headers=stack.account.headers
    )
    assert response.status_code == 200, response.text
    return len(response.json()["items"])


async def test_enterprise_overage_is_counted_and_never_blocked(stack):
    limit = ENTERPRISE.requests_per_cycle
    block = ENTERPRISE.overage_block_requests
    await use_plan(stack, PlanCode.ENTERPRISE, limit=limit, used=limit - 1)
    alerts_before = await quota_alerts(stack)

    assert "blocked_quota" not in await refills(stack, 3)
    first = await usage(stack)
    assert first["requests_used"] == limit + 2
    assert first["overage_requests"] == 2
    assert first["overage_blocks"] == math.ceil(2 / block)
    assert first["requests_left"] == 0

    # Exactly one block's worth over, then one more: a second block starts.
    await use_plan(stack, PlanCode.ENTERPRISE, limit=limit, used=limit + block - 1)
    await refills(stack, 1)
    assert (await usage(stack))["overage_blocks"] == 1
    await refills(stack, 1)
    last = await usage(stack)
    assert last["overage_requests"] == block + 1
    assert last["overage_blocks"] == math.ceil(last["overage_requests"] / block) == 2
    assert await quota_alerts(stack) == alerts_before  # nothing was blocked, nothing to alert


async def test_other_plans_block_at_the_limit_without_answering(stack):
    limit = 5
    await use_plan(stack, PlanCode.STARTER, limit=limit, used=limit - 1)
    orders = [stack.order(current_count=1100) for _ in range(3)]
    racing = [stack.ticket(f"refill {order.id}") for order in orders[:2]]  # one unit left for two
    await stack.run_jobs()
    later = stack.ticket(f"refill {orders[2].id}")
    await stack.run_jobs()

    statuses = [(await stack.requests_for(order))[0]["status"] for order in orders]
    assert statuses.count("blocked_quota") == 2
    assert (await usage(stack))["requests_used"] == limit  # never past it
    for ticket, status in zip([*racing, later], statuses, strict=True):
        assert bool(stack.staff_replies(ticket)) == (status != "blocked_quota")  # no automatic answer


async def test_requeued_and_resumed_messages_use_no_more_quota(stack):
    await use_plan(stack, PlanCode.STARTER, limit=10_000, used=0)
    orders = [stack.order(current_count=1100) for _ in range(2)]
    message, _ = await stack.message("refill " + " ".join(str(order.id) for order in orders))
    await stack.run_jobs()
    used = (await usage(stack))["requests_used"]
    refill_calls = len(await stack.provider_calls("refill"))
    assert used == len(orders)

    async with open_runtime(stack.settings) as runtime:  # delivered to the worker again after processing
        await enqueue_processing(runtime, uuid.UUID(stack.account.tenant_id), message.id, run="again")
    await stack.run_jobs()
    async with stack.tenant_session() as session:  # as if the worker died before its last step
        (await session.get_one(Message, message.id)).status = MessageStatus.RECEIVED
    async with open_runtime(stack.settings) as runtime:  # the sweeper finds it and runs it again
        assert await requeue_stalled_messages(runtime, older_than=timedelta(0)) >= 1
    await stack.run_jobs()

    assert (await usage(stack))["requests_used"] == used
    assert len(await stack.provider_calls("refill")) == refill_calls
    async with stack.tenant_session() as session:
        assert (await session.get_one(Message, message.id)).status == MessageStatus.PROCESSED
    assert [len(await stack.requests_for(order)) for order in orders] == [1, 1]


async def test_duplicate_messages_and_open_requests_use_no_quota(stack):
    await use_plan(stack, PlanCode.STARTER, limit=10_000, used=0)
    order = stack.order(current_count=1100)
    external_id = f"crm-{uuid.uuid4().hex}"
    _, is_new = await stack.message(f"refill {order.id}", external_id=external_id)
    await stack.run_jobs()
    assert is_new and (await usage(stack))["requests_used"] == 1

    _, is_new = await stack.message(f"refill {order.id}", external_id=external_id)  # delivered twice
    assert not is_new
    await stack.message(f"refill {order.id} again please")  # while the first is still open
    await stack.run_jobs()

    assert (await usage(stack))["requests_used"] == 1
    outcomes = sorted(request["outcome"] for request in await stack.requests_for(order))
    assert outcomes == ["duplicate_open_request", "forward_refill"]


async def test_the_owner_is_alerted_once_per_cycle_however_many_are_blocked(stack):
    await use_plan(stack, PlanCode.STARTER, limit=1, used=1)
    alerts_before = await quota_alerts(stack)

    assert (await refills(stack, 3)).count("blocked_quota") == 3
    assert await refills(stack, 1) == ["blocked_quota"]
    assert await quota_alerts(stack) == alerts_before + 1

    # Next cycle: the counter resets; running out again alerts again.
    async with stack.tenant_session() as session:
        subscription = await current_subscription(session)
        await current_subscription(session, now=subscription.cycle_end)
        subscription.requests_limit, subscription.requests_used = 1, 1
    assert await refills(stack, 1) == ["blocked_quota"]
    assert await quota_alerts(stack) == alerts_before + 2


async def test_the_cycle_rolls_over_at_the_anniversary(stack):
    bonus = 155  # left over from an upgrade: good for this cycle only
    await use_plan(stack, PlanCode.STARTER, limit=STARTER.requests_per_cycle + bonus, used=45)
    async with stack.tenant_session() as session:
        subscription = await current_subscription(session)
        subscription.quota_alerted_at = datetime.now(UTC)
        start, end, number = subscription.cycle_start, subscription.cycle_end, subscription.cycle_number

        before = await current_subscription(session, now=end - timedelta(microseconds=1))
        assert (before.cycle_start, before.requests_used) == (start, 45)
        assert before.requests_limit == STARTER.requests_per_cycle + bonus

        rolled = await current_subscription(session, now=end)

        assert rolled.cycle_number == number + 1
        assert rolled.cycle_start == end
        assert rolled.cycle_end == add_months(rolled.anchored_at, number + 2)
        assert rolled.requests_used == 0
        assert rolled.requests_limit == STARTER.requests_per_cycle  # the bonus was for one cycle
        assert rolled.quota_alerted_at is None

        later = end + timedelta(days=100)  # nobody looked for a few months
        caught_up = await current_subscription(session, now=later)
        assert caught_up.cycle_start <= later < caught_up.cycle_end
        assert caught_up.cycle_end == add_months(caught_up.anchored_at, caught_up.cycle_number + 1)


async def test_a_month_end_anchor_keeps_its_day(stack):
    anchor = datetime(2025, 1, 31, 9, 30, tzinfo=UTC)
    async with stack.tenant_session() as session:
        subscription = await current_subscription(session)
        subscription.anchored_at, subscription.cycle_number = anchor, 0
        subscription.cycle_start, subscription.cycle_end = anchor, add_months(anchor, 1)

        cycles = []
        for _ in range(3):
            rolled = await current_subscription(session, now=subscription.cycle_end)
            cycles.append((rolled.cycle_start, rolled.cycle_end))

    days = [(start.date().isoformat(), end.date().isoformat()) for start, end in cycles]
    assert days == [("2025-02-28", "2025-03-31"), ("2025-03-31", "2025-04-30"), ("2025-04-30", "2025-05-31")]
    assert all(end.time() == anchor.time() for _, end in cycles)
    async with stack.tenant_session() as session:  # a cycle years old catches up with today
        now = datetime.now(UTC)
        current = await current_subscription(session)
        assert current.cycle_start <= now < current.cycle_end
        end = current.cycle_end
        assert end.day == min(anchor.day, calendar.monthrange(end.year, end.month)[1])


@pytest.mark.parametrize(("anchor", "months", "expected"), [
    (datetime(2025, 1, 31), 1, datetime(2025, 2, 28)),
    (datetime(2025, 1, 31), 2, datetime(2025, 3, 31)),
    (datetime(2024, 1, 31), 1, datetime(2024, 2, 29)),  # leap year
    (datetime(2025, 3, 31), 1, datetime(2025, 4, 30)),
    (datetime(2025, 8, 31), 1, datetime(2025, 9, 30)),
    (datetime(2025, 11, 30), 3, datetime(2026, 2, 28)),  # across the year
    (datetime(2025, 12, 15, 17, 5), 1, datetime(2026, 1, 15, 17, 5)),
    (datetime(2025, 1, 31), 12, datetime(2026, 1, 31)),
    (datetime(2025, 5, 10), 0, datetime(2025, 5, 10)),
])
def test_add_months_clamps_to_short_months_without_drifting(anchor, months, expected):
    assert add_months(anchor, months) == expected


async def test_two_workers_rolling_over_at_once_lose_no_usage(stack):
    await use_plan(stack, PlanCode.STARTER, limit=50, used=30)
    async with stack.tenant_session() as session:
        anniversary = (await current_subscription(session)).cycle_end

    async with open_runtime(stack.settings) as runtime:
        tenant_id = uuid.UUID(stack.account.tenant_id)
        first_rolled = asyncio.Event()
        first_may_commit = asyncio.Event()

        async def worker(rolls_first: bool) -> None:
            async with runtime.db.tenant_session(tenant_id) as session:
                if not rolls_first:
                    await first_rolled.wait()  # read while the first worker has not committed
                subscription = await current_subscription(session, now=anniversary)
                assert await consume_request(session, subscription)
                if rolls_first:
                    first_rolled.set()
                    await first_may_commit.wait()

        second = asyncio.create_task(worker(rolls_first=False))
        first = asyncio.create_task(worker(rolls_first=True))
        await first_rolled.wait()
        await asyncio.sleep(0.2)  # the second worker is now waiting on the first one's row lock
        first_may_commit.set()
        await asyncio.gather(first, second)

        async with runtime.db.tenant_session(tenant_id) as session:
            used = await session.scalar(sa.select(Subscription.requests_used))
    assert used == 2  # one request each in the new cycle


async def test_a_new_tenants_first_requests_at_once_share_one_subscription(sign_up, settings):
    account = await sign_up("Brand new panel")  # no subscription until the first request
    async with open_runtime(settings) as runtime:
        tenant_id = uuid.UUID(account.tenant_id)
        first_created = asyncio.Event()
        first_may_commit = asyncio.Event()

        async def worker(creates_first: bool) -> uuid.UUID:
            async with runtime.db.tenant_session(tenant_id) as session:
                if not creates_first:
                    await first_created.wait()
                subscription = await current_subscription(session)
                if creates_first:
                    first_created.set()
                    await first_may_commit.wait()
                return subscription.id

        second = asyncio.create_task(worker(creates_first=False))
        first = asyncio.create_task(worker(creates_first=True))
        await first_created.wait()
        await asyncio.sleep(0.2)  # the second worker is now waiting on the first one's insert
        first_may_commit.set()
        results = await asyncio.gather(first, second, return_exceptions=True)

    assert not [error for error in results if isinstance(error, BaseException)], results
    assert results[0] == results[1]


async def test_a_repeat_within_the_cooldown_is_answered_again_without_quota(stack):
    await use_plan(stack, PlanCode.STARTER, limit=10_000, used=0)
    order = stack.order(current_count=1500)  # no drop: answered at once
    first = stack.ticket(f"refill {order.id}")
    await stack.run_jobs()
    again = stack.ticket(f"refill {order.id} again please")  # a minute later, well inside 24 h
    await stack.run_jobs()

    assert (await usage(stack))["requests_used"] == 1
    assert stack.staff_replies(again) == stack.staff_replies(first)  # answered from the same outcome
    assert [r["outcome"] for r in await stack.requests_for(order)] == ["no_drop", "no_drop"]

    async with stack.tenant_session() as session:  # 0 turns the cooldown off
        (await session.scalar(sa.select(TenantSettings))).repeat_cooldown_hours = 0
    try:
        stack.ticket(f"refill {order.id}, once more")
        await stack.run_jobs()
        assert (await usage(stack))["requests_used"] == 2
    finally:
        async with stack.tenant_session() as session:
            (await session.scalar(sa.select(TenantSettings))).repeat_cooldown_hours = 24
