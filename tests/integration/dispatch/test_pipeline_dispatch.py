"""From customers' tickets to the provider's chat and back, through the real pipeline
(panel simulator) and the Bot API stand-in: speed-ups inside one window go out as one
message; a decline reaches the owner and the customer's ticket."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from supportai.domain.dispatch.models import DispatchItem
from supportai.domain.dispatch.replies import handle_provider_reply
from supportai.domain.dispatch.scheduling import schedule_dispatch, sweep_dispatch
from supportai.domain.dispatch.userbot import USERBOT_QUEUE
from tests.integration.dispatch.support import (
    PROVIDER_CHATS,
    incoming,
    queued_dispatch_jobs,
    run_dispatch_jobs,
    wire_tenant,
)


@pytest.fixture(scope="module")
async def wired(stack, runtime, control):
    """The pipeline stack's tenant, with a bot in the stand-in (bot mode, 60 s window)."""
    return await wire_tenant(stack.account, runtime, control, stack.client)


def stuck_order(stack):
    """An order a speed-up request is forwarded for (in progress for a day)."""
    return stack.order("[R30]", status="In progress", remains=600, age_days=1)


async def test_speed_ups_inside_the_window_go_out_as_one_message_in_the_providers_form(stack, wired):
    orders = [stuck_order(stack) for _ in range(3)]
    for order in orders:
        stack.ticket(f"speed up {order.id} it is stuck")
    [provider] = {order.provider for order in orders}

    await stack.run_jobs()

    # One job for the window, named after the item that opened it, due when it closes.
    [job] = await queued_dispatch_jobs(wired.runtime, wired.tenant_id)
    items = await wired.dispatch_items()
    assert len(items) == 3 and {item.status for item in items} == {"pending"}
    opening = min(items, key=lambda item: item.created_at)
    assert job.args == (str(wired.tenant_id), provider, "speed_up")
    assert job.job_id.endswith(str(opening.id))
    assert job.score == round((opening.created_at + timedelta(seconds=60)).timestamp() * 1000)

    await run_dispatch_jobs(wired.runtime, wired.tenant_id)

    [text] = await wired.bot_sent(PROVIDER_CHATS[provider])
    assert text.endswith(" speed up")
    assert sorted(text.removesuffix(" speed up").split(", ")) == sorted(order.external_id for order in orders)
    for order in orders:
        [request] = await stack.requests_for(order)
        assert request["status"] == "forwarded"
        kinds = [event["kind"] for event in await wired.timeline(uuid.UUID(request["id"]))]
        assert "provider_message_sent" in kinds


async def test_a_zero_window_sends_at_once(stack, wired):
    await wired.settings(dispatch_window_s=0)
    order = stuck_order(stack)
    stack.ticket(f"speed up {order.id}")

    await stack.run_jobs()

    [job] = await queued_dispatch_jobs(wired.runtime, wired.tenant_id)
    [item] = [i for i in await wired.dispatch_items() if i.status == "pending"]
    assert job.score == round(item.created_at.timestamp() * 1000)
    await run_dispatch_jobs(wired.runtime, wired.tenant_id)
    assert (await wired.bot_sent(PROVIDER_CHATS[order.provider]))[-1] == f"{order.external_id} speed up"
    await wired.settings(dispatch_window_s=60)


async def test_the_sweeper_sends_what_a_lost_job_left_behind(stack, wired):
    order = stuck_order(stack)
    stack.ticket(f"speed up {order.id} please")
    await stack.run_jobs()
    for job in await queued_dispatch_jobs(wired.runtime, wired.tenant_id):  # the job is lost
        await wired.runtime.queue.zrem(USERBOT_QUEUE, job.job_id)
    [item] = [i for i in await wired.dispatch_items() if i.status == "pending"]
    async with wired.runtime.db.tenant_session(wired.tenant_id) as session:  # its window closed long ago
        (await session.get_one(DispatchItem, item.id)).created_at -= timedelta(minutes=5)

    await schedule_dispatch(wired.runtime, wired.tenant_id)  # refused: arq keeps the lost job's id...
    assert await sweep_dispatch(wired.runtime) >= 1  # ...the sweeper uses a new one

    [job] = await queued_dispatch_jobs(wired.runtime, wired.tenant_id)
    assert ":sweep:" in job.job_id
    await run_dispatch_jobs(wired.runtime, wired.tenant_id)
    assert (await wired.bot_sent(PROVIDER_CHATS[order.provider]))[-1] == f"{order.external_id} speed up"


async def test_a_decline_reaches_the_owner_and_the_customers_ticket(stack, wired):
    order = stuck_order(stack)
    ticket = stack.ticket(f"speed up {order.id} please, nothing moved since yesterday")
    await stack.run_jobs()
    await run_dispatch_jobs(wired.runtime, wired.tenant_id)
    chat = PROVIDER_CHATS[order.provider]
    [sent] = [m for m in await wired.bot_messages(chat) if m["text"] == f"{order.external_id} speed up"]

    updated = await handle_provider_reply(
        wired.runtime, wired.tenant_id,
        incoming(chat, "Sorry, cannot speed up this one, server overloaded", reply_to=sent["message_id"]), "bot",
    )

    [request] = await stack.requests_for(order)
    assert updated == [uuid.UUID(request["id"])] and request["status"] == "declined"
    first, second = stack.staff_replies(ticket)
    assert "asked the provider to speed it up" in first
    assert second == (f"Order {order.id}: the provider could not carry out your request. "
                      "Our team has been told and will contact you.")
    [notice] = [n for n in await wired.owner_notices() if "declined" in n]
    assert str(order.id) in notice and order.external_id in notice and "server overloaded" in notice
