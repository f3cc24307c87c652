"""Intake from panel tickets: a polling job per tenant, with a cursor per ticket."""

from __future__ import annotations

import time
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from supportai.domain.requests.intake import receive_message
from supportai.domain.requests.models import Source, TicketCursor
from supportai.domain.setup.models import PanelConnection
from supportai.domain.setup.service import panel_clients
from supportai.domain.tenants.models import TenantSettings
from supportai.integrations.panel import PanelTicket
from supportai.runtime import Runtime

PAGE_SIZE = 100


async def poll_tickets(runtime: Runtime, tenant_id: uuid.UUID) -> int:
    """Store every customer message newer than the ticket's cursor; returns how many."""
    async with runtime.db.unit_of_work(tenant_id) as uow:
        clients = await panel_clients(runtime, uow.session)
        cursors = {c.ticket_id: c for c in await uow.session.scalars(sa.select(TicketCursor))}
    stored = 0
    offset = 0
    while True:
        page = await clients.admin.tickets(status="Open", offset=offset, limit=PAGE_SIZE)
        for listed in page.items:
            cursor = cursors.get(listed.id)
            if cursor and listed.updated_at and cursor.seen_updated_at and listed.updated_at <= cursor.seen_updated_at:
                continue  # nothing new since the last read: save the panel a call
            ticket = await clients.admin.ticket(listed.id)
            stored += await _take_new_messages(runtime, tenant_id, ticket, cursor.last_message_id if cursor else 0)
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return stored


async def _take_new_messages(runtime: Runtime, tenant_id: uuid.UUID, ticket: PanelTicket, cursor: int) -> int:
    new = [m for m in ticket.messages if m.author == "customer" and m.id is not None and m.id > cursor]
    for message in new:
        # Stored before the cursor moves: a crash in between re-reads it, and the
        # (source, external id) key makes that a no-op.
        await receive_message(
            runtime, tenant_id, source=Source.TICKET, external_id=f"{ticket.id}:{message.id}",
            customer=ticket.user, text=message.text, ticket_id=ticket.id,
        )
    newest = max([cursor, *(m.id or 0 for m in new)])
    async with runtime.db.unit_of_work(tenant_id) as uow:
        await uow.session.execute(_advance_cursor(runtime, tenant_id, ticket.id, newest, ticket.updated_at))
        await uow.commit()
    return len(new)


def _advance_cursor(
    runtime: Runtime, tenant_id: uuid.UUID, ticket_id: int, last_message_id: int, seen: datetime | None
) -> sa.Insert:
    """One upsert that only moves the cursor forward: two polls of a tenant may overlap,
    and the slower one must neither collide with the other's new row nor move it back."""
    insert = (sqlite_insert if runtime.db.is_sqlite else pg_insert)(TicketCursor).values(
        id=uuid.uuid4(), tenant_id=tenant_id, ticket_id=ticket_id, last_message_id=last_message_id,
        seen_updated_at=seen,
    )
    current, offered = TicketCursor.__table__.c, insert.excluded
    return insert.on_conflict_do_update(
        index_elements=["tenant_id", "ticket_id"],
        set_={
            "last_message_id": sa.case(
                (offered.last_message_id > current.last_message_id, offered.last_message_id),
                else_=current.last_message_id,
            ),
            "seen_updated_at": sa.case(
                (sa.or_(current.seen_updated_at.is_(None), offered.seen_updated_at > current.seen_updated_at),
                 offered.seen_updated_at),
                else_=current.seen_updated_at,
            ),
        },
    )


async def due_ticket_polls(runtime: Runtime, now: float | None = None) -> list[tuple[uuid.UUID, str]]:
    """Tenants whose poll is due, each with a job id unique to its polling window. Each
    tenant's windows are shifted by a phase from its id, so polls spread out over time."""
    now = time.time() if now is None else now
    async with runtime.db.unit_of_work(None) as uow:
        rows = (await uow.session.execute(
            sa.select(PanelConnection.tenant_id, TenantSettings.ticket_poll_interval_s).join(
                TenantSettings, TenantSettings.tenant_id == PanelConnection.tenant_id
            )
        )).all()
    due = []
    for tenant_id, interval in rows:
        window = int((now + tenant_id.int % interval) // interval)
        due.append((tenant_id, f"poll_tickets:{tenant_id}:{window}"))
    return due
