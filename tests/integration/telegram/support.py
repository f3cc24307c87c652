"""Helpers for the Telegram tests: serving an ASGI app over real HTTP, the stand-in's
registered bot and chat, and reading what the bot sent."""

from __future__ import annotations

import httpx

BOT_ID = 123456
BOT_TOKEN = f"{BOT_ID}:AAE-test-token"
PROVIDER_CHAT_ID = -1001234567890  # a supergroup, in Bot API form


async def sent_texts(control: httpx.AsyncClient, chat_id: int = PROVIDER_CHAT_ID) -> list[str]:
    """What the bot sent to the chat, read from the stand-in's log."""
    response = await control.get(f"/_tg/bots/{BOT_ID}/sent", params={"chat_id": chat_id})
    assert response.status_code == 200, response.text
    return [message["text"] for message in response.json()]
