"""Who is calling, read off the HTTP request: a bearer JWT or an API key in `X-API-Key`."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from supportai.api.client_address import client_ip
from supportai.domain.auth.principal import Principal, authenticate_api_key, authenticate_bearer
from supportai.errors import AuthenticationFailed, PermissionDenied
from supportai.runtime import Runtime


class AuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        runtime: Runtime = connection.app.state.runtime
        api_key = connection.headers.get("x-api-key")
        if api_key:
            principal = await authenticate_api_key(runtime, api_key, client_ip(connection))
        else:
            scheme, _, token = connection.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise AuthenticationFailed("Send `Authorization: Bearer <token>` or `X-API-Key`.")
            principal = await authenticate_bearer(runtime, token.strip())
        return AuthenticationResult(user=principal, auth=principal)


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    user = connection.scope.get("user")
    return user if isinstance(user, Principal) else None


async def access_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """App-wide guard. Routes opt in to API keys by naming the scope they need (`api_scope`);
    routes marked `owner_only` refuse staff."""
    principal = principal_of(connection)
    if principal is None:
        return  # a public route (excluded from auth)
    if principal.kind == "api_key":
        scope = handler.opt.get("api_scope")
        if scope is None:
            raise PermissionDenied("API keys cannot call this endpoint; sign in as a user.")
        if scope and scope not in principal.scopes:
            raise PermissionDenied(f"This API key lacks the `{scope}` scope.")
        return
    if handler.opt.get("api_only"):
        raise PermissionDenied("This endpoint is for API keys.")
    if handler.opt.get("owner_only") and not principal.is_owner:
        raise PermissionDenied("Only the account owner can do this.")
