"""The customer bot end to end over real HTTP: the API under uvicorn, aiogram talking to
the Bot API stand-in, the stand-in delivering updates to our webhook, the panel simulator."""

from __future__ import annotations

import re
import uuid
from itertools import count

import httpx
import pytest
import sqlalchemy as sa

from supportai.app import create_app
from supportai.domain.requests.models import Message
from supportai.runtime import open_runtime
from supportai.simulator.app import create_simulator_app
from supportai.simulator.server import bound_socket, serve_in_thread
from supportai.simulator.telegram import TelegramState, create_telegram_app
from supportai.simulator.wiring import wire_tenant
from supportai.simulator.world import build_world
from tests.conftest import make_settings, run_queued_jobs, service_row_id

BOT_TOKEN = "424242:AAH-customer-bot-token"
BOT_ID = 424242
CUSTOMER_TG_ID = 90001
_update_ids = count(1000)


class Bot:
    """The owner's tenant with a connected bot, and helpers to play a customer."""

    def __init__(self, api: httpx.AsyncClient, telegram: httpx.AsyncClient, headers, settings, world, bot_row_id):
        self.api, self.telegram, self.headers, self.settings, self.world = api, telegram, headers, settings, world
        self.bot_row_id = bot_row_id

    async def say(self, text: str, *, user_id: int = CUSTOMER_TG_ID, photo: bool = False, update_id: int | None = None):
        message = {
            "message_id": next(_update_ids), "date": 1_760_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Customer"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Customer", "username": f"tg{user_id}"},
        }
        if photo:
            message |= {"photo": [{"file_id": "ph1", "file_unique_id": "u1", "width": 90, "height": 90}],
                        "caption": text}
        else:
            message["text"] = text
        update = {"update_id": update_id or next(_update_ids), "message": message}
        delivered = (await self.telegram.post(f"/_tg/bots/{BOT_ID}/updates", json=update)).json()
        assert delivered["status"] == 200, delivered
        await run_queued_jobs(self.settings)
        return delivered

    async def replies(self, user_id: int = CUSTOMER_TG_ID) -> list[str]:
        sent = (await self.telegram.get(f"/_tg/bots/{BOT_ID}/sent", params={"chat_id": user_id})).json()
        return [m["text"] for m in sent]

    async def link(self, username: str, user_id: int = CUSTOMER_TG_ID) -> None:
        await self.say("hello", user_id=user_id)
        await self.say(username, user_id=user_id)
        await self.say(self.latest_code(username), user_id=user_id)
        assert "now linked" in (await self.replies(user_id))[-1]

    def latest_code(self, username: str) -> str:
        for ticket in sorted(self.world.tickets.values(), key=lambda t: t.id, reverse=True):
            if ticket.user == username:
                return re.search(r"code is (\d{6})", ticket.messages[-1].message).group(1)
        raise LookupError(username)


@pytest.fixture(scope="module")
async def bot(pg_database, redis_url):
    world = build_world(f"telegram-{uuid.uuid4().hex[:6]}", tickets=0, orders=30)
    telegram_state = TelegramState()
    listener = bound_socket()
    api_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    with serve_in_thread(create_simulator_app(world)) as sim_url, \
            serve_in_thread(create_telegram_app(telegram_state)) as tg_url:
        settings = make_settings(pg_database, redis_url, telegram_api_base=tg_url, public_base_url=api_url)
        with serve_in_thread(create_app(settings), listener=listener):
            # Generous: the first bot setup may wait for aiogram to finish loading on a busy machine.
            async with httpx.AsyncClient(base_url=api_url, timeout=60) as api, httpx.AsyncClient(base_url=tg_url) as tg:
                await tg.post("/_tg/bots", json={"token": BOT_TOKEN, "username": "panel_support_bot"})
                signup = (await api.post("/api/auth/signup", json={
                    "email": f"tg-{uuid.uuid4().hex[:6]}@example.com", "password": "telegram owner",
                    "panel_name": "TG panel"})).json()
                headers = {"Authorization": f"Bearer {signup['access_token']}"}
                await wire_tenant(api, headers, world, sim_url)
                registered = await api.put("/api/setup/telegram-bot", json={"token": BOT_TOKEN}, headers=headers)
                assert registered.status_code == 200, registered.text
                yield Bot(api, tg, headers, settings, world, registered.json()["id"])


