"""The database work per message is a fixed budget: the same number of statements for a
message naming one order or many (rows are written in batches), and at most 16 (one of
them the per-order lock that serialises the open-request check)."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import sqlalchemy as sa

from supportai.domain.requests.models import MessageStatus, SupportRequest
from supportai.domain.support.pipeline import process_message
from supportai.runtime import open_runtime

BUDGET = 16


async def statements_to_process(stack, text: str) -> tuple[int, Counter[str]]:
    message, _ = await stack.message(text)
    seen: Counter[str] = Counter()

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen[statement.split(None, 1)[0].upper()] += 1

    async with open_runtime(stack.settings) as runtime:
        sa.event.listen(runtime.db.engine.sync_engine, "before_cursor_execute", count)
        status = await process_message(runtime, uuid.UUID(stack.account.tenant_id), message.id)
    assert status == MessageStatus.PROCESSED
    async with stack.tenant_session() as session:
        made = await session.scalar(
            sa.select(sa.func.count()).select_from(SupportRequest).where(SupportRequest.message_id == message.id)
        )
    assert made == text.count(",") + 1
    return sum(seen.values()), seen


async def test_a_forwarded_message_costs_the_same_statements_for_one_order_or_six(stack):
    def refill(orders: int) -> str:
        ids = [str(stack.order(current_count=1100).id) for _ in range(orders)]  # dropped: forwarded by API
        return "refill " + ", ".join(ids)

    one, one_kinds = await statements_to_process(stack, refill(1))
    six, six_kinds = await statements_to_process(stack, refill(6))
    assert one == six, (one_kinds, six_kinds)
    assert one <= BUDGET, one_kinds


async def test_an_answered_message_costs_the_same_statements_for_one_order_or_six(stack):
    def refill(orders: int) -> str:
        return "refill " + ", ".join(str(stack.order(current_count=1500).id) for _ in range(orders))  # no drop

    one, one_kinds = await statements_to_process(stack, refill(1))
    six, six_kinds = await statements_to_process(stack, refill(6))
    assert one == six, (one_kinds, six_kinds)
    assert one <= BUDGET, one_kinds
