"""The panel owner's own Telegram account (a "userbot"), over Telethon.

The account lives in a StringSession: a full credential that the caller stores
encrypted and passes back in. Nothing else survives a restart, in particular not
Telethon's entity cache, so provider chats are addressed by what ProviderChat stores
(id with access hash, or username).

Telethon is imported where it is used, not with this module, so processes that never
hold an account (the API) do not load it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import msgspec

from supportai.integrations.telegram.ports import (
    FloodWait,
    IncomingTelegramMessage,
    ProviderChat,
    SendFailed,
    SentMessage,
    TelegramError,
)

if TYPE_CHECKING:
    from telethon import events
    from telethon.tl.custom import Message
    from telethon.tl.types import InputPeerChannel, InputPeerChat, InputPeerUser

IncomingMessageHandler = Callable[[IncomingTelegramMessage], Awaitable[None]]


class UserbotIdentity(msgspec.Struct, frozen=True):
    id: int
    username: str | None


class PasswordRequired(TelegramError):
    """The account has two-step verification: finish with sign_in_password."""


class LoginFailed(TelegramError):
    """Wrong or expired code, wrong password, invalid phone number..."""


@contextmanager
def telethon_errors(failure: type[TelegramError]) -> Iterator[None]:
    """Turn Telethon's exceptions into ours; anything unexpected becomes `failure`."""
    from telethon.errors import (
        FloodWaitError,
        RPCError,
        SessionPasswordNeededError,
        SlowModeWaitError,
    )

    try:
        yield
    except SessionPasswordNeededError as exc:
        raise PasswordRequired(str(exc)) from exc
    # Slow mode is a flood wait set by the group's admins.
    except (FloodWaitError, SlowModeWaitError) as exc:
        raise FloodWait(exc.seconds) from exc
    # RPC errors from Telegram; OSError for connection trouble (including "disconnected");
    # ValueError for a username or peer Telethon cannot resolve.
    except (RPCError, OSError, ValueError) as exc:
        raise failure(str(exc)) from exc


def telethon_peer(chat: ProviderChat) -> InputPeerUser | InputPeerChannel | InputPeerChat | str:
    """How Telethon reaches `chat` without its entity cache (a username costs a lookup)."""
    from telethon import utils
    from telethon.tl.types import InputPeerChannel, InputPeerChat, InputPeerUser, PeerChat, PeerUser

    if chat.chat_id is not None:
        peer_id, peer_type = utils.resolve_id(chat.chat_id)
        if peer_type is PeerChat:  # basic groups need no access hash
            return InputPeerChat(chat_id=peer_id)
        if chat.access_hash is not None:
            if peer_type is PeerUser:
                return InputPeerUser(user_id=peer_id, access_hash=chat.access_hash)
            return InputPeerChannel(channel_id=peer_id, access_hash=chat.access_hash)
    if chat.username:
        return chat.username
    raise SendFailed(f"chat {chat.chat_id} needs an access hash or a username to be reached")


def provider_chat_for(entity: Any) -> ProviderChat:
    """What to store for a Telethon User, Chat or Channel so it can be reached later."""
    from telethon import utils

    return ProviderChat(
        chat_id=utils.get_peer_id(entity),
        username=getattr(entity, "username", None),
        access_hash=getattr(entity, "access_hash", None),
    )


def incoming_message(message: Message) -> IncomingTelegramMessage:
    """Our view of a message the owner's account received."""
    sender = message.sender  # set when Telegram sent the user along; no lookup here
    return IncomingTelegramMessage(
        chat_id=message.chat_id,
        message_id=message.id,
        from_user_id=message.sender_id,
        from_username=getattr(sender, "username", None),
        text=message.message or None,  # text, or the caption of media
        has_photo=message.photo is not None,
        reply_to_message_id=message.reply_to_msg_id,
    )


class TelethonUserbot:
    """Userbot over a Telethon client. Use `async with` (or connect/disconnect).

    Login spans several owner actions: keep `session_string` between them and build
    a new TelethonUserbot from it for the next step.
    """

    def __init__(self, api_id: int, api_hash: str, session: str = "") -> None:
        # flood_sleep_threshold=0: never sleep inside Telethon, every FloodWaitError
        # reaches us so the job can be deferred or switched to the bot.
        from telethon import TelegramClient
        from telethon.sessions import StringSession

        self._client = TelegramClient(
            StringSession(session), api_id, api_hash, flood_sleep_threshold=0
        )

    @property
    def session_string(self) -> str:
        """The current session, to store (encrypted) after login or connect."""
        return self._client.session.save()

    def is_connected(self) -> bool:
        return self._client.is_connected()

    async def connect(self) -> None:
        with telethon_errors(TelegramError):
            await self._client.connect()

    async def disconnect(self) -> None:
        await self._client.disconnect()

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.disconnect()

    async def is_authorized(self) -> bool:
        with telethon_errors(TelegramError):
            return await self._client.is_user_authorized()

    async def send_code(self, phone: str) -> str:
        """Ask Telegram to send a login code; returns the phone_code_hash for sign_in."""
        with telethon_errors(LoginFailed):
            sent_code = await self._client.send_code_request(phone)
        return sent_code.phone_code_hash

    async def sign_in(self, phone: str, code: str, phone_code_hash: str) -> UserbotIdentity:
        """Raises PasswordRequired when two-step verification is on."""
        with telethon_errors(LoginFailed):
            user = await self._client.sign_in(phone, code, phone_code_hash=phone_code_hash)
        return UserbotIdentity(id=user.id, username=user.username)

    async def sign_in_password(self, password: str) -> UserbotIdentity:
        with telethon_errors(LoginFailed):
            user = await self._client.sign_in(password=password)
        return UserbotIdentity(id=user.id, username=user.username)

    async def log_out(self) -> None:
        """End this session on Telegram (it leaves the account's list of devices)."""
        with telethon_errors(TelegramError):
            await self._client.log_out()

    async def resolve_chat(self, username: str) -> ProviderChat:
        """Look a provider chat up once, to store it with its access hash."""
        with telethon_errors(TelegramError):
            entity = await self._client.get_entity(username)
        return provider_chat_for(entity)

    async def send(self, chat: ProviderChat, text: str, reply_to: int | None = None) -> SentMessage:
        with telethon_errors(SendFailed):
            # parse_mode=None: provider texts must arrive verbatim.
            message = await self._client.send_message(
                telethon_peer(chat), text, reply_to=reply_to, parse_mode=None, link_preview=False
            )
        return SentMessage(message_id=message.id, chat_id=message.chat_id, channel="userbot")

    def on_message(self, handler: IncomingMessageHandler) -> None:
        """Call `handler` for every message the account receives (provider replies)."""
        from telethon import events

        async def deliver(event: events.NewMessage.Event) -> None:
            await handler(incoming_message(event.message))

        self._client.add_event_handler(deliver, events.NewMessage(incoming=True))