async def test_registration_validates_the_token_and_sets_a_secret_webhook(bot):
    shown = (await bot.api.get("/api/setup/telegram-bot", headers=bot.headers)).json()
    assert shown["username"] == "panel_support_bot"
    assert shown["webhook_url"].endswith(f"/telegram/webhook/{bot.bot_row_id}")
    assert BOT_TOKEN not in str(shown)
    refused = await bot.api.put("/api/setup/telegram-bot", json={"token": "1:not-a-real-token"}, headers=bot.headers)
    assert refused.status_code == 400


async def test_a_bot_another_tenant_holds_is_refused_and_keeps_its_webhook(bot):
    before = (await bot.telegram.post(f"/bot{BOT_TOKEN}/getWebhookInfo")).json()["result"]["url"]
    assert before.endswith(f"/telegram/webhook/{bot.bot_row_id}")
    other = (await bot.api.post("/api/auth/signup", json={
        "email": f"thief-{uuid.uuid4().hex[:6]}@example.com", "password": "telegram owner",
        "panel_name": "Other"})).json()
    other_headers = {"Authorization": f"Bearer {other['access_token']}"}

    refused = await bot.api.put("/api/setup/telegram-bot", json={"token": BOT_TOKEN}, headers=other_headers)
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "another SupportAI account" in refused.json()["detail"]
    assert (await bot.api.get("/api/setup/telegram-bot", headers=other_headers)).json() is None
    after = (await bot.telegram.post(f"/bot{BOT_TOKEN}/getWebhookInfo")).json()["result"]["url"]
    assert after == before
    # The holder may connect its own bot again (a new token after a revoke, say).
    again = await bot.api.put("/api/setup/telegram-bot", json={"token": BOT_TOKEN}, headers=bot.headers)
    assert again.status_code == 200 and again.json()["id"] == bot.bot_row_id


async def test_webhook_refuses_wrong_secret_and_unknown_bots_and_stores_nothing(bot, settings):
    update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
                                          "from": {"id": 5, "is_bot": False, "first_name": "x"}, "text": "refill 1"}}
    url = f"/telegram/webhook/{bot.bot_row_id}"
    assert (await bot.api.post(url, json=update)).status_code == 401
    assert (await bot.api.post(url, json=update,
                               headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})).status_code == 401
    assert (await bot.api.post(f"/telegram/webhook/{uuid.uuid4()}", json=update)).status_code == 404
    async with open_runtime(settings) as runtime, runtime.db.system_session() as session:
        stored = await session.scalar(sa.select(sa.func.count()).where(Message.external_id == f"{bot.bot_row_id}:1"))
    assert stored == 0


async def test_the_bot_shows_when_telegram_last_delivered_an_update(bot):
    token, telegram_id = "434343:AAH-second-bot-token", 434343
    await bot.telegram.post("/_tg/bots", json={"token": token, "username": "second_support_bot"})
    owner = (await bot.api.post("/api/auth/signup", json={
        "email": f"tg2-{uuid.uuid4().hex[:6]}@example.com", "password": "telegram owner",
        "panel_name": "Second"})).json()
    headers = {"Authorization": f"Bearer {owner['access_token']}"}
    registered = (await bot.api.put("/api/setup/telegram-bot", json={"token": token}, headers=headers)).json()
    assert registered["last_update_at"] is None
    refused = await bot.api.post(f"/telegram/webhook/{registered['id']}", json={"update_id": 1})
    assert refused.status_code == 401  # a caller without the secret is no update from Telegram
    assert (await bot.api.get("/api/setup/telegram-bot", headers=headers)).json()["last_update_at"] is None

    update = {"update_id": 7, "message": {"message_id": 7, "date": 1_760_000_000, "text": "hello",
                                          "chat": {"id": 5, "type": "private", "first_name": "C"},
                                          "from": {"id": 5, "is_bot": False, "first_name": "C"}}}
    delivered = (await bot.telegram.post(f"/_tg/bots/{telegram_id}/updates", json=update)).json()
    assert delivered["status"] == 200, delivered

    shown = (await bot.api.get("/api/setup/telegram-bot", headers=headers)).json()
    assert shown["last_update_at"] is not None
    assert shown["last_update_at"] >= registered["created_at"]


