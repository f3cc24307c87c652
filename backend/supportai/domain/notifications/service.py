"""One way to tell the owner anything: `notify` in the caller's transaction, or
`notify_owner` in a unit of work of its own (for flows that tell after they commit).

Each occurrence is written once (unique per event and occurrence key), so a retried job,
a second sweep or a concurrent run tells nothing twice. The row is the in-app
notification; the Telegram and e-mail copies the owner chose are sent after the commit
(`delivery.py`), and the sweeper sends any a lost job left pending.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.db.scoping import current_tenant
from supportai.db.unit_of_work import after_commit
from supportai.domain.notifications.events import CATALOGUE, Channel, OwnerEvent
from supportai.domain.notifications.models import DeliveryState, Notification, NotificationChannels
from supportai.queues import SESSION_QUEUE_KEY, enqueue_control
from supportai.runtime import Runtime

MAX_TITLE, MAX_OCCURRENCE = 300, 200


async def channels_for(session: AsyncSession, event: OwnerEvent, tenant_id: uuid.UUID) -> frozenset[Channel]:
    """The owner's choice for the event, else the catalogue's default."""
    row = await session.scalar(sa.select(NotificationChannels).where(
        NotificationChannels.tenant_id == tenant_id, NotificationChannels.event == event))
    return chosen_channels(event, row)


def chosen_channels(event: OwnerEvent, row: NotificationChannels | None) -> frozenset[Channel]:
    """The channels of the owner's row for the event; the catalogue's default without one."""
    if row is None:
        return CATALOGUE[event][1]
    return frozenset(c for c, on in ((Channel.TELEGRAM, row.telegram), (Channel.EMAIL, row.email)) if on)


async def notify(
    session: AsyncSession, event: OwnerEvent, occurrence: str, title: str, body: str, link: str | None = None,
    *, tenant_id: uuid.UUID | None = None,
) -> bool:
    """Record the occurrence in the session's transaction; False when it was recorded
    before. The tenant is the session's, or `tenant_id` in a system session. Its Telegram
    and e-mail copies are queued once the transaction commits."""
    tenant_id = tenant_id or current_tenant(session.sync_session)
    if tenant_id is None:
        raise ValueError("notify needs a tenant: a tenant-scoped session or tenant_id")
    channels = await channels_for(session, event, tenant_id)
    values = dict(
        id=uuid.uuid4(), tenant_id=tenant_id, created_at=utcnow(), event=str(event),
        occurrence=occurrence[:MAX_OCCURRENCE], title=title[:MAX_TITLE], body=body, link=link,
        telegram_state=DeliveryState.PENDING if Channel.TELEGRAM in channels else None,
        email_state=DeliveryState.PENDING if Channel.EMAIL in channels else None,
    )
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    inserted = await session.scalar(
        insert(Notification).values(**values)
        .on_conflict_do_nothing(index_elements=["tenant_id", "event", "occurrence"]).returning(Notification.id)
    )
    if inserted is None:
        return False
    if channels:
        queue = session.sync_session.info.get(SESSION_QUEUE_KEY)
        after_commit(session, lambda: enqueue_delivery(queue, tenant_id, inserted))
    return True


async def notify_owner(
    runtime: Runtime, tenant_id: uuid.UUID, event: OwnerEvent, occurrence: str, title: str, body: str,
    link: str | None = None,
) -> bool:
    """`notify` in a unit of work of its own."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        told = await notify(uow.session, event, occurrence, title, body, link)
        await uow.commit()
    return told


def delivery_job_id(notification_id: uuid.UUID, run: str) -> str:
    return f"notification:{notification_id}:{run}"


async def enqueue_delivery(queue: object, tenant_id: uuid.UUID, notification_id: uuid.UUID, run: str = "0") -> None:
    """Queue the sends; with Redis down they wait in the database for the sweeper."""
    await enqueue_control(queue, "deliver_notification", [
        ((str(tenant_id), str(notification_id)), delivery_job_id(notification_id, run)),
    ])
