"""Telling the owner, once per wait, that a request has waited past its SLA target.

A breach is recorded as the request event `sla_breached` in the same transaction as its
notification (occurrence: the request and the start of its wait), so a second sweep, or
one running alongside, neither notifies nor records it again, and a new wait (forwarded
again, escalated again) can breach anew.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.service import notify
from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import RequestEvent, SupportRequest
from supportai.domain.requests.sla import TARGET_COLUMNS, late_on, overdue_clause, sla_targets
from supportai.domain.tenants.models import TenantSettings
from supportai.engine import sla
from supportai.engine.sla import SlaTargets, WaitingOn
from supportai.runtime import Runtime

BREACHED = "sla_breached"  # the request event of a breach
MAX_BREACHES_PER_RUN = 200  # per tenant; more wait for the next run


def _not_yet_told() -> sa.ColumnElement[bool]:
    """No breach recorded for the current wait (events of an earlier wait are older than its start)."""
    return ~sa.select(RequestEvent.id).where(
        RequestEvent.request_id == SupportRequest.id, RequestEvent.kind == BREACHED,
        RequestEvent.created_at >= SupportRequest.waiting_since,
    ).exists()


async def tenants_with_breaches(runtime: Runtime, now: datetime) -> list[uuid.UUID]:
    """Tenants with a wait past its target and not yet told: one query per distinct target
    value in use (a handful), each an exact, indexed range on `waiting_since`."""
    found: set[uuid.UUID] = set()
    async with runtime.db.unit_of_work(None) as uow:
        session = uow.session
        for kind, column, default in TARGET_COLUMNS:
            # A tenant without a settings row has the defaults.
            target = sa.case((TenantSettings.id.is_(None), default), else_=column)
            values = set(await session.scalars(sa.select(column).distinct().where(column.is_not(None)))) | {default}
            for minutes in sorted(values):
                found.update(await session.scalars(
                    sa.select(SupportRequest.tenant_id).distinct()
                    .outerjoin(TenantSettings, TenantSettings.tenant_id == SupportRequest.tenant_id)
                    .where(target == minutes, late_on(kind, now - timedelta(minutes=minutes)), _not_yet_told())
                ))
    return sorted(found)


async def notify_breaches(runtime: Runtime, tenant_id: uuid.UUID, now: datetime) -> int:
    """Tell the owner about each of the tenant's waits past their target, once per wait."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        targets = await sla_targets(session)
        breached = list(await session.scalars(
            sa.select(SupportRequest).where(overdue_clause(targets, now), _not_yet_told())
            .order_by(SupportRequest.waiting_since, SupportRequest.id).limit(MAX_BREACHES_PER_RUN)
            .with_for_update(skip_locked=True)
        ))
        told = 0
        for request in breached:
            told += await _tell(session, request, targets, now)
        await uow.commit()
    return told


async def _tell(session: AsyncSession, request: SupportRequest, targets: SlaTargets, now: datetime) -> bool:
    wait = sla.wait_of(request.status, request.waiting_since, targets, now)
    if wait is None or wait.since is None or wait.due_at is None:
        return False
    order = f"order #{request.order_id}" if request.order_id else f"{request.customer}'s request"
    side = "your team" if wait.on == WaitingOn.PERSON else " ".join(filter(None, ("the provider", request.provider)))
    title = f"SLA breached: {order} has waited on {side} too long"
    body = (f"{order[0].upper()}{order[1:]} ({request.intent}, {request.status}) has waited on {side} since "
            f"{wait.since:%Y-%m-%d %H:%M} UTC; it was due by {wait.due_at:%Y-%m-%d %H:%M} UTC.")
    link = "/queue?overdue=true" if wait.on == WaitingOn.PERSON else "/requests?overdue=true&sort=waiting"
    occurrence = f"{request.id}:{wait.since.isoformat()}"
    if not await notify(session, OwnerEvent.SLA_BREACH, occurrence, title, body, link):
        return False
    log_event(session, request, BREACHED, waiting_on=str(wait.on), waiting_since=wait.since.isoformat(),
              due_at=wait.due_at.isoformat())
    return True


async def sweep_sla(runtime: Runtime, now: datetime | None = None) -> dict[str, int]:
    """One pass over every tenant with an untold breach; safe to run twice or side by side."""
    now = now or utcnow()
    tenants = await tenants_with_breaches(runtime, now)
    told = 0
    for tenant_id in tenants:
        told += await notify_breaches(runtime, tenant_id, now)
    return {"tenants": len(tenants), "breaches": told}
