"""The simulator itself: a seeded world, protocol details the clients do not
exercise (error texts, limits), and the control endpoints."""

from __future__ import annotations

import argparse
from typing import Any

import httpx
import msgspec

from supportai.integrations.panel import PerfectPanelClient
from supportai.integrations.provider import ORDER_STATUSES, normalise_order_status
from supportai.simulator import cli
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.server import running_simulator
from supportai.simulator.world import World, build_world

START = 1_750_000_000.0  # a fixed clock, so two builds can be compared field by field
REFILL_MARKERS = (
    "R30", "R 30", "30 days refill", "30D Refill", "♻️ 30 days", "Refill 30D", "G60",
    "Guarantee 60 days", "Lifetime", "LR", "Non drop + lifetime", "No Refill", "NR",
    "No Refill ❌",
)  # fmt: skip
NOISE = ("0-1h start", "10K/Day", "Max 50K")


async def snapshot_over_http(world: World) -> dict[str, Any]:
    """What a client sees of a world: every order, ticket thread, user and service."""
    async with running_simulator(world) as base_url, httpx.AsyncClient() as http:
        headers = {"X-Api-Key": world.admin_key}
        admin = f"{base_url}/adminapi/v2"
        orders = await http.get(f"{admin}/orders", params={"limit": 1000}, headers=headers)
        tickets = await http.get(f"{admin}/tickets", headers=headers)
        threads = [
            (await http.get(f"{admin}/tickets/{t['id']}", headers=headers)).json()
            for t in tickets.json()["data"]["list"]
        ]
        users = await http.get(f"{admin}/users", headers=headers)
        services = await http.post(
            f"{base_url}/api/v2", data={"key": world.user_key, "action": "services"}
        )
        return {
            "orders": orders.json(),
            "threads": threads,
            "users": users.json(),
            "services": services.json(),
        }


async def test_same_seed_same_world_over_http() -> None:
    first = await snapshot_over_http(build_world("determinism", start=START))
    second = await snapshot_over_http(build_world("determinism", start=START))
    other = await snapshot_over_http(build_world("another seed", start=START))

    assert first == second
    assert first["orders"] != other["orders"]
    assert first["orders"]["pagination"]["total"] == 500


def test_same_seed_same_world_state() -> None:
    def state(world: World) -> Any:
        return msgspec.to_builtins(
            [world.users, world.services, world.orders, world.tickets, world.providers]
        )

    assert state(build_world(7, start=START)) == state(build_world("7", start=START))


def test_demo_world_looks_like_a_small_panel() -> None:
    world = build_world("demo")

    assert (len(world.users), len(world.services), len(world.orders)) == (20, 40, 500)
    assert len(world.providers) == 3
    names = " ".join(service.name for service in world.services.values())
    for marker in REFILL_MARKERS + NOISE:
        assert marker.lower() in names.lower(), marker
    assert any(not any(m in s.name for m in REFILL_MARKERS) for s in world.services.values())
    statuses = {normalise_order_status(o.delivery.status) for o in world.orders.values()}
    assert statuses == set(ORDER_STATUSES)
    open_tickets = [t for t in world.tickets.values() if t.status == "Open"]
    assert len(open_tickets) >= 5
    assert any("Здравствуйте" in t.messages[0].message for t in open_tickets)
    for order in world.orders.values():
        if order.provider is not None:
            provider_order = world.providers[order.provider].orders[order.external_id or ""]
            assert provider_order.delivery is order.delivery
    assert (
        sum(
            1 for o in world.orders.values() if o.delivery.current_count < o.delivery.expected_count
        )
        > 50
    )


async def test_smm_api_error_texts(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient, world: World
) -> None:
    provider = world.providers["growlane"]
    url = f"{simulator_url}/providers/growlane/api/v2"

    async def answer(**form: str) -> Any:
        response = await http.post(url, data=form)
        assert response.status_code == 200
        return response.json()

    assert await answer(key="wrong", action="balance") == {"error": "Invalid API key"}
    assert await answer(key=provider.key) == {"error": "Incorrect request"}
    assert await answer(key=provider.key, action="dance") == {"error": "Incorrect request"}
    too_many = ",".join(str(n) for n in range(101))
    assert await answer(key=provider.key, action="status", orders=too_many) == {
        "error": "Incorrect request"
    }
    assert await answer(key=provider.key, action="status", orders="1,x") == {
        "1": {"error": "Incorrect order ID"},
        "x": {"error": "Incorrect order ID"},
    }
    assert await answer(key=provider.key, action="refill", orders="5") == [
        {"order": 5, "refill": {"error": "Incorrect order ID"}}
    ]


async def test_a_drop_that_recovers_and_the_count_source(
    sim: SimulatorControlClient, world: World
) -> None:
    order = await sim.create_order(
        user=next(iter(world.users)),
        service_id=next(iter(world.services)),
        quantity=1000,
        status="Completed",
        start_count=200,
        remains=0,
        link="https://www.instagram.com/drop_test/",
    )
    assert await sim.current_count(order["link"]) == 1200

    await sim.change_order(order["id"], drop={"amount": 300, "recover_after": 7200})
    assert await sim.current_count(order["link"]) == 900

    await sim.advance(7200)
    assert await sim.current_count(order["link"]) == 1200


async def test_request_log_and_reset(
    sim: SimulatorControlClient,
    panel: PerfectPanelClient,
    world: World,
    simulator_url: str,
    http: httpx.AsyncClient,
) -> None:
    order_id = sorted(world.orders)[0]
    await panel.order(order_id)
    await http.post(f"{simulator_url}/api/v2", data={"key": world.user_key, "action": "services"})

    logged = await sim.requests()
    assert [(r["method"], r["path"], r["action"]) for r in logged] == [
        ("GET", f"/adminapi/v2/orders/{order_id}", None),
        ("POST", "/api/v2", "services"),
    ]
    assert logged[1]["params"] == {"key": world.user_key, "action": "services"}
    assert logged[0]["at"] <= logged[1]["at"]

    await sim.change_order(order_id, status="Refunded")
    await sim.reset()
    assert await sim.requests() == []
    assert (
        (await sim.order(order_id))["status"]
        == world.orders[order_id].delivery.status
        != "Refunded"
    )


async def test_control_refusals_say_why(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient, world: World
) -> None:
    order = {"user": next(iter(world.users)), "service_id": 0, "quantity": 100}

    refused = await http.post(f"{simulator_url}/_sim/orders", json=order)

    assert refused.status_code == 400
    assert refused.json() == {"error": "Incorrect service ID"}


def test_cli_arguments() -> None:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)

    defaults = parser.parse_args([])
    assert (defaults.host, defaults.port, defaults.seed) == ("127.0.0.1", 8090, "demo")
    assert (defaults.latency_ms, defaults.error_rate) == (0, 0.0)
    custom = parser.parse_args(["--seed", "42", "--latency-ms", "20", "--error-rate", "0.1"])
    assert (custom.seed, custom.latency_ms, custom.error_rate) == ("42", 20, 0.1)
