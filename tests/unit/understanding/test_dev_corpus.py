"""The dev corpus (tests/data, a copy of ../shared/corpus): an evaluation set the models
never train on; the figures here are a floor, the honest ones come from
scripts/evaluate_understanding.py."""

from __future__ import annotations

from pathlib import Path

import msgspec

from supportai.engine.understanding.evaluation import (
    LabelledMessage,
    LabelledReply,
    score_messages,
    score_replies,
)
from supportai.engine.understanding.jsonl import classify_lines, classify_reply_lines

CORPUS = Path(__file__).resolve().parents[2] / "data"


def _lines(name: str) -> list[str]:
    return [
        line for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def test_messages_meet_the_dev_targets() -> None:
    lines = _lines("messages-dev.jsonl")
    cases = [msgspec.json.decode(line, type=LabelledMessage) for line in lines]
    report = score_messages(cases, classify_lines(lines))
    # The targets for unseen messages; the dev corpus is one (never trained on).
    assert report.intent_accuracy >= 0.95, report.errors
    assert report.order_f1 >= 0.995, report.errors
    assert report.per_order_accuracy >= 0.95, report.errors
    assert report.wrong_action_rate <= 0.005, report.errors


def test_provider_replies_meet_the_dev_target() -> None:
    lines = _lines("provider-replies-dev.jsonl")
    cases = [msgspec.json.decode(line, type=LabelledReply) for line in lines]
    report = score_replies(cases, classify_reply_lines(lines))
    assert report.accuracy >= 0.95, report.errors
    assert report.declines_read_as_confirm == 0, report.errors
