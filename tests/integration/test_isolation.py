"""Tenant B can neither read, list, change nor delete tenant A's objects, on any route.

Walks the OpenAPI schema, so routes added later are covered without editing this test.
"""

from __future__ import annotations

from typing import Any

from tests.integration.openapi_walk import Examples, credentials, headers_for, operations, uuids_in


async def _snapshot(client, ops, credentials, ids: set[str]) -> dict[str, Any]:
    """What A sees on every GET, for every id A owns."""
    seen: dict[str, Any] = {}
    for op in ops:
        if op.method != "GET":
            continue
        urls = [op.url(i) for i in sorted(ids)] if op.path_params else [op.path]
        for url in urls:
            response = await client.get(url, headers=headers_for(op, credentials))
            if response.status_code == 200:
                seen[url] = response.json()
    return seen


async def test_no_route_lets_one_tenant_touch_anothers_objects(app, client, sign_up):
    tenant_a, tenant_b = await sign_up("Panel A"), await sign_up("Panel B")
    creds_a, creds_b = await credentials(client, tenant_a), await credentials(client, tenant_b)
    examples = Examples(app)
    ops = [op for op in operations(app) if not op.public and op.path.startswith("/api/")]
    assert len(ops) >= 10

    # Tenant A creates one of everything it can, through the API itself.
    ids_a: set[str] = {tenant_a.tenant_id, tenant_a.user_id}
    for op in ops:
        if op.method == "POST" and not op.path_params:
            response = await client.post(op.path, json=examples.body(op), headers=headers_for(op, creds_a))
            if response.status_code < 300:
                ids_a |= uuids_in(response.json())
    for document in (await _snapshot(client, ops, creds_a, ids_a)).values():
        ids_a |= uuids_in(document)  # ids only listings show (e.g. imported services)
    ids_a -= uuids_in((await client.get("/api/auth/me", headers=tenant_b.headers)).json())
    before = await _snapshot(client, ops, creds_a, ids_a)
    assert len(ids_a) >= 4, "the walk created too little to prove anything"

    # Tenant B tries every route against every one of A's ids.
    for op in ops:
        headers = headers_for(op, creds_b)
        if not op.path_params:
            if op.method == "GET":
                response = await client.get(op.path, headers=headers)
                leaked = uuids_in(response.json()) & ids_a if response.status_code == 200 else set()
                assert not leaked, f"{op.operation_id} lists tenant A's objects: {leaked}"
                assert tenant_a.email not in response.text, f"{op.operation_id} shows tenant A's owner"
            continue
        body = examples.body(op)
        for object_id in sorted(ids_a):
            response = await client.request(op.method, op.url(object_id), json=body, headers=headers)
            assert response.status_code == 404, (
                f"{op.method} {op.url(object_id)} as tenant B answered {response.status_code}: {response.text}"
            )

    # Nothing of A's changed.
    assert await _snapshot(client, ops, creds_a, ids_a) == before
