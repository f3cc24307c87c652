"""Service catalogue (import, detection, overrides) and reply templates over the API."""

from __future__ import annotations

CATALOGUE = [
    {"service": 1, "name": "Instagram Followers [R30] 0-1h 10K/Day", "category": "Instagram", "type": "Default",
     "rate": "0.90", "min": "10", "max": "50000", "refill": True, "cancel": True},
    {"service": 2, "name": "TikTok Likes | Lifetime Refill ♻️", "category": "TikTok", "rate": 1.5, "refill": True},
    {"service": 3, "name": "YouTube Views [No Refill ❌] Max 50K", "category": "YouTube", "rate": "2", "refill": False,
     "cancel": False},
    {"service": 4, "name": "Telegram Members G60", "category": "Telegram", "rate": "3.1"},
]


async def _import(client, account, catalogue=CATALOGUE):
    response = await client.post("/api/services/import", json=catalogue, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _services(client, account, **query) -> dict[int, dict]:
    page = (await client.get("/api/services", params=query, headers=account.headers)).json()
    return {item["panel_service_id"]: item for item in page["items"]}


async def test_import_detects_refill_periods_from_names(client, sign_up):
    account = await sign_up()
    assert await _import(client, account) == {"created": 4, "updated": 0, "deactivated": 0}
    services = await _services(client, account)
    assert services[1]["detected"] == {"refill_days": 30, "lifetime": False, "rule": "refill_prefix"}
    assert services[2]["detected"]["lifetime"] is True
    assert services[2]["effective"]["refill_days"] is None
    assert services[3]["detected"]["refill_days"] == 0
    assert services[3]["effective"]["cancel_allowed"] is False
    assert services[4]["effective"]["refill_days"] == 60
    assert services[4]["effective"]["cancel_allowed"] is True  # `cancel` absent: not ruled out
    assert services[1]["rate"] == 0.9


async def test_overrides_win_are_shown_beside_detection_and_survive_reimport(client, sign_up):
    account = await sign_up()
    await _import(client, account)
    service = (await _services(client, account))[1]
    patched = await client.patch(
        f"/api/services/{service['id']}",
        json={"refill_days": 45, "screenshot_for": ["refill", "refill"], "speed_up_after_hours": 12, "excluded": True},
        headers=account.headers,
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["detected"]["refill_days"] == 30
    assert body["override"]["refill_days"] == 45
    assert body["effective"] == {
        "refill_days": 45, "cancel_allowed": True, "speed_up_after_hours": 12.0,
        "screenshot_for": ["refill"], "automated": False,
    }

    renamed = [{**CATALOGUE[0], "name": "Instagram Followers [R90]"}, *CATALOGUE[1:3]]
    assert await _import(client, account, renamed) == {"created": 0, "updated": 3, "deactivated": 1}
    after = await _services(client, account)
    assert after[1]["detected"]["refill_days"] == 90
    assert after[1]["effective"]["refill_days"] == 45
    assert after[4]["active"] is False
    assert (await _services(client, account, active="true")).keys() == {1, 2, 3}

    cleared = await client.patch(f"/api/services/{service['id']}", json={"refill_days": None}, headers=account.headers)
    assert cleared.json()["effective"]["refill_days"] == 90


async def test_lifetime_override_and_tenant_cap(client, sign_up):
    account = await sign_up()
    await _import(client, account)
    services = await _services(client, account)
    await client.patch("/api/tenant/settings", json={"lifetime_cap_days": 365}, headers=account.headers)
    capped = await client.get(f"/api/services/{services[2]['id']}", headers=account.headers)
    assert capped.json()["effective"]["refill_days"] == 365
    overridden = await client.patch(f"/api/services/{services[3]['id']}", json={"lifetime": True},
                                    headers=account.headers)
    assert overridden.json()["effective"]["refill_days"] == 365


async def test_invalid_overrides_are_refused_with_problem_details(client, sign_up):
    account = await sign_up()
    await _import(client, account)
    service_id = (await _services(client, account))[1]["id"]
    for body in ({"refill_days": -1}, {"screenshot_for": ["teleport"]}, {"speed_up_after_hours": -2},
                 {"colour": "red"}):
        response = await client.patch(f"/api/services/{service_id}", json=body, headers=account.headers)
        assert response.status_code == 400, body
        assert response.headers["content-type"].startswith("application/problem+json")
    unchanged = await client.get(f"/api/services/{service_id}", headers=account.headers)
    assert unchanged.json()["override"]["refill_days"] is None


async def test_services_search_filter_and_pages(client, sign_up):
    account = await sign_up()
    await _import(client, account)
    assert (await _services(client, account, search="tiktok")).keys() == {2}
    assert (await _services(client, account, category="YouTube")).keys() == {3}
    first = (await client.get("/api/services", params={"limit": 3}, headers=account.headers)).json()
    rest = (await client.get("/api/services", params={"limit": 3, "cursor": first["next_cursor"]},
                             headers=account.headers)).json()
    assert len(first["items"]) == 3 and len(rest["items"]) == 1 and rest["next_cursor"] is None


async def test_templates_edit_validate_preview_and_reset(client, sign_up):
    account = await sign_up()
    listed = (await client.get("/api/templates", headers=account.headers)).json()
    by_key = {t["key"]: t for t in listed}
    assert {"forward_refill", "refill_period_expired", "order_not_found", "escalate"} <= by_key.keys()
    assert not any(t["is_custom"] for t in listed)

    bad = await client.put("/api/templates/refill_period_expired", json={"text": "Sorry {customer_name}"},
                           headers=account.headers)
    assert bad.status_code == 400
    assert any("customer_name" in error for error in bad.json()["errors"])
    broken = await client.put("/api/templates/refill_period_expired", json={"text": "Oops {orders"},
                              headers=account.headers)
    assert broken.status_code == 400

    text = "{orders}: the {refill_days}-day refill window has closed, sorry!"
    saved = await client.put("/api/templates/refill_period_expired", json={"text": text}, headers=account.headers)
    assert saved.status_code == 200 and saved.json()["is_custom"] is True
    preview = await client.post("/api/templates/refill_period_expired/preview", json={}, headers=account.headers)
    assert preview.json()["rendered"] == "Order 48213: the 30-day refill window has closed, sorry!"

    assert (await client.delete("/api/templates/refill_period_expired", headers=account.headers)).status_code == 204
    reset = {t["key"]: t for t in (await client.get("/api/templates", headers=account.headers)).json()}
    assert reset["refill_period_expired"]["is_custom"] is False
    assert (await client.put("/api/templates/no_such_key", json={"text": "x"},
                             headers=account.headers)).status_code == 404
