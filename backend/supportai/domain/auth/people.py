"""Team members by name, for timelines that record who acted by user id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.auth.models import User


async def people_names(session: AsyncSession, actors: Iterable[object]) -> dict[str, str]:
    """The team members among `actors` (timeline `by` values), by id: their email.
    Other actors ("tracking", "provider_api") are not people and are left out."""
    ids = set()
    for actor in actors:
        try:
            ids.add(uuid.UUID(str(actor)))
        except ValueError:
            continue
    if not ids:
        return {}
    rows = await session.execute(sa.select(User.id, User.email).where(User.id.in_(ids)))
    return {str(user_id): email for user_id, email in rows}
