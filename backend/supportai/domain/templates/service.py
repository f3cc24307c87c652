"""Tenant reply templates, per language, over the built-in texts.

The text of a key in a language is, first found: the owner's edit in that language, the
built-in translation (`engine/locales`), the owner's English edit, the English default. A
translation beats the owner's English edit because the customer reads the language better
than the owner's wording; the owner who wants their wording edits that language too.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.templates.models import ReplyTemplate
from supportai.domain.templates.schemas import LanguageOut, TemplateOut
from supportai.engine import locales
from supportai.engine.locales import Locale, Words
from supportai.engine.templates import DEFAULT_TEMPLATES, render_combined_reply, validate_template
from supportai.errors import InvalidInput, NotFound

ENGLISH = "en"

# Sample facts for previews: one of each placeholder any template may use ({orders}, {order_id}
# and {wait} are formatted in the preview's language from the order ID and `wait_seconds`).
PREVIEW_ORDER_ID = "48213"
PREVIEW_FACTS = {
    "refill_days": "30",
    "current_count": "1,200",
    "expected_count": "2,000",
    "wait_seconds": str(2 * 3600 + 15 * 60),
    "max_orders": "100",
}


@dataclass(frozen=True)
class ReplyTexts:
    """What a reply is written with: a full template set and the words of its language."""

    language: str
    templates: Mapping[str, str]
    words: Words


async def reply_texts(session: AsyncSession, detected_lang: str | None, *, in_customer_language: bool) -> ReplyTexts:
    """The texts a reply to a message detected as `detected_lang` uses: that language's when
    the tenant replies in the customer's language and it has a translation, else English."""
    locale = locales.resolve(detected_lang) if in_customer_language else locales.ENGLISH
    return ReplyTexts(locale.code, await tenant_templates(session, locale.code), locale.words)


class DetectedMessage(Protocol):
    """A stored message as far as its reply's language goes (requests.models.Message)."""

    id: uuid.UUID
    lang: str | None


async def reply_texts_of(
    session: AsyncSession, messages: Iterable[DetectedMessage], *, in_customer_language: bool
) -> dict[uuid.UUID, ReplyTexts]:
    """`reply_texts` for each message, by id: the templates read once per language, not per message."""
    by_language: dict[str | None, ReplyTexts] = {}
    found: dict[uuid.UUID, ReplyTexts] = {}
    for message in messages:
        if message.lang not in by_language:
            by_language[message.lang] = await reply_texts(
                session, message.lang, in_customer_language=in_customer_language)
        found[message.id] = by_language[message.lang]
    return found


async def tenant_templates(session: AsyncSession, language: str = ENGLISH) -> dict[str, str]:
    """The full set the pipeline renders with in `language` (the order in the module docstring)."""
    edits = await _edits(session, language)
    return {key: _text(key, language, edits) for key in DEFAULT_TEMPLATES}


def known_language(code: str) -> Locale:
    locale = locales.locales().get(code)
    if locale is None:
        raise InvalidInput(f"No built-in language has the code {code!r}.", language=code)
    return locale


async def list_languages(session: AsyncSession) -> list[LanguageOut]:
    edited = Counter(await session.scalars(sa.select(ReplyTemplate.language)))
    return [LanguageOut.of(locale, edited[code]) for code, locale in locales.locales().items()]


async def list_templates(session: AsyncSession, language: str = ENGLISH) -> list[TemplateOut]:
    known_language(language)
    edits = await _edits(session, language)
    return [TemplateOut.of(key, language, edits.get((language, key)), _builtin(key, language, edits))
            for key in DEFAULT_TEMPLATES]


async def save_template(
    session: AsyncSession, actor: Principal, key: str, text: str, language: str = ENGLISH
) -> TemplateOut:
    _known_key(key)
    known_language(language)
    _check(key, text)
    row = await session.scalar(
        sa.select(ReplyTemplate).where(ReplyTemplate.language == language, ReplyTemplate.key == key)
    )
    if row is None:
        session.add(ReplyTemplate(language=language, key=key, text=text))
    else:
        row.text = text
    record(session, "template.saved", actor=actor, target=key, language=language)
    edits = await _edits(session, language)
    return TemplateOut.of(key, language, text, _builtin(key, language, edits))


async def reset_template(session: AsyncSession, actor: Principal, key: str, language: str = ENGLISH) -> None:
    _known_key(key)
    known_language(language)
    await session.execute(
        sa.delete(ReplyTemplate).where(ReplyTemplate.language == language, ReplyTemplate.key == key)
    )
    record(session, "template.reset", actor=actor, target=key, language=language)


async def preview(session: AsyncSession, key: str, text: str | None, language: str = ENGLISH) -> str:
    """The template rendered with sample facts, in `language` (its {orders} and {wait} too)."""
    _known_key(key)
    locale = known_language(language)
    if text is None:
        text = (await tenant_templates(session, language))[key]
    _check(key, text)
    return render_combined_reply([(key, PREVIEW_ORDER_ID, PREVIEW_FACTS)], {key: text}, locale.words)


async def _edits(session: AsyncSession, language: str) -> dict[tuple[str, str], str]:
    """The owner's edits in `language` and in English, by (language, key)."""
    rows = await session.scalars(sa.select(ReplyTemplate).where(ReplyTemplate.language.in_({language, ENGLISH})))
    return {(row.language, row.key): row.text for row in rows}


def _builtin(key: str, language: str, edits: Mapping[tuple[str, str], str]) -> str:
    """What `key` in `language` reads without the owner's edit in that language (what a
    reset goes back to): for English the default, never the owner's English edit."""
    translated = locales.resolve(language).templates.get(key)
    english_edit = edits.get((ENGLISH, key)) if language != ENGLISH else None
    return translated or english_edit or DEFAULT_TEMPLATES[key]


def _text(key: str, language: str, edits: Mapping[tuple[str, str], str]) -> str:
    return edits.get((language, key)) or _builtin(key, language, edits)


def _known_key(key: str) -> None:
    if key not in DEFAULT_TEMPLATES:
        raise NotFound(f"No template is called {key!r}.")


def _check(key: str, text: str) -> None:
    errors = validate_template(key, text)
    if errors:
        raise InvalidInput("The template has errors.", errors=errors)
