"""Saved (canned) replies: texts staff insert in a manual reply instead of writing it anew."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, TenantScoped


class SavedReply(TenantScoped, Base):
    """A reply text with `{placeholder}`s a request's facts fill (engine.templates.SAVED_REPLY)."""

    __tablename__ = "saved_replies"
    __table_args__ = (sa.Index(None, "tenant_id", "title"),)

    title: Mapped[str] = mapped_column(sa.String(120))
    text: Mapped[str] = mapped_column(sa.Text)
    # The language the text is written in (a locale code): `{orders}` and `{wait}` follow it.
    # Null: any language, rendered in the language of the request's message.
    language: Mapped[str | None] = mapped_column(sa.String(16), default=None)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
