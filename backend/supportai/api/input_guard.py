"""One guard for every route's input: hostile values are a 400 before any handler runs.

Each of these used to escape as a 500 from deep inside a handler: PostgreSQL refuses NUL
characters, msgspec recurses once per nesting level (RecursionError), integers wider
than 64 bits overflow every column, and a time without a zone cannot be compared with
the stored (aware) ones. The guard looks at the query, the path and JSON bodies; what it
cannot know (a narrower column) the database's own refusal covers (api/problems.py).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from itertools import accumulate
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from supportai.errors import InvalidInput

MAX_JSON_DEPTH = 32
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def input_guard(app: ASGIApp, max_body_bytes: int) -> ASGIApp:
    typed_params: dict[int, tuple[frozenset[str], frozenset[str]]] = {}

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            handler = scope.get("route_handler")
            if isinstance(handler, HTTPRouteHandler):
                key = id(handler)
                if key not in typed_params:
                    typed_params[key] = _typed_query_params(handler)
                _check_query(scope, *typed_params[key])
            if scope["method"] in _BODY_METHODS and _is_json(scope):
                messages, body = await _read_body(receive, max_body_bytes)
                if body is not None:
                    _check_json(body)
                receive = _replay(messages, receive)
        await app(scope, receive, send)

    return middleware


def _typed_query_params(handler: HTTPRouteHandler) -> tuple[frozenset[str], frozenset[str]]:
    """The query parameters the handler declares as datetimes, and as integers."""
    times, integers = set(), set()
    for name, field in handler.parsed_fn_signature.parameters.items():
        query_name = getattr(field.kwarg_definition, "query", None) or name
        if field.has_inner_subclass_of(datetime):
            times.add(query_name)
        elif field.has_inner_subclass_of(int) and not field.has_inner_subclass_of(bool):
            integers.add(query_name)
    return frozenset(times), frozenset(integers)


def _check_query(scope: Scope, times: frozenset[str], integers: frozenset[str]) -> None:
    if "\x00" in scope["path"]:
        raise InvalidInput("The path must not contain NUL characters.")
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
        if "\x00" in name or "\x00" in value:
            raise InvalidInput(f"`{name.replace(chr(0), '')}` must not contain NUL characters.", field=name)
        if name in integers and re.fullmatch(r"[+-]?\d+", value.strip()) and not _fits_int64(int(value)):
            raise InvalidInput(f"`{name}` is out of range.", field=name)
        if name in times and _is_naive_time(value):
            raise InvalidInput(f"`{name}` needs a time zone, e.g. 2026-01-31T09:00:00Z.", field=name)


def _is_naive_time(value: str) -> bool:
    try:
        return datetime.fromisoformat(value.strip()).tzinfo is None
    except ValueError:
        return False  # not a time at all: the route's own validation answers


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media_type = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return False


async def _read_body(receive: Receive, limit: int) -> tuple[list[Message], bytes | None]:
    """The request's messages, and its body when complete and within the limit (beyond
    it the route answers 413 itself, and the guard does not buffer more)."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        size += len(message.get("body", b""))
        if size > limit:
            return messages, None
        if not message.get("more_body", False):
            return messages, b"".join(m.get("body", b"") for m in messages)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _check_json(body: bytes) -> None:
    if _depth(body) > MAX_JSON_DEPTH:
        raise InvalidInput(f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels).")
    try:
        document = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return  # malformed: the route's decoding answers 400 with the reason
    _check_value(document)


def _depth(body: bytes) -> int:
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return 0  # cannot be deeper than it has brackets: the common case costs two counts
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(_BRACKET_STEP[b] for b in brackets), default=0)


def _check_value(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidInput("Text must not contain NUL characters.")
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not _fits_int64(value):
            raise InvalidInput("A number in the body is out of range (64-bit integers at most).")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput("Numbers must be finite.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_value(key)
            _check_value(item)
    elif isinstance(value, list):
        for item in value:
            _check_value(item)


def _fits_int64(number: int) -> bool:
    return INT64_MIN <= number <= INT64_MAX
