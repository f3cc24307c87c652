from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.requests.models import RequestEvent, SupportRequest
from supportai.domain.webhooks import events as webhooks
from supportai.engine.decisions import RequestStatus


def log_event(session: AsyncSession, request: SupportRequest, kind: str, **detail: Any) -> None:
    """Append a step to the request's timeline, in the same transaction as the step."""
    request.updated_at = utcnow()
    session.add(RequestEvent(request=request, kind=kind, detail=detail))
    webhooks.request_step(session, request, kind)  # made, forwarded, resolved, escalated: to the owner's endpoints


def escalate(session: AsyncSession, request: SupportRequest, reason: str) -> None:
    """Hand the request to the owner's review queue, saying why."""
    request.status = RequestStatus.ESCALATED
    request.reason = reason[:300]
    log_event(session, request, "escalated", reason=reason)
