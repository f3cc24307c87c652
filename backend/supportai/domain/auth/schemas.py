from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from supportai.domain.auth.models import ApiKey, User

Email = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320, description="Email address",
        extra={"must_be": "an email address, like name@example.com"},
    ),
]
Password = Annotated[str, msgspec.Meta(min_length=10, max_length=200)]
ApiScope = Literal["messages:write", "messages:read", "requests:read"]


class Input(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Request bodies refuse unknown fields, so a typo is an error, not a silent no-op."""


class SignupIn(Input):
    email: Email
    password: Password
    panel_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class LoginIn(Input):
    email: Email
    password: Annotated[str, msgspec.Meta(max_length=200)]


class RefreshIn(Input):
    refresh_token: Annotated[str, msgspec.Meta(max_length=200)]


class AcceptInvitationIn(Input):
    token: Annotated[str, msgspec.Meta(max_length=200)]
    password: Password


class PasswordChangeIn(Input):
    current_password: Annotated[str, msgspec.Meta(max_length=200)]
    new_password: Password


class InvitationIn(Input):
    email: Email
    role: Literal["staff"] = "staff"


class ApiKeyIn(Input):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    scopes: Annotated[list[ApiScope], msgspec.Meta(min_length=1)]


class TokensOut(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    token_type: str = "Bearer"


class MeOut(msgspec.Struct):
    kind: str
    id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_name: str
    role: str | None
    email: str | None
    scopes: list[str]


class UserOut(msgspec.Struct):
    id: uuid.UUID
    email: str
    role: str
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, email=user.email, role=user.role, is_active=user.is_active, created_at=user.created_at)


class InvitationOut(msgspec.Struct):
    id: uuid.UUID
    email: str
    role: str
    expires_at: datetime
    token: str  # shown once


class ApiKeyOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(id=key.id, name=key.name, prefix=key.prefix, scopes=key.scopes, created_at=key.created_at,
                   last_used_at=key.last_used_at, revoked_at=key.revoked_at)


class ApiKeyCreatedOut(ApiKeyOut):
    key: str  # shown once; only its hash is stored

    @classmethod
    def created(cls, row: ApiKey, key: str) -> ApiKeyCreatedOut:
        return cls(id=row.id, name=row.name, prefix=row.prefix, scopes=row.scopes, created_at=row.created_at,
                   last_used_at=row.last_used_at, revoked_at=row.revoked_at, key=key)
