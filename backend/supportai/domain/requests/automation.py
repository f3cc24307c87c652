"""The automation figure: requests resolved with no human touch ÷ requests, in a period.

A request is *human-touched* when it went to the owner (escalated) or a person acted on
it: resolved or closed it by hand, replied by hand or forwarded it again. A *wrong action*
is a request forwarded to the provider that the provider declined (it was not eligible).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.requests.models import RequestEvent, SupportRequest
from supportai.domain.requests.schemas import AutomationFigure
from supportai.engine.decisions import Outcome, RequestStatus

# Timeline steps only a person takes (the pipeline's own escalation is `escalated` too).
PERSON_STEPS = ("escalated", "closed", "manual_reply", "reforwarded")
# Tracking resolves requests itself; any other `resolved` step is a person's.
AUTOMATIC_ACTORS = ("tracking",)


def human_touch() -> sa.ColumnElement[bool]:
    """True for a request that was escalated or acted on by a person."""
    by_person = sa.select(RequestEvent.id).where(
        RequestEvent.request_id == SupportRequest.id,
        sa.or_(
            RequestEvent.kind.in_(PERSON_STEPS),
            sa.and_(RequestEvent.kind == "resolved",
                    sa.func.coalesce(RequestEvent.detail["by"].as_string(), "").not_in(AUTOMATIC_ACTORS)),
        ),
    ).exists()
    return sa.or_(SupportRequest.outcome == Outcome.ESCALATE, SupportRequest.status == RequestStatus.ESCALATED,
                  by_person)


def _count(condition: Any) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


async def automation_figure(session: AsyncSession, start: datetime, end: datetime) -> AutomationFigure:
    touched = human_touch()
    requests, automated, human, wrong = (await session.execute(
        sa.select(
            sa.func.count(),
            _count(sa.and_(SupportRequest.status == RequestStatus.RESOLVED, ~touched)),
            _count(touched),
            _count(SupportRequest.status == RequestStatus.DECLINED),
        ).select_from(SupportRequest)  # the FROM names the entity, so the tenant scope applies
        .where(SupportRequest.created_at >= start, SupportRequest.created_at < end)
    )).one()
    return AutomationFigure(
        period_start=start, period_end=end, requests=requests, automated_resolved=automated,
        automated_resolution_rate=round(automated / requests, 4) if requests else None,
        human_touched=human, wrong_actions=wrong,
    )
