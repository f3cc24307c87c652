"""Dependency providers: the runtime, the caller and a session scoped to the caller's tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.api.auth import Principal, principal_of
from supportai.errors import AuthenticationFailed
from supportai.runtime import Runtime

# Handlers ask for these by parameter name: `runtime`, `principal`, `db_session`, `system_session`.
RuntimeDep = NamedDependency[Runtime]
PrincipalDep = NamedDependency[Principal]
TenantSession = NamedDependency[AsyncSession]
SystemSession = NamedDependency[AsyncSession]


def provide_runtime(request: Request[Any, Any, Any]) -> Runtime:
    return request.app.state.runtime


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    principal = principal_of(request)
    if principal is None:
        raise AuthenticationFailed("Authentication is required.")
    return principal


async def provide_db_session(
    runtime: RuntimeDep, principal: PrincipalDep
) -> AsyncIterator[AsyncSession]:
    """Every authenticated handler's session: it can only see the caller's tenant."""
    async with runtime.db.tenant_session(principal.tenant_id) as session:
        yield session


async def provide_system_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """For the few public endpoints that act before a tenant is known (sign-up, login)."""
    async with runtime.db.system_session() as session:
        yield session


DEPENDENCIES = {
    "runtime": Provide(provide_runtime, sync_to_thread=False),
    "principal": Provide(provide_principal, sync_to_thread=False),
    "db_session": Provide(provide_db_session),
    "system_session": Provide(provide_system_session),
}
