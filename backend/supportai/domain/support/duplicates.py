"""Earlier requests about the same orders: what makes a new request a duplicate (one still
open), a replacement (one waiting for the customer: superseded, its quota unit carried
over), a reopening (a refill resolved as assumed, rules.md "Assumed resolution") or a free
repeat (answered within the tenant's cooldown)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.requests.events import log_event
from supportai.domain.requests.models import (
    ASSUMED_RESOLVED,
    OPEN_STATUSES,
    REOPEN_ASSUMED_WITHIN,
    Message,
    SupportRequest,
)
from supportai.domain.tenants.models import TenantSettings
from supportai.engine.decisions import RequestStatus


@dataclass(frozen=True)
class EarlierRequests:
    """Other messages' requests for the same (order, intent) pairs."""

    open: dict[tuple[str, str], list[SupportRequest]]  # still open
    answered: set[tuple[str, str]]  # answered to this customer within the cooldown
    assumed: dict[tuple[str, str], list[SupportRequest]]  # refills resolved as assumed, reopenable


async def earlier_requests(
    session: AsyncSession, message: Message, pairs: Sequence[tuple[str, str]], settings: TenantSettings
) -> EarlierRequests:
    """What other messages asked about these (order, intent) pairs, in one statement."""
    found = EarlierRequests({}, set(), {})
    if not pairs:
        return found
    now = utcnow()
    earlier = sa.or_(
        SupportRequest.status.in_(OPEN_STATUSES),
        sa.and_(
            SupportRequest.customer == message.customer, SupportRequest.reason == ASSUMED_RESOLVED,
            SupportRequest.resolved_at >= now - REOPEN_ASSUMED_WITHIN,
        ),
    )
    if settings.repeat_cooldown_hours:
        earlier = sa.or_(earlier, sa.and_(
            SupportRequest.customer == message.customer, SupportRequest.created_at >= now - settings.repeat_cooldown,
            SupportRequest.status != RequestStatus.BLOCKED_QUOTA,
        ))
    rows = await session.scalars(
        sa.select(SupportRequest).where(
            SupportRequest.order_id.in_({order_id for order_id, _ in pairs}), earlier,
            SupportRequest.message_id != message.id,
        )
    )
    wanted = set(pairs)
    for row in rows:
        pair = (row.order_id or "", row.intent)
        if pair not in wanted:
            continue
        if row.status in OPEN_STATUSES:
            found.open.setdefault(pair, []).append(row)
        elif row.status == RequestStatus.RESOLVED and row.reason == ASSUMED_RESOLVED:
            found.assumed.setdefault(pair, []).append(row)
        else:
            found.answered.add(pair)
    return found


def reopen(
    session: AsyncSession, assumed: list[SupportRequest], by: SupportRequest, now: datetime, check_in: timedelta
) -> None:
    """Refills resolved as assumed go back to the provider's side and are tracked afresh."""
    for old in assumed:
        old.status, old.reason, old.resolved_at = RequestStatus.FORWARDED, None, None
        old.followed_up_at = now  # a new follow-up window before any reminder
        old.next_check_at = now + check_in
        log_event(session, old, "reopened", by_request=str(by.id))


def supersede(session: AsyncSession, waiting: list[SupportRequest], request: SupportRequest) -> bool:
    """A request waiting for the customer (e.g. for a screenshot) is replaced by their new
    message about the same order: closed, and its quota unit carried over. True if any
    unit was carried, so the new request is not charged twice."""
    carried = False
    for old in waiting:
        old.status, old.reason = RequestStatus.CLOSED, "superseded by a newer message"
        log_event(session, old, "superseded", by_request=str(request.id))
        carried = carried or old.quota_charged
        old.quota_charged = False
    return carried
