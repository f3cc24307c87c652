"""SLA timers over requests the pipeline really made: what each waits on and since when,
the overdue filter and the oldest-waiting sort, and the sweep that notifies the owner once
per wait (a new wait, after forwarding again, can breach again), per tenant, never for a
target that is off. Time moves by setting back the timestamps of the rows the test made."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.models import Notification
from supportai.domain.requests.models import Message, RequestEvent, SupportRequest
from supportai.domain.support.sla_breaches import BREACHED, sweep_sla
from supportai.runtime import open_runtime

SLA_FIELDS = ("waiting_on", "waiting_since", "sla_due_at", "overdue")


def at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


async def forwarded_request(stack) -> dict[str, Any]:
    order = stack.order(current_count=1100)
    await stack.sim.change_order(order.id, behaviour={"refill_delay": 0})  # so a second refill is accepted
    stack.ticket(f"refill {order.id} please, followers dropped")
    await stack.run_jobs()
    [request] = await stack.requests_for(order)
    assert request["status"] == "forwarded"
    return request


_questions = iter(range(5, 20))  # a customer of its own for each question


async def escalated_request(stack) -> dict[str, Any]:
    customer = list(stack.world.users)[next(_questions)]
    stack.ticket("Hello, can I pay with Payeer?", user=customer)
    await stack.run_jobs()
    [request] = await listed(stack, customer=customer)
    assert request["status"] == "escalated"
    return request


async def listed(stack, **params: Any) -> list[dict[str, Any]]:
    response = await stack.client.get("/api/requests", params=params, headers=stack.account.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def set_back(stack, request_id: str, hours: float) -> None:
    """As if this request's waits and steps had all happened `hours` earlier."""
    shift = timedelta(hours=hours)
    async with stack.tenant_session() as session:
        request = await session.get_one(SupportRequest, uuid.UUID(request_id))
        request.waiting_since -= shift
        for event in await session.scalars(sa.select(RequestEvent).where(RequestEvent.request_id == request.id)):
            event.created_at -= shift


async def set_targets(stack, person: int | None, provider: int | None) -> None:
    response = await stack.client.patch(
        "/api/tenant/settings", json={"sla_person_minutes": person, "sla_provider_minutes": provider},
        headers=stack.account.headers,
    )
    assert response.status_code == 200, response.text


async def sweep(stack) -> dict[str, int]:
    async with open_runtime(stack.settings) as runtime:
        return await sweep_sla(runtime)


async def breaches(stack, request_id: str) -> list[RequestEvent]:
    async with stack.tenant_session() as session:
        return list(await session.scalars(
            sa.select(RequestEvent)
            .where(RequestEvent.request_id == uuid.UUID(request_id), RequestEvent.kind == BREACHED)
            .order_by(RequestEvent.created_at)
        ))


async def sla_notifications(stack, request_id: str) -> list[Any]:
    """The tenant's SLA notifications about this request (occurrence: request id + wait start)."""

    async with stack.tenant_session() as session:
        return list(await session.scalars(
            sa.select(Notification).where(Notification.event == OwnerEvent.SLA_BREACH,
                                          Notification.occurrence.startswith(f"{request_id}:"))
        ))


