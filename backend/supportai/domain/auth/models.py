"""Who may act for a tenant: users, their refresh tokens and invitations, and API keys.

Login identities (email, token and key hashes) are looked up before the tenant is known,
so their unique indexes are global; everything else leads with `tenant_id`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, JSONDocument, TenantScoped


class Role(StrEnum):
    OWNER = "owner"
    STAFF = "staff"


class User(TenantScoped, Base):
    __tablename__ = "users"
    __table_args__ = (sa.Index(None, "tenant_id", "created_at"),)

    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16))
    is_active: Mapped[bool] = mapped_column(default=True)
    # In every access token; bumped on removal, role or password change to end them all.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")


class RefreshToken(TenantScoped, Base):
    """A rotating refresh token. Using a rotated one again revokes its whole family."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (sa.Index(None, "tenant_id", "user_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    family_id: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Invitation(TenantScoped, Base):
    __tablename__ = "invitations"
    __table_args__ = (sa.Index(None, "tenant_id", "email"),)

    email: Mapped[str] = mapped_column(sa.String(320))
    role: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)


class ApiKey(TenantScoped, Base):
    """A key for the public API. Only its hash is kept; `prefix` lets owners tell keys apart."""

    __tablename__ = "api_keys"
    __table_args__ = (sa.Index(None, "tenant_id", "created_at"),)

    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSONDocument)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
