"""A month of one panel's support traffic against the simulator, with time running fast.

    .venv/bin/python benchmarks/simulated_month.py [--messages FILE] [--days 30] [--per-day 20] [--hour-s 0.25]

Customers write the messages of `--messages` (JSON Lines of `{text, channel?, orders: [{id,
intent}]}`; the dev corpus by default), about orders made on the simulated panel to match each
labelled intent: most in a state where the action is due (a refill order whose count dropped, a
pending order to cancel, an order stuck for two days), the rest where it is not (counts intact,
a service without refill, a completed order to cancel, a young order to speed up). Providers
confirm and do the work, decline, stay silent, answer only the reminder, do a third of it, or
confirm and do nothing; some customers write again a day or two later. Then the month drains
and the figures are read from the database and the simulator:

- requests, and the automated resolution rate (resolved with no human touch ÷ requests);
- human touches by reason (what ended in the owner's review queue, and why);
- wrong actions: forwarded when the order was not eligible or the ask was misread, and
  customers told "canceled" or "refilled" when the panel does not show it;
- provider calls per request (SMM API calls and Telegram messages to providers), credits
  used, and the wall time.

Targets (issue 14): automated resolution ≥ 85 %, wrong actions 0.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import REDIS_URL, throwaway_database

from supportai.demo.customers import (
    DELIVERED,
    NO_REFILL,
    PENDING,
    REFILLABLE,
    STUCK,
    Customers,
    DemoOrders,
    OrderKind,
    Plan,
)
from supportai.demo.providers import Providers
from supportai.demo.stack import (
    DemoStack,
    advance_world,
    open_demo_stack,
    poll_tickets_now,
    tracking_in_background,
)
from supportai.demo.tenant import OWNER_CHAT_ID
from supportai.domain.billing.models import CreditEntry
from supportai.domain.requests.models import SupportRequest
from supportai.engine.decisions import FORWARD_OUTCOMES, RequestStatus
from supportai.simulator.server import bound_socket

DEFAULT_MESSAGES = Path(__file__).resolve().parents[1] / "tests" / "data" / "messages-dev.jsonl"
DAY, TICK_S = 86_400, 0.25
YOUNG = OrderKind(lambda s: True, "In progress", 1800, remains=600)  # too young to speed up
# The state an order is made in, by the intent it is written about: (kind, due, weight).
VARIANTS: dict[str, list[tuple[OrderKind, bool, int]]] = {
    "refill": [(REFILLABLE, True, 14), (DELIVERED, False, 3), (NO_REFILL, False, 2), (PENDING, False, 1)],
    "cancel": [(PENDING, True, 4), (DELIVERED, False, 1)],
    "speed_up": [(STUCK, True, 3), (YOUNG, False, 1), (DELIVERED, False, 1)],
    "other": [(DELIVERED, False, 1)],
}
PLANS: list[tuple[Plan, int]] = [
    ("confirm", 12), ("late", 2), ("decline", 2), ("silent", 1), ("partial", 1), ("idle", 1),
]
WRITE_AGAIN = 0.15  # share of customers who write the same message again 1-2 days later


@dataclass(frozen=True)
class Truth:
    intent: str  # what the customer asked for this order
    due: bool  # whether the order was in a state where the action is due


class Month:
    def __init__(self, stack: DemoStack, messages: list[dict], seed: int) -> None:
        self.stack, self.messages, self.rng = stack, messages, random.Random(seed)
        self.orders = DemoOrders()
        self.customers = Customers(stack.world, stack.sim, stack.api, stack.tenant.api_key, self.orders)
        self.owner_notices: list[str] = []
        self.providers = Providers(
            stack.telegram, stack.sim, stack.clock, stack.tenant.bot_id, stack.tenant.provider_chats, self.orders,
            self.owner_notices.append, OWNER_CHAT_ID,
        )
        self.truth: dict[str, Truth] = {}  # by panel order id
        self.again: list[tuple[float, int, str, str, str]] = []  # (due, n, user, text, channel)
        self.sent = 0

    async def write_next(self, index: int) -> None:
        row = self.messages[index % len(self.messages)]
        user = self.rng.choice(list(self.stack.world.users))
        text = row["text"]
        for order in row.get("orders", []):
            kind, due = self._variant(order["intent"])
            panel_id = await self.customers.place_order(kind, user, self._plan())
            self.truth[str(panel_id)] = Truth(order["intent"], due)
            text = re.sub(rf"(?<!\d){re.escape(order['id'])}(?!\d)", str(panel_id), text)
        channel: Literal["ticket", "api"] = "ticket" if row.get("channel") == "ticket" else "api"
        await self._write(user, text, channel)
        if row.get("orders") and self.rng.random() < WRITE_AGAIN:
            due_at = self.stack.clock.now() + self.rng.uniform(1, 2) * DAY
            heapq.heappush(self.again, (due_at, self.sent, user, text, channel))

    async def write_again_when_due(self) -> None:
        while self.again and self.again[0][0] <= self.stack.clock.now():
            _, _, user, text, channel = heapq.heappop(self.again)
            await self._write(user, text, channel)

    async def _write(self, user: str, text: str, channel: Literal["ticket", "api"]) -> None:
        await self.customers.write(user, text, channel)
        if channel == "ticket":
            await poll_tickets_now(self.stack)
        self.sent += 1

    def _variant(self, intent: str) -> tuple[OrderKind, bool]:
        options = VARIANTS.get(intent, VARIANTS["other"])
        kind, due, _ = self.rng.choices(options, weights=[weight for *_, weight in options])[0]
        return kind, due

    def _plan(self) -> Plan:
        return self.rng.choices([plan for plan, _ in PLANS], weights=[weight for _, weight in PLANS])[0]


async def run(messages: list[dict], *, days: float, per_day: int, hour_s: float, drain_days: float, seed: int) -> None:
    started = time.monotonic()
    await Redis.from_url(REDIS_URL).flushdb()  # no job of an earlier run is left to run here
    async with throwaway_database() as database_url, open_demo_stack(
        listener=bound_socket(), hour_s=hour_s, env={"DATABASE_URL": database_url, "REDIS_URL": REDIS_URL},
        world_name=f"month-{seed}",
    ) as stack:
        month = Month(stack, messages, seed)
        begin, gap = stack.clock.now(), DAY / per_day
        end_of_traffic, end = begin + days * DAY, begin + (days + drain_days) * DAY
        written = 0
        async with tracking_in_background(stack, every_s=hour_s):
            while stack.clock.now() < end:
                while written < days * per_day and begin + written * gap <= min(stack.clock.now(), end_of_traffic):
                    await month.write_next(written)
                    written += 1
                await month.write_again_when_due()
                await advance_world(stack)
                await month.providers.step()
                await asyncio.sleep(TICK_S)
        await report(stack, month, time.monotonic() - started)


async def report(stack: DemoStack, month: Month, wall_s: float) -> None:
    async with stack.runtime.db.unit_of_work(stack.tenant.tenant_id) as uow:
        requests = list(await uow.session.scalars(sa.select(SupportRequest)))
        credits = -sum(await uow.session.scalars(
            sa.select(CreditEntry.amount).where(CreditEntry.kind == "consume")
        ))
    counted = [r for r in requests if r.quota_charged]
    automated = [r for r in counted if r.status in (RequestStatus.RESOLVED, RequestStatus.DECLINED)]
    touches = Counter(f"{r.status}: {r.reason or r.outcome}" for r in counted if r.status in HUMAN_STATUSES)
    wrong = await wrong_actions(stack, month, requests)
    calls = await provider_calls(stack)
    print(f"messages written      {month.sent} ({len(month.truth)} orders on the panel)")
    print(f"requests              {len(counted)} counted, {len(requests) - len(counted)} not (duplicates, repeats)")
    print(f"automated resolution  {len(automated) / max(len(counted), 1):.1%} ({len(automated)}/{len(counted)})")
    print(f"human touches         {sum(touches.values())}")
    for reason, count in touches.most_common():
        print(f"  {count:5d}  {reason}")
    still_open = Counter(f"{r.status} {r.intent} via {r.provider_call or 'telegram'}"
                         for r in counted if r.status not in (*HUMAN_STATUSES, *ENDED_STATUSES))
    print(f"still open at the end {dict(still_open)}")
    print(f"wrong actions         {sum(len(v) for v in wrong.values())}")
    for kind, items in wrong.items():
        print(f"  {len(items):5d}  {kind}: {', '.join(items[:5])}")
    print(f"provider calls        {calls} ({calls / max(len(counted), 1):.2f} per request)")
    print(f"credits used          {credits}")
    print(f"owner notices         {len(month.owner_notices)}")
    print(f"wall time             {wall_s:.0f} s")


HUMAN_STATUSES = (RequestStatus.ESCALATED, RequestStatus.BLOCKED_QUOTA, RequestStatus.WAITING_CUSTOMER)
ENDED_STATUSES = (RequestStatus.RESOLVED, RequestStatus.DECLINED, RequestStatus.CLOSED)


async def wrong_actions(stack: DemoStack, month: Month, requests: list[SupportRequest]) -> dict[str, list[str]]:
    wrong: dict[str, list[str]] = {"forwarded, not due": [], "forwarded, misread": [], "told done, not done": []}
    for request in requests:
        truth = month.truth.get(request.order_id or "")
        if truth is None:
            continue
        if request.outcome in FORWARD_OUTCOMES:
            if request.intent != truth.intent:
                wrong["forwarded, misread"].append(f"{request.order_id} {truth.intent}→{request.intent}")
            elif not truth.due:
                wrong["forwarded, not due"].append(f"{request.order_id} {request.intent} {request.facts}")
        if request.status == RequestStatus.RESOLVED and request.outcome in FORWARD_OUTCOMES:
            order = await stack.sim.order(int(request.order_id or 0))
            if not _done(request.intent, order):
                wrong["told done, not done"].append(f"{request.order_id} {request.intent} ({order['status']})")
    return wrong


def _done(intent: str, order: dict) -> bool:
    if intent == "cancel":
        return order["status"] in ("Canceled", "Cancelled", "Refunded", "Partial")
    if intent == "refill":
        return order["current_count"] >= order["expected_count"] - max(1, order["quantity"] // 100)
    return order["status"] == "Completed" or order["remains"] < order["quantity"]


async def provider_calls(stack: DemoStack) -> int:
    """SMM API calls that act on orders (not status look-ups) and Telegram messages to providers."""
    api_calls = [r for r in await stack.sim.requests() if r.get("action") in ("refill", "cancel")]
    sent = (await stack.telegram.get(f"/_tg/bots/{stack.tenant.bot_id}/sent")).json()
    to_providers = [m for m in sent if m["chat"]["id"] in stack.tenant.provider_chats]
    return len(api_calls) + len(to_providers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=Path, default=DEFAULT_MESSAGES)
    parser.add_argument("--days", type=float, default=30)
    parser.add_argument("--per-day", type=int, default=20)
    parser.add_argument("--hour-s", type=float, default=0.5, help="real seconds per simulated hour")
    parser.add_argument("--drain-days", type=float, default=5, help="simulated days after the last message")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    messages = [json.loads(line) for line in args.messages.read_text().splitlines() if line.strip()]
    asyncio.run(run(messages, days=args.days, per_day=args.per_day, hour_s=args.hour_s,
                    drain_days=args.drain_days, seed=args.seed))


if __name__ == "__main__":
    main()
