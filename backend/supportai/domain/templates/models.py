from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, TenantScoped


class ReplyTemplate(TenantScoped, Base):
    """A tenant's edit of one reply template; keys without a row use the English default."""

    __tablename__ = "reply_templates"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "key"),)

    key: Mapped[str] = mapped_column(sa.String(64))
    text: Mapped[str] = mapped_column(sa.Text)
