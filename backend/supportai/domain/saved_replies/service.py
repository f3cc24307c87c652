"""Saved replies: validated like the reply templates, rendered with one request's facts."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.requests.models import Message, SupportRequest
from supportai.domain.saved_replies.models import SavedReply
from supportai.domain.saved_replies.schemas import SavedReplyIn, SavedReplyOut, SavedReplyPreviewOut
from supportai.engine import locales
from supportai.engine.templates import SAVED_REPLY, TemplateError, render_combined_reply, validate_template
from supportai.errors import InvalidInput, NotFound


def _checked(data: SavedReplyIn) -> SavedReplyIn:
    errors = validate_template(SAVED_REPLY, data.text)
    if errors:
        raise InvalidInput("The saved reply has errors.", field="text", errors=errors)
    if data.language is not None and data.language not in locales.locales():
        raise InvalidInput(f"No language is called {data.language!r}.", field="language",
                           errors=[f"choose one of: {', '.join(locales.supported_languages())}"])
    return data


async def _get(session: AsyncSession, saved_reply_id: uuid.UUID) -> SavedReply:
    row = await session.get(SavedReply, saved_reply_id)
    if row is None:
        raise NotFound("No such saved reply.")
    return row


async def list_saved_replies(session: AsyncSession) -> list[SavedReplyOut]:
    rows = await session.scalars(sa.select(SavedReply).order_by(SavedReply.title, SavedReply.id))
    return [SavedReplyOut.of(row) for row in rows]


async def saved_reply(session: AsyncSession, saved_reply_id: uuid.UUID) -> SavedReplyOut:
    return SavedReplyOut.of(await _get(session, saved_reply_id))


async def create(session: AsyncSession, actor: Principal, data: SavedReplyIn) -> SavedReplyOut:
    _checked(data)
    row = SavedReply(title=data.title, text=data.text, language=data.language)
    session.add(row)
    await session.flush()
    record(session, "saved_reply.created", actor=actor, target=str(row.id), title=row.title)
    return SavedReplyOut.of(row)


async def update(
    session: AsyncSession, actor: Principal, saved_reply_id: uuid.UUID, data: SavedReplyIn
) -> SavedReplyOut:
    row = await _get(session, saved_reply_id)
    _checked(data)
    row.title, row.text, row.language, row.updated_at = data.title, data.text, data.language, utcnow()
    record(session, "saved_reply.updated", actor=actor, target=str(row.id), title=row.title)
    return SavedReplyOut.of(row)


async def delete(session: AsyncSession, actor: Principal, saved_reply_id: uuid.UUID) -> None:
    row = await _get(session, saved_reply_id)
    await session.delete(row)
    record(session, "saved_reply.deleted", actor=actor, target=str(row.id), title=row.title)


async def preview(session: AsyncSession, saved_reply_id: uuid.UUID, request_id: uuid.UUID) -> SavedReplyPreviewOut:
    """The saved reply filled with the request's facts, in the reply's language (or, for a
    reply of any language, the message's), as the reply templates are."""
    row = await _get(session, saved_reply_id)
    # The path names the saved reply; a request the body names and this tenant lacks is bad input.
    request = await session.get(SupportRequest, request_id)
    if request is None:
        raise InvalidInput("No such request.", field="request_id")
    message = await session.get_one(Message, request.message_id)
    locale = locales.resolve(row.language or message.lang)
    try:
        rendered = render_combined_reply(
            [(SAVED_REPLY, request.order_id, request.facts)], {SAVED_REPLY: row.text}, locale.words
        )
    except TemplateError as error:
        # A placeholder this request has no fact for (e.g. {refill_days} before a decision).
        raise InvalidInput("This request lacks a fact the saved reply needs.", field="request_id",
                           errors=[str(error)]) from error
    return SavedReplyPreviewOut(rendered=rendered, language=locale.code)
