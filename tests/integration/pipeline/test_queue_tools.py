"""The review queue's tools over requests the pipeline really made: the badge count and
the reason filter, bulk resolve and close, and re-running quota-blocked requests."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from supportai.domain.requests.models import Message, MessageStatus

NO_ORDER = "message names no order"


async def count(stack) -> dict[str, Any]:
    response = await stack.client.get("/api/queue/count", headers=stack.account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def queue(stack, **params: Any) -> list[dict[str, Any]]:
    response = await stack.client.get("/api/queue", params=params, headers=stack.account.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
async def escalated(stack) -> list[str]:
    """Two questions naming no order: each escalated to the owner."""
    stack.ticket("hello, who do I talk to about a partnership?")
    stack.ticket("hi, can I pay with paypal?")
    await stack.run_jobs()
    items = await queue(stack, reason=NO_ORDER)
    assert len(items) == 2
    return [item["request"]["id"] for item in items]


async def test_the_count_and_the_reason_filter_show_what_waits(stack, escalated):
    shown = await count(stack)
    assert (shown["escalated"], shown["blocked_quota"], shown["failed_messages"]) == (2, 0, 0)
    assert shown["total"] == 2 and shown["by_reason"] == {NO_ORDER: 2}
    assert await queue(stack, reason="some other reason") == []
    assert await queue(stack, status="blocked_quota") == []


async def test_bulk_resolve_and_close_end_the_requests_and_skip_the_rest(stack, escalated):
    first, second = escalated
    unknown = "00000000-0000-4000-8000-000000000000"
    response = await stack.client.post("/api/queue/bulk", json={"request_ids": [first, unknown], "action": "resolve",
                                                                "note": "answered by phone"},
                                       headers=stack.account.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"updated": [first], "skipped": [unknown]}
    closed = await stack.client.post("/api/queue/bulk", json={"request_ids": [first, second], "action": "close"},
                                     headers=stack.account.headers)
    assert closed.json() == {"updated": [second], "skipped": [first]}  # an ended request is left as it is
    assert (await count(stack))["total"] == 0
    timeline = (await stack.client.get(f"/api/requests/{first}", headers=stack.account.headers)).json()["timeline"]
    assert timeline[-1]["kind"] == "resolved" and timeline[-1]["detail"]["note"] == "answered by phone"
    assert timeline[-1]["by_name"] == stack.account.email  # people by name, not id
    bad = await stack.client.post("/api/queue/bulk", json={"request_ids": [], "action": "resolve"},
                                  headers=stack.account.headers)
    assert bad.status_code == 400


async def test_a_quota_blocked_request_runs_again_once_there_is_quota(stack, escalated):
    await stack.set_quota(limit=5, used=5)
    order = stack.order(current_count=1100)  # a real drop: forwarded once decided
    ticket = stack.ticket(f"refill {order.id} please")
    await stack.run_jobs()
    [blocked] = await stack.requests_for(order)
    assert blocked["status"] == "blocked_quota" and stack.staff_replies(ticket) == []
    assert (await count(stack))["blocked_quota"] == 1

    refused = await stack.client.post("/api/queue/rerun", json={"request_ids": [blocked["id"]]},
                                      headers=stack.account.headers)
    assert refused.status_code == 409 and refused.json()["reason"] == "quota"

    await stack.set_quota(limit=10, used=5)
    response = await stack.client.post("/api/queue/rerun", json={"request_ids": [blocked["id"]]},
                                       headers=stack.account.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"requests": [blocked["id"]], "messages": [], "queued": 1, "skipped": []}
    await stack.run_jobs()
    [decided] = await stack.requests_for(order)
    assert decided["status"] == "forwarded" and decided["outcome"] == "forward_refill"
    shown = (await stack.client.get(f"/api/requests/{decided['id']}", headers=stack.account.headers)).json()
    assert (shown["facts"]["expected_count"], shown["facts"]["current_count"]) == ("1,500", "1,100")
    assert shown["baseline"]["drop"] == 400 and "[R30]" in shown["service_name"]
    assert len(stack.staff_replies(ticket)) == 1  # the customer is answered now
    assert (await count(stack))["blocked_quota"] == 0
    usage = (await stack.client.get("/api/usage", headers=stack.account.headers)).json()
    assert usage["requests_used"] == 6  # charged once, when it was decided


async def test_rerun_needs_something_to_run(stack):
    response = await stack.client.post("/api/queue/rerun", json={}, headers=stack.account.headers)
    assert response.status_code == 400
    unknown = "00000000-0000-4000-8000-000000000000"
    skipped = await stack.client.post("/api/queue/rerun", json={"message_ids": [unknown]},
                                      headers=stack.account.headers)
    assert skipped.json()["skipped"] == [unknown]


async def test_a_failed_message_runs_again_and_leaves_the_count(stack):
    ticket = stack.ticket("hi, is there a discount for big orders?")
    await stack.run_jobs()
    async with stack.tenant_session() as session:  # as after five failed runs
        message = await session.scalar(sa.select(Message).where(Message.ticket_id == ticket.id))
        message.status, message.attempts, message.reply_state = MessageStatus.FAILED, 5, "pending"
    assert (await count(stack))["failed_messages"] == 1
    response = await stack.client.post("/api/queue/rerun", json={"message_ids": [str(message.id)]},
                                       headers=stack.account.headers)
    assert response.json()["messages"] == [str(message.id)]
    await stack.run_jobs()
    assert (await count(stack))["failed_messages"] == 0
    async with stack.tenant_session() as session:
        assert (await session.get_one(Message, message.id)).status == MessageStatus.PROCESSED
