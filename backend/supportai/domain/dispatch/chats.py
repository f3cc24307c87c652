"""A provider's Telegram chat, from what the owner typed and what we learnt since.

The owner types the chat in the provider settings (`telegram_chat`): "@prov_support",
"https://t.me/prov_support" or a numeric id such as "-1001234567890". Sending teaches
us more (the numeric id, the access hash the owner's account needs after a restart),
which is kept in `telegram_peer`.
"""

from __future__ import annotations

import re

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.setup.models import ProviderAccount
from supportai.integrations.telegram import ProviderChat

_NUMERIC = re.compile(r"-?\d+")
_LINK = re.compile(r"^(?:https?://)?(?:t\.me|telegram\.me)/", re.IGNORECASE)


def typed_chat(telegram_chat: str) -> ProviderChat:
    """What the owner typed, as a ProviderChat (id or username)."""
    value = _LINK.sub("", telegram_chat.strip()).strip("/")
    if _NUMERIC.fullmatch(value):
        return ProviderChat(chat_id=int(value))
    return ProviderChat(username=value.lstrip("@"))


def provider_chat(account: ProviderAccount) -> ProviderChat | None:
    """How to reach the provider: what we learnt, completed by what the owner typed."""
    if not account.telegram_chat:
        return None
    typed = typed_chat(account.telegram_chat)
    learnt = msgspec.convert(account.telegram_peer, ProviderChat) if account.telegram_peer else ProviderChat()
    if learnt.username and typed.username and learnt.username.lower() != typed.username.lower():
        return typed  # the owner changed the chat since: forget what we learnt
    if learnt.chat_id is not None and typed.chat_id is not None and learnt.chat_id != typed.chat_id:
        return typed
    return ProviderChat(
        chat_id=learnt.chat_id if learnt.chat_id is not None else typed.chat_id,
        username=learnt.username or typed.username,
        access_hash=learnt.access_hash,
    )


def remember_chat(account: ProviderAccount, chat: ProviderChat) -> None:
    """Keep what we know of the chat, so both channels reach it after a restart."""
    peer = msgspec.to_builtins(chat)
    if account.telegram_peer != peer:
        account.telegram_peer = peer


def is_chat(account: ProviderAccount, chat_id: int, chat_username: str | None) -> bool:
    chat = provider_chat(account)
    if chat is None:
        return False
    if chat.chat_id == chat_id:
        return True
    return bool(chat_username and chat.username and chat.username.lower() == chat_username.lstrip("@").lower())


async def provider_account(session: AsyncSession, name: str) -> ProviderAccount | None:
    """The provider settings for an order's `provider` (names compare case-insensitively)."""
    return await session.scalar(
        sa.select(ProviderAccount).where(sa.func.lower(ProviderAccount.name) == name.lower())
    )
