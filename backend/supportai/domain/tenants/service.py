from __future__ import annotations

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.tenants.models import Tenant, TenantSettings
from supportai.domain.tenants.schemas import SettingsOut, SettingsPatch, TenantOut
from supportai.integrations.urls import ensure_public_url


async def get_settings(session: AsyncSession) -> TenantSettings:
    """The caller's settings row (the session is tenant-scoped), created on first use."""
    settings = await session.scalar(sa.select(TenantSettings))
    if settings is None:
        settings = TenantSettings()
        session.add(settings)
        await session.flush()
    return settings


async def update_settings(
    session: AsyncSession, actor: Principal, patch: SettingsPatch, *, allow_private_urls: bool
) -> SettingsOut:
    settings = await get_settings(session)
    changes = {
        name: value for name, value in msgspec.structs.asdict(patch).items() if value is not msgspec.UNSET
    }
    if changes.get("count_source_url"):
        changes["count_source_url"] = await ensure_public_url(
            changes["count_source_url"], allow_private=allow_private_urls, field="count_source_url"
        )
    before = {name: getattr(settings, name) for name in changes}
    for name, value in changes.items():
        setattr(settings, name, value)
    if changes:
        record(session, "settings.updated", actor=actor, before=before, after=changes)
    return SettingsOut.of(settings)


async def get_tenant(session: AsyncSession, actor: Principal) -> TenantOut:
    tenant = await session.get_one(Tenant, actor.tenant_id)
    return TenantOut.of(tenant)


async def rename_tenant(session: AsyncSession, actor: Principal, name: str) -> TenantOut:
    tenant = await session.get_one(Tenant, actor.tenant_id)
    record(session, "tenant.renamed", actor=actor, before=tenant.name, after=name)
    tenant.name = name
    return TenantOut.of(tenant)
