"""The Telethon userbot, as far as it runs without reaching Telegram: its session
string, how it addresses stored provider chats, and how Telethon errors map to ours."""

from __future__ import annotations

import pytest
from telethon.crypto import AuthKey
from telethon.errors import (
    FloodWaitError,
    PhoneCodeInvalidError,
    SessionPasswordNeededError,
    SlowModeWaitError,
)
from telethon.sessions import StringSession
from telethon.tl.types import (
    Channel,
    ChatPhotoEmpty,
    InputPeerChannel,
    InputPeerChat,
    InputPeerUser,
    User,
)

from supportai.integrations.telegram import (
    FloodWait,
    LoginFailed,
    PasswordRequired,
    ProviderChat,
    SendFailed,
    TelethonUserbot,
)
from supportai.integrations.telegram.userbot import (
    provider_chat_for,
    telethon_errors,
    telethon_peer,
)

API_ID, API_HASH = 12345, "0123456789abcdef0123456789abcdef"


def _logged_in_session_string() -> str:
    session = StringSession()
    session.set_dc(2, "149.154.167.51", 443)
    session.auth_key = AuthKey(bytes(range(256)))
    return session.save()


def test_session_string_round_trips() -> None:
    stored = _logged_in_session_string()

    userbot = TelethonUserbot(API_ID, API_HASH, stored)

    assert userbot.session_string == stored
    assert userbot.is_connected() is False


def test_a_new_userbot_has_an_empty_session() -> None:
    assert TelethonUserbot(API_ID, API_HASH).session_string == ""


@pytest.mark.parametrize(
    ("chat", "peer"),
    [
        (ProviderChat(chat_id=5150, access_hash=99), InputPeerUser(user_id=5150, access_hash=99)),
        (
            ProviderChat(chat_id=-1001234567890, access_hash=77),
            InputPeerChannel(channel_id=1234567890, access_hash=77),
        ),
        (ProviderChat(chat_id=-4242), InputPeerChat(chat_id=4242)),  # basic group: no hash
        (ProviderChat(chat_id=5150, username="prov_support"), "prov_support"),
        (ProviderChat(username="prov_support"), "prov_support"),
    ],
)
def test_stored_chats_become_telethon_peers(chat: ProviderChat, peer: object) -> None:
    assert telethon_peer(chat) == peer


def test_a_chat_without_access_hash_or_username_cannot_be_reached() -> None:
    with pytest.raises(SendFailed, match="access hash or a username"):
        telethon_peer(ProviderChat(chat_id=5150))


def test_resolved_entities_are_stored_in_bot_api_form() -> None:
    user = User(id=5150, access_hash=99, username="prov_support")
    channel = Channel(
        id=1234567890, title="Provider", photo=ChatPhotoEmpty(), date=None, access_hash=77
    )

    assert provider_chat_for(user) == ProviderChat(
        chat_id=5150, username="prov_support", access_hash=99
    )
    assert provider_chat_for(channel) == ProviderChat(chat_id=-1001234567890, access_hash=77)


@pytest.mark.parametrize(
    ("telethon_error", "expected"),
    [
        (FloodWaitError(request=None, capture=3600), FloodWait),
        (SlowModeWaitError(request=None, capture=30), FloodWait),
        (SessionPasswordNeededError(request=None), PasswordRequired),
        (PhoneCodeInvalidError(request=None), LoginFailed),
        (ConnectionError("Cannot send requests while disconnected"), LoginFailed),
        (ValueError('Cannot find any entity corresponding to "nobody"'), LoginFailed),
    ],
)
def test_telethon_errors_map_to_ours(telethon_error: Exception, expected: type) -> None:
    with pytest.raises(expected) as raised, telethon_errors(LoginFailed):
        raise telethon_error

    if isinstance(raised.value, FloodWait):
        assert raised.value.seconds == telethon_error.seconds  # type: ignore[attr-defined]
