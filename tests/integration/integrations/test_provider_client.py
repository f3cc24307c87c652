"""SmmProviderClient against simulated providers' SMM API v2, over real HTTP."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from supportai.integrations.provider import (
    ItemError,
    OrderStatus,
    ProviderAuthError,
    ProviderProtocolError,
    ProviderRejected,
    ProviderUnavailable,
    SmmProviderClient,
)
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.world import World
from tests.integration.integrations.support import FAST_RETRY

MakeProvider = Callable[..., SmmProviderClient]
STRINGS_PROVIDER = "growlane"  # numbers as strings, spells "Canceled"
NUMBERS_PROVIDER = "smmvertex"  # numbers as numbers, spells "Cancelled"


def provider_path(name: str) -> str:
    return f"/providers/{name}/api/v2"


def service_for(world: World, provider: str, *, refill: bool = True) -> int:
    """A panel service fulfilled by `provider` that allows cancel (and refill if asked)."""
    for service in world.services.values():
        if service.provider != provider or service.cancel is not True:
            continue
        if service.refill == refill:
            return service.id
    raise AssertionError(f"the test world has no such service at {provider}")


async def new_order(
    sim: SimulatorControlClient, world: World, provider: str, **fields: Any
) -> dict[str, Any]:
    """An order at `provider`, Completed with a drop of 200 unless `fields` say otherwise."""
    values: dict[str, Any] = {
        "user": next(iter(world.users)),
        "service_id": service_for(world, provider, refill=fields.pop("refill_service", True)),
        "quantity": 1000,
        "status": "Completed",
        "start_count": 5000,
        "remains": 0,
        "current_count": 5800,
    }
    values.update(fields)
    return await sim.create_order(**values)


async def test_services_of_both_number_styles(make_provider: MakeProvider, world: World) -> None:
    for name in (STRINGS_PROVIDER, NUMBERS_PROVIDER):
        services = await make_provider(name).services()

        expected = world.providers[name].services
        assert sorted(s.service for s in services) == sorted(expected)
        for service in services:
            source = expected[service.service]
            assert (service.name, service.category, service.type) == (
                source.name,
                source.category,
                source.type,
            )
            assert service.rate == Decimal(str(source.rate))
            assert (service.min, service.max) == (source.min, source.max)
            assert service.refill is source.refill
            assert service.cancel is (source.cancel is True)  # a missing field means no


async def test_panel_user_api_lists_the_panel_catalogue(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient, world: World
) -> None:
    panel_api = SmmProviderClient(http, api_url=simulator_url, api_key=world.user_key)

    services = await panel_api.services()

    assert [s.name for s in services] == [s.name for s in world.services.values()]


async def test_status_of_one_order(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient
) -> None:
    order = await new_order(sim, world, STRINGS_PROVIDER, status="In progress", remains=300)

    status = await make_provider(STRINGS_PROVIDER).status(order["external_id"])

    assert status == OrderStatus(
        charge=Decimal(world.providers[STRINGS_PROVIDER].orders[order["external_id"]].charge),
        start_count=5000,
        status="In progress",
        remains=300,
        currency="USD",
    )


async def test_status_of_an_unknown_order_is_rejected(make_provider: MakeProvider) -> None:
    with pytest.raises(ProviderRejected) as raised:
        await make_provider(STRINGS_PROVIDER).status("1")

    assert raised.value.message == "Incorrect order ID"


async def test_250_statuses_take_three_calls_and_keep_per_order_errors(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient
) -> None:
    known = list(world.providers[STRINGS_PROVIDER].orders)[:200]
    unknown = [str(n) for n in range(1, 251 - len(known))]
    assert len(known) > 100 and len(known + unknown) == 250

    statuses = await make_provider(STRINGS_PROVIDER, max_concurrency=2).statuses(known + unknown)

    assert list(statuses) == known + unknown
    assert all(isinstance(statuses[order_id], OrderStatus) for order_id in known)
    assert all(statuses[order_id] == ItemError("Incorrect order ID") for order_id in unknown)
    calls = await sim.requests(path=provider_path(STRINGS_PROVIDER), action="status")
    sizes = sorted(len(call["params"]["orders"].split(",")) for call in calls)
    assert sizes == [50, 100, 100]


@pytest.mark.parametrize(
    ("stored", "canonical"),
    [("Refunded", "Canceled"), ("cancelled", "Canceled"), ("in progress", "In progress")],
)
async def test_statuses_are_normalised(
    make_provider: MakeProvider,
    world: World,
    sim: SimulatorControlClient,
    stored: str,
    canonical: str,
) -> None:
    order = await new_order(sim, world, NUMBERS_PROVIDER)
    await sim.change_order(order["id"], status=stored)

    status = await make_provider(NUMBERS_PROVIDER).status(order["external_id"])

    assert status.status == canonical


async def test_refill_completes_after_the_providers_delay(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient
) -> None:
    order = await new_order(sim, world, STRINGS_PROVIDER, behaviour={"refill_delay": 3600})
    provider = make_provider(STRINGS_PROVIDER)

    refill_id = await provider.refill(order["external_id"])

    assert await provider.refill_status(refill_id) == "Pending"
    await sim.advance(1000)
    assert await provider.refill_status(refill_id) == "In progress"
    assert (await sim.order(order["id"]))["current_count"] == 5800
    await sim.advance(3000)
    assert await provider.refill_status(refill_id) == "Completed"
    assert (await sim.order(order["id"]))["current_count"] == 6000  # start 5000 + 1000 delivered


async def test_refill_rejected_by_the_provider(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient
) -> None:
    order = await new_order(
        sim, world, STRINGS_PROVIDER, behaviour={"refill": "reject", "refill_delay": 60}
    )
    provider = make_provider(STRINGS_PROVIDER)

    refill_id = await provider.refill(order["external_id"])
    await sim.advance(61)

    assert await provider.refill_status(refill_id) == "Rejected"
    assert (await sim.order(order["id"]))["current_count"] == 5800


async def test_refill_refusals_carry_the_providers_text(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient
) -> None:
    provider = make_provider(STRINGS_PROVIDER)
    disabled = await new_order(sim, world, STRINGS_PROVIDER, behaviour={"refill": "disabled"})
    running = await new_order(sim, world, STRINGS_PROVIDER)
    await provider.refill(running["external_id"])

    with pytest.raises(ProviderRejected) as disabled_refusal:
        await provider.refill(disabled["external_id"])
    with pytest.raises(ProviderRejected) as running_refusal:
        await provider.refill(running["external_id"])

    assert disabled_refusal.value.message == "Refill is disabled for this service"
    assert running_refusal.value.message == "The refill task is not completed for this order"


async def test_refills_and_refill_statuses_keep_per_item_errors(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient
) -> None:
    provider = make_provider(NUMBERS_PROVIDER)
    good = await new_order(sim, world, NUMBERS_PROVIDER)
    no_refill = await new_order(sim, world, NUMBERS_PROVIDER, refill_service=False)

    refills = await provider.refills([good["external_id"], no_refill["external_id"], "42"])

    refill_id = refills[good["external_id"]]
    assert isinstance(refill_id, str)
    assert refills[no_refill["external_id"]] == ItemError("Refill is disabled for this service")
    assert refills["42"] == ItemError("Incorrect order ID")
    statuses = await provider.refill_statuses([refill_id, "7"])
    assert statuses == {refill_id: "Pending", "7": ItemError("Incorrect refill ID")}


async def test_cancel_is_accepted_then_the_order_is_canceled(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient
) -> None:
    provider = make_provider(NUMBERS_PROVIDER)
    pending = await new_order(
        sim,
        world,
        NUMBERS_PROVIDER,
        status="Pending",
        remains=1000,
        behaviour={"cancel_delay": 600},
    )
    completed = await new_order(sim, world, NUMBERS_PROVIDER)

    answer = await provider.cancel([pending["external_id"], completed["external_id"], "9"])

    assert answer[pending["external_id"]] is None  # accepted, not yet done
    assert isinstance(answer[completed["external_id"]], ItemError)
    assert answer["9"] == ItemError("Incorrect order ID")
    assert (await provider.status(pending["external_id"])).status == "Pending"
    await sim.advance(600)
    # This provider spells it "Cancelled"; the client says "Canceled".
    assert (await provider.status(pending["external_id"])).status == "Canceled"
    calls = await sim.requests(path=provider_path(NUMBERS_PROVIDER), action="status")
    assert calls[-1]["params"]["order"] == pending["external_id"]


async def test_balance(make_provider: MakeProvider, world: World) -> None:
    balance = await make_provider(STRINGS_PROVIDER).balance()

    assert balance.amount == world.providers[STRINGS_PROVIDER].balance
    assert balance.currency == "USD"


async def test_wrong_key_is_an_auth_error_and_not_retried(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient
) -> None:
    provider = SmmProviderClient(
        http, api_url=f"{simulator_url}/providers/{STRINGS_PROVIDER}", api_key="nope"
    )

    with pytest.raises(ProviderAuthError) as raised:
        await provider.statuses(["1", "2"])

    assert raised.value.message == "Invalid API key"
    assert len(await sim.requests(path=provider_path(STRINGS_PROVIDER))) == 1


async def test_retries_injected_bad_gateways(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient
) -> None:
    await sim.configure(fail_next=2)

    balance = await make_provider(STRINGS_PROVIDER).balance()

    assert balance.currency == "USD"
    assert len(await sim.requests(path=provider_path(STRINGS_PROVIDER))) == 3


async def test_unavailable_after_the_last_attempt(
    make_provider: MakeProvider, sim: SimulatorControlClient
) -> None:
    await sim.configure(error_rate=1.0)

    with pytest.raises(ProviderUnavailable):
        await make_provider(STRINGS_PROVIDER).statuses(["1"])

    assert len(await sim.requests(path=provider_path(STRINGS_PROVIDER))) == FAST_RETRY.attempts


async def test_a_refill_that_timed_out_is_not_sent_again(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient
) -> None:
    order = await new_order(sim, world, STRINGS_PROVIDER)
    await sim.configure(latency_ms=400)

    with pytest.raises(ProviderUnavailable, match="Timeout") as raised:
        await make_provider(STRINGS_PROVIDER, timeout=0.1).refill(order["external_id"])

    assert raised.value.outcome_unknown

    assert len(await sim.requests(path=provider_path(STRINGS_PROVIDER), action="refill")) == 1


@pytest.mark.parametrize("action", ["refill", "cancel"])
async def test_a_mutation_answered_bad_gateway_is_not_sent_again(
    make_provider: MakeProvider, world: World, sim: SimulatorControlClient, action: str
) -> None:
    """A proxy's 502 may come after the provider acted: only the caller's follow-up can
    tell, so the refill or cancel is not repeated."""
    order = await new_order(sim, world, STRINGS_PROVIDER, status="Pending", remains=1000)
    provider = make_provider(STRINGS_PROVIDER)
    await sim.configure(fail_next=1)

    with pytest.raises(ProviderUnavailable) as raised:
        if action == "refill":
            await provider.refill(order["external_id"])
        else:
            await provider.cancel([order["external_id"]])

    assert raised.value.outcome_unknown
    assert len(await sim.requests(path=provider_path(STRINGS_PROVIDER), action=action)) == 1


async def test_a_refill_that_could_not_connect_is_known_not_to_have_been_made(
    http: httpx.AsyncClient,
) -> None:
    closed = httpx.URL("http://127.0.0.1:9/providers/none")  # the discard port: nothing listens
    provider = SmmProviderClient(http, api_url=str(closed), api_key="k", retry=FAST_RETRY)

    with pytest.raises(ProviderUnavailable) as raised:
        await provider.refill("1")

    assert not raised.value.outcome_unknown
    assert "ConnectError" in raised.value.message


async def test_a_status_that_timed_out_is_asked_again(
    make_provider: MakeProvider, sim: SimulatorControlClient
) -> None:
    await sim.configure(latency_ms=400)

    with pytest.raises(ProviderUnavailable, match="Timeout"):
        await make_provider(STRINGS_PROVIDER, timeout=0.1).status("1")

    calls = await sim.requests(path=provider_path(STRINGS_PROVIDER), action="status")
    assert len(calls) == FAST_RETRY.attempts


async def test_garbage_answers_are_protocol_errors(
    make_provider: MakeProvider, sim: SimulatorControlClient
) -> None:
    provider = make_provider(STRINGS_PROVIDER)
    await sim.configure(malformed_next=1, html_next=1)

    with pytest.raises(ProviderProtocolError):
        await provider.balance()
    with pytest.raises(ProviderProtocolError, match="text/html"):
        await provider.balance()
