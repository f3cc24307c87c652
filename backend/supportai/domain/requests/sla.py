"""SLA timers (supportai.engine.sla) over the stored requests: the tenant's targets and
the SQL for "overdue" and "oldest waiting first". A request's current wait began at
`SupportRequest.waiting_since`, kept by the model on every status change. Telling the owner
of a breach is `support/sla_breaches.py`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.domain.requests.models import SupportRequest
from supportai.domain.tenants.models import TenantSettings
from supportai.engine import sla
from supportai.engine.sla import SlaTargets, WaitingOn

# Each side's target column and the default a tenant without a settings row has.
TARGET_COLUMNS = (
    (WaitingOn.PERSON, TenantSettings.sla_person_minutes, sla.DEFAULT_PERSON_MINUTES),
    (WaitingOn.PROVIDER, TenantSettings.sla_provider_minutes, sla.DEFAULT_PROVIDER_MINUTES),
)


async def sla_targets(session: AsyncSession) -> SlaTargets:
    """The caller's targets (the session is tenant-scoped); the defaults before any settings row."""
    row = (await session.execute(
        sa.select(TenantSettings.sla_person_minutes, TenantSettings.sla_provider_minutes)
    )).first()
    return sla.DEFAULT_TARGETS if row is None else SlaTargets.of_minutes(*row)


def late_on(kind: WaitingOn, cutoff: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(SupportRequest.status.in_(sla.statuses_waiting_on(kind)), SupportRequest.waiting_since < cutoff)


def overdue_clause(targets: SlaTargets, now: datetime) -> sa.ColumnElement[bool]:
    """Requests whose current wait is past its target at `now` (indexed: status, waiting_since)."""
    late = [
        late_on(kind, cutoff) for kind in WaitingOn if (cutoff := sla.breach_cutoff(targets.for_kind(kind), now))
    ]
    return sa.or_(*late) if late else sa.false()


def waiting_clause() -> sa.ColumnElement[bool]:
    """Requests waiting on a person or a provider (with a known start)."""
    waiting = sla.PERSON_STATUSES | sla.PROVIDER_STATUSES
    return sa.and_(SupportRequest.status.in_(waiting), SupportRequest.waiting_since.is_not(None))
