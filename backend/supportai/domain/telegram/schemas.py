from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from supportai.domain.auth.schemas import Input


class BotIn(Input):
    token: Annotated[str, msgspec.Meta(min_length=10, max_length=200, pattern=r"^\d+:[\w-]+$")]


class BotOut(msgspec.Struct):
    id: uuid.UUID
    username: str
    telegram_id: int
    webhook_url: str
    created_at: datetime


class LinkOut(msgspec.Struct):
    id: uuid.UUID
    telegram_user_id: int
    telegram_username: str | None
    panel_username: str | None
    state: str
    linked_at: datetime | None
    created_at: datetime
