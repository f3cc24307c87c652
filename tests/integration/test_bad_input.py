"""Bad input on every body-taking route: a problem-details answer and nothing written."""

from __future__ import annotations

import json

from tests.integration.openapi_walk import Examples, credentials, headers_for, operations

PROBLEM = "application/problem+json"


def _body_operations(app):
    return [
        op for op in operations(app)
        if op.method in {"POST", "PUT", "PATCH"} and op.spec.get("requestBody") and not op.path_params
    ]


async def _state(client, account) -> dict:
    """Everything an owner can list; a bad request must leave it as it was."""
    state = {
        path: (await client.get(path, headers=account.headers)).json()
        for path in ("/api/audit", "/api/api-keys", "/api/users", "/api/tenant/settings", "/api/requests")
    }
    for key in state["/api/api-keys"]:
        key.pop("last_used_at")  # using a key is not a write we test for
    return state


async def test_malformed_wrongly_typed_unknown_and_oversize_bodies(app, client, sign_up, settings):
    account = await sign_up()
    examples = Examples(app)
    ops = _body_operations(app)
    assert ops
    creds = await credentials(client, account)
    before = await _state(client, account)

    for op in ops:
        headers = {**headers_for(op, creds), "Content-Type": "application/json"}
        valid = examples.body(op)
        cases = {
            "malformed": (b'{"email": "a@b.c",', 400),
            "not an object": (b"[1, 2, 3]", 400),
            "oversize": (b'{"x": "' + b"a" * (settings.max_body_bytes + 10) + b'"}', 413),
        }
        if isinstance(valid, dict) and valid:
            cases["unknown field"] = (json.dumps({**valid, "surprise": 1}).encode(), 400)
            first = next(iter(valid))
            cases["wrong type"] = (json.dumps({**valid, first: {"nested": ["wrong"]}}).encode(), 400)
        for name, (payload, status) in cases.items():
            response = await client.request(op.method, op.path, content=payload, headers=headers)
            assert response.status_code == status, (
                f"{op.operation_id} {name}: {response.status_code} {response.text[:200]}"
            )
            assert response.headers["content-type"].startswith(PROBLEM), f"{op.operation_id} {name}"
            problem = response.json()
            assert problem["status"] == status and problem["title"] and problem["detail"]

    assert await _state(client, account) == before


async def test_validation_problem_names_the_field(client, sign_up):
    account = await sign_up()
    response = await client.patch("/api/tenant/settings", json={"follow_up_hours": -1}, headers=account.headers)
    assert response.status_code == 400
    assert "follow_up_hours" in response.text


async def test_unknown_route_and_method_are_problems(client, sign_up):
    account = await sign_up()
    missing = await client.get("/api/nothing-here", headers=account.headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith(PROBLEM)
    wrong_method = await client.put("/api/audit", headers=account.headers)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"].startswith(PROBLEM)
