"""The `supportai decide` contract: cases in, answers out, one JSON object per line.

A case has the shape of the acceptance table (spec `scenarios.json`): `kind` is
`decide` or `refill_days_from_name`. Answers are `{"id", "outcome", "drop"}` or
`{"id", "refill_days"}`; a line that is not a valid case answers
`{"id", "error"}` and the lines after it are still answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

import msgspec

from supportai.engine.decisions import (
    DecisionInput,
    Intent,
    OrderFacts,
    Outcome,
    ServicePolicy,
    decide,
)
from supportai.engine.refill_policy import refill_days_from_name


class _Message(msgspec.Struct, frozen=True):
    has_screenshot: bool = False


class _Settings(msgspec.Struct, frozen=True):
    refill_partial: bool = True


class DecideCase(msgspec.Struct, frozen=True, tag_field="kind", tag="decide"):
    id: str
    intent: Intent
    now: datetime
    service: ServicePolicy
    order: OrderFacts
    message: _Message = _Message()
    tolerance: int | None = None
    settings: _Settings = _Settings()

    def to_input(self) -> DecisionInput:
        return DecisionInput(
            intent=self.intent,
            now=self.now,
            service=self.service,
            order=self.order,
            has_screenshot=self.message.has_screenshot,
            tolerance=self.tolerance,
            refill_partial=self.settings.refill_partial,
        )


class RefillNameCase(msgspec.Struct, frozen=True, tag_field="kind", tag="refill_days_from_name"):
    id: str
    name: str


class DecideAnswer(msgspec.Struct, frozen=True):
    id: str
    outcome: Outcome
    drop: int | None


class RefillDaysAnswer(msgspec.Struct, frozen=True):
    id: str
    refill_days: int | None


class CaseError(msgspec.Struct, frozen=True):
    id: str | None
    error: str


class _CaseId(msgspec.Struct):
    id: str | None = None


class _ScenarioFile(msgspec.Struct):
    cases: list[msgspec.Raw]


def decide_lines(lines: Iterable[str]) -> Iterator[str]:
    """Answer each case line with one compact JSON line; blank lines are skipped."""
    for line in lines:
        if line.strip():
            yield msgspec.json.encode(_answer(line)).decode()


def case_lines_from_file(text: str) -> Iterator[str]:
    """The cases of a scenarios document (`{"cases": [...]}`), one compact line each."""
    for case in msgspec.json.decode(text, type=_ScenarioFile).cases:
        yield msgspec.json.format(case, indent=-1).decode()


def _answer(line: str) -> DecideAnswer | RefillDaysAnswer | CaseError:
    try:
        case = msgspec.json.decode(line, type=DecideCase | RefillNameCase)
        if isinstance(case, RefillNameCase):
            return RefillDaysAnswer(id=case.id, refill_days=refill_days_from_name(case.name).days)
        decision_input = case.to_input()  # checks the rest, e.g. that `now` has a timezone
    except (msgspec.DecodeError, ValueError) as error:
        return CaseError(id=_case_id(line), error=str(error))
    decision = decide(decision_input)
    return DecideAnswer(id=case.id, outcome=decision.outcome, drop=decision.drop)


def _case_id(line: str) -> str | None:
    """The id of a case that failed, when the line says it, so the answer can name it."""
    try:
        return msgspec.json.decode(line, type=_CaseId).id
    except msgspec.DecodeError:
        return None
