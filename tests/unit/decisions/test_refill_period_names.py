"""Refill period detection from service names, beyond the acceptance table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supportai.engine.refill_policy import DetectionRule, RefillDetection, refill_days_from_name

Rule = DetectionRule


@pytest.mark.parametrize(
    ("name", "days", "rule"),
    [
        # Periods, written every way panels write them.
        ("Instagram Followers [Refill: 30D]", 30, Rule.REFILL_PERIOD),
        ("Instagram Followers | 30 Days Guarantee", 30, Rule.REFILL_PERIOD),
        ("TikTok Views | Auto-Refill 60D", 60, Rule.REFILL_PERIOD),
        ("Instagram Likes | 30 Days Auto Refill", 30, Rule.REFILL_PERIOD),
        ("YouTube Subscribers ♻️ R365", 365, Rule.REFILL_PREFIX),
        ("Instagram Followers 🔁 30D", 30, Rule.REFILL_PERIOD),
        ("Instagram Followers 🔄 45 Days", 45, Rule.REFILL_PERIOD),
        ("Followers | 6H Start | 30 Days ♻️", 30, Rule.REFILL_PERIOD),
        ("Instagram Followers | refill 1 year", 365, Rule.REFILL_PERIOD),
        ("IG Followers | 1 Year Refill", 365, Rule.REFILL_PERIOD),
        ("Telegram Members | Refill 3 Months", 90, Rule.REFILL_PERIOD),
        ("Telegram Members | Refill 2 Weeks", 14, Rule.REFILL_PERIOD),
        ("Facebook Likes | 30-Day Refill", 30, Rule.REFILL_PERIOD),
        ("Facebook Likes | Guaranteed 30 Days", 30, Rule.REFILL_PERIOD),
        ("Facebook Likes | Warranty 15 Days", 15, Rule.REFILL_PERIOD),
        ("Instagram Followers | Refill - 30 Days", 30, Rule.REFILL_PERIOD),
        ("Instagram Followers | Refill 30 | Max 10K", 30, Rule.REFILL_PERIOD),
        ("Instagram Followers Refill30D", 30, Rule.REFILL_PERIOD),
        ("Instagram Followers [R30D] [0-1H] [10K/Day]", 30, Rule.REFILL_PREFIX),
        ("Instagram Followers R30 Max 50K", 30, Rule.REFILL_PREFIX),
        ("Instagram Followers [R-30]", 30, Rule.REFILL_PREFIX),
        ("instagram followers r30", 30, Rule.REFILL_PREFIX),
        ("INSTAGRAM FOLLOWERS G 90", 90, Rule.GUARANTEE_PREFIX),
        # Lifetime.
        ("Instagram Reels [Life Time Refill]", None, Rule.LIFETIME),
        ("Instagram Followers | Lifetime Guarantee ♻️", None, Rule.LIFETIME),
        # No refill.
        ("Instagram Views No Refill ⚠️", 0, Rule.NO_REFILL),
        ("Instagram Views | Non-Refill", 0, Rule.NO_REFILL),
        ("Instagram Views | Without Refill", 0, Rule.NO_REFILL),
        ("Instagram Views | No Guarantee", 0, Rule.NO_REFILL),
        ("Instagram Views | Refill ❌", 0, Rule.NO_REFILL),
        ("Instagram Views | Refill: None", 0, Rule.NO_REFILL),
        # A refill promise without a period is no promise, but the owner is told.
        ("Instagram Followers | Auto Refill", 0, Rule.REFILL_WITHOUT_PERIOD),
        ("Instagram Followers | Refill ✅", 0, Rule.REFILL_WITHOUT_PERIOD),
        ("Instagram Followers | Refill (30 min start)", 0, Rule.REFILL_WITHOUT_PERIOD),
        ("Instagram Followers | Refill 0-1H", 0, Rule.REFILL_WITHOUT_PERIOD),
        ("Instagram Followers | Guaranteed 1000 Real Followers", 0, Rule.REFILL_WITHOUT_PERIOD),
        # Numbers that are not refill markers.
        ("Instagram Followers | Non-Drop", 0, Rule.NO_MARKER),
        ("Instagram Auto Likes 30 Days", 0, Rule.NO_MARKER),
        ("Instagram Reels Views R 1M", 0, Rule.NO_MARKER),
        ("Instagram Followers | Real 30K | HR 30", 0, Rule.NO_MARKER),
        ("Instagram Followers 4G 60", 0, Rule.NO_MARKER),
        ("TikTok Likes | Speed 5K/Day | Start 0-6H | Max 100K", 0, Rule.NO_MARKER),
    ],
)
def test_refill_period_from_name(name: str, days: int | None, rule: DetectionRule) -> None:
    assert refill_days_from_name(name) == RefillDetection(
        days=days, lifetime=days is None, rule=rule
    )


@pytest.mark.parametrize(
    ("name", "days", "rule"),
    [
        ("Instagram Followers [Lifetime] R30", 30, Rule.REFILL_PREFIX),
        ("Instagram Followers R90 | 30 Days Refill", 30, Rule.REFILL_PERIOD),
        ("Instagram Followers R30 | No Refill", 0, Rule.NO_REFILL),
        ("Min 100 | Refill 365 Days", 365, Rule.REFILL_PERIOD),
    ],
)
def test_with_conflicting_markers_the_smallest_promise_wins(
    name: str, days: int, rule: DetectionRule
) -> None:
    assert refill_days_from_name(name) == RefillDetection(days=days, lifetime=False, rule=rule)


def test_a_lifetime_cap_turns_lifetime_into_days() -> None:
    assert refill_days_from_name("Followers [Lifetime]", lifetime_cap_days=365) == (
        RefillDetection(days=365, lifetime=True, rule=Rule.LIFETIME)
    )


def test_a_lifetime_cap_leaves_periods_alone() -> None:
    assert refill_days_from_name("Followers [R30]", lifetime_cap_days=365).days == 30


NOISE = st.sampled_from(
    [
        "Instagram Followers",
        "TikTok Likes",
        "YouTube Views",
        "0-1h",
        "0-1H Start",
        "6H",
        "10K/Day",
        "Speed 5K/Day",
        "Max 50K",
        "Day 20K",
        "Min 100",
        "HQ",
        "Real",
        "Instant",
        "Non Drop",
        "🔥",
        "💎 Premium",
        "USA 🇺🇸",
    ]
)
SEPARATORS = st.sampled_from([" ", " | ", " - ", " ~ ", " • "])
MARKERS = st.sampled_from(
    [
        ("R30", 30),
        ("R 60", 60),
        ("G90", 90),
        ("30 Days Refill", 30),
        ("Refill 45D", 45),
        ("♻️ 365 days", 365),
        ("Guarantee 15 Days", 15),
        ("Lifetime", None),
        ("LR", None),
        ("No Refill", 0),
        ("NR", 0),
    ]
)


@given(st.lists(NOISE, min_size=1, max_size=6), SEPARATORS)
def test_noise_alone_is_no_marker(noise: list[str], separator: str) -> None:
    assert refill_days_from_name(separator.join(noise)) == RefillDetection(
        days=0, lifetime=False, rule=Rule.NO_MARKER
    )


@given(
    st.lists(NOISE, max_size=4),
    st.lists(NOISE, max_size=4),
    MARKERS,
    SEPARATORS,
    st.sampled_from(["{}", "[{}]", "({})", "{{{}}}"]),
    st.sampled_from([str, str.lower, str.upper]),
)
def test_a_marker_is_found_among_noise_brackets_and_case(
    before: list[str],
    after: list[str],
    marker: tuple[str, int | None],
    separator: str,
    brackets: str,
    change_case: Callable[[str], str],
) -> None:
    text, days = marker
    name = separator.join([*before, brackets.format(text), *after])

    assert refill_days_from_name(change_case(name)).days == days
