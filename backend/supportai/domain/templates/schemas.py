from __future__ import annotations

from typing import Annotated

import msgspec

from supportai.domain.auth.schemas import Input

TemplateText = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class TemplateOut(msgspec.Struct):
    key: str
    text: str
    default_text: str
    is_custom: bool
    placeholders: list[str]


class TemplateIn(Input):
    text: TemplateText


class PreviewIn(Input):
    text: TemplateText | None = None  # preview an unsaved edit; default: the saved text


class PreviewOut(msgspec.Struct):
    rendered: str
