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
    LLMCheck,
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
from supportai.engine.understanding import understand
from supportai.errors import Conflict, InvalidInput, NotFound, UpstreamUnavailable
from supportai.integrations.clients import PanelClients
from supportai.integrations.http import IntegrationError
from supportai.integrations.llm import LLMConfig, LLMError, ask_llm
from supportai.integrations.provider import Provider
from supportai.integrations.urls import ensure_public_url
from supportai.runtime import Runtime


async def get_panel(session: AsyncSession) -> PanelConnection | None:
    return await session.scalar(sa.select(PanelConnection))


async def save_panel(runtime: Runtime, session: AsyncSession, actor: Principal, data: PanelIn) -> PanelOut:
    url = await ensure_public_url(data.url, allow_private=runtime.settings.allow_private_urls)
    connection = await get_panel(session) or PanelConnection()
    connection.url = url
    connection.admin_key_encrypted = runtime.secrets.encrypt(data.admin_api_key)
    connection.user_key_encrypted = runtime.secrets.encrypt(data.user_api_key)
    session.add(connection)
    await session.flush()
    record(session, "setup.panel_saved", actor=actor, target=url)
    return PanelOut.of(connection)


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
    return runtime.clients.panel(
        url=connection.url,
        admin_key=runtime.secrets.decrypt(connection.admin_key_encrypted),
        user_key=runtime.secrets.decrypt(connection.user_key_encrypted),
        requests_per_s=settings.panel_requests_per_s,
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


async def list_providers(session: AsyncSession) -> list[ProviderOut]:
    accounts = await session.scalars(sa.select(ProviderAccount).order_by(ProviderAccount.name))
    return [ProviderOut.of(account) for account in accounts]


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
    return ProviderOut.of(account)


async def update_provider(
    runtime: Runtime, session: AsyncSession, actor: Principal, provider_id: uuid.UUID, patch: ProviderPatch
) -> ProviderOut:
    account = await get_provider(session, provider_id)
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    await _apply_provider(runtime, account, changes)
    await _flush_unique_name(session)
    record(session, "setup.provider_updated", actor=actor, target=account.name, fields=sorted(changes))
    return ProviderOut.of(account)


async def delete_provider(session: AsyncSession, actor: Principal, provider_id: uuid.UUID) -> None:
    account = await get_provider(session, provider_id)
    await session.delete(account)
    record(session, "setup.provider_deleted", actor=actor, target=account.name)


async def _apply_provider(runtime: Runtime, account: ProviderAccount, fields: dict[str, object]) -> None:
    for name, value in fields.items():
        if name == "api_url" and value is not None:
            value = await ensure_public_url(str(value), allow_private=runtime.settings.allow_private_urls,
                                            field="api_url")
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


def provider_client(runtime: Runtime, account: ProviderAccount) -> Provider | None:
    """A client for the provider's SMM API v2, or None when the owner gave no API."""
    if not account.api_url or not account.api_key_encrypted:
        return None
    return runtime.clients.provider(api_url=account.api_url, api_key=runtime.secrets.decrypt(account.api_key_encrypted))


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
    return LLMConfig(url=endpoint.url, model=endpoint.model,
                     api_key=runtime.secrets.decrypt(endpoint.api_key_encrypted))


LLM_SAMPLE = "order 4410293 dropped 300 followers, please refill"


async def test_llm(runtime: Runtime, session: AsyncSession) -> LLMCheck:
    """Ask the saved endpoint to read one short message, as the pipeline would."""
    config = await llm_config(runtime, session)
    if config is None:
        raise InvalidInput("Save an LLM endpoint first (PUT /api/setup/llm).")
    try:
        reading = await ask_llm(LLM_SAMPLE, understand(LLM_SAMPLE), config, runtime.http)
    except LLMError as exc:
        raise UpstreamUnavailable(f"The LLM endpoint did not give a usable answer: {exc.message}") from exc
    return LLMCheck(sample=LLM_SAMPLE, intent=reading.intent, order_ids=list(reading.order_ids))
