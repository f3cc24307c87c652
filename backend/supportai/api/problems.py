"""RFC 9457 problem details for every failure the API can answer with."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState
from sqlalchemy.exc import DBAPIError

from supportai.api.validation import body_problems
from supportai.db.scoping import TenantScopeError
from supportai.errors import SupportAIError

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger("supportai.api")


def problem_response(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    *,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def handle_domain_error(request: Request[Any, Any, Any], exc: SupportAIError) -> Response[Any]:
    headers = {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else None
    return problem_response(
        request, exc.status_code, exc.detail, title=exc.title, headers=headers, **exc.extra
    )


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    extra: dict[str, Any] = {}
    detail = exc.detail if exc.detail != HTTPStatus(exc.status_code).phrase else ""
    if isinstance(exc, ValidationException) and exc.extra:
        extra["errors"] = exc.extra
        if problems := _body_problems(request):
            extra["errors"] = problems
            fields = ", ".join(problem["key"] for problem in problems)
            detail = f"{len(problems)} field{'s' if len(problems) > 1 else ''} to correct: {fields}."
    return problem_response(
        request,
        exc.status_code,
        detail or _DEFAULT_DETAIL.get(exc.status_code, HTTPStatus(exc.status_code).description),
        headers=exc.headers,
        **extra,
    )


def _body_problems(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    """Every wrong field of the JSON body the route refused (msgspec names only the first)."""
    data_field = request.route_handler.parsed_data_field
    body = value_or_default(ScopeState.from_scope(request.scope).json, None)
    if data_field is None or body is None:
        return []
    return body_problems(data_field.annotation, body)


def handle_database_error(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[Any]:
    """PostgreSQL's "data exception" class (22xxx: out of range, invalid characters, ...)
    is the caller's value not fitting its column: what the input guard cannot know."""
    if str(getattr(exc.orig, "sqlstate", "") or "").startswith("22"):
        log.info("value_refused_by_database", error=str(exc.orig), path=request.url.path)
        return problem_response(request, 400, "A value is out of range or not valid for its field.",
                                title="Invalid input")
    return handle_unexpected(request, exc)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, TenantScopeError):
        log.error("tenant_scope_violation", error=str(exc), path=request.url.path)
    else:
        log.exception("unhandled_error", path=request.url.path)
    return problem_response(request, 500, "An unexpected error occurred; it has been logged.")


_DEFAULT_DETAIL = {
    401: "Authentication is required: send a bearer token or an X-API-Key header.",
    404: "Nothing exists at this address.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
}

EXCEPTION_HANDLERS = {
    SupportAIError: handle_domain_error,
    DBAPIError: handle_database_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}

