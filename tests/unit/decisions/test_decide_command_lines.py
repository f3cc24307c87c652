"""The `supportai decide` contract: one JSON case per line in, one answer per line out."""

from __future__ import annotations

import json
from typing import Any

from supportai.engine.cases import case_lines_from_file, decide_lines

DECIDE_CASE: dict[str, Any] = {
    "id": "c-1",
    "kind": "decide",
    "intent": "refill",
    "now": "2026-03-26T09:47:00Z",
    "service": {
        "refill_days": 15,
        "cancel_allowed": True,
        "speed_up_after_hours": 6,
        "screenshot_for": [],
    },
    "order": {
        "status": "Completed",
        "created_at": "2026-03-25T11:47:00Z",
        "start_count": 250000,
        "quantity": 500,
        "remains": 0,
        "current_count": 250400,
    },
    "message": {"has_screenshot": False},
    "tolerance": None,
}
NAME_CASE = {"id": "n-1", "kind": "refill_days_from_name", "name": "Followers [R30]"}


def line(case: dict[str, Any], **changes: Any) -> str:
    return json.dumps({**case, **changes})


def answers(*lines: str) -> list[dict[str, Any]]:
    return [json.loads(answer) for answer in decide_lines(lines)]


def test_a_decide_case_answers_outcome_and_drop_as_compact_json() -> None:
    assert list(decide_lines([line(DECIDE_CASE)])) == [
        '{"id":"c-1","outcome":"forward_refill","drop":100}'
    ]


def test_a_name_case_answers_refill_days() -> None:
    assert list(decide_lines([line(NAME_CASE)])) == ['{"id":"n-1","refill_days":30}']


def test_lifetime_is_answered_as_null_days() -> None:
    assert answers(line(NAME_CASE, name="Likes | Lifetime")) == [{"id": "n-1", "refill_days": None}]


def test_optional_fields_take_their_defaults() -> None:
    minimal = {key: DECIDE_CASE[key] for key in ("id", "kind", "intent", "now", "service", "order")}
    partial = {**DECIDE_CASE["order"], "status": "Partial", "remains": 100, "current_count": 250300}

    # Partial orders are refilled by default; 400 delivered, 100 of them dropped.
    assert answers(line(minimal, order=partial)) == [
        {"id": "c-1", "outcome": "forward_refill", "drop": 100}
    ]


def test_the_tenant_settings_are_read() -> None:
    partial = {**DECIDE_CASE["order"], "status": "Partial", "remains": 100}

    (answered,) = answers(line(DECIDE_CASE, order=partial, settings={"refill_partial": False}))

    assert answered["outcome"] == "order_partial"


def test_without_a_message_there_is_no_screenshot() -> None:
    minimal = {key: DECIDE_CASE[key] for key in ("id", "kind", "intent", "now", "order")}
    needs_proof = {**DECIDE_CASE["service"], "screenshot_for": ["refill"]}

    (answered,) = answers(line(minimal, service=needs_proof))

    assert answered["outcome"] == "screenshot_required"


def test_status_spellings_of_other_panels_are_accepted() -> None:
    cancelled = {**DECIDE_CASE["order"], "status": "Cancelled"}

    assert answers(line(DECIDE_CASE, order=cancelled))[0]["outcome"] == "order_canceled"


def test_a_malformed_line_is_answered_with_an_error_and_the_next_lines_still_run() -> None:
    answered = answers("{not json", line(DECIDE_CASE), line(NAME_CASE))

    assert answered[0].keys() == {"id", "error"}
    assert answered[0]["id"] is None
    assert [answer["id"] for answer in answered[1:]] == ["c-1", "n-1"]
    assert "error" not in answered[1] and "error" not in answered[2]


def test_an_invalid_case_names_its_id_and_the_problem() -> None:
    (answered,) = answers(line(DECIDE_CASE, intent="upgrade"))

    assert answered["id"] == "c-1"
    assert "$.intent" in answered["error"]


def test_a_missing_field_is_reported() -> None:
    without_order = {key: value for key, value in DECIDE_CASE.items() if key != "order"}

    (answered,) = answers(line(without_order))

    assert answered == {"id": "c-1", "error": "Object missing required field `order`"}


def test_an_unknown_kind_is_reported() -> None:
    (answered,) = answers(line(NAME_CASE, kind="guess"))

    assert answered["id"] == "n-1"
    assert "$.kind" in answered["error"]


def test_times_without_a_timezone_are_rejected() -> None:
    (answered,) = answers(line(DECIDE_CASE, now="2026-03-26T09:47:00"))

    assert answered == {"id": "c-1", "error": "now must be timezone-aware"}


def test_negative_counts_are_rejected() -> None:
    negative = {**DECIDE_CASE["order"], "quantity": -5}

    (answered,) = answers(line(DECIDE_CASE, order=negative))

    assert answered["id"] == "c-1"
    assert "quantity must not be negative" in answered["error"]


def test_an_id_that_is_not_a_string_is_reported_without_an_id() -> None:
    (answered,) = answers(line(NAME_CASE, id=7))

    assert answered["id"] is None
    assert "$.id" in answered["error"]


def test_blank_lines_are_skipped() -> None:
    assert answers("", "   ", line(NAME_CASE)) == [{"id": "n-1", "refill_days": 30}]


def test_a_scenarios_document_becomes_one_line_per_case() -> None:
    document = json.dumps({"version": 1, "cases": [DECIDE_CASE, NAME_CASE]}, indent=2)

    lines = list(case_lines_from_file(document))

    assert [json.loads(case_line) for case_line in lines] == [DECIDE_CASE, NAME_CASE]
    assert all("\n" not in case_line for case_line in lines)


def test_one_broken_case_in_a_document_does_not_stop_the_others() -> None:
    document = json.dumps({"cases": [{"id": "bad", "kind": "decide"}, NAME_CASE]})

    answered = answers(*case_lines_from_file(document))

    assert answered[0]["id"] == "bad" and "error" in answered[0]
    assert answered[1] == {"id": "n-1", "refill_days": 30}
