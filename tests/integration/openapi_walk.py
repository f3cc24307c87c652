"""Build example requests for any route from the app's own OpenAPI schema.

The isolation and bad-input tests use this to cover every route, including ones added
later, without per-route code.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from litestar import Litestar

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI template, e.g. /api/api-keys/{key_id}
    operation_id: str
    spec: dict[str, Any]
    public: bool
    api_scope: str | None
    api_only: bool

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    def url(self, value: str) -> str:
        return re.sub(r"{\w+}", value, self.path)


def operations(app: Litestar) -> Iterator[Operation]:
    schema = app.openapi_schema.to_schema()
    handlers = {
        handler.operation_id if isinstance(handler.operation_id, str) else None: handler
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
    }
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            handler = handlers.get(spec["operationId"])
            opt = handler.opt if handler else {}
            yield Operation(
                method=method.upper(),
                path=path,
                operation_id=spec["operationId"],
                spec=spec,
                public=bool(opt.get("exclude_from_auth")),
                api_scope=opt.get("api_scope"),
                api_only=bool(opt.get("api_only")),
            )


ALL_SCOPES = ["messages:write", "messages:read", "requests:read"]


async def credentials(client: Any, account: Any) -> dict[str, dict[str, str]]:
    """An owner's bearer headers and an all-scopes API key of the same tenant."""
    key = await client.post("/api/api-keys", json={"name": "walker", "scopes": ALL_SCOPES}, headers=account.headers)
    assert key.status_code == 201, key.text
    return {"user": account.headers, "api_key": {"X-API-Key": key.json()["key"]}}


def headers_for(operation: Operation, creds: dict[str, dict[str, str]]) -> dict[str, str]:
    return creds["api_key" if operation.api_only else "user"]


class Examples:
    """Generates a valid-looking value for a JSON schema (required fields and more)."""

    def __init__(self, app: Litestar) -> None:
        self.components = app.openapi_schema.to_schema().get("components", {}).get("schemas", {})

    def body(self, operation: Operation) -> Any:
        content = operation.spec.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        return None if schema is None else self.value(schema, "body")

    def value(self, schema: dict[str, Any], name: str) -> Any:
        if "$ref" in schema:
            return self.value(self.components[schema["$ref"].rsplit("/", 1)[-1]], name)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                options = [s for s in schema[key] if s.get("type") != "null"]
                return self.value(options[0], name) if options else None
        if "enum" in schema:
            return schema["enum"][0]
        if "const" in schema:
            return schema["const"]
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next(k for k in kind if k != "null")
        if kind == "object" or "properties" in schema:
            return {prop: self.value(sub, prop) for prop, sub in schema.get("properties", {}).items()}
        if kind == "array":
            return [self.value(schema.get("items", {}), name) for _ in range(max(1, schema.get("minItems", 1)))]
        if kind == "integer":
            return int(schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1))
        if kind == "number":
            return float(schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1))
        if kind == "boolean":
            return True
        return self._string(schema, name)

    @staticmethod
    def _string(schema: dict[str, Any], name: str) -> str:
        fmt = schema.get("format", "")
        if "email" in name or fmt == "email" or "@" in schema.get("pattern", ""):
            return f"walker-{uuid.uuid4().hex[:8]}@example.com"
        if fmt == "uuid":
            return str(uuid.uuid4())
        if fmt in {"uri", "url"} or name.endswith("url"):
            return "https://example.com/api/v2"
        if fmt == "date-time":
            return "2026-01-01T00:00:00Z"
        text = f"walker {name}"
        return text.ljust(schema.get("minLength", 0), "x")[: schema.get("maxLength", 200)]


def by_id(operation: Operation) -> bool:
    """Whether the route names one object by its id (a UUID path parameter)."""
    return any(
        parameter["in"] == "path" and parameter.get("schema", {}).get("format") == "uuid"
        for parameter in operation.spec.get("parameters", [])
    )


def query_parameters(operation: Operation) -> list[str]:
    return [p["name"] for p in operation.spec.get("parameters", []) if p["in"] == "query"]


def values_by_field(document: Any, found: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """Every scalar value anywhere in a JSON document, as text, by the field that holds it."""
    found = {} if found is None else found
    items = (document.items() if isinstance(document, dict)
             else enumerate(document) if isinstance(document, list) else [])
    for key, value in items:
        if isinstance(value, dict | list):
            values_by_field(value, found)
        elif isinstance(key, str) and isinstance(value, str | int) and not isinstance(value, bool):
            found.setdefault(key, set()).add(str(value))
    return found


def document_of(response: Any) -> Any:
    """An answer as data: JSON as parsed, a CSV export as its rows (one dict per line, an
    empty cell as null, as JSON would have it)."""
    if response.headers.get("content-type", "").startswith("text/csv"):
        return [{key: value or None for key,
                 value in row.items()} for row in csv.DictReader(io.StringIO(response.text))]
    return response.json()


def uuids_in(document: Any) -> set[str]:
    """Every UUID anywhere in a JSON document."""
    found: set[str] = set()
    if isinstance(document, dict):
        for value in document.values():
            found |= uuids_in(value)
    elif isinstance(document, list):
        for value in document:
            found |= uuids_in(value)
    elif isinstance(document, str) and UUID_RE.match(document):
        found.add(document)
    return found
