"""What to do with one support request: the product rules for Refill, Cancel,
Speed-up and Other requests (spec `rules.md`) as a pure function.

`decide` sees only value objects; the caller supplies `now`, so the same input always
gives the same decision.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from enum import StrEnum

import msgspec


class Intent(StrEnum):
    REFILL = "refill"
    CANCEL = "cancel"
    SPEED_UP = "speed_up"
    OTHER = "other"


class OrderStatus(StrEnum):
    """Order status as the panel's admin API names it (Perfect Panel spelling)."""

    PENDING = "Pending"
    IN_PROGRESS = "In progress"
    PROCESSING = "Processing"
    COMPLETED = "Completed"
    PARTIAL = "Partial"
    CANCELED = "Canceled"
    # The panel could not place the order with its provider. Only the owner can resend
    # or refund it, so every request about such an order goes to manual review.
    FAILED = "Fail"

    @classmethod
    def _missing_(cls, value: object) -> OrderStatus | None:
        # Panels and providers spell statuses differently ("in_progress", "CANCELLED",
        # "Refunded"); msgspec calls this hook too, so decoding normalises as well.
        if not isinstance(value, str):
            return None
        return _STATUS_SPELLINGS.get(re.sub(r"[^a-z]", "", value.casefold()))


_STATUS_SPELLINGS: dict[str, OrderStatus] = {
    "pending": OrderStatus.PENDING,
    "inprogress": OrderStatus.IN_PROGRESS,
    "processing": OrderStatus.PROCESSING,
    "completed": OrderStatus.COMPLETED,
    "complete": OrderStatus.COMPLETED,
    "partial": OrderStatus.PARTIAL,
    "canceled": OrderStatus.CANCELED,
    "cancelled": OrderStatus.CANCELED,
    "refunded": OrderStatus.CANCELED,  # refunded in full: nothing left to deliver
    "fail": OrderStatus.FAILED,
    "failed": OrderStatus.FAILED,
}


class Outcome(StrEnum):
    # Intake (decided by the pipeline before `decide` runs).
    ORDER_ID_MISSING = "order_id_missing"
    ORDER_NOT_FOUND = "order_not_found"
    DUPLICATE_OPEN_REQUEST = "duplicate_open_request"
    QUOTA_EXCEEDED = "quota_exceeded"
    SUBSCRIPTION_LAPSED = "subscription_lapsed"  # unpaid: new requests are refused like over quota
    # Refill.
    REFILL_NOT_AVAILABLE = "refill_not_available"
    REFILL_PERIOD_EXPIRED = "refill_period_expired"
    ORDER_NOT_COMPLETED = "order_not_completed"
    ORDER_CANCELED = "order_canceled"
    ORDER_PARTIAL = "order_partial"
    BELOW_START_COUNT = "below_start_count"
    NO_DROP = "no_drop"
    FORWARD_REFILL = "forward_refill"
    # Any forward_* outcome when the service wants proof the message lacks.
    SCREENSHOT_REQUIRED = "screenshot_required"
    # Cancel.
    CANNOT_CANCEL_COMPLETED = "cannot_cancel_completed"
    ALREADY_PARTIAL = "already_partial"
    ALREADY_CANCELED = "already_canceled"
    CANCEL_NOT_AVAILABLE = "cancel_not_available"
    FORWARD_CANCEL = "forward_cancel"
    # Speed-up.
    ALREADY_COMPLETED = "already_completed"
    ORDER_CLOSED = "order_closed"
    WITHIN_EXPECTED_TIME = "within_expected_time"
    FORWARD_SPEED_UP = "forward_speed_up"
    # Other intents, and orders only the owner can sort out.
    ESCALATE = "escalate"


FORWARD_OUTCOMES = frozenset(
    {Outcome.FORWARD_REFILL, Outcome.FORWARD_CANCEL, Outcome.FORWARD_SPEED_UP}
)


class RequestStatus(StrEnum):
    """A support request's lifecycle; `request_status` gives the one an outcome starts in."""

    OPEN = "open"  # taken in, not decided yet
    WAITING_CUSTOMER = "waiting_customer"  # open until the customer sends what is missing
    FORWARDED = "forwarded"  # sent to the provider, now followed up
    ACKNOWLEDGED = "acknowledged"  # the provider confirmed it is on it
    RESOLVED = "resolved"  # answered or done; nothing more to do
    DECLINED = "declined"  # the provider refused
    ESCALATED = "escalated"  # in the owner's manual-review queue
    BLOCKED_QUOTA = "blocked_quota"  # over quota: stored, shown to the owner, not answered
    CLOSED = "closed"  # closed by the owner


