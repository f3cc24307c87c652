from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from supportai.domain.auth.schemas import Input


class UserbotPhoneIn(Input):
    phone: Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9][0-9 ()-]{5,30}$", description="International format")]


class UserbotCodeIn(Input):
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{3,10}$", description="The login code Telegram sent")]


class UserbotPasswordIn(Input):
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256, description="Two-step verification password")]


class UserbotOut(msgspec.Struct):
    """The owner's account as the web app shows it; the session is never returned."""

    phone: str | None  # masked
    state: str  # needs_login | code_sent | password_needed | connected | flood_wait
    username: str | None
    flood_wait_until: datetime | None
    last_error: str | None
