"""The repository carries copies of the shared spec data its tests use, so a clone runs
on its own; where ../shared/ stands beside it, the copies must be identical."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
COPIES = {
    "scenarios.json": "spec/scenarios.json",
    "messages-dev.jsonl": "corpus/messages-dev.jsonl",
    "provider-replies-dev.jsonl": "corpus/provider-replies-dev.jsonl",
}


@pytest.mark.parametrize("copy", sorted(COPIES))
def test_the_copy_matches_the_shared_original(copy: str) -> None:
    original = SHARED / COPIES[copy]
    if not original.exists():
        pytest.skip(f"no {original} beside this clone")
    assert (DATA / copy).read_bytes() == original.read_bytes(), f"tests/data/{copy} is stale: copy it again"
