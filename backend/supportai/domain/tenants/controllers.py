from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody

from supportai.api.client_address import client_ip
from supportai.api.dependencies import PrincipalDep, RuntimeDep, SystemSession, TenantSession
from supportai.domain.auth.models import User
from supportai.domain.auth.schemas import MeOut, SignupIn, TokensOut
from supportai.domain.tenants import service, signup
from supportai.domain.tenants.models import Tenant
from supportai.domain.tenants.schemas import SettingsOut, SettingsPatch, TenantOut, TenantPatch


class AccountController(Controller):
    """The account as a whole, a tenant and its users: under /api/auth, where clients look."""

    path = "/api/auth"
    tags = ["auth"]

    @post("/signup", operation_id="signUp", summary="Create an account (tenant) and its owner",
          opt={"exclude_from_auth": True})
    async def sign_up(
        self, request: Request[Any, Any,
                               Any], data: JSONBody[SignupIn], runtime: RuntimeDep, system_session: SystemSession
    ) -> TokensOut:
        return await signup.sign_up(
            runtime, system_session, email=data.email, password=data.password,
            panel_name=data.panel_name, ip=client_ip(request),
        )

    @get("/me", operation_id="whoAmI", summary="The caller: user or API key", opt={"api_scope": ""})
    async def me(self, principal: PrincipalDep, db_session: TenantSession) -> MeOut:
        tenant = await db_session.get_one(Tenant, principal.tenant_id)
        user = await db_session.get(User, principal.id) if principal.kind == "user" else None
        return MeOut(
            kind=principal.kind, id=principal.id, tenant_id=principal.tenant_id, tenant_name=tenant.name,
            role=principal.role, email=user.email if user else None, scopes=sorted(principal.scopes),
        )


class TenantController(Controller):
    path = "/api/tenant"
    tags = ["tenant"]

    @get(operation_id="getTenant", summary="The caller's account")
    async def get_tenant(self, principal: PrincipalDep, db_session: TenantSession) -> TenantOut:
        return await service.get_tenant(db_session, principal)

    @patch(operation_id="renameTenant", summary="Rename the account", opt={"owner_only": True})
    async def rename(self, data: JSONBody[TenantPatch], principal: PrincipalDep,
                     db_session: TenantSession) -> TenantOut:
        return await service.rename_tenant(db_session, principal, data.name)

    @get("/settings", operation_id="getSettings", summary="Automation settings")
    async def get_settings(self, db_session: TenantSession) -> SettingsOut:
        return SettingsOut.of(await service.get_settings(db_session))

    @patch("/settings", operation_id="updateSettings", summary="Change automation settings", opt={"owner_only": True})
    async def update_settings(
        self, data: JSONBody[SettingsPatch], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> SettingsOut:
        return await service.update_settings(
            db_session, principal, data, allow_private_urls=runtime.settings.allow_private_urls
        )
