"""The owner's request API over requests the pipeline really made: the list with its
filters, pages and counts, a request's timeline, the actions on a request, staff access
and the review queue."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from supportai.simulator.records import SimOrder, SimTicket


@dataclass
class Handled:
    """An order a customer wrote about, their ticket, and the request the pipeline made."""

    order: SimOrder
    ticket: SimTicket
    request: dict[str, Any]


async def handle(stack, *cases: tuple[str, dict[str, Any]]) -> list[Handled]:
    """For each (text, order options): an order, a ticket about it ({id} in the text),
    then one worker run for all of them."""
    orders = [stack.order(**options) for _, options in cases]
    tickets = [stack.ticket(text.format(id=order.id), user=order.user)
               for (text, _), order in zip(cases, orders, strict=True)]
    await stack.run_jobs()
    return [Handled(order, ticket, (await stack.requests_for(order))[0])
            for order, ticket in zip(orders, tickets, strict=True)]


async def all_requests(stack, headers=None, limit: int = 200, **filters: str) -> list[dict[str, Any]]:
    """Every request that matches `filters`, following `next_cursor` to the last page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {**filters, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await stack.client.get("/api/requests", params=params, headers=headers or stack.account.headers)
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        if (cursor := response.json()["next_cursor"]) is None:
            return items


async def detail(stack, request_id: str, headers=None) -> dict[str, Any]:
    response = await stack.client.get(f"/api/requests/{request_id}", headers=headers or stack.account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def created(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(item["created_at"])


def position(item: dict[str, Any]) -> tuple[datetime, uuid.UUID]:
    """Where a request sits in the keyset order the API pages by: (created_at, id)."""
    return created(item), uuid.UUID(item["id"])


@pytest.fixture(scope="module")
async def sample(stack) -> dict[str, Handled]:
    """Requests of two customers with different intents, outcomes and statuses."""
    other_customer = list(stack.world.users)[1]
    cases = {
        "forwarded_refill": ("refill {id} please, followers dropped", {"current_count": 1100}),
        "no_drop": ("refill {id}", {"current_count": 1500}),
        "cancel_completed": ("cancel {id}", {}),
        "speed_up": ("speed up {id} it is stuck", {"status": "In progress", "remains": 600, "age_days": 1}),
        "other_customer": ("refill {id}", {"current_count": 1500, "user": other_customer}),
    }
    return dict(zip(cases, await handle(stack, *cases.values()), strict=True))


@pytest.mark.parametrize("field", ["status", "intent", "outcome", "customer", "order_id"])
async def test_each_filter_keeps_only_matching_requests(stack, sample, field):
    for handled in sample.values():
        value = handled.request[field]
        found = await all_requests(stack, **{field: value})
        assert handled.request["id"] in ids(found)
        assert all(item[field] == value for item in found)
        others = [h.request["id"] for h in sample.values() if h.request[field] != value]
        assert not set(others) & set(ids(found))


async def test_created_from_and_to_split_the_requests_at_a_moment(stack, sample):
    everything = await all_requests(stack)
    moment = sample["no_drop"].request["created_at"]

    since = await all_requests(stack, created_from=moment)
    before = await all_requests(stack, created_to=moment)

    assert sample["no_drop"].request["id"] in ids(since)  # from is inclusive, to exclusive
    assert sample["no_drop"].request["id"] not in ids(before)
    assert all(created(item) >= created(sample["no_drop"].request) for item in since)
    assert all(created(item) < created(sample["no_drop"].request) for item in before)
    assert sorted(ids(since) + ids(before)) == sorted(ids(everything))


async def test_pages_cover_every_request_once_newest_first(stack, sample):
    everything = (await stack.client.get("/api/requests", params={"limit": 200}, headers=stack.account.headers)).json()
    assert everything["next_cursor"] is None  # one page holds them all: the reference

    walked = await all_requests(stack, limit=2)

    assert ids(walked) == ids(everything["items"])
    assert len(set(ids(walked))) == len(walked)
    keys = [position(item) for item in walked]
    assert keys == sorted(keys, reverse=True)


async def test_pages_stay_stable_while_new_requests_arrive(stack, sample):
    before = await all_requests(stack)
    first = (await stack.client.get("/api/requests", params={"limit": 2}, headers=stack.account.headers)).json()

    [newer] = await handle(stack, ("refill {id}", {"current_count": 1500}))
    rest = await all_requests(stack, limit=2, cursor=first["next_cursor"])

    assert ids(first["items"]) + ids(rest) == ids(before)  # nothing twice, nothing missed
    assert newer.request["id"] not in ids(rest)  # newer than the cursor: on a fresh first page
    assert (await all_requests(stack))[0]["id"] == newer.request["id"]


async def test_a_cursor_that_was_not_given_out_is_refused(stack):
    response = await stack.client.get("/api/requests", params={"cursor": "not-a-cursor"}, headers=stack.account.headers)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_counts_per_status_ignore_the_status_filter(stack, sample):
    customer = sample["forwarded_refill"].request["customer"]
    statuses = Counter(item["status"] for item in await all_requests(stack, customer=customer))
    assert len(statuses) > 1

    for status in statuses:
        response = await stack.client.get(
            "/api/requests", params={"customer": customer, "status": status, "limit": 200},
            headers=stack.account.headers
        )
        page = response.json()
        assert page["counts"] == dict(statuses)
        assert len(page["items"]) == statuses[status]


@pytest.mark.parametrize(("name", "kinds"), [
    ("forwarded_refill", ["received", "quota_charged", "decided", "provider_call_started", "provider_call_done",
                          "replied"]),
    ("speed_up", ["received", "quota_charged", "decided", "dispatch_queued", "replied"]),  # over Telegram
    ("no_drop", ["received", "quota_charged", "decided", "replied"]),
])
async def test_timeline_lists_the_steps_in_order(stack, sample, name, kinds):
    request = await detail(stack, sample[name].request["id"])

    assert [event["kind"] for event in request["timeline"]] == kinds
    moments = [datetime.fromisoformat(event["at"]) for event in request["timeline"]]
    assert moments == sorted(moments)
    decided = next(e for e in request["timeline"] if e["kind"] == "decided")
    assert decided["detail"]["outcome"] == request["outcome"]
    assert str(sample[name].order.id) in request["message_text"]
    assert request["reply"] == stack.staff_replies(sample[name].ticket)[0]


@pytest.mark.parametrize(("action", "status"), [("resolve", "resolved"), ("close", "closed")])
async def test_resolve_and_close_set_the_status_and_join_the_timeline(stack, action, status):
    [handled] = await handle(stack, ("refill {id}", {"current_count": 1100}))
    assert handled.request["status"] == "forwarded"

    response = await stack.client.post(
        f"/api/requests/{handled.request['id']}/{action}", json={"note": "sorted out on the phone"},
        headers=stack.account.headers,
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == status
    request = await detail(stack, handled.request["id"])
    assert request["status"] == status
    last = request["timeline"][-1]
    assert last["kind"] == status
    assert last["detail"] == {"by": stack.account.user_id, "note": "sorted out on the phone"}


async def test_reforward_calls_the_provider_exactly_once_more(stack):
    order = stack.order(current_count=1100)
    # Providers refuse a refill while the last one still runs; this one finishes at once,
    # so the owner's second refill is accepted.
    await stack.sim.change_order(order.id, behaviour={"refill_delay": 0})
    stack.ticket(f"refill {order.id}")
    await stack.run_jobs()
    [request] = await stack.requests_for(order)

    async def refill_calls() -> int:
        calls = await stack.provider_calls("refill")
        return sum(call["params"].get("order") == order.external_id for call in calls)

    assert await refill_calls() == 1
    assert (await stack.sim.order(order.id))["latest_refill"]["status"] == "Completed"

    response = await stack.client.post(f"/api/requests/{request['id']}/reforward", headers=stack.account.headers)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "forwarded"
    assert response.json()["provider_refill_id"] not in (None, request["provider_refill_id"])
    assert response.json()["next_check_at"] > request["next_check_at"]  # tracked afresh
    assert await refill_calls() == 2
    kinds = [event["kind"] for event in (await detail(stack, request["id"]))["timeline"]]
    assert kinds[-3:] == ["reforwarded", "provider_call_started", "provider_call_done"]
    await stack.run_jobs()  # nothing left over for the worker to send again
    assert await refill_calls() == 2


async def test_reforward_is_refused_for_a_request_that_was_not_forwarded(stack, sample):
    request = sample["no_drop"].request
    calls_before = len(await stack.provider_calls("refill"))

    response = await stack.client.post(f"/api/requests/{request['id']}/reforward", headers=stack.account.headers)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400 and problem["detail"]
    assert (await detail(stack, request["id"]))["status"] == request["status"]
    assert len(await stack.provider_calls("refill")) == calls_before


async def test_a_manual_reply_is_posted_on_the_panel_ticket(stack):
    [handled] = await handle(stack, ("refill {id}", {"current_count": 1500}))
    text = f"Hi! We checked order {handled.order.id} by hand: all good."

    response = await stack.client.post(
        f"/api/requests/{handled.request['id']}/reply", json={"text": text}, headers=stack.account.headers
    )

    assert response.status_code == 200, response.text
    replies = stack.staff_replies(handled.ticket)
    assert len(replies) == 2 and replies[-1] == text  # the automatic answer, then ours
    last = (await detail(stack, handled.request["id"]))["timeline"][-1]
    assert last["kind"] == "manual_reply" and last["detail"]["text"] == text


@pytest.fixture(scope="module")
async def staff_headers(stack) -> dict[str, str]:
    invitation = await stack.client.post(
        "/api/users/invitations", json={"email": f"staff-{stack.account.user_id[:8]}@example.com"},
        headers=stack.account.headers,
    )
    assert invitation.status_code == 201, invitation.text
    joined = await stack.client.post(
        "/api/auth/accept-invitation", json={"token": invitation.json()["token"], "password": "staff password 1"}
    )
    assert joined.status_code == 200, joined.text
    return {"Authorization": f"Bearer {joined.json()['access_token']}"}


async def test_staff_can_read_requests_and_the_queue(stack, sample, staff_headers):
    assert ids(await all_requests(stack, headers=staff_headers)) == ids(await all_requests(stack))
    request_id = sample["forwarded_refill"].request["id"]
    assert await detail(stack, request_id, headers=staff_headers) == await detail(stack, request_id)
    queue = await stack.client.get("/api/queue", headers=staff_headers)
    assert queue.status_code == 200
    assert queue.json() == (await stack.client.get("/api/queue", headers=stack.account.headers)).json()


async def test_review_queue_lists_escalated_and_blocked_requests_oldest_first(stack, client):
    question_from = list(stack.world.users)[2]
    stack.ticket("Hello, can I pay with Payeer?", user=question_from)
    await stack.run_jobs()
    used = (await client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"]
    await stack.set_quota(limit=used, used=used)  # used up: the next request is blocked
    try:
        [blocked] = await handle(stack, ("refill {id}", {"current_count": 1100}))
    finally:
        await stack.set_quota(10_000, used=used)

    queue = (await client.get("/api/queue", headers=stack.account.headers)).json()

    assert {item["request"]["status"] for item in queue} <= {"escalated", "blocked_quota"}
    moments = [created(item["request"]) for item in queue]
    assert moments == sorted(moments)
    assert all(item["reason"] for item in queue)
    place = {item["request"]["id"]: n for n, item in enumerate(queue)}
    [question] = await all_requests(stack, customer=question_from)
    assert place[question["id"]] < place[blocked.request["id"]]
    assert queue[place[question["id"]]]["reason"] == question["reason"]
    assert queue[place[blocked.request["id"]]]["request"]["status"] == "blocked_quota"

    resolved = await client.post(f"/api/requests/{question['id']}/resolve", json={"note": "answered"},
                                 headers=stack.account.headers)
    assert resolved.status_code == 200
    after = (await client.get("/api/queue", headers=stack.account.headers)).json()
    assert question["id"] not in [item["request"]["id"] for item in after]
