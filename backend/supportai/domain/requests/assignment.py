"""Taking a request: who on the team works on it. Each change is a timeline step and an audit entry."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.audit.service import record
from supportai.domain.auth.models import User
from supportai.domain.auth.principal import Principal
from supportai.domain.requests.events import log_event
from supportai.domain.requests.schemas import RequestOut
from supportai.domain.requests.service import get_request
from supportai.domain.requests.sla import sla_targets
from supportai.errors import InvalidInput


async def assign(
    session: AsyncSession, actor: Principal, request_id: uuid.UUID, user_id: uuid.UUID | None
) -> RequestOut:
    """Give the request to `user_id`, a team member of this tenant, or to no one (None)."""
    request = await get_request(session, request_id)
    # The tenant-scoped session finds no other tenant's user: refused like an unknown id.
    user = await session.get(User, user_id) if user_id is not None else None
    if user_id is not None and (user is None or not user.is_active):
        raise InvalidInput("No team member of this account has that id.", field="user_id")
    previous = request.assignee_id
    if user_id != previous:
        request.assignee_id = user_id
        detail = dict(assignee=str(user_id) if user_id else None, previous=str(previous) if previous else None)
        # The assignee's name as it was then, for the timeline's sentence.
        named = dict(assignee_name=user.email) if user else {}
        log_event(session, request, "assigned" if user_id else "unassigned", by=str(actor.id), **detail, **named)
        record(session, "request.assigned" if user_id else "request.unassigned", actor=actor,
               target=str(request.id), **detail)
    return RequestOut.of(request, await sla_targets(session))
