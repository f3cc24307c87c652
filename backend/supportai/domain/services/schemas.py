from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from supportai.domain.auth.schemas import Input
from supportai.domain.services.models import Service
from supportai.engine.decisions import DEFAULT_SPEED_UP_AFTER, ServicePolicy

IntentName = Literal["refill", "cancel", "speed_up"]


class Detected(msgspec.Struct):
    refill_days: int | None
    lifetime: bool
    rule: str


class Override(msgspec.Struct):
    refill_days: int | None
    lifetime: bool | None
    cancel_allowed: bool | None
    speed_up_after_hours: float | None
    screenshot_for: list[str] | None
    excluded: bool


class Effective(msgspec.Struct):
    """What the decision engine uses: override, else detection, else the defaults."""

    refill_days: int | None  # None = lifetime
    cancel_allowed: bool
    speed_up_after_hours: float
    screenshot_for: list[str]
    automated: bool


class ServiceOut(msgspec.Struct):
    id: uuid.UUID
    panel_service_id: int
    name: str
    category: str
    type: str
    rate: float | None
    active: bool
    detected: Detected
    override: Override
    effective: Effective

    @classmethod
    def of(cls, service: Service, policy: ServicePolicy) -> ServiceOut:
        """`policy` is what the engine decides with (`service.policy_for`)."""
        speed_up_after = service.override_speed_up_after_hours
        return cls(
            id=service.id, panel_service_id=service.panel_service_id, name=service.name, category=service.category,
            type=service.type, rate=service.rate, active=service.active,
            detected=Detected(refill_days=service.detected_refill_days, lifetime=service.detected_lifetime,
                              rule=service.detected_rule),
            override=Override(
                refill_days=service.override_refill_days, lifetime=service.override_lifetime,
                cancel_allowed=service.override_cancel_allowed, speed_up_after_hours=speed_up_after,
                screenshot_for=service.override_screenshot_for, excluded=service.excluded,
            ),
            effective=Effective(
                refill_days=policy.refill_days, cancel_allowed=policy.cancel_allowed,
                speed_up_after_hours=(speed_up_after if speed_up_after is not None
                                      else DEFAULT_SPEED_UP_AFTER.total_seconds() / 3600),
                screenshot_for=list(service.override_screenshot_for or []),
                automated=service.active and not service.excluded,
            ),
        )


class ServicePatch(Input):
    """Overrides; `null` returns a field to detection or the default."""

    refill_days: Annotated[int, msgspec.Meta(ge=0, le=3650)] | UnsetType | None = UNSET
    lifetime: bool | UnsetType | None = UNSET
    cancel_allowed: bool | UnsetType | None = UNSET
    speed_up_after_hours: Annotated[float, msgspec.Meta(ge=0, le=720)] | UnsetType | None = UNSET
    screenshot_for: list[IntentName] | UnsetType | None = UNSET
    excluded: bool | UnsetType = UNSET


class CatalogueEntry(msgspec.Struct, forbid_unknown_fields=False):
    """One item of the SMM API v2 `action=services` answer (numbers may come as strings)."""

    service: int | Annotated[str, msgspec.Meta(pattern=r"^\s*\d+\s*$")]
    name: str
    category: str = ""
    type: str = ""
    rate: float | str | None = None
    min: int | str | None = None
    max: int | str | None = None
    refill: bool | None = None
    cancel: bool | None = None


class ImportResult(msgspec.Struct):
    created: int
    updated: int
    deactivated: int


class SyncQueued(msgspec.Struct):
    job_id: str
