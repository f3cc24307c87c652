from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from supportai.domain.auth.schemas import Input
from supportai.engine.locales import Locale
from supportai.engine.templates import ALLOWED_PLACEHOLDERS

TemplateText = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class TemplateOut(msgspec.Struct):
    key: str
    language: str
    text: str
    default_text: str  # what the key reads without the owner's edit in this language
    is_custom: bool
    placeholders: list[str]

    @classmethod
    def of(cls, key: str, language: str, edited: str | None, builtin: str) -> TemplateOut:
        """The template `key` in `language` as the tenant has it: their edit, or `builtin` when None."""
        return cls(key=key, language=language, text=builtin if edited is None else edited, default_text=builtin,
                   is_custom=edited is not None, placeholders=sorted(ALLOWED_PLACEHOLDERS[key]))


class LanguageOut(msgspec.Struct):
    code: str
    name: str  # in the language itself ("Русский")
    direction: Literal["ltr", "rtl"]
    edited: int  # how many templates the owner edited in this language

    @classmethod
    def of(cls, locale: Locale, edited: int) -> LanguageOut:
        return cls(code=locale.code, name=locale.name, direction="rtl" if locale.direction == "rtl" else "ltr",
                   edited=edited)


class TemplateIn(Input):
    text: TemplateText


class PreviewIn(Input):
    text: TemplateText | None = None  # preview an unsaved edit; default: the saved text


class PreviewOut(msgspec.Struct):
    rendered: str