_STATUS_BY_OUTCOME: dict[Outcome, RequestStatus] = {
    **dict.fromkeys(FORWARD_OUTCOMES, RequestStatus.FORWARDED),
    Outcome.SCREENSHOT_REQUIRED: RequestStatus.WAITING_CUSTOMER,
    Outcome.ORDER_ID_MISSING: RequestStatus.WAITING_CUSTOMER,
    Outcome.ESCALATE: RequestStatus.ESCALATED,
    Outcome.QUOTA_EXCEEDED: RequestStatus.BLOCKED_QUOTA,
    Outcome.SUBSCRIPTION_LAPSED: RequestStatus.BLOCKED_QUOTA,
}


def request_status(outcome: Outcome) -> RequestStatus:
    """The status a support request takes when it gets this outcome."""
    return _STATUS_BY_OUTCOME.get(outcome, RequestStatus.RESOLVED)


DEFAULT_SPEED_UP_AFTER = timedelta(hours=6)


def _require_aware(name: str, moment: datetime) -> None:
    # Naive datetimes make window arithmetic depend on the server's timezone.
    if moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _require_not_negative(name: str, value: float | None, maximum: float | None = None) -> None:
    if value is not None and not value >= 0:  # `not >=` also rejects NaN
        raise ValueError(f"{name} must not be negative")
    if value is not None and maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}")


# Far above any real policy (27,000 years), and low enough that a period minus any
# difference of two dates (under 3.7 million days) stays inside timedelta's range.
_MAX_DAYS = 10_000_000


class ServicePolicy(msgspec.Struct, frozen=True, kw_only=True):
    refill_days: int | None  # 0 = no refill, None = lifetime
    cancel_allowed: bool
    speed_up_after_hours: float | None = None  # None = DEFAULT_SPEED_UP_AFTER
    screenshot_for: frozenset[Intent] = frozenset()

    def __post_init__(self) -> None:
        _require_not_negative("refill_days", self.refill_days, _MAX_DAYS)
        _require_not_negative("speed_up_after_hours", self.speed_up_after_hours, _MAX_DAYS * 24)

    @property
    def speed_up_after(self) -> timedelta:
        if self.speed_up_after_hours is None:
            return DEFAULT_SPEED_UP_AFTER
        return timedelta(hours=self.speed_up_after_hours)


class OrderFacts(msgspec.Struct, frozen=True, kw_only=True):
    status: OrderStatus
    created_at: datetime
    start_count: int
    quantity: int
    remains: int
    current_count: int | None = None  # None: no source for the live count

    def __post_init__(self) -> None:
        _require_aware("created_at", self.created_at)
        for name in ("start_count", "quantity", "current_count"):
            _require_not_negative(name, getattr(self, name))

    @property
    def delivered(self) -> int:
        """Units the order delivered: all of them once completed, else quantity − remains."""
        if self.status is OrderStatus.COMPLETED:
            return self.quantity
        # Panels sometimes report remains outside 0..quantity (over-delivery, glitches).
        return min(max(self.quantity - self.remains, 0), self.quantity)


class DecisionInput(msgspec.Struct, frozen=True, kw_only=True):
    intent: Intent
    now: datetime
    service: ServicePolicy
    order: OrderFacts
    has_screenshot: bool = False
    tolerance: int | None = None  # None = default_tolerance(delivered)
    refill_partial: bool = True  # tenant setting: refill Partial orders too

    def __post_init__(self) -> None:
        _require_aware("now", self.now)
        _require_not_negative("tolerance", self.tolerance)


