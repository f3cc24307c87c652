"""A tenant's LLM endpoint reads the messages the offline classifier is unsure about."""

from __future__ import annotations

import json

from supportai.engine.understanding import understand
from supportai.integrations.llm import needs_llm
from supportai.simulator.server import serve_in_thread
from tests.integration.test_llm_classifier import ChatCompletionsStandIn


async def test_an_uncertain_message_is_read_by_the_tenants_llm(stack, client):
    order = stack.order("", status="Pending", remains=1000, age_days=0.01, cancelable=True)
    # "about order N": with a bare "about N", a round ID (411000) reads as an amount, not an order.
    text = f"about order {order.id}, the client changed his mind maybe, not sure what to do"
    assert needs_llm(understand(text)), "the example must be one the offline reader is unsure about"
    llm = ChatCompletionsStandIn()
    llm.answer_with(json.dumps({"intent": "cancel", "orders": [{"id": str(order.id), "intent": "cancel"}]}))

    with serve_in_thread(llm) as llm_url:
        saved = await client.put(
            "/api/setup/llm", json={"url": f"{llm_url}/v1", "model": "small", "api_key": "sk-tenant-secret"},
            headers=stack.account.headers,
        )
        assert saved.status_code == 200 and "sk-tenant-secret" not in saved.text
        try:
            ticket = stack.ticket(text)
            await stack.run_jobs()
        finally:
            await client.delete("/api/setup/llm", headers=stack.account.headers)

    assert llm.requests and llm.requests[0]["headers"]["authorization"] == "Bearer sk-tenant-secret"
    [request] = await stack.requests_for(order)
    assert (request["intent"], request["outcome"]) == ("cancel", "forward_cancel")
    assert "asked the provider to cancel it" in stack.staff_replies(ticket)[0]
