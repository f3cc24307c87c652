"""Every case of the acceptance table (spec scenarios.json) passes."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from supportai.engine.cases import DecideCase, case_lines_from_file, decide_lines
from supportai.engine.decisions import decide
from supportai.engine.refill_policy import refill_days_from_name

from ._support import SCENARIOS_PATH, scenario_cases

DECIDE_CASES = scenario_cases("decide")
NAME_CASES = scenario_cases("refill_days_from_name")


def test_the_table_has_both_kinds_of_cases() -> None:
    assert DECIDE_CASES and NAME_CASES


@pytest.mark.parametrize("case", DECIDE_CASES, ids=[case["id"] for case in DECIDE_CASES])
def test_decide_case(case: dict[str, Any]) -> None:
    decision = decide(msgspec.convert(case, DecideCase).to_input())

    assert decision.outcome == case["expect"]["outcome"]
    # The table gives a drop only for forward_refill; every other outcome has none.
    assert decision.drop == case["expect"].get("drop")


@pytest.mark.parametrize("case", NAME_CASES, ids=[case["id"] for case in NAME_CASES])
def test_refill_days_from_name_case(case: dict[str, Any]) -> None:
    assert refill_days_from_name(case["name"]).days == case["expect"]["refill_days"]


def test_the_decide_command_answers_the_whole_table() -> None:
    text = SCENARIOS_PATH.read_text(encoding="utf-8")
    expected = {case["id"]: case["expect"] for case in json.loads(text)["cases"]}

    answers = [json.loads(line) for line in decide_lines(case_lines_from_file(text))]

    assert [answer["id"] for answer in answers] == list(expected)
    for answer in answers:
        expect = expected[answer["id"]]
        if "outcome" in expect:
            assert answer == {
                "id": answer["id"],
                "outcome": expect["outcome"],
                "drop": expect.get("drop"),
            }
        else:
            assert answer == {"id": answer["id"], "refill_days": expect["refill_days"]}
