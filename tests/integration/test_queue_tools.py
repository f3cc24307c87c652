"""Saved replies (per tenant, validated and previewed like the reply templates) and taking
review-queue requests (assign, unassign, take; the mine/unassigned filters)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from supportai.domain.audit.models import AuditEntry
from supportai.domain.requests.models import Message, SupportRequest
from supportai.engine.decisions import RequestStatus
from supportai.runtime import open_runtime


async def escalated_request(settings, account, *, order_id: str | None, facts: dict[str, str],
                            lang: str = "en") -> str:
    """A request in the account's review queue, stored as the pipeline leaves it."""
    async with open_runtime(settings) as runtime, runtime.db.tenant_session(uuid.UUID(account.tenant_id)) as session:
        message = Message(source="api", external_id=uuid.uuid4().hex, customer="buyer", text="help", lang=lang)
        request = SupportRequest(message=message, customer="buyer", order_id=order_id, intent="refill",
                                 status=RequestStatus.ESCALATED, reason="needs a person", facts=facts)
        session.add_all([message, request])
        await session.flush()
        return str(request.id)


async def staff_member(client, owner) -> tuple[str, dict[str, str]]:
    email = f"staff-{uuid.uuid4().hex[:8]}@example.com"
    invitation = await client.post("/api/users/invitations", json={"email": email}, headers=owner.headers)
    joined = await client.post("/api/auth/accept-invitation",
                               json={"token": invitation.json()["token"], "password": "staff password 1"})
    assert joined.status_code == 200, joined.text
    headers = {"Authorization": f"Bearer {joined.json()['access_token']}"}
    return (await client.get("/api/auth/me", headers=headers)).json()["id"], headers


async def audit_actions(settings, account) -> list[tuple[str, dict[str, Any]]]:
    async with open_runtime(settings) as runtime, runtime.db.tenant_session(uuid.UUID(account.tenant_id)) as session:
        rows = await session.scalars(sa.select(AuditEntry).order_by(AuditEntry.created_at))
        return [(row.action, row.detail) for row in rows]


@pytest.fixture(scope="module")
async def owners(sign_up):
    return await sign_up("Queue tools A"), await sign_up("Queue tools B")


async def test_saved_replies_crud_stays_within_the_tenant(client, owners, settings):
    a, b = owners
    created = await client.post("/api/saved-replies", json={"title": "Refill soon", "text": "{orders}: refill soon."},
                                headers=a.headers)
    assert created.status_code == 201, created.text
    reply = created.json()
    assert (reply["title"], reply["language"]) == ("Refill soon", None)
    url = f"/api/saved-replies/{reply['id']}"

    edited = await client.put(url, json={"title": "Refill", "text": "Order {order_id}: soon.", "language": "pl"},
                              headers=a.headers)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["text"], edited.json()["language"]) == ("Order {order_id}: soon.", "pl")
    assert [r["id"] for r in (await client.get("/api/saved-replies", headers=a.headers)).json()] == [reply["id"]]

    # B sees none of A's, and cannot read, edit, delete or preview it.
    assert (await client.get("/api/saved-replies", headers=b.headers)).json() == []
    assert (await client.get(url, headers=b.headers)).status_code == 404
    assert (await client.put(url, json={"title": "x", "text": "y"}, headers=b.headers)).status_code == 404
    assert (await client.delete(url, headers=b.headers)).status_code == 404
    assert (await client.get(url, headers=a.headers)).json()["title"] == "Refill"

    assert (await client.delete(url, headers=a.headers)).status_code == 204
    assert (await client.get(url, headers=a.headers)).status_code == 404
    actions = [action for action, _ in await audit_actions(settings, a)]
    assert [x for x in actions if x.startswith("saved_reply.")] == [
        "saved_reply.created", "saved_reply.updated", "saved_reply.deleted"]


async def test_an_unknown_placeholder_or_language_is_a_problem(client, owners):
    a, _ = owners
    response = await client.post("/api/saved-replies", json={"title": "Bad", "text": "Hi {customer_name}"},
                                 headers=a.headers)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert "unknown placeholder {customer_name}" in error and "{refill_days}" in error
    braces = await client.post("/api/saved-replies", json={"title": "Bad", "text": "Hi {"}, headers=a.headers)
    assert braces.status_code == 400 and "malformed braces" in braces.json()["errors"][0]
    language = await client.post("/api/saved-replies", json={"title": "Bad", "text": "Hi", "language": "xx"},
                                 headers=a.headers)
    assert language.status_code == 400
    assert (await client.get("/api/saved-replies", headers=a.headers)).json() == []


