from __future__ import annotations

from typing import Annotated

import msgspec

from supportai.domain.auth.schemas import Input
from supportai.engine.templates import ALLOWED_PLACEHOLDERS, DEFAULT_TEMPLATES

TemplateText = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class TemplateOut(msgspec.Struct):
    key: str
    text: str
    default_text: str
    is_custom: bool
    placeholders: list[str]

    @classmethod
    def of(cls, key: str, edited: str | None) -> TemplateOut:
        """The template `key` as the tenant has it: their edit, or the default when None."""
        default = DEFAULT_TEMPLATES[key]
        return cls(key=key, text=default if edited is None else edited, default_text=default,
                   is_custom=edited is not None, placeholders=sorted(ALLOWED_PLACEHOLDERS[key]))


class TemplateIn(Input):
    text: TemplateText


class PreviewIn(Input):
    text: TemplateText | None = None  # preview an unsaved edit; default: the saved text


class PreviewOut(msgspec.Struct):
    rendered: str
