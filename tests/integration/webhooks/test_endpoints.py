"""Webhook endpoints through the API: the owner's CRUD and secret, other tenants kept out,
and URLs held to the same address checks as every other tenant URL."""

from __future__ import annotations

import uuid

import pytest
from litestar.testing import AsyncTestClient

from supportai.app import create_app
from tests.conftest import make_settings, run_queued_jobs

ENDPOINTS = "/api/webhooks/endpoints"


async def test_the_owner_adds_changes_and_removes_an_endpoint(client, sign_up, receiver):
    owner = await sign_up()
    created = await client.post(ENDPOINTS, headers=owner.headers, json={
        "url": receiver.url("crud") + "/", "events": ["request.resolved"], "description": "CRM"})
    assert created.status_code == 201, created.text
    endpoint = created.json()
    assert endpoint["url"] == receiver.url("crud")  # stored as the URL checks return it
    assert endpoint["secret"].startswith("whsec_")
    assert (endpoint["events"], endpoint["description"], endpoint["enabled"]) == (["request.resolved"], "CRM", True)

    [listed] = (await client.get(ENDPOINTS, headers=owner.headers)).json()
    assert listed["id"] == endpoint["id"] and "secret" not in listed
    path = f"{ENDPOINTS}/{endpoint['id']}"
    assert (await client.get(f"{path}/secret", headers=owner.headers)).json() == {"secret": endpoint["secret"]}

    rotated = (await client.post(f"{path}/rotate-secret", headers=owner.headers)).json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != endpoint["secret"]
    assert (await client.get(f"{path}/secret", headers=owner.headers)).json() == {"secret": rotated["secret"]}

    changed = await client.patch(path, headers=owner.headers, json={"enabled": False, "events": []})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["enabled"], changed.json()["events"]) == (False, [])
    assert (await client.get(path, headers=owner.headers)).json()["enabled"] is False

    assert (await client.delete(path, headers=owner.headers)).status_code == 204
    assert (await client.get(path, headers=owner.headers)).status_code == 404
    assert (await client.get(ENDPOINTS, headers=owner.headers)).json() == []


async def test_an_unknown_event_is_refused(client, sign_up, receiver):
    owner = await sign_up()
    answer = await client.post(ENDPOINTS, headers=owner.headers,
                               json={"url": receiver.url("x"), "events": ["order.exploded"]})
    assert answer.status_code == 400


async def test_another_tenant_cannot_see_change_or_redeliver(client, sign_up, receiver, settings):
    owner, stranger = await sign_up(), await sign_up()
    endpoint = (await client.post(ENDPOINTS, headers=owner.headers, json={"url": receiver.url("mine")})).json()
    sent = (await client.post(f"{ENDPOINTS}/{endpoint['id']}/test", headers=owner.headers)).json()
    await run_queued_jobs(settings)
    path, delivery = f"{ENDPOINTS}/{endpoint['id']}", f"/api/webhooks/deliveries/{sent['id']}"

    assert (await client.get(ENDPOINTS, headers=stranger.headers)).json() == []
    assert (await client.get("/api/webhooks/deliveries", headers=stranger.headers)).json()["items"] == []
    for method, url in [("GET", path), ("PATCH", path), ("DELETE", path), ("GET", f"{path}/secret"),
                        ("POST", f"{path}/rotate-secret"), ("POST", f"{path}/test"), ("GET", delivery),
                        ("POST", f"{delivery}/redeliver")]:
        answer = await client.request(method, url, headers=stranger.headers,
                                      json={"enabled": False} if method == "PATCH" else None)
        assert answer.status_code == 404, (method, url, answer.text)

    # Nothing the stranger tried changed the owner's endpoint or its delivery.
    assert (await client.get(path, headers=owner.headers)).json()["enabled"] is True
    assert (await client.get(delivery, headers=owner.headers)).json()["attempts"] == 1
    assert len(receiver.calls["mine"]) == 1


@pytest.fixture(scope="module")
async def strict_client(pg_database, redis_url):
    """The API as deployed: tenant URLs must be public."""
    async with AsyncTestClient(app=create_app(make_settings(pg_database, redis_url, allow_private_urls=False))) as c:
        yield c


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8090/hook", "http://localhost/hook", "http://10.1.2.3/", "http://169.254.169.254/latest",
    "http://[::1]/", "http://crm.internal/hook", "ftp://crm.example.com/hook", "javascript:alert(1)",
    "http://user:pass@crm.example.com/", "not a url",
])
async def test_internal_and_odd_urls_are_refused(strict_client, url):
    signup = await strict_client.post("/api/auth/signup", json={
        "email": f"hooks-{uuid.uuid4().hex[:8]}@example.com", "password": "long panel password", "panel_name": "H"})
    headers = {"Authorization": f"Bearer {signup.json()['access_token']}"}
    created = await strict_client.post(ENDPOINTS, headers=headers, json={"url": url})
    assert created.status_code == 400, created.text
    assert created.headers["content-type"].startswith("application/problem+json")
    assert created.json()["status"] == 400
    assert (await strict_client.get(ENDPOINTS, headers=headers)).json() == []

    public = (await strict_client.post(ENDPOINTS, headers=headers, json={"url": "https://hooks.example.com/in"})).json()
    moved = await strict_client.patch(f"{ENDPOINTS}/{public['id']}", headers=headers, json={"url": url})
    assert moved.status_code == 400, moved.text
    assert (await strict_client.get(f"{ENDPOINTS}/{public['id']}", headers=headers)).json()["url"] == public["url"]
