"""Public API intake, many orders in one message, crash safety, quota races, panel outages."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from arq import Retry

from supportai.domain.requests.intake import requeue_stalled_messages
from supportai.domain.requests.tickets import poll_tickets
from supportai.runtime import open_runtime
from workers.jobs import process_message


@pytest.fixture(scope="module")
async def api_key(stack):
    created = await stack.client.post(
        "/api/api-keys", json={"name": "integration", "scopes": ["messages:write", "messages:read"]},
        headers=stack.account.headers,
    )
    return {"X-API-Key": created.json()["key"]}


async def _usage(stack) -> int:
    return (await stack.client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"]


async def test_fifteen_orders_make_fifteen_requests_and_one_reply(stack, api_key):
    orders = [stack.order(current_count=1100) for _ in range(15)]
    text = "Hi! all of these dropped, please refill: " + ", ".join(str(o.id) for o in orders)
    used_before = await _usage(stack)
    refills_before = len(await stack.provider_calls("refill"))
    body = {"customer": stack.customer, "text": text, "external_id": f"crm-{uuid.uuid4().hex}"}

    accepted = await stack.client.post("/api/v1/messages", json=body, headers=api_key)
    assert accepted.status_code == 202, accepted.text
    await stack.run_jobs()

    result = (await stack.client.get(f"/api/v1/messages/{accepted.json()['id']}", headers=api_key)).json()
    assert result["status"] == "processed"
    assert len(result["requests"]) == 15
    assert {r["outcome"] for r in result["requests"]} == {"forward_refill"}
    assert result["reply"].count("asked the provider for a refill") == 1  # one combined paragraph
    assert all(str(o.id) in result["reply"] for o in orders)
    assert await _usage(stack) == used_before + 15
    assert len(await stack.provider_calls("refill")) == refills_before + 1  # one batched call for all 15

    repeat = await stack.client.post("/api/v1/messages", json=body, headers=api_key)
    assert repeat.status_code == 202 and repeat.json() == {**accepted.json(), "duplicate": True, "status": "processed"}
    await stack.run_jobs()
    assert await _usage(stack) == used_before + 15
    assert len(await stack.provider_calls("refill")) == refills_before + 1


async def test_public_api_checks_scopes_and_input(stack, api_key, client):
    read_only = await client.post(
        "/api/api-keys", json={"name": "reader", "scopes": ["messages:read"]}, headers=stack.account.headers
    )
    reader = {"X-API-Key": read_only.json()["key"]}
    denied = await client.post("/api/v1/messages", json={"customer": "x", "text": "refill 1"}, headers=reader)
    assert denied.status_code == 403
    assert (await client.post("/api/v1/messages", json={"customer": "", "text": "x"},
                              headers=api_key)).status_code == 400
    # Owners use the owner API; the public API is for keys.
    assert (await client.post("/api/v1/messages", json={"customer": "x", "text": "y"},
                              headers=stack.account.headers)).status_code == 403


async def test_a_crash_after_the_provider_call_resumes_without_calling_again(stack):
    order = stack.order(current_count=1000)
    ticket = stack.ticket(f"refill {order.id}")
    refills_before = len(await stack.provider_calls("refill"))
    async with open_runtime(stack.settings) as runtime:
        await poll_tickets(runtime, uuid.UUID(stack.account.tenant_id))  # stored and queued
    # The ticket vanishes from the panel: the reply step fails after the provider call.
    hidden = stack.world.tickets.pop(ticket.id)
    await stack.run_jobs()
    assert len(await stack.provider_calls("refill")) == refills_before + 1
    [request] = await stack.requests_for(order)
    assert request["provider_refill_id"] and request["status"] == "forwarded"

    stack.world.tickets[ticket.id] = hidden
    async with open_runtime(stack.settings) as runtime:  # the sweeper finds the unfinished message
        assert await requeue_stalled_messages(runtime, older_than=timedelta(0)) >= 1
    await stack.run_jobs()

    assert len(await stack.provider_calls("refill")) == refills_before + 1
    assert len(stack.staff_replies(ticket)) == 1
    assert "asked the provider for a refill" in stack.staff_replies(ticket)[0]


async def test_panel_down_waits_retries_and_charges_nothing(stack, api_key):
    order = stack.order(current_count=1000)
    used_before = await _usage(stack)
    accepted = await stack.client.post(
        "/api/v1/messages", json={"customer": stack.customer, "text": f"refill {order.id}"}, headers=api_key
    )
    message_id = accepted.json()["id"]
    await stack.sim.configure(error_rate=1.0)
    try:
        async with open_runtime(stack.settings) as runtime:
            ctx = {"runtime": runtime, "job_try": 2}
            with pytest.raises(Retry) as retry:
                await process_message(ctx, stack.account.tenant_id, message_id)
            assert retry.value.defer_score == 10_000  # 10 s on the second try, growing
    finally:
        await stack.sim.configure(error_rate=0.0)
    waiting = (await stack.client.get(f"/api/v1/messages/{message_id}", headers=api_key)).json()
    assert waiting["status"] == "waiting_panel" and waiting["requests"] == []
    assert await _usage(stack) == used_before

    await stack.run_jobs()
    done = (await stack.client.get(f"/api/v1/messages/{message_id}", headers=api_key)).json()
    assert done["status"] == "processed"
    assert [r["outcome"] for r in done["requests"]] == ["forward_refill"]
    assert await _usage(stack) == used_before + 1


async def test_quota_race_lets_exactly_the_remaining_requests_through(stack, api_key, client):
    used = await _usage(stack)
    await stack.set_quota(limit=used + 10, used=used)
    orders = [stack.order(current_count=1500) for _ in range(50)]

    async def post(order):
        return await client.post(
            "/api/v1/messages", json={"customer": stack.customer, "text": f"refill {order.id}"}, headers=api_key
        )

    responses = await asyncio.gather(*(post(order) for order in orders))
    assert all(response.status_code == 202 for response in responses)
    await stack.run_jobs()

    outcomes = [(await stack.requests_for(order))[0]["status"] for order in orders]
    assert outcomes.count("blocked_quota") == 40
    assert len(outcomes) - outcomes.count("blocked_quota") == 10
    usage = (await client.get("/api/usage", headers=stack.account.headers)).json()
    assert usage["requests_used"] == usage["requests_limit"] == used + 10
    assert usage["blocked_requests"] >= 40
    queue = (await client.get("/api/queue", params={"limit": 500}, headers=stack.account.headers)).json()
    assert sum(item["request"]["status"] == "blocked_quota" for item in queue) >= 40
    await stack.set_quota(10_000, used=used + 10)
