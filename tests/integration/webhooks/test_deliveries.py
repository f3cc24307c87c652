"""Deliveries end to end: events from the real pipeline, signed POSTs to a local receiver,
retries on their schedule (driven by the sweep's `now`, no sleeping), redelivery, the log."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from standardwebhooks import Webhook

from supportai.domain.webhooks.delivery import sweep_due
from supportai.domain.webhooks.schedule import MAX_ATTEMPTS, RETRY_DELAYS
from supportai.runtime import open_runtime
from tests.conftest import run_queued_jobs

ENDPOINTS = "/api/webhooks/endpoints"
DELIVERIES = "/api/webhooks/deliveries"


async def _endpoint(client: Any, account: Any, url: str, **fields: Any) -> dict[str, Any]:
    answer = await client.post(ENDPOINTS, headers=account.headers, json={"url": url, **fields})
    assert answer.status_code == 201, answer.text
    return answer.json()


async def _deliveries(client: Any, account: Any, endpoint: dict[str, Any]) -> list[dict[str, Any]]:
    page = await client.get(DELIVERIES, headers=account.headers, params={"endpoint_id": endpoint["id"]})
    return page.json()["items"]


async def _detail(client: Any, account: Any, delivery_id: str) -> dict[str, Any]:
    return (await client.get(f"{DELIVERIES}/{delivery_id}", headers=account.headers)).json()


async def _sweep(settings: Any, now: datetime) -> None:
    async with open_runtime(settings) as runtime:
        await sweep_due(runtime, now)
    await run_queued_jobs(settings)


async def test_an_event_reaches_the_subscribed_enabled_endpoints_only(stack, receiver):
    client, account = stack.client, stack.account
    forwarded = await _endpoint(client, account, receiver.url("forwarded"), events=["request.forwarded"])
    everything = await _endpoint(client, account, receiver.url("everything"))
    payments = await _endpoint(client, account, receiver.url("payments"), events=["payment.confirmed"])
    switched_off = await _endpoint(client, account, receiver.url("off"), enabled=False)
    order = stack.order(current_count=1100)  # dropped by 400: the refill is forwarded to the provider

    message, _ = await stack.message(f"refill {order.id} please, followers dropped")
    await stack.run_jobs()

    [request] = await stack.requests_for(order)
    assert request["status"] == "forwarded"
    [delivery] = await _deliveries(client, account, forwarded)
    assert (delivery["event_type"], delivery["status"]) == ("request.forwarded", "succeeded")
    [call] = receiver.calls["forwarded"]
    body = Webhook(forwarded["secret"]).verify(call.body, call.headers)
    assert body["type"] == "request.forwarded"
    assert body["data"]["request_id"] == request["id"]
    assert (body["data"]["order_id"], body["data"]["status"]) == (str(order.id), "forwarded")

    mine = [d for d in await _deliveries(client, account, everything)
            if json.loads(next(c.body for c in receiver.calls["everything"]
                               if c.headers["webhook-id"] == d["message_id"]))["data"]["message_id"]
            == str(message.id)]
    assert sorted(d["event_type"] for d in mine) == ["message.received", "request.created", "request.forwarded"]
    assert await _deliveries(client, account, payments) == []
    assert await _deliveries(client, account, switched_off) == []
    assert "payments" not in receiver.calls and "off" not in receiver.calls


async def test_a_delivery_is_signed_as_standard_webhooks_says(client, sign_up, receiver, settings):
    owner = await sign_up()
    endpoint = await _endpoint(client, owner, receiver.url("signed"))
    sent = await client.post(f"{ENDPOINTS}/{endpoint['id']}/test", headers=owner.headers)
    assert sent.status_code == 202, sent.text
    await run_queued_jobs(settings)

    [call] = receiver.calls["signed"]
    assert call.headers["webhook-id"] == sent.json()["message_id"]
    assert call.headers["webhook-signature"].startswith("v1,")
    body = Webhook(endpoint["secret"]).verify(call.body, call.headers)
    assert body["type"] == "webhook.test" and body["data"]["endpoint_id"] == endpoint["id"]
    assert body["timestamp"].endswith("Z")
    other = (await client.post(f"{ENDPOINTS}/{endpoint['id']}/rotate-secret", headers=owner.headers)).json()
    try:
        Webhook(other["secret"]).verify(call.body, call.headers)
        raise AssertionError("a body signed with the old secret verified with the new one")
    except Exception as exc:  # standardwebhooks raises WebhookVerificationError
        assert type(exc).__name__ == "WebhookVerificationError"

    detail = await _detail(client, owner, sent.json()["id"])
    assert (detail["status"], detail["attempts"], detail["last_status_code"]) == ("succeeded", 1, 200)
    [attempt] = detail["attempt_log"]
    assert attempt["status_code"] == 200 and attempt["duration_ms"] >= 0 and attempt["response_excerpt"] == "thanks"
    assert detail["payload"] == body


async def test_a_failing_receiver_is_retried_on_a_growing_schedule_then_given_up(client, sign_up, receiver,
                                                                                 settings):
    owner = await sign_up()
    receiver.statuses["failing"] = 500
    endpoint = await _endpoint(client, owner, receiver.url("failing"))
    sent = (await client.post(f"{ENDPOINTS}/{endpoint['id']}/test", headers=owner.headers)).json()
    await run_queued_jobs(settings)

    delays = []
    for attempts in range(1, MAX_ATTEMPTS):
        detail = await _detail(client, owner, sent["id"])
        assert (detail["status"], detail["attempts"], detail["last_status_code"]) == ("pending", attempts, 500)
        due = datetime.fromisoformat(detail["next_attempt_at"])
        delays.append(due - datetime.fromisoformat(detail["attempt_log"][-1]["created_at"]))
        await _sweep(settings, due - timedelta(seconds=1))  # not due yet: left alone
        assert (await _detail(client, owner, sent["id"]))["attempts"] == attempts
        await _sweep(settings, due)
    assert delays == list(RETRY_DELAYS)
    assert all(later >= earlier for earlier, later in pairwise(delays))

    detail = await _detail(client, owner, sent["id"])
    assert (detail["status"], detail["attempts"], detail["next_attempt_at"]) == ("failed", MAX_ATTEMPTS, None)
    assert [a["status_code"] for a in detail["attempt_log"]] == [500] * MAX_ATTEMPTS
    assert all(a["response_excerpt"] == "broken" for a in detail["attempt_log"])
    assert len(receiver.calls["failing"]) == MAX_ATTEMPTS
    await _sweep(settings, datetime.fromisoformat(detail["created_at"]) + timedelta(days=30))
    assert len(receiver.calls["failing"]) == MAX_ATTEMPTS  # nothing is due any more

    receiver.statuses["failing"] = 200  # the owner fixed the receiver and redelivers by hand
    redelivered = await client.post(f"{DELIVERIES}/{sent['id']}/redeliver", headers=owner.headers)
    assert redelivered.status_code == 202, redelivered.text
    await run_queued_jobs(settings)
    detail = await _detail(client, owner, sent["id"])
    assert (detail["status"], detail["attempts"]) == ("succeeded", MAX_ATTEMPTS + 1)
    assert [a["status_code"] for a in detail["attempt_log"]][-2:] == [500, 200]
    ids = {call.headers["webhook-id"] for call in receiver.calls["failing"]}
    assert ids == {sent["message_id"]}  # every attempt is the same message to the receiver


async def test_redelivery_adds_an_attempt_and_is_refused_while_one_is_pending(client, sign_up, receiver, settings):
    owner = await sign_up()
    endpoint = await _endpoint(client, owner, receiver.url("again"))
    sent = (await client.post(f"{ENDPOINTS}/{endpoint['id']}/test", headers=owner.headers)).json()
    assert (await client.post(f"{DELIVERIES}/{sent['id']}/redeliver", headers=owner.headers)).status_code == 400
    await run_queued_jobs(settings)

    again = await client.post(f"{DELIVERIES}/{sent['id']}/redeliver", headers=owner.headers)
    assert again.status_code == 202 and again.json()["status"] == "pending"
    await run_queued_jobs(settings)

    detail = await _detail(client, owner, sent["id"])
    assert (detail["status"], detail["attempts"]) == ("succeeded", 2)
    assert [a["status_code"] for a in detail["attempt_log"]] == [200, 200]
    first, second = receiver.calls["again"]
    assert first.headers["webhook-id"] == second.headers["webhook-id"] and first.body == second.body
    [listed] = await _deliveries(client, owner, endpoint)
    assert (listed["id"], listed["attempts"], listed["last_status_code"]) == (sent["id"], 2, 200)


async def test_a_delivery_to_a_disabled_endpoint_is_dropped(client, sign_up, receiver, settings):
    owner = await sign_up()
    endpoint = await _endpoint(client, owner, receiver.url("disabled"))
    sent = (await client.post(f"{ENDPOINTS}/{endpoint['id']}/test", headers=owner.headers)).json()
    await client.patch(f"{ENDPOINTS}/{endpoint['id']}", headers=owner.headers, json={"enabled": False})
    await run_queued_jobs(settings)

    detail = await _detail(client, owner, sent["id"])
    assert (detail["status"], detail["attempts"]) == ("failed", 0)
    assert "disabled" in detail["last_error"]
    assert "disabled" not in receiver.calls
