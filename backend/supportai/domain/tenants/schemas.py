from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from supportai.domain.auth.schemas import Input
from supportai.domain.tenants.models import Tenant, TenantSettings

DispatchMode = Literal["bot", "userbot", "both"]
NonNegative = Annotated[int, msgspec.Meta(ge=0)]
Positive = Annotated[int, msgspec.Meta(ge=1)]


class SettingsOut(msgspec.Struct):
    tolerance: int | None
    refill_partial: bool
    lifetime_cap_days: int | None
    reply_in_customer_language: bool
    dispatch_mode: DispatchMode
    dispatch_window_s: int
    follow_up_hours: int
    max_follow_ups: int
    tracking_interval_hours: int
    repeat_cooldown_hours: int
    silent_mode: bool
    sla_person_minutes: int | None
    sla_provider_minutes: int | None
    ticket_poll_interval_s: int
    panel_requests_per_s: float
    owner_telegram_chat_id: str | None
    count_source_url: str | None

    @classmethod
    def of(cls, settings: TenantSettings) -> SettingsOut:
        return cls(
            tolerance=settings.tolerance, refill_partial=settings.refill_partial,
            lifetime_cap_days=settings.lifetime_cap_days,
            reply_in_customer_language=settings.reply_in_customer_language,
            dispatch_mode=settings.dispatch_mode, dispatch_window_s=settings.dispatch_window_s,
            follow_up_hours=settings.follow_up_hours, max_follow_ups=settings.max_follow_ups,
            tracking_interval_hours=settings.tracking_interval_hours,
            repeat_cooldown_hours=settings.repeat_cooldown_hours, silent_mode=settings.silent_mode,
            sla_person_minutes=settings.sla_person_minutes, sla_provider_minutes=settings.sla_provider_minutes,
            ticket_poll_interval_s=settings.ticket_poll_interval_s,
            panel_requests_per_s=settings.panel_requests_per_s,
            owner_telegram_chat_id=settings.owner_telegram_chat_id, count_source_url=settings.count_source_url,
        )


class SettingsPatch(Input):
    """Only the fields sent change; `null` clears the nullable ones back to their default."""

    tolerance: NonNegative | UnsetType | None = UNSET
    refill_partial: bool | UnsetType = UNSET
    lifetime_cap_days: Positive | UnsetType | None = UNSET
    reply_in_customer_language: bool | UnsetType = UNSET
    dispatch_mode: DispatchMode | UnsetType = UNSET
    dispatch_window_s: Annotated[int, msgspec.Meta(ge=0, le=3600)] | UnsetType = UNSET
    follow_up_hours: Annotated[int, msgspec.Meta(ge=1, le=720)] | UnsetType = UNSET
    max_follow_ups: Annotated[int, msgspec.Meta(ge=0, le=20)] | UnsetType = UNSET
    tracking_interval_hours: Annotated[int, msgspec.Meta(ge=1, le=168)] | UnsetType = UNSET
    repeat_cooldown_hours: Annotated[int, msgspec.Meta(ge=0, le=720)] | UnsetType = UNSET
    silent_mode: bool | UnsetType = UNSET
    sla_person_minutes: Annotated[int, msgspec.Meta(ge=1, le=43200)] | UnsetType | None = UNSET
    sla_provider_minutes: Annotated[int, msgspec.Meta(ge=1, le=43200)] | UnsetType | None = UNSET
    ticket_poll_interval_s: Annotated[int, msgspec.Meta(ge=30, le=86400)] | UnsetType = UNSET
    panel_requests_per_s: Annotated[float, msgspec.Meta(gt=0, le=100)] | UnsetType = UNSET
    owner_telegram_chat_id: Annotated[str, msgspec.Meta(max_length=64)] | UnsetType | None = UNSET
    count_source_url: Annotated[str, msgspec.Meta(max_length=500)] | UnsetType | None = UNSET


class TenantOut(msgspec.Struct):
    id: str
    name: str

    @classmethod
    def of(cls, tenant: Tenant) -> TenantOut:
        return cls(id=str(tenant.id), name=tenant.name)


class TenantPatch(Input):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
