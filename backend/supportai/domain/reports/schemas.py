from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import msgspec

from supportai.domain.requests.schemas import AutomationFigure


class DayCount(msgspec.Struct):
    day: date
    by_status: dict[str, int]


class ActivityItem(msgspec.Struct):
    at: datetime
    request_id: uuid.UUID
    customer: str
    order_id: str | None
    kind: str
    detail: dict[str, Any]
    by_name: str | None  # the person who acted, when one did


class Dashboard(msgspec.Struct):
    today: AutomationFigure
    period: AutomationFigure  # the last `days` days
    requests_by_day: list[DayCount]  # oldest first, every day of the period
    open_escalations: int
    waiting_for_provider: int  # forwarded or acknowledged, not done yet
    queue: int  # escalated + quota-blocked
    failed_messages: int
    requests_used: int
    requests_limit: int
    credits_left: int
    credits_low: bool
    blocked_reason: str | None
    recent_activity: list[ActivityItem]
