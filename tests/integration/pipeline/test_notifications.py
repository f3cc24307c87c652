"""The notification centre over the real pipeline: an escalation, the quota's warning and
exhaustion, each once per occurrence; the unread count, marking read, the channels the
owner picks, tenant isolation; and silent mode, which leaves non-requests unanswered."""

from __future__ import annotations

from typing import Any

import pytest

from supportai.domain.billing.plans import PlanCode
from supportai.domain.billing.service import current_subscription
from tests.integration.pipeline.test_quota import refills, use_plan

_customers = iter(range(10, 30))  # a customer of their own for each question


async def notifications(stack, **params: Any) -> list[dict[str, Any]]:
    response = await stack.client.get("/api/notifications", params={"limit": 200, **params},
                                      headers=stack.account.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def of_event(stack, event: str) -> list[dict[str, Any]]:
    return [n for n in await notifications(stack) if n["event"] == event]


async def unread(stack) -> int:
    response = await stack.client.get("/api/notifications/unread-count", headers=stack.account.headers)
    assert response.status_code == 200, response.text
    return response.json()["unread"]


async def ask_a_question(stack, text: str = "Hello, do you accept payments with USDT on TRC20?") -> Any:
    customer = list(stack.world.users)[next(_customers)]
    ticket = stack.ticket(text, user=customer)
    await stack.run_jobs()
    return customer, ticket


async def set_settings(stack, **values: Any) -> None:
    response = await stack.client.patch("/api/tenant/settings", json=values, headers=stack.account.headers)
    assert response.status_code == 200, response.text


async def test_an_escalation_notifies_the_owner_once_in_the_app(stack):
    before = len(await of_event(stack, "escalation"))
    customer, _ = await ask_a_question(stack)

    escalations = await of_event(stack, "escalation")
    assert len(escalations) == before + 1
    [latest] = [n for n in escalations if customer in n["title"]]
    assert latest["read"] is False and latest["link"] == "/queue"
    # No bot or owner chat in this tenant: the Telegram copy failed, saying why.
    assert latest["telegram"] == "failed" and "no bot or owner chat" in latest["delivery_error"]

    await stack.run_jobs()  # nothing new: nothing more
    assert len(await of_event(stack, "escalation")) == before + 1


async def test_marking_read_one_and_all(stack, sign_up, client):
    await ask_a_question(stack)
    count = await unread(stack)
    assert count >= 1
    [first, *_] = await notifications(stack, unread=True)

    marked = await stack.client.post(f"/api/notifications/{first['id']}/read", headers=stack.account.headers)
    assert marked.status_code == 200 and marked.json()["read"] is True
    assert await unread(stack) == count - 1
    assert first["id"] in {n["id"] for n in await notifications(stack, unread=False)}

    # Another tenant sees none of them and cannot mark them.
    other = await sign_up("Other panel")
    assert (await client.get("/api/notifications", headers=other.headers)).json()["items"] == []
    foreign = await client.post(f"/api/notifications/{first['id']}/read", headers=other.headers)
    assert foreign.status_code == 404
    assert foreign.headers["content-type"].startswith("application/problem+json")

    everything = await stack.client.post("/api/notifications/read-all", headers=stack.account.headers)
    assert everything.status_code == 200 and everything.json()["marked"] == count - 1
    assert await unread(stack) == 0


async def test_the_quota_warns_at_80_percent_and_alerts_when_used_up_once_per_cycle(stack):
    await use_plan(stack, PlanCode.STARTER, limit=10, used=7)
    warnings_before, exhausted_before = len(await of_event(stack, "quota_warning")), len(
        await of_event(stack, "quota_exhausted"))

    assert await refills(stack, 1) == ["forwarded"]  # 8 of 10: the warning
    assert await refills(stack, 1) == ["forwarded"]  # 9 of 10: no second warning this cycle
    assert len(await of_event(stack, "quota_warning")) == warnings_before + 1
    assert (await refills(stack, 2)).count("blocked_quota") == 1
    assert await refills(stack, 1) == ["blocked_quota"]
    [exhausted, *_] = await of_event(stack, "quota_exhausted")
    assert len(await of_event(stack, "quota_exhausted")) == exhausted_before + 1
    assert "10 requests" in exhausted["body"] and exhausted["link"] == "/billing"

    # The next cycle may warn and alert again.
    async with stack.tenant_session() as session:
        subscription = await current_subscription(session)
        await current_subscription(session, now=subscription.cycle_end)
        subscription.requests_limit, subscription.requests_used = 1, 1
    assert await refills(stack, 1) == ["blocked_quota"]
    assert len(await of_event(stack, "quota_exhausted")) == exhausted_before + 2
    await use_plan(stack, PlanCode.STARTER, limit=10_000, used=0)


async def test_the_owner_chooses_the_channels_of_each_event(stack, client, sign_up):
    channels = (await stack.client.get("/api/notifications/channels", headers=stack.account.headers)).json()
    by_event = {e["event"]: e for e in channels["events"]}
    assert by_event["escalation"]["telegram"] and not by_event["escalation"]["email"]
    assert channels["email_to"] == stack.account.email and channels["email_ready"] is False

    changed = await stack.client.put("/api/notifications/channels", headers=stack.account.headers, json={
        "events": [{"event": "escalation", "telegram": False, "email": True}],
        "notification_email": "alerts@panel.example",
    })
    assert changed.status_code == 200, changed.text
    after = {e["event"]: e for e in changed.json()["events"]}
    assert (after["escalation"]["telegram"], after["escalation"]["email"]) == (False, True)
    assert changed.json()["email_to"] == "alerts@panel.example"

    customer, _ = await ask_a_question(stack, "Hi, what payment methods do you take? Perfect Money?")
    [latest] = [n for n in await of_event(stack, "escalation") if customer in n["title"]]
    assert latest["telegram"] is None  # not wanted
    assert latest["email"] == "failed" and "no SMTP server" in latest["delivery_error"]

    bad = await stack.client.put("/api/notifications/channels", headers=stack.account.headers,
                                 json={"events": [{"event": "gossip", "telegram": True, "email": False}]})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    other = await sign_up("Channels elsewhere")  # another tenant keeps the defaults
    theirs = (await client.get("/api/notifications/channels", headers=other.headers)).json()
    assert {e["event"]: e for e in theirs["events"]}["escalation"]["telegram"] is True
    await stack.client.put("/api/notifications/channels", headers=stack.account.headers, json={
        "events": [{"event": "escalation", "telegram": True, "email": False}], "notification_email": None})


@pytest.fixture
async def silent(stack):
    await set_settings(stack, silent_mode=True)
    yield
    await set_settings(stack, silent_mode=False)


async def test_silent_mode_leaves_a_non_request_to_staff_without_a_reply(stack, silent):
    customer, ticket = await ask_a_question(stack, "Hello, do you have a discount for resellers?")

    assert stack.staff_replies(ticket) == []
    queue = (await stack.client.get("/api/queue", params={"limit": 500}, headers=stack.account.headers)).json()
    [item] = [i for i in queue if i["request"]["customer"] == customer]
    assert item["reason"] == "message names no order"
    detail = (await stack.client.get(f"/api/requests/{item['request']['id']}", headers=stack.account.headers)).json()
    assert "reply_withheld" in [step["kind"] for step in detail["timeline"]]

    # A support request is answered as always.
    order = stack.order(current_count=1100)
    answered = stack.ticket(f"refill {order.id} please, followers dropped")
    await stack.run_jobs()
    assert stack.staff_replies(answered) != []
