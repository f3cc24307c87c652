"""Reading incoming messages: bot webhook updates (aiogram's Update model) and messages
the owner's account receives (Telethon's Message)."""

from __future__ import annotations

from typing import Any

import pytest
from telethon.tl.custom import Message
from telethon.tl.types import MessageMediaPhoto, MessageReplyHeader, PeerUser, Photo

from supportai.integrations.telegram import IncomingTelegramMessage, InvalidUpdate, parse_update
from supportai.integrations.telegram.userbot import incoming_message

CUSTOMER = {"id": 777001, "is_bot": False, "first_name": "Cus", "username": "cus"}
CHAT = {"id": 777001, "type": "private", "first_name": "Cus"}


def _update(update_id: int = 10, **message: Any) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {"message_id": 5, "date": 1_700_000_000, "chat": CHAT, "from": CUSTOMER}
        | message,
    }


def test_text_message() -> None:
    update = _update(
        text="refill 48213",
        reply_to_message={
            "message_id": 3,
            "date": 1_700_000_000,
            "chat": CHAT,
            "text": "Your order?",
        },
    )

    assert parse_update(update) == IncomingTelegramMessage(
        update_id=10,
        chat_id=777001,
        message_id=5,
        from_user_id=777001,
        from_username="cus",
        text="refill 48213",
        has_photo=False,
        reply_to_message_id=3,
    )


def test_photo_with_caption_keeps_the_caption_and_the_largest_photo() -> None:
    update = _update(
        caption="count dropped, see screenshot",
        photo=[
            {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
            {"file_id": "large", "file_unique_id": "l", "width": 1280, "height": 720},
        ],
    )

    incoming = parse_update(update)

    assert incoming is not None
    assert (incoming.text, incoming.has_photo, incoming.photo_file_id) == (
        "count dropped, see screenshot",
        True,
        "large",
    )


def test_photo_without_caption_has_no_text() -> None:
    update = _update(photo=[{"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}])

    incoming = parse_update(update)

    assert incoming is not None
    assert (incoming.text, incoming.has_photo) == (None, True)


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 11, "edited_message": _update()["message"] | {"edit_date": 1_700_000_001}},
        {
            "update_id": 12,
            "callback_query": {"id": "cb1", "from": CUSTOMER, "chat_instance": "ci", "data": "x"},
        },
        {
            "update_id": 13,
            "my_chat_member": {
                "chat": CHAT,
                "from": CUSTOMER,
                "date": 1_700_000_000,
                "old_chat_member": {"status": "member", "user": CUSTOMER},
                "new_chat_member": {"status": "kicked", "user": CUSTOMER, "until_date": 0},
            },
        },
    ],
)
def test_other_update_types_are_ignored(update: dict[str, Any]) -> None:
    assert parse_update(update) is None


@pytest.mark.parametrize("payload", [{}, {"update_id": "x"}, {"update_id": 1, "message": {}}])
def test_a_payload_that_is_not_an_update_is_rejected(payload: dict[str, Any]) -> None:
    with pytest.raises(InvalidUpdate):
        parse_update(payload)


def test_telethon_message_from_a_provider() -> None:
    message = Message(
        id=41,
        peer_id=PeerUser(5150),
        date=None,
        message="done, refill started",
        from_id=PeerUser(5150),
        reply_to=MessageReplyHeader(reply_to_msg_id=40),
    )

    assert incoming_message(message) == IncomingTelegramMessage(
        chat_id=5150,
        message_id=41,
        from_user_id=5150,
        from_username=None,  # Telethon had no user object along: not looked up
        text="done, refill started",
        has_photo=False,
        reply_to_message_id=40,
    )


def test_telethon_photo_without_caption() -> None:
    photo = Photo(id=1, access_hash=2, file_reference=b"", date=None, sizes=[], dc_id=2)
    message = Message(
        id=42, peer_id=PeerUser(5150), date=None, message="", media=MessageMediaPhoto(photo=photo)
    )

    incoming = incoming_message(message)

    assert (incoming.text, incoming.has_photo) == (None, True)
