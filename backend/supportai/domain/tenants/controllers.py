from __future__ import annotations

from litestar import Controller, get, patch
from litestar.params import JSONBody

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.domain.tenants import service
from supportai.domain.tenants.schemas import SettingsOut, SettingsPatch, TenantOut, TenantPatch


class TenantController(Controller):
    path = "/api/tenant"
    tags = ["tenant"]

    @get(operation_id="getTenant", summary="The caller's account")
    async def get_tenant(self, principal: PrincipalDep, db_session: TenantSession) -> TenantOut:
        return await service.get_tenant(db_session, principal)

    @patch(operation_id="renameTenant", summary="Rename the account", opt={"owner_only": True})
    async def rename(self, data: JSONBody[TenantPatch], principal: PrincipalDep, db_session: TenantSession) -> TenantOut:
        return await service.rename_tenant(db_session, principal, data.name)

    @get("/settings", operation_id="getSettings", summary="Automation settings")
    async def get_settings(self, db_session: TenantSession) -> SettingsOut:
        return service.settings_out(await service.get_settings(db_session))

    @patch("/settings", operation_id="updateSettings", summary="Change automation settings", opt={"owner_only": True})
    async def update_settings(
        self, data: JSONBody[SettingsPatch], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> SettingsOut:
        return await service.update_settings(
            db_session, principal, data, allow_private_urls=runtime.settings.allow_private_urls
        )
