from __future__ import annotations

import uuid
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.pagination import Page, newest_first, page_of
from supportai.domain.audit.models import AuditEntry
from supportai.domain.audit.schemas import AuditEntryOut


class Actor(Protocol):
    """Who acted: a user or an API key (`auth.principal.Principal`). Named by shape, so the
    audit log, which every area writes to, depends on none of them."""

    @property
    def kind(self) -> str: ...

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def tenant_id(self) -> uuid.UUID: ...


def record(
    session: AsyncSession,
    action: str,
    *,
    actor: Actor | None,
    target: str | None = None,
    ip: str | None = None,
    tenant_id: uuid.UUID | None = None,
    **detail: Any,
) -> None:
    """Add an audit entry to the caller's transaction: it lands only if the action does.
    `tenant_id` names the tenant of a system action in a session not bound to it."""
    session.add(
        AuditEntry(
            tenant_id=actor.tenant_id if actor else tenant_id,
            actor_id=actor.id if actor else None,
            actor_kind=actor.kind if actor else "system",
            action=action,
            target=target,
            detail=detail,
            ip=ip,
        )
    )


async def list_entries(
    session: AsyncSession, *, action: str | None, cursor: str | None, limit: int
) -> Page[AuditEntryOut]:
    statement = sa.select(AuditEntry)
    if action:
        statement = statement.where(AuditEntry.action == action)
    rows = list(await session.scalars(newest_first(statement, AuditEntry, cursor, limit)))
    return page_of(rows, limit, AuditEntryOut.of)
