"""The OpenAPI document tells the truth: each route's security is what the API enforces,
and every status a route answers (as owner, with an API key, without credentials) is
documented with the content type it comes in."""

from __future__ import annotations

import uuid

from tests.integration.openapi_walk import Examples, credentials, operations

PROBLEM = "application/problem+json"


def _schemes(op) -> set[str]:
    return {name for requirement in op.spec.get("security", [{"?": []}]) for name in requirement}


async def test_security_per_route_is_what_the_api_enforces(app, client, sign_up):
    account = await sign_up()
    creds = await credentials(client, account)
    examples = Examples(app)
    ops = list(operations(app))
    assert "security" not in app.openapi_schema.to_schema()  # no blanket requirement
    for op in ops:
        assert "security" in op.spec, op.operation_id
        url = op.url(str(uuid.uuid4()))
        if op.public:
            assert op.spec["security"] == [], op.operation_id
            continue
        anonymous = await client.request(op.method, url, json=examples.body(op))
        assert anonymous.status_code == 401, op.operation_id
        with_key = await client.request(op.method, url, json=examples.body(op), headers=creds["api_key"])
        assert ("ApiKey" in _schemes(op)) == (with_key.status_code != 403), (op.operation_id, with_key.text)
        assert ("BearerToken" in _schemes(op)) == (not op.api_only), op.operation_id


async def test_every_answer_is_documented_with_its_content_type(app, client, sign_up):
    account = await sign_up()
    creds = await credentials(client, account)
    examples = Examples(app)
    undocumented = []
    for op in operations(app):
        for headers in ({}, creds["user"], creds["api_key"]):
            response = await client.request(op.method, op.url(str(uuid.uuid4())), json=examples.body(op),
                                            headers=headers)
            documented = op.spec["responses"].get(str(response.status_code))
            media = response.headers.get("content-type", "").split(";")[0]
            if documented is None or (media and media not in documented.get("content", {media: None})):
                undocumented.append(f"{op.operation_id}: {response.status_code} {media}")
    assert not undocumented, "\n".join(sorted(set(undocumented)))


async def test_problems_are_documented_as_problem_details(app):
    for op in operations(app):
        for status, response in op.spec["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == [PROBLEM], (op.operation_id, status)
        if not op.public:
            assert {"401", "403"} <= set(op.spec["responses"]), op.operation_id


async def test_the_requests_read_scope_opens_the_request_routes(client, sign_up):
    account = await sign_up()
    created = await client.post("/api/api-keys", json={"name": "reader", "scopes": ["requests:read"]},
                                headers=account.headers)
    key = {"X-API-Key": created.json()["key"]}
    assert (await client.get("/api/requests", headers=key)).status_code == 200
    assert (await client.get("/api/queue", headers=key)).status_code == 200
    assert (await client.get(f"/api/requests/{uuid.uuid4()}", headers=key)).status_code == 404
    assert (await client.get("/api/services", headers=key)).status_code == 403
