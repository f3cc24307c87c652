"""The pipeline shared by customer messages and provider replies."""

from __future__ import annotations

from typing import NamedTuple

from supportai.engine.understanding.fuzzy import FuzzyIndex, find_typo_hits
from supportai.engine.understanding.grammar import Clauses, split_clauses
from supportai.engine.understanding.language import LanguageGuess, detect_language
from supportai.engine.understanding.lexicon import LEXICON, LanguageProfile
from supportai.engine.understanding.matching import (
    Hit,
    find_hits,
    find_morphology_hits,
    keep_languages,
    segment,
)
from supportai.engine.understanding.numerals import Numbers, number_candidates, read_numbers
from supportai.engine.understanding.text import Token, fold_case, fold_letters, tokenise

_TYPOS = FuzzyIndex(LEXICON)


class Analysis(NamedTuple):
    tokens: list[Token]
    hits: list[Hit]  # lexicon terms, keeping only senses valid in the message's languages
    language: LanguageGuess
    profile: LanguageProfile | None  # of the primary language, when it has a lexicon
    numbers: Numbers
    clauses: Clauses


def analyse(text: str) -> Analysis:
    """Normalise, tokenise, find lexicon terms, detect the language, read the numbers."""
    tokens, hits, language, profile = _words(text)
    numbers = read_numbers(tokens, hits, verb_final=bool(profile and profile.verb_final))
    return Analysis(tokens, hits, language, profile, numbers, split_clauses(tokens))


def candidate_order_ids(text: str) -> list[tuple[str, list[str]]]:
    """The numbers of a text that may be order IDs, with what the number model reads of
    each (its training examples)."""
    tokens, hits, _, profile = _words(text)
    return number_candidates(tokens, hits, verb_final=bool(profile and profile.verb_final))


def _words(text: str) -> tuple[list[Token], list[Hit], LanguageGuess, LanguageProfile | None]:
    """The tokens, the lexicon terms valid in the text's languages, the languages and the
    primary one's profile (when it has a lexicon)."""
    case_folded = fold_case(text)
    tokens = segment(tokenise(fold_letters(case_folded)), LEXICON)
    hits = find_hits(tokens, LEXICON)
    language = detect_language(case_folded, tokens, hits, LEXICON)
    active = language.active
    if any(
        hit.first != hit.last and any(s.gated and s.lang not in active for s in hit.senses)
        for hit in hits
    ):
        # A phrase of an absent language may hide words of a present one: match again.
        hits = find_hits(tokens, LEXICON, active)
    else:
        hits = _keep_active(hits, active)
    hits = find_morphology_hits(tokens, hits, LEXICON, active)
    hits = find_typo_hits(tokens, hits, _TYPOS, active)
    return tokens, hits, language, LEXICON.profiles.get(language.primary)


def _keep_active(hits: list[Hit], active: frozenset[str]) -> list[Hit]:
    return [kept for hit in hits if (kept := keep_languages(hit, active)) is not None]
