"""The notification centre as the owner reads it: the list, the unread count, marking
read, and the channels chosen per event."""

from __future__ import annotations

import uuid

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.db.pagination import Page, newest_first, page_of
from supportai.domain.audit.service import record
from supportai.domain.auth.principal import Principal
from supportai.domain.notifications.delivery import owner_email
from supportai.domain.notifications.events import CATALOGUE, Channel
from supportai.domain.notifications.models import Notification, NotificationChannels
from supportai.domain.notifications.schemas import ChannelsIn, ChannelsOut, EventChannels, NotificationOut
from supportai.domain.notifications.service import chosen_channels
from supportai.domain.telegram.bots import tenant_bot
from supportai.domain.tenants.service import get_settings
from supportai.errors import NotFound
from supportai.runtime import Runtime


async def list_notifications(
    session: AsyncSession, *, unread: bool | None, cursor: str | None, limit: int
) -> Page[NotificationOut]:
    statement = sa.select(Notification)
    if unread is not None:
        statement = statement.where(Notification.read_at.is_(None) if unread else Notification.read_at.is_not(None))
    rows = list(await session.scalars(newest_first(statement, Notification, cursor, limit)))
    return page_of(rows, limit, NotificationOut.of)


async def unread_count(session: AsyncSession) -> int:
    # The FROM names the entity, so the tenant scope applies (a bare count() would count every tenant's).
    unread = sa.select(sa.func.count()).select_from(Notification).where(Notification.read_at.is_(None))
    return await session.scalar(unread) or 0


async def mark_read(session: AsyncSession, notification_id: uuid.UUID) -> NotificationOut:
    row = await session.get(Notification, notification_id)
    if row is None:
        raise NotFound("No such notification.")
    row.read_at = row.read_at or utcnow()
    return NotificationOut.of(row)


async def mark_all_read(session: AsyncSession) -> int:
    result = await session.execute(
        sa.update(Notification).where(Notification.read_at.is_(None)).values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


async def channels(runtime: Runtime, session: AsyncSession) -> ChannelsOut:
    settings = await get_settings(session)
    rows = {row.event: row for row in await session.scalars(sa.select(NotificationChannels))}
    events = []
    for event, (label, _default) in CATALOGUE.items():
        chosen = chosen_channels(event, rows.get(event))
        events.append(EventChannels(event=event, label=label, telegram=Channel.TELEGRAM in chosen,
                                    email=Channel.EMAIL in chosen))
    return ChannelsOut(
        events=events, notification_email=settings.notification_email,
        email_to=settings.notification_email or await owner_email(session),
        email_ready=runtime.clients.mailer() is not None,
        telegram_ready=bool(settings.owner_telegram_chat_id) and await tenant_bot(session) is not None,
    )


async def set_channels(runtime: Runtime, session: AsyncSession, actor: Principal, data: ChannelsIn) -> ChannelsOut:
    if data.events is not msgspec.UNSET:
        rows = {r.event: r for r in await session.scalars(sa.select(NotificationChannels))}
        for choice in data.events:
            row = rows.get(choice.event) or NotificationChannels(tenant_id=actor.tenant_id, event=str(choice.event))
            row.telegram, row.email = choice.telegram, choice.email
            session.add(row)
    if data.notification_email is not msgspec.UNSET:
        (await get_settings(session)).notification_email = data.notification_email
    await session.flush()
    record(session, "notifications.channels_changed", actor=actor)
    return await channels(runtime, session)

