"""Shared test helpers: the acceptance table and small builders for decision inputs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from supportai.engine.decisions import (
    DecisionInput,
    Intent,
    OrderFacts,
    OrderStatus,
    ServicePolicy,
)

# A copy of ../shared/spec/scenarios.json; tests/unit/test_shared_copies.py keeps it equal.
SCENARIOS_PATH = Path(__file__).resolve().parents[2] / "data" / "scenarios.json"

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def scenario_cases(kind: str) -> list[dict[str, Any]]:
    cases = json.loads(SCENARIOS_PATH.read_text(encoding="utf-8"))["cases"]
    return [case for case in cases if case["kind"] == kind]


def make_service(**overrides: Any) -> ServicePolicy:
    return ServicePolicy(**{"refill_days": 30, "cancel_allowed": True, **overrides})


def make_order(**overrides: Any) -> OrderFacts:
    """A completed order of 1,000 on top of a start count of 1,000, with nothing dropped."""
    fields = {
        "status": OrderStatus.COMPLETED,
        "created_at": T0,
        "start_count": 1_000,
        "quantity": 1_000,
        "remains": 0,
        "current_count": 2_000,
    }
    return OrderFacts(**{**fields, **overrides})


def make_input(
    intent: Intent = Intent.REFILL,
    *,
    now: datetime = T0 + timedelta(days=1),
    service: ServicePolicy | None = None,
    order: OrderFacts | None = None,
    **overrides: Any,
) -> DecisionInput:
    return DecisionInput(
        intent=intent,
        now=now,
        service=service or make_service(),
        order=order or make_order(),
        **overrides,
    )
