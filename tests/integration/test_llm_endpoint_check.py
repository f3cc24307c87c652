"""The LLM endpoint's Test button: one sample message, read by the tenant's saved endpoint
through the same integration the pipeline uses; a failure is a problem response."""

from __future__ import annotations

import json

import pytest

from supportai.domain.setup.service import LLM_SAMPLE

API_KEY = "sk-check-key"


async def _save(client, account, url: str) -> None:
    saved = await client.put(
        "/api/setup/llm", json={"url": url, "model": "check-model", "api_key": API_KEY}, headers=account.headers
    )
    assert saved.status_code == 200, saved.text


async def test_a_valid_answer_reports_how_the_endpoint_read_the_sample(client, sign_up, stand_in):
    app, base_url = stand_in
    account = await sign_up()
    await _save(client, account, f"{base_url}/v1")
    app.answer_with(json.dumps({"intent": "refill", "orders": [{"id": "4410293", "intent": "refill"}]}))

    checked = await client.post("/api/setup/llm/test", headers=account.headers)

    assert checked.status_code == 200, checked.text
    assert checked.json() == {"sample": LLM_SAMPLE, "intent": "refill", "order_ids": ["4410293"]}
    sent = app.requests[-1]
    assert sent["headers"]["authorization"] == f"Bearer {API_KEY}"
    assert sent["body"]["model"] == "check-model"
    assert LLM_SAMPLE in sent["body"]["messages"][-1]["content"]


@pytest.mark.parametrize(
    ("content", "status", "reason"),
    [
        ("Sure, the customer wants a refill.", 200, "not the requested JSON"),
        (json.dumps({"intent": "refill", "orders": [{"id": "999", "intent": "refill"}]}), 200, "order IDs"),
        (json.dumps({"error": "invalid key"}), 401, "did not give a usable answer"),
    ],
    ids=["prose", "invented-order-id", "refused-key"],
)
async def test_an_unusable_answer_is_a_problem_saying_why(client, sign_up, stand_in, content, status, reason):
    app, base_url = stand_in
    account = await sign_up()
    await _save(client, account, f"{base_url}/v1")
    app.answer_with(content, status=status)

    checked = await client.post("/api/setup/llm/test", headers=account.headers)

    assert checked.status_code == 502
    assert checked.headers["content-type"].startswith("application/problem+json")
    assert reason in checked.json()["detail"]
    assert API_KEY not in checked.text


async def test_an_unreachable_endpoint_is_a_problem(client, sign_up):
    account = await sign_up()
    await _save(client, account, "http://127.0.0.1:9/v1")

    checked = await client.post("/api/setup/llm/test", headers=account.headers)

    assert checked.status_code == 502 and "LLM endpoint" in checked.json()["detail"]


async def test_without_a_saved_endpoint_there_is_nothing_to_test(client, sign_up):
    account = await sign_up()

    checked = await client.post("/api/setup/llm/test", headers=account.headers)

    assert checked.status_code == 400 and "Save an LLM endpoint first" in checked.json()["detail"]
