"""The tenant's service catalogue: import/sync from the panel, detection, overrides."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.pagination import Page, newest_first, page_of
from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.services.models import Service
from supportai.domain.services.schemas import (
    CatalogueEntry,
    ImportResult,
    ServiceOut,
    ServicePatch,
)
from supportai.domain.tenants.models import TenantSettings
from supportai.domain.tenants.service import get_settings
from supportai.engine.decisions import Intent, ServicePolicy
from supportai.engine.refill_policy import refill_days_from_name
from supportai.errors import NotFound


def effective_refill_days(service: Service, settings: TenantSettings) -> int | None:
    """The refill window in days (None = lifetime), with the tenant's lifetime cap applied."""
    if service.override_lifetime:
        lifetime = True
    elif service.override_refill_days is not None:
        return service.override_refill_days
    else:
        lifetime = service.detected_lifetime
    if lifetime:
        return settings.lifetime_cap_days  # None keeps lifetime unlimited
    return service.detected_refill_days


def policy_for(service: Service, settings: TenantSettings) -> ServicePolicy:
    """The engine's view of a service."""
    return ServicePolicy(
        refill_days=effective_refill_days(service, settings),
        cancel_allowed=_cancel_allowed(service),
        speed_up_after_hours=service.override_speed_up_after_hours,
        screenshot_for=frozenset(Intent(i) for i in service.override_screenshot_for or ()),
    )


def _cancel_allowed(service: Service) -> bool:
    if service.override_cancel_allowed is not None:
        return service.override_cancel_allowed
    # The panel's `cancel` flag, when it sends one; otherwise cancel is not ruled out.
    return service.cancel_button is not False


async def list_services(
    session: AsyncSession,
    *,
    search: str | None,
    category: str | None,
    active: bool | None,
    cursor: str | None,
    limit: int,
) -> Page[ServiceOut]:
    statement = sa.select(Service)
    if search:
        pattern = f"%{search.lower()}%"
        statement = statement.where(
            sa.or_(sa.func.lower(Service.name).like(pattern), sa.cast(Service.panel_service_id, sa.String) == search)
        )
    if category:
        statement = statement.where(Service.category == category)
    if active is not None:
        statement = statement.where(Service.active.is_(active))
    rows = list(await session.scalars(newest_first(statement, Service, cursor, limit)))
    settings = await get_settings(session)
    return page_of(rows, limit, lambda row: ServiceOut.of(row, policy_for(row, settings)))


async def get_service(session: AsyncSession, service_id: uuid.UUID) -> Service:
    service = await session.get(Service, service_id)
    if service is None:
        raise NotFound("No such service.")
    return service


async def update_overrides(
    session: AsyncSession, actor: Principal, service_id: uuid.UUID, patch: ServicePatch
) -> ServiceOut:
    service = await get_service(session, service_id)
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    if "lifetime" in changes:
        service.override_lifetime = changes["lifetime"]
        if changes["lifetime"]:
            service.override_refill_days = None
    if "refill_days" in changes:
        service.override_refill_days = changes["refill_days"]
        if changes["refill_days"] is not None:
            service.override_lifetime = None
    for field in ("cancel_allowed", "speed_up_after_hours"):
        if field in changes:
            setattr(service, f"override_{field}", changes[field])
    if "screenshot_for" in changes:
        intents = changes["screenshot_for"]
        service.override_screenshot_for = None if intents is None else sorted(set(intents))
    if "excluded" in changes:
        service.excluded = changes["excluded"]
    if changes:
        record(session, "service.overridden", actor=actor, target=str(service.panel_service_id), changes=changes)
    return ServiceOut.of(service, policy_for(service, await get_settings(session)))


async def import_catalogue(
    session: AsyncSession, entries: Iterable[CatalogueEntry], *, deactivate_missing: bool = True
) -> ImportResult:
    """Upsert the panel's services; re-detect refill periods from the (possibly renamed)
    names; keep every override; mark services the panel no longer lists inactive."""
    existing = {s.panel_service_id: s for s in await session.scalars(sa.select(Service))}
    seen: set[int] = set()
    created = updated = 0
    for entry in entries:
        panel_id = int(entry.service)
        if panel_id in seen:
            continue
        seen.add(panel_id)
        service = existing.get(panel_id)
        if service is None:
            service = Service(panel_service_id=panel_id)
            session.add(service)
            created += 1
        else:
            updated += 1
        _apply_entry(service, entry)
    deactivated = 0
    if deactivate_missing:
        for panel_id, service in existing.items():
            if panel_id not in seen and service.active:
                service.active = False
                deactivated += 1
    await session.flush()
    return ImportResult(created=created, updated=updated, deactivated=deactivated)


def _apply_entry(service: Service, entry: CatalogueEntry) -> None:
    service.name = entry.name.strip()[:500]
    service.category = entry.category.strip()[:300]
    service.type = entry.type.strip()[:100]
    service.rate = _number(entry.rate, float)
    service.min_quantity = _number(entry.min, int)
    service.max_quantity = _number(entry.max, int)
    service.refill_button = bool(entry.refill)
    service.cancel_button = entry.cancel
    service.active = True
    detection = refill_days_from_name(service.name)
    service.detected_refill_days = detection.days
    service.detected_lifetime = detection.lifetime
    service.detected_rule = str(detection.rule)


def _number(value: object, kind: type[int] | type[float]) -> int | float | None:
    try:
        return kind(float(value)) if kind is int else kind(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):  # OverflowError: int("1e400")
        return None
