"""The tolerant field parsers the panel and provider adapters read remote answers with."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from supportai.integrations.http import as_datetime, as_decimal

NOON = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (int(NOON.timestamp()), NOON),
        (str(int(NOON.timestamp())), NOON),
        (f" {NOON.timestamp():.1f} ", NOON),
        (float(NOON.timestamp()), NOON),
        ("1.7625443e9", NOON - timedelta(seconds=NOON.timestamp() - 1762544300)),
        ("2026-11-05 12:00:00", NOON),
        ("2026-11-05T12:00:00Z", NOON),
        ("2026-11-05T14:00:00+02:00", NOON.astimezone(timezone(timedelta(hours=2)))),
        ("2026-11-05", NOON.replace(hour=0)),
        ("", None),
        ("  ", None),
        ("yesterday", None),
        (None, None),
        (True, None),
    ],
)
def test_times_are_read_as_unix_seconds_or_written_times_in_utc(value, expected):
    moment = as_datetime(value)
    assert moment == expected
    assert moment is None or moment.tzinfo is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12, Decimal(12)), ("12.50", Decimal("12.50")), (" 3 ", Decimal(3)), (1.5, Decimal("1.5")),
     ("NaN", None), ("Infinity", None), ("twelve", None), (True, None), (None, None)],
)
def test_amounts_are_read_as_finite_decimals(value, expected):
    assert as_decimal(value) == expected
