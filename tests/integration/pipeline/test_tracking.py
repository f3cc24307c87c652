"""Follow-up monitoring through the simulator: forwarded requests are checked, resolved
with a message to the customer when the provider has acted, reminded, then escalated;
every check costs a tracking credit and tracking pauses without credits."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from supportai.domain.billing.models import CreditEntry, Subscription
from supportai.domain.billing.service import LOW_CREDITS
from supportai.domain.dispatch.models import DispatchItem
from supportai.domain.requests.models import RequestEvent, SupportRequest
from supportai.domain.support.tracking import track_requests
from supportai.domain.support.tracking_due import tenants_with_due_checks
from supportai.domain.tenants.models import TenantSettings
from supportai.runtime import open_runtime
from supportai.simulator.records import SimTicket


async def forwarded(stack, order, text: str) -> tuple[SupportRequest, SimTicket]:
    """The customer's ticket, processed: one request with the provider, tracked."""
    ticket = stack.ticket(text.format(id=order.id))
    await stack.run_jobs()
    async with stack.tenant_session() as session:
        request = await session.scalar(sa.select(SupportRequest).where(SupportRequest.order_id == str(order.id)))
    assert request.status == "forwarded" and request.next_check_at is not None
    return request, ticket


async def track(stack, at):
    async with open_runtime(stack.settings) as runtime:
        return await track_requests(runtime, uuid.UUID(stack.account.tenant_id), now=at)


async def reload(stack, request: SupportRequest) -> SupportRequest:
    async with stack.tenant_session() as session:
        return await session.get_one(SupportRequest, request.id)


async def timeline(stack, request: SupportRequest) -> list[str]:
    async with stack.tenant_session() as session:
        return list(await session.scalars(
            sa.select(RequestEvent.kind).where(RequestEvent.request_id == request.id).order_by(RequestEvent.created_at)
        ))


async def credits(stack) -> dict:
    return (await stack.client.get("/api/credits", headers=stack.account.headers)).json()


async def test_a_refill_that_regains_the_count_is_resolved_and_the_customer_told(stack):
    order = stack.order(current_count=1100)  # expected 1,500: 400 dropped
    request, ticket = await forwarded(stack, order, "refill {id} please, followers dropped")
    assert request.baseline == {"status": "Completed", "remains": 0, "current_count": 1100, "drop": 400}
    before = (await credits(stack))["total"]

    assert (await track(stack, request.next_check_at - timedelta(seconds=1))).checked == 0  # not due yet
    stack.world.orders[order.id].delivery.current_count = 1300  # +200: half the drop
    async with open_runtime(stack.settings) as runtime:
        assert uuid.UUID(stack.account.tenant_id) in await tenants_with_due_checks(runtime, request.next_check_at)
    run = await track(stack, request.next_check_at)

    assert (run.checked, run.resolved) == (1, 1)
    done = await reload(stack, request)
    assert done.status == "resolved" and done.next_check_at is None
    assert stack.staff_replies(ticket)[-1] == f"Order {order.id}: refilled. Thank you for your patience."
    assert (await timeline(stack, request))[-3:] == ["checked", "resolved", "customer_notified"]
    after = await credits(stack)
    assert after["total"] == before - 1
    assert after["entries"][0]["kind"] == "consume" and after["entries"][0]["amount"] == -1


async def test_a_check_that_finds_nothing_new_only_moves_the_next_check_on(stack):
    order = stack.order(current_count=1100)
    request, _ = await forwarded(stack, order, "refill {id}, followers dropped")
    at = request.next_check_at
    stack.world.orders[order.id].delivery.current_count = 1150 - 1  # short of half the drop

    run = await track(stack, at)

    assert (run.checked, run.resolved, run.followed_up) == (1, 0, 0)
    waiting = await reload(stack, request)
    async with stack.tenant_session() as session:
        settings = await session.scalar(sa.select(TenantSettings))
        step = await session.scalar(
            sa.select(RequestEvent).where(RequestEvent.request_id == request.id).order_by(
                RequestEvent.created_at.desc()).limit(1))
    assert (waiting.status, waiting.baseline, waiting.updated_at) == ("forwarded", request.baseline, at)
    assert waiting.next_check_at == at + settings.tracking_interval / stack.settings.time_scale
    assert (step.kind, step.detail["step"], step.detail["current_count"]) == ("checked", "wait", 1149)
    assert step.tenant_id == uuid.UUID(stack.account.tenant_id)
    assert (await track(stack, at)).checked == 0  # its next check is not due yet
    stack.world.orders[order.id].delivery.current_count = 1300  # measured against the baseline kept
    assert (await track(stack, waiting.next_check_at)).resolved == 1


