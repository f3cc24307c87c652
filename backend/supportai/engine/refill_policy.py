"""Refill period detection from SMM service names ("Instagram Followers [R30]").

Names are free text: markers come in brackets, with emojis, in any case, next to
noise such as start times (`0-1h`), speeds (`10K/Day`) and sizes (`Max 50K`). The
grammar below finds the markers; a bare number of days is not one ("30 Days" alone may
be a subscription length), it needs a refill word or an R/G prefix beside it.

When a name carries conflicting markers the smallest promise wins (no refill, then the
shortest period, then lifetime): promising less is the safe side for the panel owner,
who can override any service.
"""

from __future__ import annotations

import re
from enum import StrEnum

import msgspec


class DetectionRule(StrEnum):
    """Which marker decided the period, shown to the owner next to the result."""

    NO_REFILL = "no_refill"  # "No Refill", "NR", "Non-refill", "Refill: ❌"
    REFILL_PREFIX = "refill_prefix"  # "R30", "R 30", "R365"
    GUARANTEE_PREFIX = "guarantee_prefix"  # "G60"
    REFILL_PERIOD = "refill_period"  # "30 days refill", "Refill 30D", "Guarantee 60 days"
    LIFETIME = "lifetime"  # "Lifetime", "Lifetime refill", "LR"
    REFILL_WITHOUT_PERIOD = "refill_without_period"  # "Auto Refill": refill, but how long?
    NO_MARKER = "no_marker"


class RefillDetection(msgspec.Struct, frozen=True):
    days: int | None  # 0 = no refill, None = lifetime
    lifetime: bool
    rule: DetectionRule


_REFILL_EMOJI = re.compile("[\u267b\U0001f501\U0001f504]\ufe0f?")  # ♻️ 🔁 🔄
_CROSS = "\u274c\u274e\u2716\u2717\U0001f6ab"  # ❌ ❎ ✖ ✗ 🚫

_REFILL_WORD = r"(?:auto[\s\-]?)?(?:refill|refil|guaranteed?|warranty)"
_UNIT = r"(?P<unit>days?|d|weeks?|w|months?|mo|years?|yrs?|y)"
_DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}  # keyed by the unit's first letter


def _period(bare_number_end: str) -> str:
    """A number of days, weeks, months or years; a unit ends its word ("30 days",
    "30-day", "30d]"), and a number without one must end as `bare_number_end` says."""
    return rf"(?P<count>\d{{1,4}})(?:[\s\-]*{_UNIT}(?![a-z])|{bare_number_end})"


# After R/G the marker is plain ("R30 Max 50K"); only text glued to the number makes it
# something else ("R 1M", "G 5K/Day", "R 0-1h").
_PREFIX_PERIOD = _period(r"(?![\w/%+\-]|[.,]\d)")
# After a refill word a bare number is a period only before punctuation or the end
# ("Refill 30 | Max 10K"), not before more words ("Refill (30 min start)").
_WORD_PERIOD = _period(r"(?=\s*(?:$|[.,\-](?!\d)|[^\w\s/%+.,\-]))")

_NO_REFILL = re.compile(
    rf"\b(?:no|non|without|w/o)[\s\-]*(?:refill|refil|guarantee|warranty)\b"
    rf"|\bnr\b"
    rf"|\b{_REFILL_WORD}\s*[:=\-]?\s*[{_CROSS}]"
    rf"|\b{_REFILL_WORD}\s*[:=]\s*(?:no|none)\b(?!\s*drop)"
)
_LIFETIME = re.compile(r"\blife[\s\-]?time\b|\blr\b")
_REFILL_MENTION = re.compile(rf"\b{_REFILL_WORD}\b")
_PERIOD_MARKERS = (
    (DetectionRule.REFILL_PREFIX, re.compile(rf"(?<![\w.,/])r[\s\-]?{_PREFIX_PERIOD}")),
    (DetectionRule.GUARANTEE_PREFIX, re.compile(rf"(?<![\w.,/])g[\s\-]?{_PREFIX_PERIOD}")),
    # "Refill 30D", "Refill: 365 Days", "Guarantee 60 days", "♻️ 30 days"
    (
        DetectionRule.REFILL_PERIOD,
        re.compile(rf"\b{_REFILL_WORD}[\s:=\-–(\[]*(?:for\s+|up\s+to\s+)?{_WORD_PERIOD}"),
    ),
    # "30 days refill", "30D Refill", "1 Year Guarantee"; the unit is required here, or
    # "Min 100 Refill 365 Days" would read as 100 days.
    (
        DetectionRule.REFILL_PERIOD,
        re.compile(
            rf"(?<![\w.,/\-])(?P<count>\d{{1,4}})[\s\-]*{_UNIT}[\s:\-–]*(?:of\s+)?{_REFILL_WORD}\b"
        ),
    ),
)


def refill_days_from_name(name: str, lifetime_cap_days: int | None = None) -> RefillDetection:
    """The refill period a service name promises; `lifetime_cap_days` turns lifetime
    into that many days (some panels define lifetime as 365)."""
    text = _REFILL_EMOJI.sub(" refill ", name).casefold()
    if _NO_REFILL.search(text):
        return RefillDetection(days=0, lifetime=False, rule=DetectionRule.NO_REFILL)
    periods = [
        (_days(match), rule)
        for rule, pattern in _PERIOD_MARKERS
        for match in pattern.finditer(text)
    ]
    if periods:
        days, rule = min(periods, key=lambda period: period[0])
        return RefillDetection(days=days, lifetime=False, rule=rule)
    if _LIFETIME.search(text):
        return RefillDetection(days=lifetime_cap_days, lifetime=True, rule=DetectionRule.LIFETIME)
    if _REFILL_MENTION.search(text):
        # Unknown means no promise; the rule tells the owner to set the period.
        return RefillDetection(days=0, lifetime=False, rule=DetectionRule.REFILL_WITHOUT_PERIOD)
    return RefillDetection(days=0, lifetime=False, rule=DetectionRule.NO_MARKER)


def _days(match: re.Match[str]) -> int:
    unit = match["unit"] or "d"  # a bare number next to a refill marker counts days
    return int(match["count"]) * _DAYS_PER_UNIT[unit[0]]
