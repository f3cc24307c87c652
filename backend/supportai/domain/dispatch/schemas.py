from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from supportai.domain.auth.schemas import Input
from supportai.domain.dispatch.models import UserbotAccount, UserbotState
from supportai.domain.tenants.schemas import DispatchMode

UserbotStateName = Literal["needs_login", "code_sent", "password_needed", "connected", "flood_wait"]


class UserbotPhoneIn(Input):
    phone: Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9][0-9 ()-]{5,30}$", description="International format")]


class UserbotCodeIn(Input):
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{3,10}$", description="The login code Telegram sent")]


class UserbotPasswordIn(Input):
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256, description="Two-step verification password")]


class UserbotOut(msgspec.Struct):
    """The owner's account as the web app shows it; the session is never returned."""

    phone: str | None  # masked
    state: UserbotStateName
    username: str | None
    flood_wait_until: datetime | None
    last_error: str | None

    @classmethod
    def of(cls, account: UserbotAccount | None) -> UserbotOut:
        if account is None:
            return cls(phone=None, state=UserbotState.NEEDS_LOGIN, username=None, flood_wait_until=None,
                       last_error=None)
        return cls(
            phone=mask_phone(account.phone) if account.phone else None, state=account.state,
            username=account.username, flood_wait_until=account.flood_wait_until, last_error=account.last_error,
        )


def mask_phone(phone: str) -> str:
    """Enough to recognise the number, not enough to read it off a screen: +49•••••••67."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 5:
        return "•" * len(digits)
    return f"+{digits[:2]}{'•' * (len(digits) - 4)}{digits[-2:]}"


class Requirement(msgspec.Struct):
    """One thing a dispatch mode needs, and whether the tenant has it now."""

    need: Literal["provider_chat", "customer_bot", "userbot"]
    met: bool


class DispatchModeStatus(msgspec.Struct):
    mode: DispatchMode
    needs: list[Requirement]
    ready: bool


class SetupStatus(msgspec.Struct):
    """What is connected, for the onboarding checklist and the dispatch mode choice."""

    panel_connected: bool  # its tickets are then read too: a customer channel
    providers: int
    provider_chats: int  # providers with a Telegram chat
    customer_bot: str | None  # the bot's username
    userbot: UserbotStateName  # the owner's account
    userbot_login_available: bool  # the server has Telegram app credentials
    dispatch_mode: DispatchMode
    dispatch_modes: list[DispatchModeStatus]
    onboarding_complete: bool  # a panel, a provider and a customer channel
