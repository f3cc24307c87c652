"""The providers' side of the demo, in their Telegram chats on the Bot API stand-in: each
message SupportAI's bot sends them is answered as its scene planned (confirm, decline,
stay silent, or answer only the reminder), a few simulated hours later, as a reply to it;
a provider that confirmed then does the work on the simulated panel. What the bot sends
the owner is passed to `on_owner_notice`.
"""

from __future__ import annotations

import heapq
import itertools
import random
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from supportai.demo.clock import FastClock
from supportai.demo.customers import DemoOrders
from supportai.simulator.control_client import SimulatorControlClient

HOUR = 3600
PROVIDER_ADMIN = {"id": 800_001, "is_bot": False, "first_name": "Support", "username": "provider_support_admin"}
CONFIRMS = ("Done ✅ speed increased", "ok, restarted it, will go faster now", "готово, ускорили", "加速了")
PARTIAL_SHARE = 0.3  # a provider that does only part of the work: less than the half that counts as progress
DECLINES = ("Sorry, cannot speed up this one, server overloaded", "no, this service cannot be sped up")


class Providers:
    def __init__(
        self, telegram: httpx.AsyncClient, sim: SimulatorControlClient, clock: FastClock, bot_id: int,
        chats: dict[int, dict[str, Any]], orders: DemoOrders, on_owner_notice: Callable[[str], None],
        owner_chat_id: int,
    ) -> None:
        self.telegram, self.sim, self.clock, self.bot_id = telegram, sim, clock, bot_id
        self.chats, self.orders = chats, orders  # provider chats by id: Bot API Chat objects
        self.on_owner_notice, self.owner_chat_id = on_owner_notice, owner_chat_id
        self.rng = random.Random(11)
        self.seen: set[tuple[int, int]] = set()
        self.asked = Counter[str]()  # how often each order was sent: the 2nd time is a reminder
        self.agenda: list[tuple[float, int, Callable[[], Awaitable[None]]]] = []
        self.order_of_events = itertools.count()

    async def step(self) -> None:
        """React to what the bot sent since the last step; do what is due."""
        sent = (await self.telegram.get(f"/_tg/bots/{self.bot_id}/sent")).json()
        for message in sent:
            key = (message["chat"]["id"], message["message_id"])
            if key in self.seen:
                continue
            self.seen.add(key)
            if key[0] == self.owner_chat_id:
                self.on_owner_notice(message["text"])
            elif key[0] in self.chats:
                self._react(message)
        while self.agenda and self.agenda[0][0] <= self.clock.now():
            _, _, action = heapq.heappop(self.agenda)
            await action()

    def _react(self, message: dict[str, Any]) -> None:
        order_ids = re.findall(r"\d+", message["text"])
        for order_id in order_ids:
            self.asked[order_id] += 1
        first = order_ids[0] if order_ids else ""
        plan = self.orders.plans.get(first, "confirm")
        if plan == "late":
            plan = "confirm" if self.asked[first] > 1 else "silent"
        if plan in ("confirm", "partial", "idle"):
            self._later(self.rng.uniform(1, 3), lambda: self._reply(message, self.rng.choice(CONFIRMS)))
        if plan in ("confirm", "partial"):
            share = 1.0 if plan == "confirm" else PARTIAL_SHARE
            self._later(self.rng.uniform(3, 5), lambda: self._do_the_work(message["text"], order_ids, share))
        elif plan == "decline":
            self._later(self.rng.uniform(1, 2), lambda: self._reply(message, self.rng.choice(DECLINES)))

    def _later(self, hours: float, action: Callable[[], Awaitable[None]]) -> None:
        heapq.heappush(self.agenda, (self.clock.now() + hours * HOUR, next(self.order_of_events), action))

    async def _reply(self, message: dict[str, Any], text: str) -> None:
        chat = self.chats[message["chat"]["id"]]
        # After every message the bot has sent there, as Telegram numbers a chat's messages.
        latest = max(number for chat_id, number in self.seen if chat_id == chat["id"])
        self.seen.add((chat["id"], latest + 1))
        await self.telegram.post(f"/_tg/bots/{self.bot_id}/updates", json={"message": {
            "message_id": latest + 1, "date": int(time.time()), "chat": chat, "from": PROVIDER_ADMIN,
            "text": text, "reply_to_message": message,
        }})

    async def _do_the_work(self, text: str, order_ids: list[str], share: float) -> None:
        """Refill or speed up `share` of what is missing (1.0: all of it), or cancel."""
        for external_id in order_ids:
            panel_id = self.orders.panel_ids.get(external_id)
            if panel_id is None:
                continue
            if "cancel" in text:
                await self.sim.change_order(panel_id, status="Canceled")
            elif "refill" in text:
                order = await self.sim.order(panel_id)
                missing = order["expected_count"] - order["current_count"]
                await self.sim.change_order(panel_id, current_count=order["current_count"] + round(missing * share))
            elif share >= 1:  # speed up: the rest is delivered
                await self.sim.change_order(panel_id, status="Completed", remains=0)
            else:
                order = await self.sim.order(panel_id)
                await self.sim.change_order(panel_id, remains=round(order["remains"] * (1 - share)))
