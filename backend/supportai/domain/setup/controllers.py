from __future__ import annotations

import uuid

from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.domain.setup import service
from supportai.domain.setup.schemas import (
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

OWNER = {"owner_only": True}


class PanelSetupController(Controller):
    path = "/api/setup/panel"
    tags = ["setup"]
    opt = OWNER

    @get(operation_id="getPanelConnection", summary="The connected panel (keys are never returned)")
    async def get_panel(self, db_session: TenantSession) -> PanelOut:
        return PanelOut.of(await service.get_panel(db_session))

    @put(operation_id="savePanelConnection", summary="Connect the panel: URL, admin API key, user API key")
    async def save_panel(
        self, data: JSONBody[PanelIn], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> PanelOut:
        return await service.save_panel(runtime, db_session, principal, data)

    @post("/test", operation_id="testPanelConnection", summary="Try the saved keys against the panel", status_code=200)
    async def test_panel(self, runtime: RuntimeDep, db_session: TenantSession) -> ConnectionReport:
        return await service.test_panel(runtime, db_session)


class ProviderController(Controller):
    path = "/api/providers"
    tags = ["setup"]
    opt = OWNER

    @get(operation_id="listProviders", summary="Providers (API keys are never returned)")
    async def list_providers(self, db_session: TenantSession) -> list[ProviderOut]:
        return await service.list_providers(db_session)

    @post(operation_id="createProvider", summary="Add a provider")
    async def create(
        self, data: JSONBody[ProviderIn], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> ProviderOut:
        return await service.create_provider(runtime, db_session, principal, data)

    @get("/{provider_id:uuid}", operation_id="getProvider", summary="One provider")
    async def get_provider(self, provider_id: FromPath[uuid.UUID], db_session: TenantSession) -> ProviderOut:
        return ProviderOut.of(await service.get_provider(db_session, provider_id))

    @patch("/{provider_id:uuid}", operation_id="updateProvider", summary="Change a provider")
    async def update(
        self, provider_id: FromPath[uuid.UUID], data: JSONBody[ProviderPatch], principal: PrincipalDep,
        runtime: RuntimeDep, db_session: TenantSession,
    ) -> ProviderOut:
        return await service.update_provider(runtime, db_session, principal, provider_id, data)

    @delete("/{provider_id:uuid}", operation_id="deleteProvider", summary="Remove a provider")
    async def remove(self, provider_id: FromPath[uuid.UUID], principal: PrincipalDep,
                     db_session: TenantSession) -> None:
        await service.delete_provider(db_session, principal, provider_id)


class LLMSetupController(Controller):
    path = "/api/setup/llm"
    tags = ["setup"]
    opt = OWNER

    @get(operation_id="getLlmEndpoint", summary="The optional LLM endpoint (the key is never returned)")
    async def get_llm(self, db_session: TenantSession) -> LLMOut:
        return await service.get_llm(db_session)

    @put(operation_id="saveLlmEndpoint", summary="Use an OpenAI-compatible endpoint for uncertain messages")
    async def save_llm(
        self, data: JSONBody[LLMIn], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> LLMOut:
        return await service.save_llm(runtime, db_session, principal, data)

    @delete(operation_id="removeLlmEndpoint", summary="Stop using an LLM; offline understanding only")
    async def remove_llm(self, principal: PrincipalDep, db_session: TenantSession) -> None:
        await service.remove_llm(db_session, principal)

    @post(
        "/test", operation_id="testLlmEndpoint", status_code=200,
        summary="Ask the saved endpoint to read one sample message; a failure is a 502 problem",
    )
    async def test_llm(self, runtime: RuntimeDep, db_session: TenantSession) -> LLMCheck:
        return await service.test_llm(runtime, db_session)
