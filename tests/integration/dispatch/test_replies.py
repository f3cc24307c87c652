"""Provider replies, in any language, update the requests they answer: matched by the
message they quote, by the provider order IDs they name, else by the latest message to
that provider. Declines reach the owner (their bot chat) and the customer."""

from __future__ import annotations

import uuid

import pytest

from supportai.domain.dispatch.replies import handle_provider_reply
from tests.integration.dispatch.support import (
    CUSTOMER_CHAT_ID,
    PROVIDER_CHATS,
    FakeAccount,
    connect_account,
    dispatch_now,
    incoming,
)

FOLLOWHUB = PROVIDER_CHATS["followhub"]


async def sent_batch(tenant, external_ids, **forward_options) -> tuple[list[uuid.UUID], int]:
    """Requests forwarded to followhub and sent by the bot; their ids and the message id."""
    request_ids = await tenant.forward("followhub", external_ids, **forward_options)
    assert await dispatch_now(tenant, "followhub") == 1
    latest = (await tenant.bot_messages(FOLLOWHUB))[-1]
    assert latest["text"].startswith(external_ids[0])
    return request_ids, latest["message_id"]


async def statuses(tenant, request_ids) -> list[str]:
    return [(await tenant.request(request_id))["status"] for request_id in request_ids]


async def reply(tenant, text, *, reply_to=None, chat_id=FOLLOWHUB, **sender) -> list[uuid.UUID]:
    return await handle_provider_reply(
        tenant.runtime, tenant.tenant_id, incoming(chat_id, text, reply_to=reply_to, **sender), "bot"
    )


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Done ✅", "acknowledged"),
        ("готово", "acknowledged"),
        ("Erledigt", "acknowledged"),
        ("Hecho, ya lo aceleramos", "acknowledged"),
        ("cannot speed up, server overloaded", "declined"),
        ("No es posible, lo siento", "declined"),
        ("let me check with the team", "forwarded"),
    ],
)
async def test_a_quoted_reply_updates_every_order_of_the_quoted_message(tenant, text, status):
    request_ids, message_id = await sent_batch(tenant, ["48213", "48214"])

    updated = await reply(tenant, text, reply_to=message_id)

    assert sorted(updated) == sorted(request_ids)
    assert await statuses(tenant, request_ids) == [status, status]
    kinds = [event["kind"] for event in await tenant.timeline(request_ids[0])]
    expected = {"acknowledged": "provider_confirmed", "declined": "provider_declined", "forwarded": "provider_replied"}
    assert expected[status] in kinds
    [event] = [e for e in await tenant.timeline(request_ids[0]) if e["kind"] == expected[status]]
    assert (event["detail"]["text"], event["detail"]["channel"]) == (text, "bot")


async def test_a_decline_naming_one_order_declines_it_alone_and_tells_the_owner(tenant):
    request_ids, _ = await sent_batch(tenant, ["48213", "48214"])

    updated = await reply(tenant, "48214 не можем, отказ")

    assert updated == [request_ids[1]]
    assert await statuses(tenant, request_ids) == ["forwarded", "declined"]
    [notice] = await tenant.owner_notices()
    assert "followhub declined" in notice and "948214" in notice and "не можем" in notice
    # An API message has no way back to the customer: the timeline records the reply.
    [told] = [e for e in await tenant.timeline(request_ids[1]) if e["kind"] == "customer_told"]
    assert told["detail"] == {"template": "provider_declined", "channel": "api"}


async def test_a_decline_reaches_a_telegram_customer_through_the_bot(tenant):
    [request_id], message_id = await sent_batch(
        tenant, ["48213"], source="telegram", reply_to={"chat_id": CUSTOMER_CHAT_ID}
    )

    await reply(tenant, "Bu sipariş iptal edilemez 48213", reply_to=message_id)

    assert await statuses(tenant, [request_id]) == ["declined"]
    [to_customer] = await tenant.bot_sent(CUSTOMER_CHAT_ID)
    assert to_customer.startswith("Order 948213: the provider could not carry out your request")
    assert len(await tenant.owner_notices()) == 1


async def test_a_reply_quoting_nothing_and_naming_no_order_answers_the_latest_message(tenant):
    older, _ = await sent_batch(tenant, ["48213"])
    latest, _ = await sent_batch(tenant, ["48214", "48215"])

    updated = await reply(tenant, "تم")  # Arabic: "done"

    assert sorted(updated) == sorted(latest)
    assert await statuses(tenant, older + latest) == ["forwarded", "acknowledged", "acknowledged"]


async def test_a_reply_naming_orders_of_a_quoted_batch_updates_only_those(tenant):
    request_ids, message_id = await sent_batch(tenant, ["48213", "48214", "48215"])

    await reply(tenant, "48213 48215 done", reply_to=message_id)

    assert await statuses(tenant, request_ids) == ["acknowledged", "forwarded", "acknowledged"]


async def test_a_provider_may_decline_after_confirming(tenant):
    request_ids, message_id = await sent_batch(tenant, ["48213"])

    await reply(tenant, "ok", reply_to=message_id)
    await reply(tenant, "Sorry, we can't refill 48213, it's out of refill period")

    assert await statuses(tenant, request_ids) == ["declined"]


async def test_other_chats_our_own_messages_and_unknown_orders_change_nothing(tenant):
    request_ids, message_id = await sent_batch(tenant, ["48213"])

    assert await reply(tenant, "done", chat_id=PROVIDER_CHATS["growlane"] - 500) == []  # not a provider chat
    assert await reply(tenant, "48213 done", from_user_id=tenant.bot_id) == []  # our bot, seen in the group
    assert await reply(tenant, "55555 done") == []  # names an order that is not open: no guessing
    assert await reply(tenant, "done", reply_to=message_id + 1000) != []  # an unknown quote: latest message

    assert await statuses(tenant, request_ids) == ["acknowledged"]


async def test_replies_to_the_owner_account_are_handled_in_the_userbot_worker(tenant):
    await tenant.settings(dispatch_mode="userbot")
    account = FakeAccount()
    userbots = await connect_account(tenant, account)
    [request_id] = await tenant.forward("followhub", ["77123"])
    await dispatch_now(tenant, "followhub", userbots=userbots)
    [message] = await tenant.provider_messages()

    # The account sees the provider answer in the group, as Telethon's NewMessage event.
    await account.receive(incoming(FOLLOWHUB, "Выполнено", reply_to=message.telegram_message_id))

    assert await statuses(tenant, [request_id]) == ["acknowledged"]
    [event] = [e for e in await tenant.timeline(request_id) if e["kind"] == "provider_confirmed"]
    assert event["detail"]["channel"] == "userbot"
