"""The retry schedule of outbound webhooks, as pure logic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from supportai.domain.webhooks.schedule import MAX_ATTEMPTS, next_attempt_at

FAILED_AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_each_retry_waits_longer_than_or_as_long_as_the_one_before():
    delays = [next_attempt_at(attempts, FAILED_AT) - FAILED_AT for attempts in range(1, MAX_ATTEMPTS)]
    assert delays[0] == timedelta(seconds=5)
    assert all(later >= earlier for earlier, later in pairwise(delays))
    assert delays[-1] == timedelta(hours=10)


def test_eight_attempts_span_about_a_day_and_then_none_is_planned():
    assert MAX_ATTEMPTS == 8
    waited = sum((next_attempt_at(a, FAILED_AT) - FAILED_AT for a in range(1, MAX_ATTEMPTS)), timedelta())
    assert timedelta(hours=27) < waited < timedelta(hours=29)
    assert next_attempt_at(MAX_ATTEMPTS, FAILED_AT) is None
    assert next_attempt_at(MAX_ATTEMPTS + 3, FAILED_AT) is None  # a redelivery past the schedule: one attempt


def test_nothing_is_retried_before_an_attempt():
    with pytest.raises(ValueError):
        next_attempt_at(0, FAILED_AT)
