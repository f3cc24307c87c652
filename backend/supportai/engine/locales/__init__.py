"""Built-in translations of the reply templates, one JSON file per language (pure: read once).

English lives in `engine/templates.py` (DEFAULT_TEMPLATES, ENGLISH_WORDS) and is the fallback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType


@dataclass(frozen=True)
class Words:
    """What `{orders}` and durations are made of in one language."""

    order: str = "Order"
    orders: str = "Orders"
    and_: str = "and"
    minute: tuple[str, str] = ("minute", "minutes")
    hour: tuple[str, str] = ("hour", "hours")
    day: tuple[str, str] = ("day", "days")


ENGLISH_WORDS = Words()


@dataclass(frozen=True)
class Locale:
    code: str
    name: str  # in the language itself
    direction: str  # "ltr" or "rtl"
    words: Words
    # The translated templates by key; English has none here (they are DEFAULT_TEMPLATES,
    # which import this module), so a caller merges over the defaults.
    templates: Mapping[str, str] = field(default_factory=dict)


ENGLISH = Locale("en", "English", "ltr", ENGLISH_WORDS, MappingProxyType({}))

# Detector codes written in Latin letters that have no file of their own: replies go in the
# base language, as transliterated Russian, Arabic and Urdu is mostly typed for want of a
# keyboard by readers of the script. A Latin-letter file (hi-Latn) is used when there is one.
_LATIN_TO_BASE = {"ar-Latn": "ar", "ru-Latn": "ru", "ur-Latn": "ur"}


def _words(raw: Mapping[str, object]) -> Words:
    def pair(name: str) -> tuple[str, str]:
        singular, plural = raw[name]  # type: ignore[misc]
        return str(singular), str(plural)

    return Words(order=str(raw["order"]), orders=str(raw["orders"]), and_=str(raw["and"]),
                 minute=pair("minute"), hour=pair("hour"), day=pair("day"))


@cache
def locales() -> Mapping[str, Locale]:
    """Every built-in locale by code, English included."""
    found: dict[str, Locale] = {"en": ENGLISH}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        raw = json.loads(entry.read_text(encoding="utf-8"))
        found[raw["language"]] = Locale(raw["language"], raw["name"], raw["direction"], _words(raw["words"]),
                                        MappingProxyType(dict(raw["templates"])))
    return MappingProxyType(found)


def supported_languages() -> list[str]:
    return list(locales())


def resolve(code: str | None) -> Locale:
    """The locale for a detected language code: exact, then the base of a Latin-letter variant, else English."""
    table = locales()
    if code in table:
        return table[code]
    base = _LATIN_TO_BASE.get(code or "")
    return table.get(base, ENGLISH) if base else ENGLISH
