"""Aggregates over one tenant's rows count only that tenant's: a `count()` whose FROM comes
only from its WHERE clause escapes the tenant scope (SQLAlchemy applies the scope's criteria
to the entities a statement names), so each of these names its entity. Two tenants with the
same customer and the same kind of rows; each sees its own totals."""

from __future__ import annotations

import uuid
from datetime import timedelta

from supportai.db.base import utcnow
from supportai.db.database import Database
from supportai.domain.inbox.service import customer_history
from supportai.domain.notifications.centre import unread_count
from supportai.domain.notifications.models import Notification
from supportai.domain.requests.automation import automation_figure
from supportai.domain.requests.models import Message, SupportRequest
from supportai.domain.requests.service import blocked_this_cycle
from supportai.domain.tenants.models import Tenant
from supportai.engine.decisions import Outcome


async def _tenant_with_rows(db: Database, name: str) -> uuid.UUID:
    async with db.unit_of_work(None) as uow:
        tenant = Tenant(name=name)
        uow.session.add(tenant)
        await uow.commit()
    async with db.unit_of_work(tenant.id) as uow:
        message = Message(source="api", external_id=uuid.uuid4().hex, customer="anna", text="refill 1",
                          status="processed")
        uow.session.add(message)
        await uow.session.flush()
        uow.session.add(SupportRequest(message_id=message.id, customer="anna", order_id="1", intent="refill",
                                       status="escalated", outcome=Outcome.QUOTA_EXCEEDED))
        uow.session.add(Notification(event="escalation", occurrence=uuid.uuid4().hex, title="t", body="b"))
        await uow.commit()
    return tenant.id


async def test_each_tenant_counts_only_its_own_rows(pg_database: str) -> None:
    db = Database(pg_database)
    try:
        mine, _theirs = [await _tenant_with_rows(db, name) for name in ("mine", "theirs")]
        since = utcnow() - timedelta(hours=1)
        async with db.unit_of_work(mine) as uow:
            session = uow.session
            assert await unread_count(session) == 1
            assert await blocked_this_cycle(session, since) == 1
            assert (await automation_figure(session, since, utcnow() + timedelta(hours=1))).requests == 1
            assert (await customer_history(session, "anna")).message_count == 1
    finally:
        await db.dispose()
