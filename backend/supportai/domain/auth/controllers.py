from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody

from supportai.api.client_address import client_ip
from supportai.api.dependencies import PrincipalDep, RuntimeDep, SystemSession, TenantSession
from supportai.domain.auth import service
from supportai.domain.auth.schemas import (
    AcceptInvitationIn,
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    InvitationIn,
    InvitationOut,
    LoginIn,
    PasswordChangeIn,
    RefreshIn,
    TokensOut,
    UserOut,
)

PUBLIC = {"exclude_from_auth": True}  # sign-up and whoAmI are `tenants.controllers.AccountController`


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", operation_id="logIn", summary="Exchange email and password for tokens", opt=PUBLIC, status_code=200)
    async def log_in(
        self, request: Request[Any, Any,
                               Any], data: JSONBody[LoginIn], runtime: RuntimeDep, system_session: SystemSession
    ) -> TokensOut:
        return await service.log_in(
            runtime, system_session, email=data.email, password=data.password, ip=client_ip(request)
        )

    @post("/refresh", operation_id="refreshTokens", summary="Rotate a refresh token", opt=PUBLIC, status_code=200)
    async def refresh(self, data: JSONBody[RefreshIn], runtime: RuntimeDep, system_session: SystemSession) -> TokensOut:
        return await service.refresh(runtime, system_session, refresh_token=data.refresh_token)

    @post("/logout", operation_id="logOut", summary="Revoke a refresh token and its rotations", opt=PUBLIC,
          status_code=204)
    async def log_out(self, data: JSONBody[RefreshIn], system_session: SystemSession) -> None:
        await service.log_out(system_session, refresh_token=data.refresh_token)

    @post(
        "/accept-invitation", operation_id="acceptInvitation",
        summary="Join a team with an invitation token", opt=PUBLIC, status_code=200,
    )
    async def accept_invitation(
        self, request: Request[Any, Any, Any], data: JSONBody[AcceptInvitationIn], runtime: RuntimeDep,
        system_session: SystemSession,
    ) -> TokensOut:
        return await service.accept_invitation(
            runtime, system_session, token=data.token, password=data.password, ip=client_ip(request)
        )

    @post("/password", operation_id="changePassword", status_code=200,
          summary="Change the password; every other session of the user ends")
    async def change_password(
        self, data: JSONBody[PasswordChangeIn], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> TokensOut:
        return await service.change_password(
            runtime, db_session, principal, current_password=data.current_password, new_password=data.new_password
        )


class UserController(Controller):
    path = "/api/users"
    tags = ["users"]
    opt = {"owner_only": True}

    @get(operation_id="listUsers", summary="The account's users")
    async def list_users(self, db_session: TenantSession) -> list[UserOut]:
        return await service.list_users(db_session)

    @post("/invitations", operation_id="inviteUser", summary="Invite a staff member (token shown once)")
    async def invite(self, data: JSONBody[InvitationIn], principal: PrincipalDep,
                     db_session: TenantSession) -> InvitationOut:
        return await service.invite(db_session, principal, email=data.email, role=data.role)

    @delete("/{user_id:uuid}", operation_id="deactivateUser", summary="Remove a staff member")
    async def deactivate(
        self, user_id: FromPath[uuid.UUID], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> None:
        await service.deactivate_user(runtime, db_session, principal, user_id)


class ApiKeyController(Controller):
    path = "/api/api-keys"
    tags = ["api-keys"]
    opt = {"owner_only": True}

    @get(operation_id="listApiKeys", summary="API keys (prefixes only)")
    async def list_keys(self, db_session: TenantSession) -> list[ApiKeyOut]:
        return await service.list_api_keys(db_session)

    @post(operation_id="createApiKey", summary="Create an API key; the key is shown only in this answer")
    async def create_key(self, data: JSONBody[ApiKeyIn], principal: PrincipalDep,
                         db_session: TenantSession) -> ApiKeyCreatedOut:
        return await service.create_api_key(db_session, principal, name=data.name, scopes=list(data.scopes))

    @delete("/{key_id:uuid}", operation_id="revokeApiKey", summary="Revoke an API key")
    async def revoke_key(
        self, key_id: FromPath[uuid.UUID], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> None:
        await service.revoke_api_key(runtime, db_session, principal, key_id)
