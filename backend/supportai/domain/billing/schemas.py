from __future__ import annotations

from datetime import datetime

import msgspec


class UsageOut(msgspec.Struct):
    plan: str
    plan_name: str
    cycle_start: datetime
    cycle_end: datetime
    requests_used: int
    requests_limit: int
    requests_left: int
    overage_requests: int
    overage_blocks: int
    blocked_requests: int  # requests refused this cycle because the quota was used up
