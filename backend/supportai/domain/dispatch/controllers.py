from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.params import JSONBody

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.domain.dispatch import userbot_login
from supportai.domain.dispatch.readiness import setup_status
from supportai.domain.dispatch.schemas import (
    SetupStatus,
    UserbotCodeIn,
    UserbotOut,
    UserbotPasswordIn,
    UserbotPhoneIn,
)


class UserbotSetupController(Controller):
    """The owner's own Telegram account, connected step by step. Each step runs on the
    userbot worker (`supportai userbot`); these calls wait for it (up to 30 s)."""

    path = "/api/setup/userbot"
    tags = ["setup"]
    opt = {"owner_only": True}

    @get(operation_id="getUserbot", summary="The owner's Telegram account: state (the session is never returned)")
    async def get_userbot(self, db_session: TenantSession) -> UserbotOut:
        return await userbot_login.userbot_status(db_session)

    @post("/start", operation_id="startUserbotLogin", summary="Step 1: Telegram sends a login code", status_code=200)
    async def start(
        self, data: JSONBody[UserbotPhoneIn], principal: PrincipalDep, runtime: RuntimeDep
    ) -> UserbotOut:
        return await userbot_login.start_login(runtime, principal, data.phone)

    @post("/code", operation_id="submitUserbotCode", summary="Step 2: the login code", status_code=200)
    async def code(
        self, data: JSONBody[UserbotCodeIn], principal: PrincipalDep, runtime: RuntimeDep
    ) -> UserbotOut:
        return await userbot_login.submit_code(runtime, principal, data.code)

    @post(
        "/password", operation_id="submitUserbotPassword", status_code=200,
        summary="Step 3, with two-step verification: the account's password",
    )
    async def password(
        self, data: JSONBody[UserbotPasswordIn], principal: PrincipalDep, runtime: RuntimeDep
    ) -> UserbotOut:
        return await userbot_login.submit_password(runtime, principal, data.password)

    @delete(operation_id="removeUserbot", summary="Disconnect the account and forget its session")
    async def remove(self, principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession) -> None:
        await userbot_login.remove_userbot(runtime, db_session, principal)


class SetupStatusController(Controller):
    """Read by every page that guides the owner (checklist, dispatch mode): staff may read it too."""

    path = "/api/setup/status"
    tags = ["setup"]

    @get(operation_id="getSetupStatus", summary="What is connected, and what each dispatch mode still needs")
    async def get_status(self, runtime: RuntimeDep, db_session: TenantSession) -> SetupStatus:
        return await setup_status(runtime.settings, db_session)
