from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, JSONDocument, TenantScoped


class Service(TenantScoped, Base):
    """A service of the tenant's panel, as its user API lists it, with the refill period
    detected from its name and the owner's overrides. An override, when set, wins."""

    __tablename__ = "services"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "panel_service_id"),
        sa.Index(None, "tenant_id", "category"),
    )

    panel_service_id: Mapped[int] = mapped_column(sa.BigInteger)
    name: Mapped[str] = mapped_column(sa.String(500))
    category: Mapped[str] = mapped_column(sa.String(300), default="")
    type: Mapped[str] = mapped_column(sa.String(100), default="")
    rate: Mapped[float | None] = mapped_column(default=None)
    min_quantity: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    max_quantity: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    refill_button: Mapped[bool] = mapped_column(default=False)  # `refill` in action=services
    cancel_button: Mapped[bool | None] = mapped_column(default=None)  # `cancel`, may be absent
    active: Mapped[bool] = mapped_column(default=True)

    detected_refill_days: Mapped[int | None] = mapped_column(default=0)
    detected_lifetime: Mapped[bool] = mapped_column(default=False)
    detected_rule: Mapped[str] = mapped_column(sa.String(32), default="no_marker")

    override_refill_days: Mapped[int | None] = mapped_column(default=None)
    override_lifetime: Mapped[bool | None] = mapped_column(default=None)
    override_cancel_allowed: Mapped[bool | None] = mapped_column(default=None)
    override_speed_up_after_hours: Mapped[float | None] = mapped_column(default=None)
    override_screenshot_for: Mapped[list[str] | None] = mapped_column(JSONDocument, default=None)
    excluded: Mapped[bool] = mapped_column(default=False)  # "exclude from automation"

    @property
    def has_refill_override(self) -> bool:
        return self.override_lifetime is not None or self.override_refill_days is not None