async def test_no_progress_reminds_the_provider_then_hands_over_to_the_owner(stack):
    order = stack.order(current_count=1100)
    request, _ = await forwarded(stack, order, "refill {id}, it dropped")
    start = request.created_at

    assert (await track(stack, start + timedelta(hours=6))).followed_up == 0  # inside the 24 h window
    for reminder in (1, 2, 3):
        run = await track(stack, start + timedelta(hours=25 * reminder))
        assert run.followed_up == 1
        current = await reload(stack, request)
        assert (current.status, current.follow_ups) == ("forwarded", reminder)
    async with stack.tenant_session() as session:
        reminders = list(await session.scalars(
            sa.select(DispatchItem.follow_up).where(DispatchItem.request_id == request.id, DispatchItem.follow_up > 0)
        ))
    assert sorted(reminders) == [1, 2, 3]  # each in the provider's own form, as the request was

    run = await track(stack, start + timedelta(hours=25 * 4))
    assert run.escalated == 1
    escalated = await reload(stack, request)
    assert escalated.status == "escalated" and "after 3 follow-up(s)" in escalated.reason
    assert escalated.next_check_at is None


async def test_a_cancel_is_resolved_when_the_order_is_canceled(stack):
    order = stack.order("", status="Pending", remains=1000, age_days=0.01, cancelable=True)
    request, ticket = await forwarded(stack, order, "please cancel order {id}")
    stack.world.orders[order.id].delivery.status = "Canceled"
    run = await track(stack, request.next_check_at)
    assert run.resolved == 1
    assert stack.staff_replies(ticket)[-1] == f"Order {order.id}: canceled and refunded."


async def test_without_credits_tracking_pauses_and_loses_nothing(stack):
    order = stack.order(current_count=1100)
    request, _ = await forwarded(stack, order, "refill {id} pls")
    async with stack.tenant_session() as session:
        subscription = await session.scalar(sa.select(Subscription))
        saved = subscription.base_credits, subscription.prepaid_credits
        subscription.base_credits, subscription.prepaid_credits = 0, 0
    try:
        run = await track(stack, request.next_check_at)
        assert run.paused and run.checked == 0
        assert (await reload(stack, request)).next_check_at == request.next_check_at  # still due

        async with stack.tenant_session() as session:  # credits again (as a purchase will do)
            (await session.scalar(sa.select(Subscription))).prepaid_credits = 1
        run = await track(stack, request.next_check_at)
        assert run.checked == 1 and not run.paused
        async with stack.tenant_session() as session:
            last = await session.scalar(sa.select(CreditEntry).order_by(CreditEntry.created_at.desc()).limit(1))
        assert (last.kind, last.pool, last.amount, last.balance) == ("consume", "prepaid", -1, 0)
        assert "credits_out" in await owner_events(stack)  # the last credit: the owner is told
    finally:
        async with stack.tenant_session() as session:
            subscription = await session.scalar(sa.select(Subscription))
            subscription.base_credits, subscription.prepaid_credits = saved


async def owner_events(stack) -> list[str]:
    page = await stack.client.get("/api/notifications", params={"limit": 200}, headers=stack.account.headers)
    return [n["event"] for n in page.json()["items"]]


async def test_the_owner_is_told_once_when_credits_fall_below_the_warning_line(stack):
    order = stack.order(current_count=1100)
    request, _ = await forwarded(stack, order, "refill {id} please, it dropped")
    async with stack.tenant_session() as session:
        subscription = await session.scalar(sa.select(Subscription))
        saved = subscription.base_credits, subscription.prepaid_credits
        subscription.base_credits, subscription.prepaid_credits = 0, LOW_CREDITS
    before = (await owner_events(stack)).count("credits_low")
    try:
        assert (await track(stack, request.next_check_at)).checked == 1  # 500 -> 499
        assert (await owner_events(stack)).count("credits_low") == before + 1
    finally:
        async with stack.tenant_session() as session:
            subscription = await session.scalar(sa.select(Subscription))
            subscription.base_credits, subscription.prepaid_credits = saved


