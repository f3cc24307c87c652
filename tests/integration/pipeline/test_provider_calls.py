"""Provider API calls go in batches: up to 100 order IDs per provider and action in one
`orders=` call (SMM API v2), each order's answer mapped back to its own request."""

from __future__ import annotations

import uuid

import httpx

from supportai.domain.dispatch.provider_calls import ProviderCall, call_providers
from supportai.domain.requests.models import SupportRequest
from supportai.integrations.provider import SmmProviderClient


def _ids_in(call: dict) -> set[str]:
    params = call["params"]
    return set(params["orders"].split(",")) if "orders" in params else {params.get("order", "")}


def _calls(stack, http: httpx.AsyncClient, orders, action: str) -> list[ProviderCall]:
    provider = stack.world.providers[orders[0].provider]
    client = SmmProviderClient(http, api_url=f"{stack.base_url}/providers/{provider.name}", api_key=provider.key)
    return [
        ProviderCall(SupportRequest(id=uuid.uuid4(), provider=provider.name, external_order_id=order.external_id),
                     action, client)
        for order in orders
    ]


async def test_a_message_with_many_refills_asks_the_provider_once(stack):
    first = [stack.order(current_count=1100) for _ in range(75)]  # dropped: refills are forwarded
    second = [stack.order(current_count=1100) for _ in range(75)]
    calls_before = len(await stack.provider_calls("refill"))

    for orders in (first, second):
        await stack.message("these dropped, please refill: " + ", ".join(str(o.id) for o in orders))
    await stack.run_jobs()

    calls = (await stack.provider_calls("refill"))[calls_before:]
    assert len(calls) == 2  # one per message: 150 orders of one provider
    expected = {frozenset(o.external_id for o in orders) for orders in (first, second)}
    assert {frozenset(_ids_in(c)) for c in calls} == expected
    requests = [r for o in (*first, *second) for r in await stack.requests_for(o)]
    assert len(requests) == 150
    assert all(r["status"] == "forwarded" and r["provider_refill_id"] for r in requests)
    assert len({r["provider_refill_id"] for r in requests}) == 150  # each its own refill


async def test_150_refills_for_one_provider_take_two_calls_with_each_answer_mapped_back(stack):
    orders = [stack.order(current_count=1100) for _ in range(150)]
    refused = orders[120]
    await stack.sim.change_order(refused.id, behaviour={"refill": "disabled"})
    calls_before = len(await stack.provider_calls("refill"))

    async with httpx.AsyncClient() as http:
        results = await call_providers(_calls(stack, http, orders, "refill"))

    calls = (await stack.provider_calls("refill"))[calls_before:]
    assert [len(_ids_in(c)) for c in calls] == [100, 50]
    assert [call.request.external_order_id for call, _ in results] == [o.external_id for o in orders]
    answered = {call.request.external_order_id: result for call, result in results}
    assert answered[refused.external_id].error == "Refill is disabled for this service"
    assert answered[refused.external_id].refill_id is None
    others = [answered[o.external_id] for o in orders if o is not refused]
    assert all(r.error is None and r.refill_id for r in others)
    assert len({r.refill_id for r in others}) == 149


async def test_a_batch_whose_answer_was_lost_is_uncertain_for_all_its_orders(stack):
    orders = [stack.order() for _ in range(3)]
    calls_before = len(await stack.provider_calls("cancel"))

    await stack.sim.configure(fail_next=1)  # the provider's gateway answers 502
    async with httpx.AsyncClient() as http:
        results = await call_providers(_calls(stack, http, orders, "cancel"))

    assert len((await stack.provider_calls("cancel"))[calls_before:]) == 1  # not sent again
    assert all(result.uncertain and not result.unavailable for _, result in results)
