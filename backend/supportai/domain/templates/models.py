from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, TenantScoped


class ReplyTemplate(TenantScoped, Base):
    """A tenant's edit of one reply template in one language; keys without a row use the
    built-in text of that language (see `templates.service.tenant_templates`)."""

    __tablename__ = "reply_templates"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "language", "key"),)

    language: Mapped[str] = mapped_column(sa.String(16), default="en", server_default="en")
    key: Mapped[str] = mapped_column(sa.String(64))
    text: Mapped[str] = mapped_column(sa.Text)
