"""Errors the services raise. The API turns each into an RFC 9457 problem response."""

from __future__ import annotations

from typing import Any


class SupportAIError(Exception):
    status_code = 500
    title = "Internal error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInput(SupportAIError):
    status_code = 400
    title = "Invalid input"


class AuthenticationFailed(SupportAIError):
    status_code = 401
    title = "Authentication failed"


class PermissionDenied(SupportAIError):
    status_code = 403
    title = "Permission denied"


class NotFound(SupportAIError):
    """Also what another tenant's object looks like: ids cannot be probed."""

    status_code = 404
    title = "Not found"


class Conflict(SupportAIError):
    status_code = 409
    title = "Conflict"


class RateLimited(SupportAIError):
    status_code = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail, retry_after=retry_after_s)
        self.retry_after_s = retry_after_s


class UpstreamUnavailable(SupportAIError):
    status_code = 502
    title = "Upstream unavailable"


class NotConfigured(SupportAIError):
    """A feature this server has not been set up for (e.g. no payment gateway)."""

    status_code = 503
    title = "Not configured"
