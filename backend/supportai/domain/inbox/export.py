"""The inbox's filtered list as CSV, for spreadsheets."""

from __future__ import annotations

import csv
import io

from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.pagination import newest_first, page_of
from supportai.domain.inbox.schemas import InboxFilters, InboxMessage
from supportai.domain.inbox.service import filtered_messages, with_requests
from supportai.domain.requests.models import Message

EXPORT_LIMIT = 10_000  # rows; narrow the filters for more
BATCH = 500
COLUMNS = ("id", "created_at", "channel", "customer", "status", "intent", "language", "orders", "request_statuses",
           "text", "reply")
# A cell starting with one of these is a formula to a spreadsheet: quoted so it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _row(message: InboxMessage) -> list[str]:
    return [_cell(value) for value in (
        message.id, message.created_at.isoformat(), message.source, message.customer, message.status, message.intent,
        message.lang, " ".join(r.order_id for r in message.requests if r.order_id),
        " ".join(r.status for r in message.requests), message.text, message.reply_text,
    )]


async def export_csv(session: AsyncSession, filters: InboxFilters) -> str:
    """The matching messages, newest first, up to `EXPORT_LIMIT`, read in keyset batches."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    statement, cursor, written = filtered_messages(filters), None, 0
    while written < EXPORT_LIMIT:
        rows = list(await session.scalars(newest_first(statement, Message, cursor, BATCH)))
        page = page_of(rows, BATCH, lambda row: row)
        writer.writerows(_row(m) for m in (await with_requests(session, page.items))[:EXPORT_LIMIT - written])
        written += len(page.items)
        if (cursor := page.next_cursor) is None:
            break
    return out.getvalue()
