"""The team's training corpus: well-formed, broad, and free of the dev corpus's texts
(the dev corpus is an evaluation set; a model that saw it would be scored on its memory)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from supportai.engine.understanding.corpus import (
    check_corpus_file,
    load_messages,
    load_replies,
    training_files,
)

DEV = Path(__file__).resolve().parents[2] / "data"
FILES = training_files("messages") + training_files("replies")


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_every_corpus_file_is_well_formed(path: Path) -> None:
    assert check_corpus_file(path) == []


def test_the_checker_finds_a_wrong_label(tmp_path: Path) -> None:
    folder = tmp_path / "messages"
    folder.mkdir()
    bad = folder / "bad.jsonl"
    bad.write_text(
        '{"id": "x", "lang": "en", "channel": "ticket", "text": "refill 5531907", "intent": "cancel",'
        ' "orders": [{"id": "5531907", "intent": "refill"}, {"id": "999", "intent": "refill"}]}\n',
        encoding="utf-8",
    )
    problems = check_corpus_file(bad)
    assert any("majority is refill" in problem for problem in problems)
    assert any("999 does not stand in the text" in problem for problem in problems)


def test_the_corpus_is_large_and_multilingual() -> None:
    messages = [case for path in training_files("messages") for case in load_messages(path)]
    replies = [case for path in training_files("replies") for case in load_replies(path)]
    assert len(messages) >= 4000 and len(replies) >= 1000
    assert len({case.lang for case in messages}) >= 60
    assert {case.intent for case in messages} == {"refill", "cancel", "speed_up", "other"}


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_no_dev_corpus_text_is_in_the_training_corpus() -> None:
    dev = {_key(case.text) for case in load_messages(DEV / "messages-dev.jsonl")}
    dev |= {_key(case.text) for case in load_replies(DEV / "provider-replies-dev.jsonl")}
    training = [
        case for path in FILES
        for case in (load_replies(path) if path.parent.name == "replies" else load_messages(path))
    ]
    copied = [case.id for case in training if _key(case.text) in dev]
    assert copied == []
