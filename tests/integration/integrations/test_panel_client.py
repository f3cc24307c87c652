"""PerfectPanelClient against the simulated admin API v2, over real HTTP."""

from __future__ import annotations

from datetime import UTC

import httpx
import pytest

from supportai.integrations.http import RetryPolicy
from supportai.integrations.panel import (
    PanelAuthError,
    PanelError,
    PanelNotFound,
    PanelProtocolError,
    PanelUnavailable,
    PerfectPanelClient,
)
from supportai.simulator.control_client import SimulatorControlClient
from supportai.simulator.world import World
from tests.integration.integrations.support import FAST_RETRY

ADMIN_PATH = "/adminapi/v2"


def some_orders(world: World, count: int) -> list[int]:
    return sorted(world.orders)[:count]


async def test_orders_by_ids_returns_the_found_orders_keyed_by_id(
    panel: PerfectPanelClient, world: World
) -> None:
    wanted = some_orders(world, 3)

    found = await panel.orders([*wanted, 999_999_999])

    assert sorted(found) == wanted
    for order_id in wanted:
        order, expected = found[order_id], world.orders[order_id]
        assert order.user == expected.user
        assert order.service_id == expected.service_id
        assert order.service_name == world.services[expected.service_id].name
        assert order.quantity == expected.delivery.quantity
        assert order.remains == expected.delivery.remains
        assert order.start_count == expected.delivery.start_count
        assert order.charge == expected.charge
        assert order.provider == expected.provider
        assert order.external_id == expected.external_id
        assert order.created is not None and order.created.tzinfo is UTC
        assert int(order.created.timestamp()) == expected.created
        assert set(order.actions) == {"refill", "request_cancel"}


async def test_many_ids_are_fetched_in_chunks_of_100(
    panel: PerfectPanelClient, world: World, sim: SimulatorControlClient
) -> None:
    wanted = some_orders(world, 150)

    found = await panel.orders(wanted + wanted[:10])  # duplicates are asked once

    assert sorted(found) == wanted
    calls = await sim.requests(path=f"{ADMIN_PATH}/orders")
    assert [len(call["params"]["ids"].split(",")) for call in calls] == [100, 50]


async def test_order_detail(panel: PerfectPanelClient, world: World) -> None:
    order_id = some_orders(world, 1)[0]

    order = await panel.order(order_id)

    assert order.id == order_id
    assert order.link == world.orders[order_id].link


async def test_unknown_order_is_not_found_and_not_retried(
    panel: PerfectPanelClient, sim: SimulatorControlClient
) -> None:
    with pytest.raises(PanelNotFound) as raised:
        await panel.order(999_999_999)

    assert raised.value.message == "Order not found"
    assert raised.value.status_code == 404
    assert len(await sim.requests(path=ADMIN_PATH)) == 1


async def test_wrong_key_is_an_auth_error_and_not_retried(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient
) -> None:
    panel = PerfectPanelClient(http, panel_url=simulator_url, api_key="wrong", retry=FAST_RETRY)

    with pytest.raises(PanelAuthError) as raised:
        await panel.tickets()

    assert raised.value.message == "Invalid API key"
    assert len(await sim.requests(path=ADMIN_PATH)) == 1


@pytest.mark.parametrize(
    ("panel_says", "canonical"),
    [
        ("Cancelled", "Canceled"),
        ("Refunded", "Canceled"),
        ("CANCELED", "Canceled"),
        ("In progress", "In progress"),
        ("Processing", "Processing"),
        ("Partial", "Partial"),
        ("Fail", "Fail"),
        ("completed", "Completed"),
    ],
)
async def test_statuses_are_normalised(
    panel: PerfectPanelClient,
    world: World,
    sim: SimulatorControlClient,
    panel_says: str,
    canonical: str,
) -> None:
    order_id = some_orders(world, 1)[0]
    await sim.change_order(order_id, status=panel_says)

    assert (await panel.order(order_id)).status == canonical
    assert (await panel.orders([order_id]))[order_id].status == canonical


async def test_open_tickets_and_a_thread(
    panel: PerfectPanelClient, world: World, sim: SimulatorControlClient
) -> None:
    user = next(iter(world.users))
    opened = await sim.create_ticket(user=user, subject="Refill", message="refill 123456 please")
    await sim.add_ticket_message(opened["id"], "any news?")

    page = await panel.tickets(status="Open")
    assert opened["id"] in [ticket.id for ticket in page.items]
    assert page.total == sum(1 for t in world.tickets.values() if t.status == "Open")
    assert all(ticket.status == "Open" and ticket.messages == () for ticket in page.items)

    thread = await panel.ticket(opened["id"])
    assert (thread.user, thread.subject, thread.status) == (user, "Refill", "Open")
    assert [(m.author, m.text) for m in thread.messages] == [
        ("customer", "refill 123456 please"),
        ("customer", "any news?"),
    ]
    assert all(m.id is not None and m.created_at is not None for m in thread.messages)