async def test_a_speed_up_whose_order_is_canceled_is_closed_the_customer_told_and_never_checked_again(stack):
    order = stack.order("", status="In progress", remains=600, age_days=1)
    request, ticket = await forwarded(stack, order, "speed up {id} it is stuck")
    stack.world.orders[order.id].delivery.status = "Canceled"

    run = await track(stack, request.created_at + timedelta(hours=25))  # past the follow-up window

    assert run.closed == 1  # the stack's other requests may be due too
    closed = await reload(stack, request)
    assert closed.status == "closed" and closed.next_check_at is None and "Canceled" in closed.reason
    told = stack.staff_replies(ticket)[-1]
    assert told == f"Order {order.id}: closed (canceled or partial), so it cannot be sped up."
    assert (await timeline(stack, request))[-3:] == ["checked", "closed", "customer_notified"]
    async with stack.tenant_session() as session:
        reminders = await session.scalar(
            sa.select(sa.func.count()).select_from(DispatchItem).where(
                DispatchItem.request_id == request.id, DispatchItem.follow_up > 0
            )
        )
    assert reminders == 0
    await track(stack, request.created_at + timedelta(hours=50))
    assert (await timeline(stack, request)).count("checked") == 1  # never checked again


async def test_a_refill_whose_order_is_refunded_is_closed_without_a_reminder_or_an_escalation(stack):
    order = stack.order(current_count=1100)
    request, ticket = await forwarded(stack, order, "refill {id}, it dropped")
    stack.world.orders[order.id].delivery.status = "Refunded"

    for hours in (25, 50, 75, 100):  # every reminder and the escalation would have been due
        await track(stack, request.created_at + timedelta(hours=hours))

    closed = await reload(stack, request)
    assert (closed.status, closed.follow_ups, closed.next_check_at) == ("closed", 0, None)
    assert stack.staff_replies(ticket)[-1] == f"Order {order.id}: canceled, so there is nothing to refill."
    assert (await timeline(stack, request)).count("checked") == 1


async def assumed_done(stack, order) -> tuple[SupportRequest, SimTicket]:
    """A refill confirmed over Telegram with nothing to measure it (no count source, no API
    refill), tracked past the follow-up window."""
    request, ticket = await forwarded(stack, order, "refill {id} please")
    async with stack.tenant_session() as session:
        settings = await session.scalar(sa.select(TenantSettings))
        count_source, settings.count_source_url = settings.count_source_url, None
        stored = await session.get_one(SupportRequest, request.id)
        stored.status, stored.provider_refill_id = "acknowledged", None
        stored.baseline = {"status": "Completed", "remains": 0, "current_count": None, "drop": None}
    try:
        assert (await track(stack, request.created_at + timedelta(hours=6))).resolved == 0  # inside the window
        await track(stack, request.created_at + timedelta(hours=25))
    finally:
        async with stack.tenant_session() as session:
            (await session.scalar(sa.select(TenantSettings))).count_source_url = count_source
    return request, ticket


async def test_a_confirmed_refill_nothing_can_measure_is_assumed_done_when_the_window_passes(stack):
    order = stack.order(current_count=1100)
    request, ticket = await assumed_done(stack, order)

    done = await reload(stack, request)
    assert (done.status, done.follow_ups, done.next_check_at) == ("resolved", 0, None)
    assert stack.staff_replies(ticket)[-1] == f"Order {order.id}: refilled. Thank you for your patience."
    async with stack.tenant_session() as session:
        resolved = await session.scalar(
            sa.select(RequestEvent).where(RequestEvent.request_id == request.id, RequestEvent.kind == "resolved")
        )
    assert resolved.detail["by"] == "assumed"


async def test_a_new_message_about_an_assumed_refill_reopens_it_without_quota(stack):
    order = stack.order(current_count=1100)
    request, _ = await assumed_done(stack, order)
    used = (await stack.client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"]

    again = stack.ticket(f"refill {order.id} please, it dropped again")
    await stack.run_jobs()

    reopened = await reload(stack, request)
    assert reopened.status == "forwarded" and reopened.next_check_at is not None and reopened.reason is None
    assert "reopened" in await timeline(stack, request)
    outcomes = sorted(r["outcome"] for r in await stack.requests_for(order))
    assert outcomes == ["duplicate_open_request", "forward_refill"]
    assert "already" in stack.staff_replies(again)[-1]
    assert (await stack.client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"] == used
