"""Validation errors a person can act on: every wrong field of a JSON body, each with a sentence.

msgspec stops at the first error and words it for programmers ("Expected `str` matching
regex ..."). When a body is refused, each field is checked again on its own against its
declared type, and what the type asks for is said in words: "The password must be text of
10 to 200 characters." A schema can word a field itself with `Meta(extra={"must_be": ...})`.
"""

from __future__ import annotations

import typing
from typing import Any

import msgspec
from msgspec import inspect

Problem = dict[str, str]


def body_problems(body_type: Any, body: Any) -> list[Problem]:
    """One problem per wrong, missing or unknown field of `body`; [] when the body is not
    an object for a struct type (the caller keeps msgspec's own answer then)."""
    info = inspect.type_info(body_type)
    if not isinstance(info, inspect.StructType) or not isinstance(body, dict):
        return []
    hints = typing.get_type_hints(body_type, include_extras=True)
    problems = []
    for field in info.fields:
        label = field.encode_name.replace("_", " ").capitalize()
        if field.encode_name not in body:
            if field.required:
                problems.append(_problem(field.encode_name, f"{label} is required."))
            continue
        try:
            msgspec.convert(body[field.encode_name], hints[field.name], strict=False, str_keys=True)
        except msgspec.ValidationError as exc:
            problems.append(_problem(field.encode_name, _sentence(label, field.type, str(exc))))
    if info.forbid_unknown_fields:
        known = {field.encode_name for field in info.fields}
        problems += [
            _problem(key, f"{key!r} is not a field of this request.") for key in body if key not in known
        ]
    return problems


def _problem(key: str, message: str) -> Problem:
    return {"key": key, "message": message, "source": "body"}


def _sentence(label: str, type_: inspect.Type, error: str) -> str:
    wanted = _wanted(type_)
    if wanted is None:  # a nested object: msgspec's words, with where inside it
        return f"{label} is not valid: {error}."
    return f"{label} must be {wanted}."


def _wanted(type_: inspect.Type) -> str | None:
    """What a value of this type must be, as words ("a whole number from 1 to 720")."""
    if isinstance(type_, inspect.Metadata):
        worded = (type_.extra or {}).get("must_be")
        return worded if worded else _wanted(type_.type)
    if isinstance(type_, inspect.UnionType):
        nullable = any(isinstance(t, inspect.NoneType) for t in type_.types)
        parts = [_wanted(t) for t in type_.types if not isinstance(t, inspect.NoneType)]
        if None in parts:
            return None
        return " or ".join(typing.cast(list[str], parts)) + (" (or null)" if nullable else "")
    if isinstance(type_, inspect.StrType):
        return _text(type_)
    if isinstance(type_, inspect.IntType | inspect.FloatType):
        noun = "a whole number" if isinstance(type_, inspect.IntType) else "a number"
        return noun + _bounds(type_)
    if isinstance(type_, inspect.LiteralType | inspect.EnumType):
        values = type_.values if isinstance(type_, inspect.LiteralType) else [m.value for m in type_.cls]
        return "one of " + ", ".join(str(value) for value in values)
    if isinstance(type_, inspect.ListType | inspect.SetType | inspect.FrozenSetType):
        return _list(type_)
    return _SIMPLE.get(type(type_))


_SIMPLE: dict[type, str] = {
    inspect.BoolType: "true or false",
    inspect.UUIDType: "an id (a UUID)",
    inspect.DateTimeType: "a date and time (ISO 8601, e.g. 2025-01-31T12:00:00Z)",
    inspect.DecimalType: "a decimal number",
    inspect.DictType: "an object",
}


def _text(type_: inspect.StrType) -> str:
    low, high = type_.min_length, type_.max_length
    if low and high:
        size = f"non-empty text of at most {high} characters" if low == 1 else f"text of {low} to {high} characters"
    elif low:
        size = "non-empty text" if low == 1 else f"text of at least {low} characters"
    elif high:
        size = f"text of at most {high} characters"
    else:
        size = "text"
    return size + (" in the expected format" if type_.pattern else "")


def _bounds(type_: inspect.IntType | inspect.FloatType) -> str:
    if type_.ge is not None and type_.le is not None:
        return f" from {type_.ge} to {type_.le}"
    parts = [
        words for bound, words in (
            (type_.ge, f"of {type_.ge} or more"), (type_.gt, f"greater than {type_.gt}"),
            (type_.le, f"of {type_.le} or less"), (type_.lt, f"less than {type_.lt}"),
        ) if bound is not None
    ]
    return " " + " and ".join(parts) if parts else ""


def _list(type_: inspect.ListType | inspect.SetType | inspect.FrozenSetType) -> str | None:
    items = _wanted(type_.item_type)
    if items is None:
        return None
    low, high = type_.min_length, type_.max_length
    size = f" of {low} to {high} items" if low and high else (
        f" of at least {low} item{'s' if low > 1 else ''}" if low else (f" of at most {high} items" if high else "")
    )
    return f"a list{size}, each {items}"
