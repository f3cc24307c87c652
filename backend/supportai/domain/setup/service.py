"""Connecting the tenant's panel and providers, and building clients for them."""

from __future__ import annotations

import uuid

import msgspec
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.setup.models import LLMEndpoint, PanelConnection, ProviderAccount
from supportai.domain.setup.schemas import (
    Check,
    ConnectionReport,
    LLMIn,
    LLMOut,
    PanelIn,
    PanelOut,
    ProviderIn,
    ProviderOut,
    ProviderPatch,
)
from supportai.domain.tenants.models import TenantSettings
from supportai.domain.tenants.service import get_settings
from supportai.errors import Conflict, InvalidInput, NotFound
from supportai.integrations.http import IntegrationError
from supportai.integrations.llm import LLMConfig
from supportai.integrations.panel import PerfectPanelClient
from supportai.integrations.provider import SmmProviderClient
from supportai.integrations.ratelimit import RedisRateLimiter
from supportai.integrations.urls import ensure_public_url
from supportai.runtime import Runtime


async def get_panel(session: AsyncSession) -> PanelConnection | None:
    return await session.scalar(sa.select(PanelConnection))


def panel_out(connection: PanelConnection | None) -> PanelOut:
    if connection is None:
        return PanelOut(url=None, admin_key_set=False, user_key_set=False, updated_at=None)
    return PanelOut(url=connection.url, admin_key_set=True, user_key_set=True, updated_at=connection.updated_at)


async def save_panel(runtime: Runtime, session: AsyncSession, actor: Principal, data: PanelIn) -> PanelOut:
    url = await ensure_public_url(data.url, allow_private=runtime.settings.allow_private_urls)
    connection = await get_panel(session) or PanelConnection()
    connection.url = url
    connection.admin_key_encrypted = runtime.secrets.encrypt(data.admin_api_key)
    connection.user_key_encrypted = runtime.secrets.encrypt(data.user_api_key)
    session.add(connection)
    await session.flush()
    record(session, "setup.panel_saved", actor=actor, target=url)
    return panel_out(connection)


class PanelClients(msgspec.Struct, frozen=True):
    """The panel's admin API (orders, users, tickets) and its user API (services)."""

    admin: PerfectPanelClient
    user_api: SmmProviderClient


def _limiter(runtime: Runtime, settings: TenantSettings) -> RedisRateLimiter:
    rate = settings.panel_requests_per_s
    requests, period = (int(rate), 1.0) if rate >= 1 else (1, 1 / rate)
    return RedisRateLimiter(runtime.redis, requests=requests, per_seconds=period)


async def require_panel(session: AsyncSession) -> PanelConnection:
    """The connected panel; an action that needs one is refused at once without it."""
    connection = await get_panel(session)
    if connection is None:
        raise InvalidInput("Connect your panel first (PUT /api/setup/panel).")
    return connection


async def panel_clients(
    runtime: Runtime, session: AsyncSession, settings: TenantSettings | None = None
) -> PanelClients:
    connection = await require_panel(session)
    return clients_for(runtime, connection, settings or await get_settings(session))


def clients_for(runtime: Runtime, connection: PanelConnection, settings: TenantSettings) -> PanelClients:
    limiter = _limiter(runtime, settings)
    return PanelClients(
        admin=PerfectPanelClient(
            runtime.http, panel_url=connection.url,
            api_key=runtime.secrets.decrypt(connection.admin_key_encrypted), limiter=limiter,
        ),
        user_api=SmmProviderClient(
            runtime.http, api_url=connection.url,
            api_key=runtime.secrets.decrypt(connection.user_key_encrypted), limiter=limiter,
        ),
    )


async def test_panel(runtime: Runtime, session: AsyncSession) -> ConnectionReport:
    """Try each API with the saved keys and report what worked, in words an owner can act on."""
    clients = await panel_clients(runtime, session)
    checks = []
    try:
        page = await clients.admin.users(limit=1)
        checks.append(Check(name="admin_api", ok=True, detail=f"admin API answered ({page.total} users)"))
    except IntegrationError as exc:
        checks.append(Check(name="admin_api", ok=False, detail=str(exc)))
    try:
        services = await clients.user_api.services()
        checks.append(Check(name="user_api", ok=True, detail=f"user API lists {len(services)} services"))
    except IntegrationError as exc:
        checks.append(Check(name="user_api", ok=False, detail=str(exc)))
    return ConnectionReport(checks=checks)


