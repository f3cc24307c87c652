"""Tracking, selecting: which forwarded requests are due for a check, as many as the
tenant's credits pay for, and the same rows read again, locked, when they are charged."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.db.clauses import among
from supportai.domain.billing.service import current_subscription
from supportai.domain.requests.models import WITH_PROVIDER, SupportRequest
from supportai.domain.setup.models import PanelConnection, ProviderAccount
from supportai.domain.support.tracking_check import CheckedRequest, request_columns
from supportai.domain.tenants.models import TenantSettings
from supportai.domain.tenants.service import get_settings
from supportai.runtime import Runtime

MAX_CHECKS_PER_RUN = 500  # more wait for the next run


@dataclass(frozen=True)
class DueRequest:
    """What gathering a due request's facts needs, as plain columns: no ORM object is made
    for a check that finds nothing new (`lock_due` reads what planning needs, locked)."""

    id: uuid.UUID
    order_id: str | None
    intent: str
    provider: str | None
    provider_refill_id: str | None


@dataclass(frozen=True)
class DueChecks:
    """A tenant's due requests with what checking them needs, read in one transaction."""

    requests: list[DueRequest]
    paused: bool  # due requests left unchecked for want of credits
    settings: TenantSettings
    connection: PanelConnection | None
    accounts: dict[str, ProviderAccount]  # by casefolded provider name


async def tenants_with_due_checks(runtime: Runtime, now: datetime | None = None) -> list[uuid.UUID]:
    async with runtime.db.unit_of_work(None) as uow:
        return list(await uow.session.scalars(
            sa.select(SupportRequest.tenant_id).distinct().where(
                SupportRequest.status.in_(WITH_PROVIDER), SupportRequest.next_check_at <= (now or utcnow())
            )
        ))


async def select_due(runtime: Runtime, tenant_id: uuid.UUID, now: datetime) -> DueChecks:
    """The tenant's due requests, oldest first, as many as its credits pay for."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        session = uow.session
        settings = await get_settings(session)
        connection = await session.scalar(sa.select(PanelConnection))
        affordable = min((await current_subscription(session)).credits_left, MAX_CHECKS_PER_RUN)
        due = [DueRequest(*row) for row in await session.execute(
            sa.select(*request_columns(DueRequest))
            .where(SupportRequest.status.in_(WITH_PROVIDER), SupportRequest.next_check_at <= now)
            .order_by(SupportRequest.next_check_at, SupportRequest.id)
            .limit(affordable + 1)  # one more tells whether some must wait for credits
        )]
        accounts = {a.name.casefold(): a for a in await session.scalars(sa.select(ProviderAccount))}
        await uow.commit()  # the settings row, if this was its first use
    return DueChecks(due[:affordable], len(due) > affordable, settings, connection, accounts)


async def lock_due(session: AsyncSession, due: list[DueRequest], now: datetime) -> list[CheckedRequest]:
    """The selected requests that are still due, read again and locked, as what planning
    their checks reads: the owner or a provider's reply may have settled some meanwhile,
    and an overlapping run may have checked some (their next check is no longer due)."""
    return [CheckedRequest(*row) for row in await session.execute(
        sa.select(*request_columns(CheckedRequest))
        .where(
            among(session, SupportRequest.id, [r.id for r in due]), SupportRequest.status.in_(WITH_PROVIDER),
            SupportRequest.next_check_at <= now,
        )
        .order_by(SupportRequest.next_check_at, SupportRequest.id)
        .with_for_update()
    )]
