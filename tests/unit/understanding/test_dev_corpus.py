"""The dev targets on the labelled corpora in ../shared/corpus (beside the repository)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from supportai.engine.understanding.evaluation import (
    LabelledMessage,
    LabelledReply,
    score_messages,
    score_replies,
)
from supportai.engine.understanding.jsonl import classify_lines, classify_reply_lines

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "messages-dev.jsonl").exists(), reason=f"no labelled corpus at {CORPUS}"
)


def _lines(name: str) -> list[str]:
    return [
        line for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def test_messages_meet_the_dev_targets() -> None:
    lines = _lines("messages-dev.jsonl")
    cases = [msgspec.json.decode(line, type=LabelledMessage) for line in lines]
    report = score_messages(cases, classify_lines(lines))
    assert report.intent_accuracy >= 0.97, report.errors
    assert report.order_f1 >= 0.99, report.errors
    assert report.per_order_accuracy >= 0.97, report.errors


def test_provider_replies_meet_the_dev_target() -> None:
    lines = _lines("provider-replies-dev.jsonl")
    cases = [msgspec.json.decode(line, type=LabelledReply) for line in lines]
    report = score_replies(cases, classify_reply_lines(lines))
    assert report.accuracy >= 0.95, report.errors
