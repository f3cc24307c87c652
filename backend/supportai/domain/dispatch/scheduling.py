"""Scheduling provider dispatch: forwarded requests are queued as dispatch items, and one
job per (provider, action) window sends them (batching.py).

Batching. The first pending item of a (provider, action) opens a window of the tenant's
`dispatch_window_s` (default 60 s; 0 sends at once). `schedule_dispatch` enqueues one job
per window, named after the item that opened it and due when the window closes; the job
sends, as one message, every item that was pending by then. The sweeper (`sweep_dispatch`,
every minute) re-schedules what a lost job left behind.

Where it runs: every dispatch job runs on the userbot worker (`supportai userbot`,
USERBOT_QUEUE), whatever the tenant's dispatch mode. That process holds the owners'
Telegram accounts, and a tenant may switch modes between scheduling and sending; the bot
channel works from there as well.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.dispatch.models import (
    DispatchItem,
    DispatchStatus,
    ProviderMessage,
    ProviderMessageStatus,
)
from supportai.domain.dispatch.userbot import USERBOT_QUEUE
from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import SupportRequest
from supportai.domain.tenants.models import TenantSettings
from supportai.domain.tenants.service import get_settings
from supportai.integrations.telegram import ProviderAction
from supportai.runtime import Runtime

DISPATCH_JOB = "dispatch_provider_batch"  # the job's name in workers/jobs.py
DEFAULT_WINDOW_S = 60  # TenantSettings.dispatch_window_s, for a tenant that never saved settings
SWEEP_GRACE = timedelta(minutes=1)  # a window closed this long ago and still pending lost its job


def queue_dispatch(session: AsyncSession, request: SupportRequest, action: str, follow_up: int = 0) -> None:
    """Hand the request to the Telegram dispatcher; `follow_up` numbers a reminder."""
    session.add(DispatchItem(
        request=request, provider=request.provider or "", action=action, follow_up=follow_up,
        external_order_id=request.external_order_id or "",
    ))
    log_event(session, request, "dispatch_queued", action=action, provider=request.provider, follow_up=follow_up)


async def schedule_dispatch(runtime: Runtime, tenant_id: uuid.UUID) -> int:
    """Make sure a job will send each (provider, action) that has pending items when its
    window closes. Safe to call any number of times; returns the number of open windows."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        window = timedelta(seconds=(await get_settings(uow.session)).dispatch_window_s)
        openings = await _window_openings(uow.session)
        await uow.commit()  # the settings row, made on first use
    for item in openings:
        await enqueue_dispatch(
            runtime, tenant_id, item.provider, item.action, key=str(item.id), at=item.created_at + window
        )
    return len(openings)


async def enqueue_dispatch(
    runtime: Runtime, tenant_id: uuid.UUID, provider: str, action: str, *, key: str, at: datetime | None = None
) -> None:
    """One job per `key`: arq refuses a second job with the same id."""
    await runtime.queue.enqueue_job(
        DISPATCH_JOB, str(tenant_id), provider, action,
        _job_id=f"dispatch:{tenant_id}:{provider}:{action}:{key}",
        _defer_until=at,
        _queue_name=USERBOT_QUEUE,
    )


async def _window_openings(session: AsyncSession) -> list[DispatchItem]:
    """The oldest pending item of each (provider, action): it opened the current window."""
    items = await session.scalars(
        sa.select(DispatchItem)
        .where(DispatchItem.status == DispatchStatus.PENDING, DispatchItem.action.in_(list(ProviderAction)))
        .order_by(DispatchItem.created_at)
    )
    openings: dict[tuple[str, str], DispatchItem] = {}
    for item in items:
        openings.setdefault((item.provider, item.action), item)
    return list(openings.values())


async def sweep_dispatch(runtime: Runtime) -> int:
    """Every minute: schedule what lost jobs left behind, for every tenant. That is windows
    that closed over a minute ago with items still pending, deferred messages now due, and
    messages left `sending` (a job that finds its lock free marks them `unknown`)."""
    now = utcnow()
    async with runtime.db.unit_of_work(None) as uow:  # reads only: nothing to commit
        session = uow.session
        pending = (await session.execute(
            sa.select(
                DispatchItem.tenant_id, DispatchItem.provider, DispatchItem.action,
                sa.func.min(DispatchItem.created_at),
            )
            .where(DispatchItem.status == DispatchStatus.PENDING, DispatchItem.action.in_(list(ProviderAction)))
            .group_by(DispatchItem.tenant_id, DispatchItem.provider, DispatchItem.action)
        )).all()
        windows: dict[uuid.UUID, int] = dict((await session.execute(
            sa.select(TenantSettings.tenant_id, TenantSettings.dispatch_window_s)
            .where(TenantSettings.tenant_id.in_({row[0] for row in pending}))
        )).tuples().all())
        unfinished = (await session.execute(
            sa.select(ProviderMessage.tenant_id, ProviderMessage.provider, ProviderMessage.action)
            .where(sa.or_(
                ProviderMessage.status == ProviderMessageStatus.SENDING,
                sa.and_(
                    ProviderMessage.status == ProviderMessageStatus.PENDING,
                    sa.or_(ProviderMessage.retry_at.is_(None), ProviderMessage.retry_at <= now),
                ),
            ))
            .distinct()
        )).tuples().all()
    due = {
        (tenant_id, provider, action)
        for tenant_id, provider, action, oldest in pending
        if oldest + timedelta(seconds=windows.get(tenant_id, DEFAULT_WINDOW_S)) + SWEEP_GRACE <= now
    } | set(unfinished)
    minute = int(now.timestamp() // 60)
    for tenant_id, provider, action in due:
        await enqueue_dispatch(runtime, tenant_id, provider, action, key=f"sweep:{minute}")
    return len(due)
