"""The built-in translations (engine/locales/*.json): every file complete and consistent
with the English defaults, and English replies byte for byte what they were."""

from __future__ import annotations

import json
import unicodedata
from importlib import resources
from string import Formatter

import pytest

from supportai.engine import locales
from supportai.engine.decisions import Decision, Outcome
from supportai.engine.locales import ENGLISH_WORDS
from supportai.engine.templates import (
    DEFAULT_TEMPLATES,
    format_duration,
    render_combined_reply,
    reply_facts,
    validate_template,
)

LOCALE_FILES = sorted(
    (entry for entry in resources.files(locales.__name__).iterdir() if entry.name.endswith(".json")),
    key=lambda entry: entry.name,
)
WORD_PAIRS = ("minute", "hour", "day")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def _right_to_left_share(texts: list[str]) -> float:
    letters = [ch for text in texts for ch in text if ch.isalpha()]
    return sum(unicodedata.bidirectional(ch) in ("R", "AL") for ch in letters) / len(letters)


def test_there_are_translations():
    assert len(LOCALE_FILES) >= 2
    assert set(locales.locales()) == {"en"} | {entry.name.removesuffix(".json") for entry in LOCALE_FILES}


@pytest.mark.parametrize("entry", LOCALE_FILES, ids=[entry.name for entry in LOCALE_FILES])
def test_locale_file_is_complete_and_consistent(entry):
    raw = json.loads(entry.read_text(encoding="utf-8"))
    assert raw["language"] == entry.name.removesuffix(".json")
    assert raw["name"].strip()
    assert raw["direction"] in ("ltr", "rtl")
    templates = raw["templates"]
    assert set(templates) == set(DEFAULT_TEMPLATES)
    for key, text in templates.items():
        assert validate_template(key, text) == [], key
        assert _placeholders(text) == _placeholders(DEFAULT_TEMPLATES[key]), key
        assert text.strip() and text != DEFAULT_TEMPLATES[key], f"{key} is not translated"
    words = raw["words"]
    assert set(words) == {"order", "orders", "and", *WORD_PAIRS}
    for name in ("order", "orders", "and"):
        assert isinstance(words[name], str) and words[name].strip(), name
    for name in WORD_PAIRS:
        assert len(words[name]) == 2 and all(isinstance(w, str) and w.strip() for w in words[name]), name
    # The direction the page edits it in matches the script it is written in.
    rtl_share = _right_to_left_share([*templates.values(), words["order"]])
    assert (raw["direction"] == "rtl") == (rtl_share > 0.5), rtl_share


@pytest.mark.parametrize("code", [code for code in locales.locales() if code != "en"])
def test_each_language_renders_every_template_in_its_own_words(code):
    locale = locales.resolve(code)
    facts = {"refill_days": "30", "current_count": "1,200", "expected_count": "2,000", "max_orders": "100",
             **reply_facts(Decision(outcome=Outcome.WITHIN_EXPECTED_TIME, wait_seconds=2 * 3600 + 15 * 60))}
    for key in DEFAULT_TEMPLATES:
        reply = render_combined_reply([(key, "7", facts), (key, "8", facts)], locale.templates, locale.words)
        assert reply
        if "{orders}" in locale.templates[key]:
            assert f"{locale.words.orders} 7 {locale.words.and_} 8" in reply
    wait = render_combined_reply([(Outcome.WITHIN_EXPECTED_TIME, "7", facts)], locale.templates, locale.words)
    assert f"2 {locale.words.hour[1]} 15 {locale.words.minute[1]}" in wait


@pytest.mark.parametrize("code", ["und", "mixed", "sq", "", None, "xx-Latn"])
def test_languages_without_a_translation_resolve_to_english(code):
    assert locales.resolve(code) is locales.ENGLISH


def test_latin_letter_variants_read_their_base_language():
    assert locales.resolve("ru-Latn").code == "ru"
    assert locales.resolve("ar-Latn").code == "ar"


def test_english_replies_are_unchanged():
    """The exact texts English replies had before the translations."""
    wait = reply_facts(Decision(outcome=Outcome.WITHIN_EXPECTED_TIME, wait_seconds=2 * 86400 + 3 * 3600 - 30))
    reply = render_combined_reply(
        [(Outcome.WITHIN_EXPECTED_TIME, "1", wait), (Outcome.WITHIN_EXPECTED_TIME, "2", wait),
         (Outcome.WITHIN_EXPECTED_TIME, "3", wait), (Outcome.ALREADY_CANCELED, "4", {})]
    )
    assert reply == (
        "Orders 1, 2 and 3: still within its normal delivery time. Please allow 2 days 3 hours more; "
        "if it has not moved by then, write to us again.\n\nOrder 4: already canceled."
    )
    assert wait["wait"] == "2 days 3 hours"
    assert render_combined_reply([(Outcome.ALREADY_CANCELED, "4", {})], DEFAULT_TEMPLATES, ENGLISH_WORDS) == (
        "Order 4: already canceled."
    )
    assert [format_duration(s) for s in (1, 60, 61, 3600, 3660, 86400, 90000)] == [
        "1 minute", "1 minute", "2 minutes", "1 hour", "1 hour 1 minute", "1 day", "1 day 1 hour"
    ]
