"""The inbox over messages the pipeline really stored: questions without orders appear,
search over text, customer and order id, filters and date range, keyset pages, a
message's conversation, a customer's history and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import pytest

from supportai.domain.requests.models import PROVIDER_SENDER, Message, MessageStatus, Source


async def inbox(stack, **params: Any) -> dict[str, Any]:
    response = await stack.client.get("/api/inbox", params=params, headers=stack.account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def texts(page: dict[str, Any]) -> set[str]:
    return {item["text"] for item in page["items"]}


@pytest.fixture(scope="module")
async def sample(stack) -> dict[str, Any]:
    other = list(stack.world.users)[1]
    order = stack.order(current_count=1500)
    other_order = stack.order(current_count=1500, user=other)
    question = stack.ticket("my followers dropped, can you refill?")  # no order id
    refill = stack.ticket(f"refill {order.id} please")
    stack.ticket(f"=refill {other_order.id}", user=other)  # a spreadsheet formula, to the export
    await stack.run_jobs()
    return {"order": order, "other_order": other_order, "other": other, "question": question, "refill": refill}


async def test_every_message_is_listed_with_its_requests_and_reply(stack, sample):
    page = await inbox(stack)
    by_text = {item["text"]: item for item in page["items"]}
    question = by_text["my followers dropped, can you refill?"]
    assert question["requests"] == [] and question["reply_text"]  # answered, though no request was made
    assert question["source"] == "ticket" and question["status"] == "processed"
    refill = by_text[f"refill {sample['order'].id} please"]
    assert [r["order_id"] for r in refill["requests"]] == [str(sample["order"].id)]
    assert refill["requests"][0]["outcome"] == "no_drop" and refill["reply_text"]


async def test_search_finds_text_customer_and_order_id(stack, sample):
    assert texts(await inbox(stack, search="FOLLOWERS dropped")) == {"my followers dropped, can you refill?"}
    assert texts(await inbox(stack, search=str(sample["order"].id))) == {f"refill {sample['order'].id} please"}
    assert texts(await inbox(stack, search=f"#{sample['order'].id}")) == {f"refill {sample['order'].id} please"}
    assert texts(await inbox(stack, search=sample["other"])) == {f"=refill {sample['other_order'].id}"}
    assert (await inbox(stack, search="100%_"))["items"] == []  # wildcards are taken literally


async def test_filters_and_date_range_narrow_the_list(stack, sample):
    assert texts(await inbox(stack, has_orders="false")) == {"my followers dropped, can you refill?"}
    assert len((await inbox(stack, has_orders="true"))["items"]) == 2
    assert len((await inbox(stack, source="ticket", status="processed"))["items"]) == 3
    assert (await inbox(stack, source="telegram"))["items"] == []
    # A request's status or intent finds the messages it came from.
    assert len((await inbox(stack, status="resolved"))["items"]) == 2
    assert (await inbox(stack, status="escalated"))["items"] == []
    assert len((await inbox(stack, intent="refill"))["items"]) == 3
    newest = datetime.fromisoformat((await inbox(stack, limit=1))["items"][0]["created_at"])
    assert len((await inbox(stack, created_from=(newest - timedelta(hours=1)).isoformat()))["items"]) == 3
    assert (await inbox(stack, created_to=(newest - timedelta(hours=1)).isoformat()))["items"] == []
    response = await stack.client.get("/api/inbox", params={"created_from": newest.isoformat(),
                                                            "created_to": newest.isoformat()},
                                      headers=stack.account.headers)
    assert response.status_code == 400 and response.json()["status"] == 400


async def test_pages_follow_the_cursor_without_gaps_or_repeats(stack, sample):
    seen, cursor = [], None
    while True:
        page = await inbox(stack, limit=1, **({"cursor": cursor} if cursor else {}))
        seen += [item["id"] for item in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == [item["id"] for item in (await inbox(stack))["items"]] and len(seen) == 3


async def test_a_conversation_is_the_ticket_thread(stack, sample):
    refill = next(i for i in (await inbox(stack, has_orders="true"))["items"] if i["customer"] == stack.customer)
    response = await stack.client.get(f"/api/inbox/{refill['id']}", headers=stack.account.headers)
    assert response.status_code == 200, response.text
    thread = response.json()
    assert thread["ticket_id"] == sample["refill"].id
    assert [m["id"] for m in thread["messages"]] == [refill["id"]]


async def test_customer_history_counts_messages_and_requests(stack, sample):
    response = await stack.client.get(f"/api/inbox/customers/{stack.customer}", headers=stack.account.headers)
    assert response.status_code == 200, response.text
    history = response.json()
    assert (history["message_count"], history["request_count"]) == (2, 1)
    assert history["requests_by_status"] == {"resolved": 1}
    assert {m["customer"] for m in history["messages"]} == {stack.customer}
    missing = await stack.client.get("/api/inbox/customers/nobody here", headers=stack.account.headers)
    assert missing.status_code == 404


async def test_the_export_is_the_filtered_list_as_csv(stack, sample):
    response = await stack.client.get("/api/inbox/export", params={"has_orders": "true"},
                                      headers=stack.account.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {row["orders"] for row in rows} == {str(sample["order"].id), str(sample["other_order"].id)}
    # A cell a spreadsheet would run as a formula stays text.
    assert f"'=refill {sample['other_order'].id}" in {row["text"] for row in rows}


async def test_the_requests_list_shows_and_searches_the_message(stack, sample):
    async def requests(**params: Any) -> list[dict[str, Any]]:
        response = await stack.client.get("/api/requests", params=params, headers=stack.account.headers)
        assert response.status_code == 200, response.text
        return response.json()["items"]

    [found] = await requests(search="PLEASE")
    assert (found["message_text"], found["source"], found["order_id"]) == (
        f"refill {sample['order'].id} please", "ticket", str(sample["order"].id))
    assert found["lang"] == "en"
    assert [r["customer"] for r in await requests(search=sample["other"])] == [sample["other"]]
    assert len(await requests(source="ticket", lang="en")) == 2
    assert await requests(source="api") == []


async def test_providers_replies_are_not_customer_messages(stack, sample):
    async with stack.tenant_session() as session:
        session.add(Message(source=Source.TELEGRAM, external_id="provider-reply-1", customer=PROVIDER_SENDER + "ProvA",
                            text="ok, restarted it", status=MessageStatus.PROCESSED))
    assert "ok, restarted it" not in texts(await inbox(stack))
    assert (await inbox(stack, search="restarted"))["items"] == []
