from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from supportai.domain.auth.schemas import Input
from supportai.domain.saved_replies.models import SavedReply

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
ReplyText = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
Language = Annotated[str, msgspec.Meta(min_length=2, max_length=16, description="A locale code, e.g. en, pl")]


class SavedReplyIn(Input):
    title: Title
    # `{placeholder}`s as in the reply templates, filled from a request's facts.
    text: ReplyText
    language: Language | None = None  # null: any language (the request's message's)


class SavedReplyOut(msgspec.Struct):
    id: uuid.UUID
    title: str
    text: str
    language: str | None
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, row: SavedReply) -> SavedReplyOut:
        return cls(id=row.id, title=row.title, text=row.text, language=row.language, created_at=row.created_at,
                   updated_at=row.updated_at)


class SavedReplyPreviewIn(Input):
    request_id: uuid.UUID  # the request whose facts fill the placeholders


class SavedReplyPreviewOut(msgspec.Struct):
    rendered: str
    language: str  # the locale `{orders}` and `{wait}` were written in
