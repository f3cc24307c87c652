"""Keyset pagination over (created_at, id): stable under inserts, cheap at any depth."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Any, Generic, TypeVar

import msgspec
import sqlalchemy as sa

from supportai.errors import InvalidInput

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{row_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        stamp, _, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        created_at = datetime.fromisoformat(stamp)
        if created_at.tzinfo is None:  # we only issue aware ones; stored times are aware
            raise ValueError("naive time")
        return created_at, uuid.UUID(row_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The cursor is not valid; use `next_cursor` from a previous page.") from exc


def newest_first(statement: sa.Select[Any], model: Any, cursor: str | None, limit: int) -> sa.Select[Any]:
    """Order newest first and continue after `cursor`; fetch one extra row to know if more exist."""
    if cursor:
        created_at, row_id = decode_cursor(cursor)
        statement = statement.where(
            sa.or_(
                model.created_at < created_at,
                sa.and_(model.created_at == created_at, model.id < row_id),
            )
        )
    return statement.order_by(model.created_at.desc(), model.id.desc()).limit(limit + 1)


def page_of(rows: list[Any], limit: int, to_item: Any) -> Page[Any]:
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(rows[-1].created_at, rows[-1].id) if more and rows else None
    return Page(items=[to_item(row) for row in rows], next_cursor=cursor)
