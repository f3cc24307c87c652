"""What the rest of SupportAI sees of Telegram: the two sending channels, the values
they exchange and the errors they raise, independent of aiogram and Telethon."""

from __future__ import annotations

from typing import Literal, Protocol

import msgspec

Channel = Literal["bot", "userbot"]


class SentMessage(msgspec.Struct, frozen=True):
    message_id: int
    chat_id: int
    channel: Channel


class ProviderChat(msgspec.Struct, frozen=True):
    """A provider's Telegram chat, stored so both channels can reach it after a restart.

    `chat_id` is in Bot API form (user: id, group: -id, supergroup/channel: -100id),
    which is also Telethon's "marked" id. The owner's account additionally needs the
    chat's `access_hash` (users, supergroups, channels) or a public `username`,
    because a Telethon StringSession keeps no entity cache.
    """

    chat_id: int | None = None
    username: str | None = None
    access_hash: int | None = None

    @property
    def bot_target(self) -> int | str:
        """What the Bot API accepts as chat_id: the numeric id, else "@username"."""
        if self.chat_id is not None:
            return self.chat_id
        if self.username:
            return f"@{self.username.lstrip('@')}"
        raise ValueError("ProviderChat needs a chat_id or a username")


class IncomingTelegramMessage(msgspec.Struct, frozen=True):
    """A message someone sent to us, from a bot webhook update or the owner's account."""

    chat_id: int
    message_id: int
    from_user_id: int | None
    from_username: str | None
    text: str | None  # the text, or a media caption
    has_photo: bool
    reply_to_message_id: int | None = None
    update_id: int | None = None  # bot updates only: the key to de-duplicate redeliveries
    photo_file_id: str | None = None  # bot updates only: largest size, for getFile


class TelegramError(Exception):
    """A Telegram request that did not do what was asked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SendFailed(TelegramError):
    """The message was not sent (and may be retried)."""


class FloodWait(TelegramError):
    """Telegram asked us to wait `seconds` before the next request: defer, don't sleep."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"flood wait of {seconds} s")
        self.seconds = seconds


class Messenger(Protocol):
    """Sends a message to a chat through one channel."""

    async def send(self, chat_id: int | str, text: str, reply_to: int | None = None) -> SentMessage:
        """Raises FloodWait when rate limited, another TelegramError on any other failure."""
        ...


class Userbot(Protocol):
    """The panel owner's own Telegram account."""

    def is_connected(self) -> bool: ...

    async def send(self, chat: ProviderChat, text: str, reply_to: int | None = None) -> SentMessage:
        """Raises FloodWait when rate limited, another TelegramError on any other failure."""
        ...
