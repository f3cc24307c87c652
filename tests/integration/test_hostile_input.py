"""Hostile input anywhere in the API is a 400 problem, never a 500: NUL characters, deep
nesting, numbers beyond 64 bits or not finite, and times without a time zone."""

from __future__ import annotations

import base64
import uuid

import pytest

from tests.integration.openapi_walk import credentials

PROBLEM = "application/problem+json"
DEEP = b'{"email": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"


def _naive_cursor() -> str:
    return base64.urlsafe_b64encode(f"2026-01-01T00:00:00|{uuid.uuid4()}".encode()).decode()


def _cases(account, key):
    owner = account.headers
    yield "signup NUL email", "POST", "/api/auth/signup", {"json": {"email": "a\x00b@example.com", "password": "correct horse battery", "panel_name": "P"}}, {}
    yield "signup NUL panel", "POST", "/api/auth/signup", {"json": {"email": f"n{uuid.uuid4().hex[:8]}@example.com", "password": "correct horse battery", "panel_name": "P\x00"}}, {}
    yield "signup deep", "POST", "/api/auth/signup", {"content": DEEP}, {"Content-Type": "application/json"}
    yield "login NUL", "POST", "/api/auth/login", {"json": {"email": "x\x00@example.com", "password": "whatever it is"}}, {}
    yield "login deep", "POST", "/api/auth/login", {"content": DEEP}, {"Content-Type": "application/json"}
    yield "message NUL", "POST", "/api/v1/messages", {"json": {"customer": "anna", "text": "refill 1\x00"}}, key
    yield "message NUL key", "POST", "/api/v1/messages", {"content": b'{"customer": "anna", "text": "hi", "\\u0000": 1}'}, {**key, "Content-Type": "application/json"}
    yield "tenant NUL", "PATCH", "/api/tenant", {"json": {"name": "x\x00y"}}, owner
    yield "tolerance 1e30", "PATCH", "/api/tenant/settings", {"json": {"tolerance": 1e30}}, owner
    yield "tolerance 10^20", "PATCH", "/api/tenant/settings", {"json": {"tolerance": 10**20}}, owner
    yield "service id 10^20", "POST", "/api/services/import", {"json": [{"service": 10**20, "name": "big"}]}, owner
    yield "service id string 10^20", "POST", "/api/services/import", {"json": [{"service": str(10**20), "name": "big"}]}, owner
    yield "rate NaN", "POST", "/api/services/import", {"content": b'[{"service": 1, "name": "n", "rate": NaN}]'}, {**owner, "Content-Type": "application/json"}
    yield "rate 1e400", "POST", "/api/services/import", {"content": b'[{"service": 1, "name": "n", "rate": 1e400}]'}, {**owner, "Content-Type": "application/json"}
    yield "rate Infinity", "POST", "/api/services/import", {"content": b'[{"service": 1, "name": "n", "rate": Infinity}]'}, {**owner, "Content-Type": "application/json"}
    yield "int query 10^20", "GET", f"/api/queue?limit={10**20}", {}, owner
    yield "search NUL", "GET", "/api/services?search=%00", {}, owner
    yield "category NUL", "GET", "/api/services?category=a%00", {}, owner
    yield "audit action NUL", "GET", "/api/audit?action=%00", {}, owner
    yield "requests customer NUL", "GET", "/api/requests?customer=%00", {}, owner
    yield "requests naive created_from", "GET", "/api/requests?created_from=2026-01-01T00:00:00", {}, owner
    yield "requests naive created_to", "GET", "/api/requests?created_to=2026-01-01T00:00", {}, owner
    yield "requests naive cursor", "GET", f"/api/requests?cursor={_naive_cursor()}", {}, owner
    yield "audit naive cursor", "GET", f"/api/audit?cursor={_naive_cursor()}", {}, owner
    yield "services naive cursor", "GET", f"/api/services?cursor={_naive_cursor()}", {}, owner
    yield "limit 10^20", "GET", f"/api/audit?limit={10**20}", {}, owner


async def test_hostile_input_is_a_400_problem_everywhere(client, sign_up):
    account = await sign_up()
    key = (await credentials(client, account))["api_key"]
    failures = []
    for name, method, url, body, headers in _cases(account, key):
        response = await client.request(method, url, headers=headers, **body)
        if response.status_code != 400 or not response.headers["content-type"].startswith(PROBLEM):
            failures.append(f"{name}: {response.status_code} {response.text[:120]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("query", ["created_from=2026-01-01T00:00:00Z", "created_from=2026-01-01T00:00:00%2B02:00"])
async def test_aware_times_and_plain_text_still_pass(client, sign_up, query):
    account = await sign_up()
    assert (await client.get(f"/api/requests?{query}", headers=account.headers)).status_code == 200
    search = await client.get("/api/services?search=2026-01-01T00:00:00", headers=account.headers)
    assert search.status_code == 200


async def test_a_body_at_the_size_limit_still_passes_the_guard(client, sign_up, settings):
    """The guard buffers the body to inspect it; one just under the limit is still accepted."""
    account = await sign_up()
    key = (await credentials(client, account))["api_key"]
    text = "refill 1 " + "x" * 19_000
    response = await client.post("/api/v1/messages", json={"customer": "anna", "text": text}, headers=key)
    assert response.status_code == 202, response.text