def provider_out(account: ProviderAccount) -> ProviderOut:
    return ProviderOut(
        id=account.id, name=account.name, api_url=account.api_url,
        api_key_set=account.api_key_encrypted is not None, telegram_chat=account.telegram_chat,
        refill_via_api=account.refill_via_api, cancel_via_api=account.cancel_via_api,
        created_at=account.created_at,
    )


async def list_providers(session: AsyncSession) -> list[ProviderOut]:
    accounts = await session.scalars(sa.select(ProviderAccount).order_by(ProviderAccount.name))
    return [provider_out(account) for account in accounts]


async def get_provider(session: AsyncSession, provider_id: uuid.UUID) -> ProviderAccount:
    account = await session.get(ProviderAccount, provider_id)
    if account is None:
        raise NotFound("No such provider.")
    return account


async def create_provider(runtime: Runtime, session: AsyncSession, actor: Principal, data: ProviderIn) -> ProviderOut:
    account = ProviderAccount()
    await _apply_provider(runtime, account, msgspec.structs.asdict(data))
    session.add(account)
    await _flush_unique_name(session)
    record(session, "setup.provider_created", actor=actor, target=account.name)
    return provider_out(account)


async def update_provider(
    runtime: Runtime, session: AsyncSession, actor: Principal, provider_id: uuid.UUID, patch: ProviderPatch
) -> ProviderOut:
    account = await get_provider(session, provider_id)
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    await _apply_provider(runtime, account, changes)
    await _flush_unique_name(session)
    record(session, "setup.provider_updated", actor=actor, target=account.name, fields=sorted(changes))
    return provider_out(account)


async def delete_provider(session: AsyncSession, actor: Principal, provider_id: uuid.UUID) -> None:
    account = await get_provider(session, provider_id)
    await session.delete(account)
    record(session, "setup.provider_deleted", actor=actor, target=account.name)


async def _apply_provider(runtime: Runtime, account: ProviderAccount, fields: dict[str, object]) -> None:
    for name, value in fields.items():
        if name == "api_url" and value is not None:
            value = await ensure_public_url(str(value), allow_private=runtime.settings.allow_private_urls, field="api_url")
        if name == "api_key":
            account.api_key_encrypted = None if value is None else runtime.secrets.encrypt(str(value))
        else:
            setattr(account, name, value.strip() if name == "name" and isinstance(value, str) else value)


async def _flush_unique_name(session: AsyncSession) -> None:
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("A provider with this name already exists.") from exc


def provider_client(runtime: Runtime, account: ProviderAccount) -> SmmProviderClient | None:
    """A client for the provider's SMM API v2, or None when the owner gave no API."""
    if not account.api_url or not account.api_key_encrypted:
        return None
    return SmmProviderClient(
        runtime.http, api_url=account.api_url, api_key=runtime.secrets.decrypt(account.api_key_encrypted),
        limiter=RedisRateLimiter(runtime.redis, requests=10),
    )


async def get_llm(session: AsyncSession) -> LLMOut:
    endpoint = await session.scalar(sa.select(LLMEndpoint))
    if endpoint is None:
        return LLMOut(url=None, model=None, api_key_set=False)
    return LLMOut(url=endpoint.url, model=endpoint.model, api_key_set=True)


async def save_llm(runtime: Runtime, session: AsyncSession, actor: Principal, data: LLMIn) -> LLMOut:
    url = await ensure_public_url(data.url, allow_private=runtime.settings.allow_private_urls)
    endpoint = await session.scalar(sa.select(LLMEndpoint)) or LLMEndpoint()
    endpoint.url, endpoint.model = url, data.model
    endpoint.api_key_encrypted = runtime.secrets.encrypt(data.api_key)
    session.add(endpoint)
    record(session, "setup.llm_saved", actor=actor, target=url, model=data.model)
    return LLMOut(url=url, model=data.model, api_key_set=True)


async def remove_llm(session: AsyncSession, actor: Principal) -> None:
    await session.execute(sa.delete(LLMEndpoint))
    record(session, "setup.llm_removed", actor=actor)


async def llm_config(runtime: Runtime, session: AsyncSession) -> LLMConfig | None:
    endpoint = await session.scalar(sa.select(LLMEndpoint))
    if endpoint is None:
        return None
    return LLMConfig(url=endpoint.url, model=endpoint.model, api_key=runtime.secrets.decrypt(endpoint.api_key_encrypted))
