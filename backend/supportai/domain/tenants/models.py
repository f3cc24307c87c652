from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supportai.db.base import Base, TenantRoot, TenantScoped


class Tenant(TenantRoot, Base):
    """One panel owner's account. Scoped by its own id (see `supportai.db.scoping`)."""

    __tablename__ = "tenants"

    name: Mapped[str] = mapped_column(sa.String(200))


class TenantSettings(TenantScoped, Base):
    """The owner's knobs for decisions, dispatch and follow-up (defaults from rules.md)."""

    __tablename__ = "tenant_settings"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    # Refill tolerance in units; null means max(1, ceil(1% of delivered)).
    tolerance: Mapped[int | None] = mapped_column(default=None)
    refill_partial: Mapped[bool] = mapped_column(default=True)
    # Some panels mean "365 days" by lifetime; null keeps lifetime unlimited.
    lifetime_cap_days: Mapped[int | None] = mapped_column(default=None)
    reply_in_customer_language: Mapped[bool] = mapped_column(default=False)
    dispatch_mode: Mapped[str] = mapped_column(sa.String(16), default="bot")
    dispatch_window_s: Mapped[int] = mapped_column(default=60)
    follow_up_hours: Mapped[int] = mapped_column(default=24)
    max_follow_ups: Mapped[int] = mapped_column(default=3)
    tracking_interval_hours: Mapped[int] = mapped_column(default=6)
    # A repeat of an answered (order, intent) within this many hours uses no quota; 0: off.
    repeat_cooldown_hours: Mapped[int] = mapped_column(default=24)
    # Messages that name no order and are not a support request go to staff unanswered.
    silent_mode: Mapped[bool] = mapped_column(default=False)
    # SLA targets: how long a request may wait on a person (review queue) or on a provider
    # before it counts as a breach; null turns that target off.
    sla_person_minutes: Mapped[int | None] = mapped_column(default=240)
    sla_provider_minutes: Mapped[int | None] = mapped_column(default=2880)
    ticket_poll_interval_s: Mapped[int] = mapped_column(default=120)
    panel_requests_per_s: Mapped[float] = mapped_column(default=5.0)
    owner_telegram_chat_id: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    # Where owner alerts are e-mailed (supportai.domain.notifications); None: the owner's login.
    notification_email: Mapped[str | None] = mapped_column(sa.String(320), default=None)
    # Optional live-count service (see supportai.integrations.counts).
    count_source_url: Mapped[str | None] = mapped_column(sa.String(500), default=None)

    @property
    def tracking_interval(self) -> timedelta:
        """How often a forwarded request's order is checked."""
        return timedelta(hours=self.tracking_interval_hours)

    @property
    def repeat_cooldown(self) -> timedelta:
        """How long after an answer the same question about the same order is free."""
        return timedelta(hours=self.repeat_cooldown_hours)

    @property
    def follow_up_window(self) -> timedelta:
        """How long without progress before the provider is reminded."""
        return timedelta(hours=self.follow_up_hours)
