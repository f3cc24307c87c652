"""The owners' Telegram accounts the userbot worker (`supportai userbot`) holds: one
connected client per tenant, kept in step with the database, each handing the provider
replies it receives to `handle_provider_reply`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Protocol

import sqlalchemy as sa
import structlog

from supportai.config import Settings
from supportai.domain.dispatch.models import UserbotAccount, UserbotState
from supportai.domain.dispatch.replies import handle_provider_reply
from supportai.integrations.telegram import (
    IncomingTelegramMessage,
    ProviderChat,
    SentMessage,
    TelegramError,
    UserbotIdentity,
)
from supportai.runtime import Runtime

log = structlog.get_logger("supportai.userbot")


class LoginUserbot(Protocol):
    """The owner's account with everything the userbot worker needs: the login steps,
    sending, looking chats up, incoming messages. TelethonUserbot is one."""

    @property
    def session_string(self) -> str: ...

    def is_connected(self) -> bool: ...

    async def connect(self) -> None: ...

    async def disconnect(self) -> None: ...

    async def is_authorized(self) -> bool: ...

    async def send_code(self, phone: str) -> str: ...

    async def sign_in(self, phone: str, code: str, phone_code_hash: str) -> UserbotIdentity: ...

    async def sign_in_password(self, password: str) -> UserbotIdentity: ...

    async def log_out(self) -> None: ...

    async def resolve_chat(self, username: str) -> ProviderChat: ...

    async def send(self, chat: ProviderChat, text: str, reply_to: int | None = None) -> SentMessage: ...

    def on_message(self, handler: Callable[[IncomingTelegramMessage], Awaitable[None]]) -> None: ...


class UserbotFactory(Protocol):
    """Builds a client from a stored StringSession ("" for a new login). Tests pass a fake."""

    def __call__(self, session: str) -> LoginUserbot: ...


def telethon_factory(settings: Settings) -> UserbotFactory | None:
    """Real clients, or None when the server has no Telegram app credentials."""
    if settings.telegram_api_id is None or not settings.telegram_api_hash:
        return None
    from supportai.integrations.telegram import TelethonUserbot

    api_id, api_hash = settings.telegram_api_id, settings.telegram_api_hash
    return lambda session: TelethonUserbot(api_id, api_hash, session)


class UserbotPool:
    """The owners' accounts this process holds: one connected client per tenant."""

    def __init__(self, runtime: Runtime, factory: UserbotFactory | None) -> None:
        self._runtime = runtime
        self.factory = factory
        self._clients: dict[uuid.UUID, LoginUserbot] = {}

    def get(self, tenant_id: uuid.UUID) -> LoginUserbot | None:
        return self._clients.get(tenant_id)

    async def adopt(self, tenant_id: uuid.UUID, client: LoginUserbot) -> None:
        """Hold a logged-in, connected client; provider replies it receives get handled."""
        await self.drop(tenant_id)
        client.on_message(self._reply_handler(tenant_id))
        self._clients[tenant_id] = client

    async def drop(self, tenant_id: uuid.UUID) -> None:
        client = self._clients.pop(tenant_id, None)
        if client is not None:
            await client.disconnect()

    async def log_out(self, tenant_id: uuid.UUID, session_encrypted: str | None) -> None:
        """End a removed account's session on Telegram too, so it leaves the owner's list of
        devices. The held client is used if there is one, else one built from the session."""
        client = self._clients.pop(tenant_id, None)
        if client is None and session_encrypted and self.factory is not None:
            client = self.factory(self._runtime.secrets.decrypt(session_encrypted))
        if client is None:
            return
        try:
            if not client.is_connected():
                await client.connect()
            await client.log_out()
        except TelegramError as exc:  # already ended on Telegram, or unreachable: ours is gone anyway
            log.warning("userbot_log_out_failed", tenant_id=str(tenant_id), error=str(exc))
        finally:
            await client.disconnect()

    async def close(self) -> None:
        for tenant_id in list(self._clients):
            await self.drop(tenant_id)

    async def sync(self) -> int:
        """Hold exactly the accounts the database says are connected (at startup, then
        every minute): reconnects after a restart or a lost connection, and lets go of
        removed accounts. Returns how many are held."""
        async with self._runtime.db.unit_of_work(None) as uow:  # reads only
            stored = {
                account.tenant_id: account.session_encrypted
                for account in await uow.session.scalars(
                    sa.select(UserbotAccount).where(
                        UserbotAccount.state.in_([UserbotState.CONNECTED, UserbotState.FLOOD_WAIT]),
                        UserbotAccount.session_encrypted.is_not(None),
                    )
                )
            }
        for tenant_id in set(self._clients) - set(stored):
            await self.drop(tenant_id)
        for tenant_id, session_encrypted in stored.items():
            client = self._clients.get(tenant_id)
            if (client is None or not client.is_connected()) and session_encrypted:
                await self._reconnect(tenant_id, self._runtime.secrets.decrypt(session_encrypted))
        return len(self._clients)

    async def _reconnect(self, tenant_id: uuid.UUID, session_string: str) -> None:
        if self.factory is None:
            return
        client = self.factory(session_string)
        try:
            await client.connect()
            authorized = await client.is_authorized()
        except TelegramError as exc:  # Telegram unreachable: the next sync tries again
            log.warning("userbot_reconnect_failed", tenant_id=str(tenant_id), error=exc.reason)
            await client.disconnect()
            return
        if authorized:
            await self.adopt(tenant_id, client)
            return
        await client.disconnect()
        async with self._runtime.db.unit_of_work(tenant_id) as uow:
            account = await uow.session.scalar(sa.select(UserbotAccount))
            if account is not None:
                account.state, account.session_encrypted = UserbotState.NEEDS_LOGIN, None
                account.last_error = "Telegram ended this session (logged out from another device?); connect again."
            await uow.commit()

    def _reply_handler(self, tenant_id: uuid.UUID) -> Callable[[IncomingTelegramMessage], Awaitable[None]]:
        async def on_message(incoming: IncomingTelegramMessage) -> None:
            try:
                await handle_provider_reply(self._runtime, tenant_id, incoming, "userbot")
            except Exception:  # one reply that fails must not stop the account's updates
                log.exception("provider_reply_failed", tenant_id=str(tenant_id), chat_id=incoming.chat_id)

        return on_message
