"""Make the OpenAPI document say what the API does: who may call each route, and the
problem-details answers (RFC 9457) it gives besides success.

Litestar documents one global security requirement and a JSON 400 of its own shape;
this rewrites both per route from the facts the routes already declare (`opt`, path
parameters, bodies) and, for the few statuses only a route's service knows, the table
below.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from litestar import Litestar
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Operation, Reference, Schema
from litestar.openapi.spec.enums import OpenAPIType

from supportai.api.problems import PROBLEM_JSON

# Statuses a route's own service answers with, beyond what its shape implies.
ROUTE_PROBLEMS: dict[str, tuple[int, ...]] = {
    "signUp": (409, 429),
    "logIn": (401, 429),
    "refreshTokens": (401,),
    "acceptInvitation": (404, 409),
    "changePassword": (401,),
    "inviteUser": (409,),
    "createProvider": (409,),
    "updateProvider": (409,),
    "saveTelegramBot": (409, 502),
    "startUserbotLogin": (409, 429, 502),
    "submitUserbotCode": (409, 429, 502),
    "submitUserbotPassword": (409, 429, 502),
    "buyCredits": (502, 503),
    "changePlan": (409, 502, 503),
    "payInvoice": (409, 502, 503),
    "replyToRequest": (502,),
    "rerunQueueItems": (409,),
    "paymentWebhook": (401, 404),
    "nowpaymentsWebhook": (401, 404),
    "telegramWebhook": (401,),
}

PROBLEM_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    description="RFC 9457 problem details; some problems add fields such as `field`, `errors` or `retry_after`.",
    required=["type", "title", "status", "detail"],
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "instance": Schema(type=OpenAPIType.STRING),
    },
)


def describe_routes(app: Litestar) -> None:
    """Rewrite the app's OpenAPI document in place; call once, after building the app."""
    openapi = app.openapi_schema
    assert openapi.components is not None
    openapi.components.schemas = {**(openapi.components.schemas or {}), "Problem": PROBLEM_SCHEMA}
    openapi.security = None  # each operation says its own
    handlers = {
        handler.operation_id: handler for route in app.routes for handler in getattr(route, "route_handlers", [])
    }
    unknown = set(ROUTE_PROBLEMS) - set(handlers)
    if unknown:
        raise RuntimeError(f"ROUTE_PROBLEMS names operations that do not exist: {sorted(unknown)}")
    for path, item in (openapi.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation: Operation | None = getattr(item, method)
            if operation is not None and operation.operation_id in handlers:
                _describe(operation, handlers[operation.operation_id].opt, has_path_params="{" in path)


def _describe(operation: Operation, opt: dict[str, Any], *, has_path_params: bool) -> None:
    public = bool(opt.get("exclude_from_auth"))
    scope = opt.get("api_scope")
    statuses = {400, *ROUTE_PROBLEMS.get(str(operation.operation_id), ())}
    if public:
        operation.security = []
    else:
        statuses |= {401, 403, 429}  # no or bad credentials, role or scope, wrong-key limit
        if opt.get("api_only"):
            operation.security = [{"ApiKey": []}]
        elif scope is not None:
            operation.security = [{"BearerToken": []}, {"ApiKey": []}]
        else:
            operation.security = [{"BearerToken": []}]
        if scope:
            operation.description = _join(operation.description, f"API keys need the `{scope}` scope.")
    if has_path_params:
        statuses.add(404)
    if operation.request_body is not None:
        statuses.add(413)
    responses = operation.responses or {}
    for status in sorted(statuses):
        responses[str(status)] = OpenAPIResponse(
            description=HTTPStatus(status).phrase,
            content={PROBLEM_JSON: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))},
        )
    operation.responses = responses


def _join(description: str | None, sentence: str) -> str:
    return f"{description}\n\n{sentence}" if description else sentence
