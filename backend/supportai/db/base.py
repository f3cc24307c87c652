"""Declarative base, column types and the tenant-owned mixin shared by every model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Stable constraint names so Alembic migrations diff and drop cleanly on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON everywhere, JSONB (indexable, compact) on PostgreSQL.
JSONDocument = sa.JSON().with_variant(JSONB(), "postgresql")

__all__ = ["Base", "DateTimeUTC", "JSONDocument", "TenantRoot", "TenantScoped", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTimeUTC, dict[str, Any]: JSONDocument, uuid.UUID: sa.Uuid}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TenantRoot:
    """Marker for the tenant's own row: a tenant session sees only the row whose `id` is
    the session's tenant (`supportai.db.scoping`), so this layer needs no domain import."""


class TenantScoped:
    """Mixin for rows owned by one tenant.

    The session hooks in `supportai.db.scoping` filter every query on these models to the
    session's tenant and stamp `tenant_id` on insert, so no handler can forget it.
    Indexes and unique constraints on these tables start with `tenant_id`.
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=False)
