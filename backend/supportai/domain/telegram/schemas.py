from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from supportai.domain.auth.schemas import Input
from supportai.domain.telegram.models import CustomerLink, TelegramBot


class BotIn(Input):
    token: Annotated[str, msgspec.Meta(min_length=10, max_length=200, pattern=r"^\d+:[\w-]+$")]


class BotOut(msgspec.Struct):
    id: uuid.UUID
    username: str
    telegram_id: int
    webhook_url: str
    last_update_at: datetime | None  # None: no update has arrived since it was connected
    created_at: datetime

    @classmethod
    def of(cls, bot: TelegramBot) -> BotOut:
        return cls(id=bot.id, username=bot.username, telegram_id=bot.telegram_id, webhook_url=bot.webhook_url,
                   last_update_at=bot.last_update_at, created_at=bot.created_at)


class LinkOut(msgspec.Struct):
    id: uuid.UUID
    telegram_user_id: int
    telegram_username: str | None
    panel_username: str | None
    state: str
    linked_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, link: CustomerLink) -> LinkOut:
        return cls(id=link.id, telegram_user_id=link.telegram_user_id, telegram_username=link.telegram_username,
                   panel_username=link.panel_username, state=link.state, linked_at=link.linked_at,
                   created_at=link.created_at)
