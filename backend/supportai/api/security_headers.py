"""Security headers on every response, errors and unknown routes included (a Litestar
`before_send` hook sees them all, unlike route middleware)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from supportai.api.client_address import is_trusted_proxy

# The API answers JSON: nothing may frame it, sniff it into HTML or learn where it was read.
FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
HSTS = "max-age=63072000; includeSubDomains"


def security_headers(trusted_proxies: tuple[str, ...]) -> Callable[[Message, Scope], Awaitable[None]]:
    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in FIXED_HEADERS.items():
            if name not in headers:
                headers[name] = value
        # Answers carry tokens, keys and account data: no cache may keep them.
        if "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-store"
        if _over_tls(scope, trusted_proxies):
            headers["Strict-Transport-Security"] = HSTS

    return add_headers


def _over_tls(scope: Scope, trusted_proxies: tuple[str, ...]) -> bool:
    if scope.get("scheme") == "https":
        return True
    client = scope.get("client")
    if not is_trusted_proxy(client[0] if client else None, trusted_proxies):
        return False
    proto = dict(scope["headers"]).get(b"x-forwarded-proto", b"").decode("latin-1")
    return proto.split(",")[0].strip().lower() == "https"