async def one(stack, request_id: str) -> dict[str, Any]:
    response = await stack.client.get(f"/api/requests/{request_id}", headers=stack.account.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(autouse=True)
async def default_targets(stack):
    await set_targets(stack, 240, 2880)
    yield
    await set_targets(stack, 240, 2880)


async def test_a_forwarded_request_waits_on_the_provider_from_its_forwarding(stack):
    request = await forwarded_request(stack)

    since = at(request["waiting_since"])
    assert request["waiting_on"] == "provider" and not request["overdue"]
    assert at(request["created_at"]) <= since <= datetime.now(UTC)
    assert at(request["sla_due_at"]) == since + timedelta(minutes=2880)
    assert {k: (await one(stack, request["id"]))[k] for k in SLA_FIELDS} == {k: request[k] for k in SLA_FIELDS}


async def test_a_provider_wait_past_its_target_notifies_once_even_when_swept_twice(stack):
    request = await forwarded_request(stack)
    await set_back(stack, request["id"], hours=49)

    first = await sweep(stack)
    await sweep(stack)

    assert first["breaches"] >= 1
    [event] = await breaches(stack, request["id"])
    assert event.detail["waiting_on"] == "provider"
    [notification] = await sla_notifications(stack, request["id"])
    assert request["order_id"] in notification.title
    assert notification.occurrence == f"{request['id']}:{event.detail['waiting_since']}"
    shown = await one(stack, request["id"])
    assert shown["overdue"] is True and shown["timeline"][-1]["kind"] == BREACHED
    assert request["id"] in [r["id"] for r in await listed(stack, overdue="true")]
    assert request["id"] not in [r["id"] for r in await listed(stack, overdue="false")]


async def test_a_wait_within_its_target_is_not_a_breach(stack):
    request = await forwarded_request(stack)
    await set_back(stack, request["id"], hours=47)
    await sweep(stack)
    assert await breaches(stack, request["id"]) == []
    assert (await one(stack, request["id"]))["overdue"] is False


async def test_targets_that_are_off_never_breach(stack):
    provider_wait = await forwarded_request(stack)
    person_wait = await escalated_request(stack)
    await set_back(stack, provider_wait["id"], hours=24 * 30)
    await set_back(stack, person_wait["id"], hours=24 * 30)
    await set_targets(stack, None, None)

    await sweep(stack)

    for request in (provider_wait, person_wait):
        assert await breaches(stack, request["id"]) == []
        assert await sla_notifications(stack, request["id"]) == []
        shown = await one(stack, request["id"])
        assert shown["waiting_on"] is not None and shown["sla_due_at"] is None and shown["overdue"] is False
    assert await listed(stack, overdue="true") == []

    await set_targets(stack, 240, None)  # the person target back on: only that wait breaches
    await sweep(stack)
    assert len(await breaches(stack, person_wait["id"])) == 1
    assert await breaches(stack, provider_wait["id"]) == []


async def test_forwarding_again_starts_a_new_wait_that_can_breach_again(stack):
    request = await forwarded_request(stack)
    await set_back(stack, request["id"], hours=50)
    await sweep(stack)
    assert len(await breaches(stack, request["id"])) == 1

    response = await stack.client.post(f"/api/requests/{request['id']}/reforward", headers=stack.account.headers)
    assert response.status_code == 200, response.text
    again = response.json()
    assert again["waiting_on"] == "provider" and again["overdue"] is False
    assert at(again["waiting_since"]) > at(request["waiting_since"])  # a new wait, not the request's age
    await sweep(stack)
    assert len(await breaches(stack, request["id"])) == 1  # the new wait is not due yet

    await set_back(stack, request["id"], hours=49)
    await sweep(stack)
    await sweep(stack)

    first, second = await breaches(stack, request["id"])
    assert first.detail["waiting_since"] != second.detail["waiting_since"]
    assert len(await sla_notifications(stack, request["id"])) == 2


async def test_the_review_queue_shows_person_waits_and_filters_and_sorts_them(stack):
    newer = await escalated_request(stack)
    older = await escalated_request(stack)
    await set_back(stack, older["id"], hours=5)  # past the 4 h target
    await set_back(stack, newer["id"], hours=1)

    queue = (await stack.client.get("/api/queue", params={"overdue": "true"}, headers=stack.account.headers)).json()
    overdue_ids = [item["request"]["id"] for item in queue]
    assert older["id"] in overdue_ids and newer["id"] not in overdue_ids
    assert all(item["request"]["overdue"] and item["request"]["waiting_on"] == "person" for item in queue)

    waiting = (await stack.client.get("/api/queue", params={"sort": "waiting"}, headers=stack.account.headers)).json()
    starts = [at(item["request"]["waiting_since"]) for item in waiting]
    assert starts == sorted(starts)
    place = [item["request"]["id"] for item in waiting]
    assert place.index(older["id"]) < place.index(newer["id"])

    await sweep(stack)
    [event] = await breaches(stack, older["id"])
    assert event.detail["waiting_on"] == "person"
    assert await breaches(stack, newer["id"]) == []


async def test_the_requests_list_sorts_waiting_requests_oldest_wait_first_over_pages(stack):
    made = [await forwarded_request(stack) for _ in range(3)]
    for hours, request in zip((3, 1, 2), made, strict=True):
        await set_back(stack, request["id"], hours=hours)

    items, cursor = [], None
    while True:
        params = {"sort": "waiting", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await stack.client.get("/api/requests", params=params, headers=stack.account.headers)).json()
        items += page["items"]
        if (cursor := page["next_cursor"]) is None:
            break

    assert all(item["waiting_on"] is not None for item in items)
    starts = [at(item["waiting_since"]) for item in items]
    assert starts == sorted(starts)
    order = [item["id"] for item in items]
    assert len(order) == len(set(order))
    assert [r["id"] for r in sorted(made, key=lambda r: order.index(r["id"]))] == [made[0]["id"], made[2]["id"],
                                                                                   made[1]["id"]]


async def test_the_inbox_shows_each_request_s_wait(stack):
    request = await forwarded_request(stack)
    await set_back(stack, request["id"], hours=49)
    inbox = (await stack.client.get("/api/inbox", params={"search": request["order_id"]},
                                    headers=stack.account.headers)).json()
    [summary] = [r for m in inbox["items"] for r in m["requests"] if r["id"] == request["id"]]
    assert summary["waiting_on"] == "provider" and summary["overdue"] is True
    assert at(summary["sla_due_at"]) == at(summary["waiting_since"]) + timedelta(minutes=2880)


async def test_a_request_no_longer_waiting_has_no_timer(stack):
    request = await forwarded_request(stack)
    response = await stack.client.post(f"/api/requests/{request['id']}/resolve", json={},
                                       headers=stack.account.headers)
    assert response.status_code == 200, response.text
    assert {k: response.json()[k] for k in SLA_FIELDS} == {
        "waiting_on": None, "waiting_since": None, "sla_due_at": None, "overdue": False}


async def test_each_tenant_is_told_of_its_own_breaches_under_its_own_targets(stack, sign_up):
    mine = await forwarded_request(stack)
    other = await sign_up("Another panel")
    other_id = uuid.UUID(other.tenant_id)
    theirs = await _stored_forwarded_request(stack, other_id, waited=timedelta(hours=49))
    await set_back(stack, mine["id"], hours=49)
    await set_targets(stack, 240, None)  # mine: provider target off; theirs: the default 48 h

    await sweep(stack)

    assert await breaches(stack, mine["id"]) == []
    async with open_runtime(stack.settings) as runtime, runtime.db.tenant_session(other_id) as session:
        kinds = list(await session.scalars(sa.select(RequestEvent.kind).where(RequestEvent.request_id == theirs)))
        notes = list(await session.scalars(sa.select(Notification).where(Notification.event == OwnerEvent.SLA_BREACH)))
    assert kinds.count(BREACHED) == 1
    assert [n.occurrence.split(":")[0] for n in notes] == [str(theirs)]
    # Neither sees the other's request in its overdue list.
    theirs_listed = await stack.client.get("/api/requests", params={"overdue": "true"}, headers=other.headers)
    assert [r["id"] for r in theirs_listed.json()["items"]] == [str(theirs)]
    assert str(theirs) not in [r["id"] for r in await listed(stack, overdue="true")]


async def _stored_forwarded_request(stack, tenant_id: uuid.UUID, waited: timedelta) -> uuid.UUID:
    """A forwarded request stored in another tenant (its own message), waiting for `waited`."""
    async with open_runtime(stack.settings) as runtime, runtime.db.tenant_session(tenant_id) as session:
        message = Message(source="api", external_id=uuid.uuid4().hex, customer="someone", text="refill 1 please")
        request = SupportRequest(message=message, customer="someone", order_id="1", intent="refill",
                                 outcome="refill_requested", status="forwarded")
        session.add_all([message, request])
        await session.flush()
        request.waiting_since = datetime.now(UTC) - waited
        return request.id
