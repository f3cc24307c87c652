"""When a failed delivery is tried again: the Standard Webhooks schedule, as pure logic."""

from __future__ import annotations

from datetime import datetime, timedelta

# After the 1st, 2nd, … attempt fails: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; the 8th is the last
# (about 28 hours after the event).
RETRY_DELAYS = (
    timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=5), timedelta(hours=10), timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def next_attempt_at(attempts: int, failed_at: datetime) -> datetime | None:
    """When to try again once the delivery's `attempts`-th attempt failed at `failed_at`;
    None when the schedule is spent (a manual redelivery past it is that one attempt)."""
    if attempts < 1:
        raise ValueError("a delivery is retried only after an attempt")
    if attempts >= MAX_ATTEMPTS:
        return None
    return failed_at + RETRY_DELAYS[attempts - 1]
