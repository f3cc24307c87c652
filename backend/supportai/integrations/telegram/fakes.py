"""Test doubles for the Telegram channels that cannot run offline."""

from __future__ import annotations

from supportai.integrations.telegram.ports import ProviderChat, SendFailed, SentMessage
from supportai.integrations.telegram.userbot import telethon_errors


class FakeUserbot:
    """A Userbot that records what it sent instead of talking to Telegram.

    `failure` is raised on every send, typically a real Telethon error such as
    `FloodWaitError(request=None, capture=600)`; it goes through the same error
    mapping as TelethonUserbot, so callers see FloodWait / SendFailed as in production.
    """

    def __init__(self, *, connected: bool = True, failure: Exception | None = None) -> None:
        self.connected = connected
        self.failure = failure
        self.sent: list[tuple[ProviderChat, str]] = []

    def is_connected(self) -> bool:
        return self.connected

    async def send(self, chat: ProviderChat, text: str, reply_to: int | None = None) -> SentMessage:
        with telethon_errors(SendFailed):
            if not self.connected:
                raise ConnectionError("Cannot send requests while disconnected")
            if self.failure is not None:
                raise self.failure
        if chat.chat_id is None:
            raise SendFailed("FakeUserbot reaches chats by chat_id only")
        self.sent.append((chat, text))
        return SentMessage(message_id=len(self.sent), chat_id=chat.chat_id, channel="userbot")
