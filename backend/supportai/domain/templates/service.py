"""Tenant reply templates over the engine's defaults."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.templates.models import ReplyTemplate
from supportai.domain.templates.schemas import TemplateOut
from supportai.engine.templates import DEFAULT_TEMPLATES, render, validate_template
from supportai.errors import InvalidInput, NotFound

# Sample facts for previews: one of each placeholder any template may use.
PREVIEW_FACTS = {
    "order_id": "48213",
    "orders": "Order 48213",
    "refill_days": "30",
    "current_count": "1,200",
    "expected_count": "2,000",
    "wait": "2 hours 15 minutes",
    "max_orders": "100",
}


async def tenant_templates(session: AsyncSession) -> dict[str, str]:
    """The full set the pipeline renders with: defaults merged with the tenant's edits."""
    edits = {row.key: row.text for row in await session.scalars(sa.select(ReplyTemplate))}
    return {**DEFAULT_TEMPLATES, **edits}


def _known_key(key: str) -> None:
    if key not in DEFAULT_TEMPLATES:
        raise NotFound(f"No template is called {key!r}.")


async def list_templates(session: AsyncSession) -> list[TemplateOut]:
    edits = {row.key: row.text for row in await session.scalars(sa.select(ReplyTemplate))}
    return [TemplateOut.of(key, edits.get(key)) for key in DEFAULT_TEMPLATES]


async def save_template(session: AsyncSession, actor: Principal, key: str, text: str) -> TemplateOut:
    _known_key(key)
    errors = validate_template(key, text)
    if errors:
        raise InvalidInput("The template has errors.", errors=errors)
    row = await session.scalar(sa.select(ReplyTemplate).where(ReplyTemplate.key == key))
    if row is None:
        session.add(ReplyTemplate(key=key, text=text))
    else:
        row.text = text
    record(session, "template.saved", actor=actor, target=key)
    return TemplateOut.of(key, text)


async def reset_template(session: AsyncSession, actor: Principal, key: str) -> None:
    _known_key(key)
    await session.execute(sa.delete(ReplyTemplate).where(ReplyTemplate.key == key))
    record(session, "template.reset", actor=actor, target=key)


async def preview(session: AsyncSession, key: str, text: str | None) -> str:
    _known_key(key)
    if text is None:
        text = (await tenant_templates(session))[key]
    errors = validate_template(key, text)
    if errors:
        raise InvalidInput("The template has errors.", errors=errors)
    return render(key, text, PREVIEW_FACTS)
