"""Intake under concurrency: messages arriving together share a transaction (group
commit) yet each keeps its tenant, its idempotency and its own error."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from supportai.domain.requests.intake import receive_message
from supportai.domain.requests.models import Message, MessageStatus, Source
from supportai.runtime import open_runtime


@pytest.fixture
async def runtime(settings):
    async with open_runtime(settings) as runtime:
        await runtime.queue.flushdb()
        yield runtime
        await runtime.queue.flushdb()


async def stored(runtime, ids: list[uuid.UUID]) -> dict[uuid.UUID, Message]:
    async with runtime.db.system_session() as session:
        return {m.id: m for m in await session.scalars(sa.select(Message).where(Message.id.in_(ids)))}


async def test_concurrent_messages_of_two_tenants_share_inserts_and_keep_their_tenant(runtime, sign_up):
    tenants = [uuid.UUID((await sign_up(name)).tenant_id) for name in ("Panel A", "Panel B")]
    inserts = 0

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        nonlocal inserts
        inserts += statement.lstrip().upper().startswith("INSERT INTO MESSAGES")

    sa.event.listen(runtime.db.engine.sync_engine, "before_cursor_execute", count)
    results = await asyncio.gather(*(
        receive_message(runtime, tenants[n % 2], source=Source.API, external_id=None, customer=f"user{n}",
                        text=f"refill {1000 + n}")
        for n in range(40)
    ))
    assert all(is_new for _, is_new in results)
    assert inserts < 40  # batched: far fewer INSERTs than messages
    rows = await stored(runtime, [message.id for message, _ in results])
    assert len(rows) == 40
    for n, (message, _) in enumerate(results):
        row = rows[message.id]
        assert (row.tenant_id, row.customer, row.text, row.status) == (
            tenants[n % 2], f"user{n}", f"refill {1000 + n}", MessageStatus.RECEIVED)
    queued = await runtime.queue.queued_jobs()
    assert {job.args[1] for job in queued} == {str(message.id) for message, _ in results}


async def test_a_repeat_in_the_same_batch_is_stored_once_and_other_tenants_may_reuse_the_id(runtime, sign_up):
    first, second = [uuid.UUID((await sign_up(name)).tenant_id) for name in ("Panel C", "Panel D")]

    def post(tenant: uuid.UUID):
        return receive_message(runtime, tenant, source=Source.API, external_id="crm-7", customer="anna", text="hi")

    (a, a_new), (b, b_new), (c, c_new) = await asyncio.gather(post(first), post(first), post(second))
    assert (a_new, b_new, c_new) == (True, False, True)
    assert b.id == a.id and c.id != a.id
    assert len(await stored(runtime, [a.id, c.id])) == 2


async def test_a_row_the_database_refuses_fails_alone(runtime, sign_up):
    tenant = uuid.UUID((await sign_up("Panel E")).tenant_id)

    def post(customer: str):
        return receive_message(runtime, tenant, source=Source.API, external_id=None, customer=customer, text="refill 5")

    good, bad, also_good = await asyncio.gather(post("anna"), post("x" * 500), post("ben"), return_exceptions=True)
    assert isinstance(bad, DBAPIError)  # longer than the column allows
    rows = await stored(runtime, [good[0].id, also_good[0].id])
    assert {row.customer for row in rows.values()} == {"anna", "ben"}