def default_tolerance(delivered: int) -> int:
    """1% of what was delivered, rounded up, at least 1: small drops are not worth a refill."""
    return max(1, -(-delivered // 100))  # ceil in integers: exact for any count


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """An outcome plus the facts a reply to the customer (or the provider) needs."""

    outcome: Outcome
    drop: int | None = None  # forward_refill only; None when the live count is unknown
    expected_count: int | None = None  # start count + delivered
    current_count: int | None = None
    refill_days: int | None = None  # refill decisions: the service's window; None = lifetime
    days_left: int | None = None  # whole days left in a finite refill window
    wait_seconds: int | None = None  # within_expected_time: time left before a speed-up

    @property
    def is_forward(self) -> bool:
        return self.outcome in FORWARD_OUTCOMES


def decide(case: DecisionInput) -> Decision:
    """Decide one (order, intent) request. Total: every valid input gets an outcome."""
    match case.intent:
        case Intent.REFILL:
            decision = _decide_refill(case)
        case Intent.CANCEL:
            decision = _decide_cancel(case)
        case Intent.SPEED_UP:
            decision = _decide_speed_up(case)
        case Intent.OTHER:
            return Decision(outcome=Outcome.ESCALATE)
    needs_screenshot = case.intent in case.service.screenshot_for and not case.has_screenshot
    if decision.is_forward and needs_screenshot:
        return Decision(outcome=Outcome.SCREENSHOT_REQUIRED)
    return decision


def _decide_refill(case: DecisionInput) -> Decision:
    refill_days = case.service.refill_days
    if refill_days == 0:
        return Decision(outcome=Outcome.REFILL_NOT_AVAILABLE, refill_days=0)
    days_left = None  # lifetime: the window never closes
    if refill_days is not None:
        # now > created_at + refill_days, compared as ages so no date can overflow;
        # the last moment of the window still counts as inside it.
        time_left = timedelta(days=refill_days) - (case.now - case.order.created_at)
        if time_left < timedelta(0):
            return Decision(outcome=Outcome.REFILL_PERIOD_EXPIRED, refill_days=refill_days)
        days_left = time_left.days
    decision = _refill_by_status(case)
    return msgspec.structs.replace(decision, refill_days=refill_days, days_left=days_left)


def _refill_by_status(case: DecisionInput) -> Decision:
    match case.order.status:
        case OrderStatus.PENDING | OrderStatus.IN_PROGRESS | OrderStatus.PROCESSING:
            return Decision(outcome=Outcome.ORDER_NOT_COMPLETED)
        case OrderStatus.CANCELED:
            return Decision(outcome=Outcome.ORDER_CANCELED)
        case OrderStatus.FAILED:
            return Decision(outcome=Outcome.ESCALATE)
        case OrderStatus.PARTIAL if not case.refill_partial:
            return Decision(outcome=Outcome.ORDER_PARTIAL)
    return _refill_by_counts(case)


def _refill_by_counts(case: DecisionInput) -> Decision:
    order = case.order
    delivered = order.delivered
    expected = order.start_count + delivered
    current = order.current_count
    if current is None:
        # Nothing to compare with: let the provider check.
        return Decision(outcome=Outcome.FORWARD_REFILL, expected_count=expected)
    if current < order.start_count:
        outcome, drop = Outcome.BELOW_START_COUNT, None
    elif expected - current <= _tolerance(case, delivered):
        outcome, drop = Outcome.NO_DROP, None
    else:
        outcome, drop = Outcome.FORWARD_REFILL, expected - current
    return Decision(outcome=outcome, drop=drop, expected_count=expected, current_count=current)


def _tolerance(case: DecisionInput, delivered: int) -> int:
    return default_tolerance(delivered) if case.tolerance is None else case.tolerance


def _decide_cancel(case: DecisionInput) -> Decision:
    match case.order.status:
        case OrderStatus.COMPLETED:
            return Decision(outcome=Outcome.CANNOT_CANCEL_COMPLETED)
        case OrderStatus.PARTIAL:
            return Decision(outcome=Outcome.ALREADY_PARTIAL)
        case OrderStatus.CANCELED:
            return Decision(outcome=Outcome.ALREADY_CANCELED)
        case OrderStatus.FAILED:
            return Decision(outcome=Outcome.ESCALATE)
    if not case.service.cancel_allowed:
        return Decision(outcome=Outcome.CANCEL_NOT_AVAILABLE)
    return Decision(outcome=Outcome.FORWARD_CANCEL)


def _decide_speed_up(case: DecisionInput) -> Decision:
    match case.order.status:
        case OrderStatus.COMPLETED:
            return Decision(outcome=Outcome.ALREADY_COMPLETED)
        case OrderStatus.CANCELED | OrderStatus.PARTIAL:
            return Decision(outcome=Outcome.ORDER_CLOSED)
        case OrderStatus.FAILED:
            return Decision(outcome=Outcome.ESCALATE)
    # Exactly at speed_up_after the order is no longer "younger than" it: forward.
    time_left = case.service.speed_up_after - (case.now - case.order.created_at)
    if time_left > timedelta(0):
        # Rounded up, so a customer is never told to wait 0 seconds.
        return Decision(
            outcome=Outcome.WITHIN_EXPECTED_TIME,
            wait_seconds=math.ceil(time_left / timedelta(seconds=1)),
        )
    return Decision(outcome=Outcome.FORWARD_SPEED_UP)