async def test_linking_then_a_request_gets_one_grouped_reply_in_the_chat(bot):
    customer = next(iter(bot.world.users))
    first = await bot.say("hi, my order dropped")
    assert (await bot.replies())[-1].startswith("Hi! To help with your orders")
    await bot.say(customer)
    assert "sent a verification code" in (await bot.replies())[-1]
    await bot.say("000000")
    assert "not right" in (await bot.replies())[-1]
    await bot.say(bot.latest_code(customer))
    assert "now linked" in (await bot.replies())[-1]
    assert first["status"] == 200

    refill = bot.world.create_order(user=customer, service_id=_service(bot.world, "[R30]"), quantity=1000,
                                    link="https://instagram.com/p/a1", status="Completed", start_count=100,
                                    current_count=700, created=int(bot.world.now() - 3 * 86400))
    cancel = bot.world.create_order(user=customer, service_id=_service(bot.world, "", cancelable=True), quantity=500,
                                    link="https://instagram.com/p/a2", status="Pending")
    before = len(await bot.replies())
    await bot.say(f"refill {refill.id}, cancel {cancel.id}")
    replies = (await bot.replies())[before:]
    assert len(replies) == 1
    assert f"Order {refill.id}: we have asked the provider for a refill" in replies[0]
    assert f"Order {cancel.id}: we have asked the provider to cancel it" in replies[0]
    requests = (await bot.api.get("/api/requests", params={"customer": customer}, headers=bot.headers)).json()
    assert {(r["order_id"], r["outcome"]) for r in requests["items"]} >= {
        (str(refill.id), "forward_refill"), (str(cancel.id), "forward_cancel")}


async def test_a_redelivered_update_is_processed_once(bot):
    user = CUSTOMER_TG_ID + 1
    await bot.link(list(bot.world.users)[1], user_id=user)
    before = len(await bot.replies(user))
    update_id = next(_update_ids)
    await bot.say("is there a discount for 10k followers?", user_id=user, update_id=update_id)
    await bot.say("is there a discount for 10k followers?", user_id=user, update_id=update_id)
    assert len(await bot.replies(user)) == before + 1


async def test_a_photo_is_the_screenshot_a_service_asks_for(bot):
    user, customer = CUSTOMER_TG_ID + 2, list(bot.world.users)[2]
    await bot.link(customer, user_id=user)
    service_id = _service(bot.world, "[R30]")
    row_id = await service_row_id(bot.api, bot.headers, service_id)
    patched = await bot.api.patch(f"/api/services/{row_id}", json={"screenshot_for": ["refill"]}, headers=bot.headers)
    assert patched.status_code == 200, patched.text
    order = bot.world.create_order(user=customer, service_id=service_id, quantity=1000, link="https://x.com/p/9",
                                   status="Completed", start_count=0, current_count=400,
                                   created=int(bot.world.now() - 86400))
    await bot.say(f"refill {order.id}", user_id=user)
    assert "please send a screenshot" in (await bot.replies(user))[-1]
    await bot.say(f"refill {order.id} (screenshot attached)", user_id=user, photo=True)
    assert "asked the provider for a refill" in (await bot.replies(user))[-1]
    await bot.api.patch(f"/api/services/{row_id}", json={"screenshot_for": None}, headers=bot.headers)


async def test_the_owner_lists_and_revokes_links(bot):
    user = CUSTOMER_TG_ID + 3
    await bot.link(list(bot.world.users)[3], user_id=user)
    links = (await bot.api.get("/api/telegram/links", headers=bot.headers)).json()
    link = next(link for link in links if link["telegram_user_id"] == user)
    assert link["state"] == "linked"
    assert (await bot.api.delete(f"/api/telegram/links/{link['id']}", headers=bot.headers)).status_code == 204
    await bot.say("refill 123456", user_id=user)
    assert (await bot.replies(user))[-1].startswith("Hi! To help with your orders")


def _service(world, marker: str, cancelable: bool | None = None) -> int:
    for service in world.services.values():
        fits = cancelable is None or (service.cancel is not False) == cancelable
        if marker in service.name and service.provider and fits:
            return service.id
    raise LookupError(marker)


async def test_the_owner_replies_by_hand_in_the_customers_chat(bot):
    user = CUSTOMER_TG_ID + 4
    await bot.link(list(bot.world.users)[4], user_id=user)
    await bot.say("do you accept USDT payments?", user_id=user)
    requests = (await bot.api.get("/api/requests", params={"customer": list(bot.world.users)[4]},
                                  headers=bot.headers)).json()["items"]
    answered = await bot.api.post(f"/api/requests/{requests[0]['id']}/reply",
                                  json={"text": "Usually within 24 hours."}, headers=bot.headers)
    assert answered.status_code == 200, answered.text
    assert (await bot.replies(user))[-1] == "Usually within 24 hours."