async def test_reply_adds_a_staff_message(
    panel: PerfectPanelClient, world: World, sim: SimulatorControlClient
) -> None:
    opened = await sim.create_ticket(user=next(iter(world.users)), subject="Hi", message="hello")

    message_id = await panel.reply_ticket(opened["id"], "We are on it.")

    thread = await panel.ticket(opened["id"])
    assert thread.status == "Answered"
    assert (thread.messages[-1].id, thread.messages[-1].author, thread.messages[-1].text) == (
        message_id,
        "staff",
        "We are on it.",
    )


async def test_add_ticket_opens_a_staff_ticket_for_a_user(
    panel: PerfectPanelClient, world: World
) -> None:
    user = next(iter(world.users))

    ticket_id = await panel.add_ticket(user, "Link your Telegram", "Your code is 493021")

    thread = await panel.ticket(ticket_id)
    assert thread.user == user
    assert [(m.author, m.text) for m in thread.messages] == [("staff", "Your code is 493021")]


async def test_add_ticket_for_unknown_user_is_refused_once(
    panel: PerfectPanelClient, sim: SimulatorControlClient
) -> None:
    with pytest.raises(PanelError) as raised:
        await panel.add_ticket("nobody-here", "Code", "123")

    assert raised.value.message == "User not found"
    assert len(await sim.requests(path=ADMIN_PATH)) == 1


async def test_users_are_paged(panel: PerfectPanelClient, world: World) -> None:
    first = await panel.users(offset=0, limit=15)
    rest = await panel.users(offset=15, limit=15)

    assert first.total == rest.total == len(world.users)
    usernames = [user.username for user in first.items + rest.items]
    assert usernames == list(world.users)
    assert all(user.email and "@" in user.email for user in first.items)


async def test_retries_injected_bad_gateways_then_succeeds(
    panel: PerfectPanelClient, world: World, sim: SimulatorControlClient
) -> None:
    await sim.configure(fail_next=2)

    order = await panel.order(some_orders(world, 1)[0])

    assert order.id == some_orders(world, 1)[0]
    assert len(await sim.requests(path=ADMIN_PATH)) == 3


async def test_gives_up_after_the_configured_attempts(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient, world: World
) -> None:
    await sim.configure(error_rate=1.0)
    panel = PerfectPanelClient(
        http,
        panel_url=simulator_url,
        api_key=world.admin_key,
        retry=RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.02),
    )

    with pytest.raises(PanelUnavailable) as raised:
        await panel.tickets()

    assert raised.value.status_code == 502
    assert "502" in raised.value.message
    assert len(await sim.requests(path=ADMIN_PATH)) == 4


async def test_a_slow_panel_times_out_and_is_retried(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient, world: World
) -> None:
    await sim.configure(latency_ms=400)
    panel = PerfectPanelClient(
        http,
        panel_url=simulator_url,
        api_key=world.admin_key,
        timeout=0.1,
        retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02),
    )

    with pytest.raises(PanelUnavailable) as raised:
        await panel.users()

    assert "Timeout" in raised.value.message
    assert len(await sim.requests(path=ADMIN_PATH)) == 2


async def test_a_reply_that_timed_out_is_not_sent_twice(
    sim: SimulatorControlClient, simulator_url: str, http: httpx.AsyncClient, world: World
) -> None:
    """The panel may have stored the reply before the timeout: resending could
    post it twice to the customer."""
    opened = await sim.create_ticket(user=next(iter(world.users)), subject="Hi", message="hello")
    await sim.configure(latency_ms=400)
    panel = PerfectPanelClient(
        http, panel_url=simulator_url, api_key=world.admin_key, timeout=0.1, retry=FAST_RETRY
    )

    with pytest.raises(PanelUnavailable):
        await panel.reply_ticket(opened["id"], "We are on it.")

    assert len(await sim.requests(path=f"{ADMIN_PATH}/tickets")) == 1


async def test_a_reply_answered_bad_gateway_is_not_resent(
    panel: PerfectPanelClient, world: World, sim: SimulatorControlClient
) -> None:
    """A proxy's 502 may come after the panel stored the reply: the caller looks for it
    in the thread before a retry (supportai.domain.support.pipeline), the client does not
    send it blindly again."""
    opened = await sim.create_ticket(user=next(iter(world.users)), subject="Hi", message="hello")
    await sim.configure(fail_next=1)

    with pytest.raises(PanelUnavailable) as raised:
        await panel.reply_ticket(opened["id"], "We are on it.")

    assert raised.value.outcome_unknown
    assert len(await sim.requests(path=f"{ADMIN_PATH}/tickets")) == 1


async def test_malformed_json_is_a_protocol_error(
    panel: PerfectPanelClient, sim: SimulatorControlClient
) -> None:
    await sim.configure(malformed_next=1)

    with pytest.raises(PanelProtocolError):
        await panel.tickets()

    assert len(await sim.requests(path=ADMIN_PATH)) == 1


async def test_an_html_page_is_a_protocol_error(
    panel: PerfectPanelClient, sim: SimulatorControlClient
) -> None:
    await sim.configure(html_next=1)

    with pytest.raises(PanelProtocolError) as raised:
        await panel.users()

    assert "text/html" in raised.value.message
