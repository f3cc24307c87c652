"""Races the soak found (issue 14): two workers on one order, two tracking runs at once,
two polls of one tenant at once, and a reply that looks like an earlier one.

Each race is forced, not hoped for: the racing tasks are held at a meeting point until
both are there, so the unsafe interleaving happens every time. Where a fix makes one
task wait on the other (a lock), the meeting point gives up and lets the first go on."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import sqlalchemy as sa

from supportai.domain.billing.models import Subscription
from supportai.domain.requests import tickets
from supportai.domain.requests.models import RequestEvent, SupportRequest, TicketCursor
from supportai.domain.support import deciding, pipeline, tracking
from supportai.runtime import open_runtime


class MeetingPoint:
    """Holds each arriving task until `parties` have arrived. When the others cannot come
    (they wait on a lock this task holds), it lets everyone through after `patience`."""

    def __init__(self, parties: int, patience: float = 3.0) -> None:
        self._barrier = asyncio.Barrier(parties)
        self._patience = patience

    async def arrive(self) -> None:
        try:
            await asyncio.wait_for(self._barrier.wait(), self._patience)
        except (TimeoutError, asyncio.BrokenBarrierError):
            await self._barrier.abort()


def meet_before(module, name: str, meeting: MeetingPoint, monkeypatch) -> None:
    real = getattr(module, name)

    async def meet_then_call(*args, **kwargs):
        await meeting.arrive()
        return await real(*args, **kwargs)

    monkeypatch.setattr(module, name, meet_then_call)


def tenant(stack) -> uuid.UUID:
    return uuid.UUID(stack.account.tenant_id)


async def test_two_messages_about_one_order_at_once_forward_it_once(stack, monkeypatch):
    order = stack.order(current_count=1100)  # dropped: a refill is forwarded
    first, _ = await stack.message(f"refill {order.id}")
    second, _ = await stack.message(f"refill {order.id} please, it dropped")
    used_before = (await stack.client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"]
    # Both workers have fetched the order and are about to decide.
    meet_before(deciding, "_services_by_panel_id", MeetingPoint(2), monkeypatch)

    async with open_runtime(stack.settings) as one, open_runtime(stack.settings) as other:
        await asyncio.gather(
            pipeline.process_message(one, tenant(stack), first.id),
            pipeline.process_message(other, tenant(stack), second.id),
        )

    outcomes = sorted(r["outcome"] for r in await stack.requests_for(order))
    assert outcomes == ["duplicate_open_request", "forward_refill"]
    refills = [c for c in await stack.provider_calls("refill") if c["params"].get("order") == order.external_id]
    assert len(refills) == 1
    used_after = (await stack.client.get("/api/usage", headers=stack.account.headers)).json()["requests_used"]
    assert used_after == used_before + 1


async def test_two_tracking_runs_at_once_check_and_charge_each_due_request_once(stack, monkeypatch):
    order = stack.order(current_count=1100)
    await stack.message(f"refill {order.id}")
    await stack.run_jobs()
    async with stack.tenant_session() as session:
        request = await session.scalar(sa.select(SupportRequest).where(SupportRequest.order_id == str(order.id)))
        credits_before = (await session.scalar(sa.select(Subscription))).credits_left
        checks_before = await session.scalar(
            sa.select(sa.func.count()).select_from(RequestEvent).where(RequestEvent.kind == "checked")
        )
    assert request.status == "forwarded"
    # Both runs have picked their due requests and read the panel; now they record.
    meet_before(tracking, "_refill_statuses", MeetingPoint(2), monkeypatch)

    async with open_runtime(stack.settings) as one, open_runtime(stack.settings) as other:
        runs = await asyncio.gather(
            tracking.track_requests(one, tenant(stack), now=request.next_check_at),
            tracking.track_requests(other, tenant(stack), now=request.next_check_at),
        )

    async with stack.tenant_session() as session:
        credits_after = (await session.scalar(sa.select(Subscription))).credits_left
        checks = list(await session.scalars(
            sa.select(RequestEvent.request_id).where(RequestEvent.kind == "checked")
        ))
    assert checks.count(request.id) == 1
    checked = sum(run.checked for run in runs)
    assert checked == len(checks) - checks_before  # every check counted once...
    assert credits_before - credits_after == checked  # ...and paid for once


async def test_two_polls_of_one_tenant_at_once_both_finish(stack, settings):
    ticket = stack.ticket("hello, where is my order?")
    [customer_message] = stack.world.tickets[ticket.id].messages
    admin_dsn = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
    watcher = await asyncpg.connect(admin_dsn)
    try:
        async with open_runtime(stack.settings) as runtime:
            # The other poll has written this ticket's cursor and not committed yet.
            async with stack.tenant_session() as other_poll:
                other_poll.add(TicketCursor(ticket_id=ticket.id, last_message_id=customer_message.id))
                await other_poll.flush()
                poll = asyncio.create_task(tickets.poll_tickets(runtime, tenant(stack)))
                await _until_a_backend_waits_for_a_lock(watcher, poll)
            await poll  # the other poll has committed: this one must finish all the same
    finally:
        await watcher.close()

    async with stack.tenant_session() as session:
        cursor = await session.scalar(sa.select(TicketCursor).where(TicketCursor.ticket_id == ticket.id))
    assert cursor.last_message_id == customer_message.id


async def _until_a_backend_waits_for_a_lock(watcher: asyncpg.Connection, task: asyncio.Task) -> None:
    for _ in range(400):
        if task.done():
            return  # finished without waiting: the assertions after tell whether that was right
        waiting = await watcher.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        if waiting:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the poll neither finished nor waited for the other poll's cursor")


async def test_a_reply_identical_to_an_earlier_one_on_the_ticket_is_still_sent(stack):
    order = stack.order(current_count=1500)  # no drop: answered at once, resolved
    ticket = stack.ticket(f"refill {order.id}")
    await stack.run_jobs()
    [first_reply] = stack.staff_replies(ticket)

    stack.world.advance(60)
    stack.world.add_ticket_message(ticket.id, message=f"refill {order.id}", author="customer")
    await stack.run_jobs()

    replies = stack.staff_replies(ticket)
    assert len(replies) == 2, replies
    assert replies[0] == first_reply