async def test_preview_renders_the_request_facts(client, owners, settings):
    a, b = owners
    request_id = await escalated_request(settings, a, order_id="4821", facts={"refill_days": "30",
                                                                             "current_count": "1,200"})
    text = "{orders}: {current_count} now; refills for {refill_days} days (order {order_id})."
    reply = (await client.post("/api/saved-replies", json={"title": "Count", "text": text}, headers=a.headers)).json()
    preview = await client.post(f"/api/saved-replies/{reply['id']}/preview", json={"request_id": request_id},
                                headers=a.headers)
    assert preview.status_code == 200, preview.text
    assert preview.json() == {"rendered": "Order 4821: 1,200 now; refills for 30 days (order 4821).",
                              "language": "en"}

    # Written in Polish: {orders} is the Polish label.
    polish = (await client.post("/api/saved-replies", json={"title": "PL", "text": "{orders}.", "language": "pl"},
                                headers=a.headers)).json()
    rendered = (await client.post(f"/api/saved-replies/{polish['id']}/preview", json={"request_id": request_id},
                                  headers=a.headers)).json()
    assert rendered["language"] == "pl" and rendered["rendered"] != "Order 4821." and "4821" in rendered["rendered"]

    # A fact the request lacks is a problem naming it; another tenant's request is unknown.
    waits = (await client.post("/api/saved-replies", json={"title": "Wait", "text": "Wait {wait}."},
                               headers=a.headers)).json()
    missing = await client.post(f"/api/saved-replies/{waits['id']}/preview", json={"request_id": request_id},
                                headers=a.headers)
    assert missing.status_code == 400 and "{wait}" in missing.json()["errors"][0]
    request_of_b = await escalated_request(settings, b, order_id="1", facts={})
    other = await client.post(f"/api/saved-replies/{reply['id']}/preview", json={"request_id": request_of_b},
                              headers=a.headers)
    assert other.status_code == 400 and other.json()["field"] == "request_id"
    unknown = await client.post(f"/api/saved-replies/{uuid.uuid4()}/preview", json={"request_id": request_id},
                                headers=a.headers)
    assert unknown.status_code == 404


async def test_assign_take_and_unassign_are_logged_and_filtered(client, sign_up, settings):
    a = await sign_up("Queue tools C")  # its queue holds only this test's requests
    staff_id, staff = await staff_member(client, a)
    first = await escalated_request(settings, a, order_id="11", facts={})
    second = await escalated_request(settings, a, order_id="12", facts={})
    third = await escalated_request(settings, a, order_id="13", facts={})

    given = await client.post(f"/api/requests/{first}/assign", json={"user_id": staff_id}, headers=a.headers)
    assert given.status_code == 200, given.text
    assert given.json()["assignee_id"] == staff_id
    taken = await client.post(f"/api/requests/{second}/assign", json={"user_id": a.user_id}, headers=a.headers)
    assert taken.json()["assignee_id"] == a.user_id  # "take it": assigned to the caller

    async def queue_ids(headers: dict[str, str], assignee: str) -> set[str]:
        response = await client.get("/api/queue", params={"assignee": assignee}, headers=headers)
        assert response.status_code == 200, response.text
        return {item["request"]["id"] for item in response.json()}

    assert await queue_ids(a.headers, "me") == {second}
    assert await queue_ids(staff, "me") == {first}
    assert await queue_ids(a.headers, "unassigned") == {third}
    assert await queue_ids(a.headers, staff_id) == {first}
    listed = (await client.get("/api/requests", params={"assignee": "me"}, headers=staff)).json()["items"]
    assert [item["id"] for item in listed] == [first]
    unassigned = (await client.get("/api/requests", params={"assignee": "unassigned"}, headers=a.headers)).json()
    assert {item["id"] for item in unassigned["items"]} == {third}
    assert (await client.get("/api/queue", params={"assignee": "someone"}, headers=a.headers)).status_code == 400
    named = (await client.get("/api/queue", params={"assignee": "me"}, headers=staff)).json()
    assert named[0]["assignee_name"].startswith("staff-")

    # Unassigning puts it back among the unassigned.
    freed = await client.post(f"/api/requests/{first}/assign", json={"user_id": None}, headers=staff)
    assert freed.status_code == 200 and freed.json()["assignee_id"] is None
    assert await queue_ids(a.headers, "unassigned") == {first, third}

    detail = (await client.get(f"/api/requests/{first}", headers=a.headers)).json()
    steps = [(e["kind"], e["detail"]["assignee"], e["by_name"]) for e in detail["timeline"]]
    assert steps == [("assigned", staff_id, a.email), ("unassigned", None, detail["timeline"][-1]["by_name"])]
    assert detail["timeline"][-1]["by_name"].startswith("staff-") and detail["assignee_name"] is None
    assert detail["timeline"][0]["detail"]["assignee_name"] == detail["timeline"][-1]["by_name"]
    shown = (await client.get(f"/api/requests/{second}", headers=a.headers)).json()
    assert shown["assignee_name"] == a.email
    audit = [(action, d["assignee"]) for action, d in await audit_actions(settings, a) if action.startswith("request.")]
    assert audit == [("request.assigned", staff_id), ("request.assigned", a.user_id), ("request.unassigned", None)]


async def test_another_tenants_user_or_request_is_refused(client, owners, settings):
    a, b = owners
    mine = await escalated_request(settings, a, order_id="21", facts={})
    refused = await client.post(f"/api/requests/{mine}/assign", json={"user_id": b.user_id}, headers=a.headers)
    assert refused.status_code == 400 and refused.json()["field"] == "user_id"
    unknown = await client.post(f"/api/requests/{mine}/assign", json={"user_id": str(uuid.uuid4())}, headers=a.headers)
    assert unknown.status_code == 400
    as_b = await client.post(f"/api/requests/{mine}/assign", json={"user_id": b.user_id}, headers=b.headers)
    assert as_b.status_code == 404
    shown = (await client.get(f"/api/requests/{mine}", headers=a.headers)).json()
    assert shown["assignee_id"] is None and shown["timeline"] == []
