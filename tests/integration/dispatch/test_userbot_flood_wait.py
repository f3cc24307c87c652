"""A login step Telegram throttles: the owner is told how long to wait, in words."""

from __future__ import annotations

import pytest

from supportai.domain.dispatch.userbot_worker import wait_in_words
from supportai.integrations.telegram import FloodWait
from tests.integration.dispatch.support import (
    FakeAccount,
    FakeAccountFactory,
    running_userbot_worker,
)


class ThrottledAccount(FakeAccount):
    async def send_code(self, phone: str) -> str:
        raise FloodWait(1250)


class ThrottledFactory(FakeAccountFactory):
    def __call__(self, session: str) -> FakeAccount:
        client = ThrottledAccount(session)
        self.clients.append(client)
        return client


async def test_a_flood_wait_on_the_code_is_a_429_with_the_wait_in_minutes(client, sign_up, dispatch_settings):
    owner = await sign_up()
    async with running_userbot_worker(dispatch_settings, ThrottledFactory()):
        started = await client.post(
            "/api/setup/userbot/start", json={"phone": "+49 151 2345 6789"}, headers=owner.headers
        )

    assert started.status_code == 429
    assert started.headers["content-type"].startswith("application/problem+json")
    assert started.headers["retry-after"] == "1250"
    assert started.json()["detail"] == "Telegram asks to wait 21 minutes before trying again."
    shown = (await client.get("/api/setup/userbot", headers=owner.headers)).json()
    assert shown["state"] == "needs_login" and "flood wait" in shown["last_error"]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (45, "45 seconds"), (60, "1 minute"), (61, "2 minutes"), (7140, "119 minutes"),
     (7200, "2 hours"), (7260, "2 hours 1 minute"), (86399, "24 hours")],
)
def test_waits_read_as_an_owner_would_say_them(seconds, words):
    assert wait_in_words(seconds) == words
