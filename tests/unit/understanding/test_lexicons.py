"""Lexicon data files: they load from the installed package and a language is data."""

from __future__ import annotations

from importlib import resources

import pytest

from supportai.engine.understanding.lexicon import (
    LEXICON,
    build_lexicon,
    read_lexicon_files,
)
from supportai.engine.understanding.matching import find_hits
from supportai.engine.understanding.text import normalise, tokenise

REQUIRED_LANGUAGES = {
    "en",
    "hi",
    "hi-Latn",
    "pt",
    "ar",
    "ar-Latn",
    "id",
    "tr",
    "es",
    "ru",
    "ru-Latn",
    "ur",
    "ur-Latn",
    "fa",
    "bn",
    "uz",
    "uk",
    "vi",
    "fr",
    "th",
    "ko",
    "zh",
    "sw",
    "tl",
    "ms",
    "kk",
    "az",
    "de",
    "it",
    "ja",
    "pl",
}


def test_lexicons_ship_as_package_data() -> None:
    folder = resources.files("supportai.engine.understanding") / "lexicons"
    names = {entry.name for entry in folder.iterdir()}
    assert {"en.toml", "common.toml"} <= names


def test_every_required_language_has_a_profile() -> None:
    assert set(LEXICON.profiles) >= REQUIRED_LANGUAGES
    assert len(LEXICON.profiles) >= 30


def test_each_file_is_named_after_its_language() -> None:
    for name, table in read_lexicon_files():
        if name != "common.toml":
            assert name == f"{table['code']}.toml"


def test_a_new_language_is_added_as_data() -> None:
    esperanto = {
        "code": "eo",
        "name": "Esperanto",
        "scripts": ["Latn"],
        "markers": ["mia", "estas"],
        "intent": {"cancel": {"strong": ["nulig*"]}},
        "numbers": {"order_label": ["mendo*"]},
    }
    lexicon = build_lexicon([("eo.toml", esperanto)])
    tokens = tokenise(normalise("Bonvolu nuligi mian mendon 5531907"))
    categories = {s.category for hit in find_hits(tokens, lexicon) for s in hit.senses}
    assert {"cancel", "order_label"} <= categories
    assert "eo" in lexicon.profiles


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"code": "xx", "name": "X", "scripts": ["Latn"], "intnet": {}}, "unknown keys"),
        ({"code": "xx", "name": "X", "scripts": ["Latn"], "intent": {"refund": {}}}, "intent"),
        (
            {
                "code": "xx",
                "name": "X",
                "scripts": ["Latn"],
                "intent": {"cancel": {"strongest": ["x"]}},
            },
            "unknown keys",
        ),
        ({"code": "xx", "name": "X", "scripts": ["Klingon"]}, "unknown scripts"),
    ],
)
def test_mistakes_in_data_files_are_reported(table: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_lexicon([("xx.toml", table)])


def test_a_language_code_cannot_be_defined_twice() -> None:
    table = {"code": "xx", "name": "X", "scripts": ["Latn"]}
    with pytest.raises(ValueError, match="already defined"):
        build_lexicon([("a.toml", table), ("b.toml", table)])
