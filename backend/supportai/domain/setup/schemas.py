from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from supportai.domain.auth.schemas import Input
from supportai.domain.setup.models import PanelConnection, ProviderAccount

Url = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Secret = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
ChatRef = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class PanelIn(Input):
    url: Url
    admin_api_key: Secret
    user_api_key: Secret


class PanelOut(msgspec.Struct):
    """Keys are write-only: the answer says whether one is set, never what it is."""

    url: str | None
    admin_key_set: bool
    user_key_set: bool
    updated_at: datetime | None

    @classmethod
    def of(cls, connection: PanelConnection | None) -> PanelOut:
        if connection is None:
            return cls(url=None, admin_key_set=False, user_key_set=False, updated_at=None)
        return cls(url=connection.url, admin_key_set=True, user_key_set=True, updated_at=connection.updated_at)


class Check(msgspec.Struct):
    name: str
    ok: bool
    detail: str


class ConnectionReport(msgspec.Struct):
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


class ProviderIn(Input):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    api_url: Url | None = None
    api_key: Secret | None = None
    telegram_chat: ChatRef | None = None
    refill_via_api: bool = True
    cancel_via_api: bool = True


class ProviderPatch(Input):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | UnsetType = UNSET
    api_url: Url | UnsetType | None = UNSET
    api_key: Secret | UnsetType | None = UNSET
    telegram_chat: ChatRef | UnsetType | None = UNSET
    refill_via_api: bool | UnsetType = UNSET
    cancel_via_api: bool | UnsetType = UNSET


class ProviderOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    api_url: str | None
    api_key_set: bool
    telegram_chat: str | None
    refill_via_api: bool
    cancel_via_api: bool
    created_at: datetime

    @classmethod
    def of(cls, account: ProviderAccount) -> ProviderOut:
        return cls(
            id=account.id, name=account.name, api_url=account.api_url,
            api_key_set=account.api_key_encrypted is not None, telegram_chat=account.telegram_chat,
            refill_via_api=account.refill_via_api, cancel_via_api=account.cancel_via_api,
            created_at=account.created_at,
        )


class LLMIn(Input):
    url: Url
    model: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    api_key: Secret


class LLMOut(msgspec.Struct):
    url: str | None
    model: str | None
    api_key_set: bool


class LLMCheck(msgspec.Struct):
    """How the endpoint read a sample message (a failure is a problem response instead)."""

    sample: str
    intent: str
    order_ids: list[str]
