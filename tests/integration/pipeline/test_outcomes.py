"""One test per outcome path through the whole pipeline: a panel ticket goes in, and we
check the reply on the ticket, the provider call (or its absence) and the request record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import service_row_id


@dataclass(frozen=True)
class Path:
    outcome: str
    text: str  # {id} is replaced by the order's id
    reply: str  # a piece of the customer reply
    order: dict[str, Any] = field(default_factory=dict)
    status: str = "resolved"
    provider_action: str | None = None  # the SMM API action the provider must receive


PATHS = [
    Path("forward_refill", "refill {id} please, followers dropped", "asked the provider for a refill",
         {"current_count": 1100}, "forwarded", "refill"),
    Path("no_drop", "refill {id}", "as expected (1,500)", {"current_count": 1500}),
    Path("below_start_count", "refill {id}", "below the count before the order started", {"current_count": 300}),
    Path("refill_period_expired", "refill {id}", "the 30-day refill period has ended", {"age_days": 45}),
    Path("refill_not_available", "refill {id}", "has no refill guarantee", {"marker": "NR |"}),
    Path("order_not_completed", "refill {id}", "still being delivered", {"status": "In progress", "remains": 400}),
    Path("order_canceled", "refill {id}", "canceled, so there is nothing to refill", {"status": "Canceled"}),
    Path("forward_cancel", "please cancel order {id}", "asked the provider to cancel it",
         {"status": "Pending", "remains": 1000, "age_days": 0.01, "marker": "", "cancelable": True}, "forwarded",
         "cancel"),
    Path("cancel_not_available", "cancel {id} please", "this service cannot be canceled",
         {"status": "In progress", "remains": 500, "marker": "", "cancelable": False}),
    Path("cannot_cancel_completed", "cancel {id}", "cannot be canceled", {}),
    Path("already_canceled", "cancel {id}", "already canceled", {"status": "Canceled"}),
    Path("already_partial", "cancel {id}", "already closed as partial", {"status": "Partial", "remains": 300}),
    Path("forward_speed_up", "speed up {id} it is stuck", "asked the provider to speed it up",
         {"status": "In progress", "remains": 600, "age_days": 1}, "forwarded"),
    Path("within_expected_time", "speed up order {id}", "still within its normal delivery time",
         {"status": "In progress", "remains": 600, "age_days": 0.02}),
    Path("already_completed", "speed up {id}", "already completed", {}),
    Path("order_closed", "speed up {id}", "cannot be sped up", {"status": "Canceled"}),
]


@pytest.mark.parametrize("path", PATHS, ids=[p.outcome for p in PATHS])
async def test_outcome_path(stack, path: Path):
    options = dict(path.order)
    marker = options.pop("marker", "[R30]")
    order = stack.order(marker, **options)
    calls_before = len(await stack.provider_calls(path.provider_action)) if path.provider_action else 0
    ticket = stack.ticket(path.text.format(id=order.id))

    await stack.run_jobs()

    replies = stack.staff_replies(ticket)
    assert len(replies) == 1, replies
    assert path.reply in replies[0]
    assert str(order.id) in replies[0]
    [request] = await stack.requests_for(order)
    assert (request["outcome"], request["status"]) == (path.outcome, path.status)
    if path.provider_action:
        calls = (await stack.provider_calls(path.provider_action))[calls_before:]
        assert len(calls) == 1
        assert order.external_id in (calls[0]["params"].get("order"), calls[0]["params"].get("orders"))
    if path.outcome == "forward_speed_up":  # speed-ups go out over Telegram, batched
        detail = (await stack.client.get(f"/api/requests/{request['id']}", headers=stack.account.headers)).json()
        assert "dispatch_queued" in [event["kind"] for event in detail["timeline"]]
    if path.outcome == "forward_refill":
        assert request["drop"] == 400  # expected 1,500 − current 1,100
        assert request["provider_refill_id"]


async def test_order_of_another_customer_is_not_found(stack):
    other_customer = list(stack.world.users)[1]
    order = stack.order(user=other_customer)
    ticket = stack.ticket(f"refill {order.id}")
    await stack.run_jobs()
    assert "not found in your account" in stack.staff_replies(ticket)[0]
    [request] = await stack.requests_for(order)
    assert request["outcome"] == "order_not_found"
    assert request["provider"] is None  # nothing about another customer's order is kept


async def test_missing_order_id_asks_for_it_and_makes_no_request(stack, client):
    usage_before = (await client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"]
    ticket = stack.ticket("my followers dropped, please refill")
    await stack.run_jobs()
    assert "Please send the ID of the order" in stack.staff_replies(ticket)[0]
    assert (await client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"] == usage_before


async def test_a_question_is_escalated_with_an_acknowledgement(stack, client):
    ticket = stack.ticket("Hello, do you accept payments with USDT on TRC20?")
    await stack.run_jobs()
    assert "passed it to our team" in stack.staff_replies(ticket)[0]
    queue = (await client.get("/api/queue", headers=stack.account.headers)).json()
    assert any(item["request"]["customer"] == stack.customer and item["reason"] == "message names no order"
               for item in queue)


async def test_a_second_request_while_one_is_open_is_a_duplicate(stack):
    order = stack.order(current_count=1000)
    stack.ticket(f"refill {order.id}")
    await stack.run_jobs()
    again = stack.ticket(f"please refill {order.id} again")
    await stack.run_jobs()
    assert "already working on your request" in stack.staff_replies(again)[0]
    outcomes = sorted(r["outcome"] for r in await stack.requests_for(order))
    assert outcomes == ["duplicate_open_request", "forward_refill"]


async def test_screenshot_required_keeps_the_request_waiting(stack, client):
    order = stack.order("[R90]", current_count=1000)
    row_id = await service_row_id(client, stack.account.headers, order.service_id)
    await client.patch(f"/api/services/{row_id}", json={"screenshot_for": ["refill"]}, headers=stack.account.headers)
    ticket = stack.ticket(f"refill {order.id}")
    await stack.run_jobs()
    assert "please send a screenshot" in stack.staff_replies(ticket)[0]
    [request] = await stack.requests_for(order)
    assert (request["outcome"], request["status"]) == ("screenshot_required", "waiting_customer")


async def test_the_screenshot_sent_later_completes_the_waiting_request_without_a_second_charge(stack, client):
    order = stack.order("[R90]", current_count=1000)
    row_id = await service_row_id(client, stack.account.headers, order.service_id)
    await client.patch(f"/api/services/{row_id}", json={"screenshot_for": ["refill"]}, headers=stack.account.headers)
    stack.ticket(f"refill {order.id}")
    await stack.run_jobs()
    used = (await client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"]

    key = (await client.post("/api/api-keys", json={"name": "proof", "scopes": ["messages:write"]},
                             headers=stack.account.headers)).json()["key"]
    await client.post("/api/v1/messages", headers={"X-API-Key": key},
                      json={"customer": stack.customer, "text": f"refill {order.id}", "has_attachment": True})
    await stack.run_jobs()

    by_status = {r["status"]: r for r in await stack.requests_for(order)}
    assert by_status["closed"]["reason"] == "superseded by a newer message"
    assert by_status["forwarded"]["outcome"] == "forward_refill"
    assert (await client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"] == used
