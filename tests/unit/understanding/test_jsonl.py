"""The `classify` and `classify-reply` JSON Lines contracts."""

from __future__ import annotations

import json

from supportai.engine.understanding.jsonl import classify_lines, classify_reply_lines


def run(lines: list[str], reply: bool = False) -> list[dict]:
    function = classify_reply_lines if reply else classify_lines
    return [json.loads(line) for line in function(lines)]


def test_one_output_line_per_input_line_with_the_contract_fields() -> None:
    output = run(
        [
            json.dumps({"id": "a", "text": "refill 48213"}),
            json.dumps({"id": 7, "text": "отмените заказ 551200", "channel": "telegram"}),
        ]
    )
    assert output == [
        {
            "id": "a",
            "intent": "refill",
            "confidence": output[0]["confidence"],
            "lang": "en",
            "orders": [{"id": "48213", "intent": "refill"}],
        },
        {
            "id": 7,
            "intent": "cancel",
            "confidence": output[1]["confidence"],
            "lang": "ru",
            "orders": [{"id": "551200", "intent": "cancel"}],
        },
    ]
    assert all(0.0 <= line["confidence"] <= 1.0 for line in output)


def test_output_is_compact_json() -> None:
    (line,) = classify_lines([json.dumps({"id": "a", "text": "refill 48213"})])
    assert ": " not in line and ", " not in line


def test_blank_lines_are_skipped() -> None:
    output = run(["", "   ", json.dumps({"id": "a", "text": "hi"}), "\n"])
    assert [line["id"] for line in output] == ["a"]


def test_malformed_lines_yield_an_error_line_and_processing_continues() -> None:
    output = run(
        [
            "{not json",
            json.dumps(["a", "list"]),
            json.dumps({"text": "refill 48213"}),
            json.dumps({"id": True, "text": "refill 48213"}),
            json.dumps({"id": "no-text"}),
            json.dumps({"id": "number-text", "text": 12}),
            json.dumps({"id": "ok", "text": "refill 48213"}),
        ]
    )
    assert [line["id"] for line in output] == [
        "line:1",
        "line:2",
        "line:3",
        "line:4",
        "no-text",
        "number-text",
        "ok",
    ]
    assert all("error" in line for line in output[:6])
    assert output[6]["intent"] == "refill"


def test_more_than_100_ids_is_answered_with_a_clear_flag() -> None:
    text = "refill " + " ".join(str(7_000_000 + n) for n in range(101))
    (line,) = run([json.dumps({"id": "big", "text": text})])
    assert line["orders"] == []
    assert line["too_many_orders"] is True
    assert "100" in line["note"]


def test_classify_reply_lines() -> None:
    output = run(
        [
            json.dumps({"id": "r1", "text": "48213, 48214 refill started ✅"}),
            json.dumps({"id": "r2", "text": "checking"}),
            "oops",
        ],
        reply=True,
    )
    assert output == [
        {"id": "r1", "label": "confirm", "order_ids": ["48213", "48214"]},
        {"id": "r2", "label": "ambiguous", "order_ids": []},
        {"id": "line:3", "error": "not valid JSON"},
    ]


def test_output_is_deterministic() -> None:
    lines = [
        json.dumps({"id": str(n), "text": text})
        for n, text in enumerate(
            ["refill 1111 and cancel 2222", "заказ 3381902 висит", "order 5531907 pendin"]
        )
    ]
    assert list(classify_lines(lines)) == list(classify_lines(lines))
