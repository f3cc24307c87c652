"""Language detection from script, distinctive letters and lexicon evidence."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from supportai.engine.understanding.lexicon import COMMON_LANGUAGE, Lexicon
from supportai.engine.understanding.matching import Hit
from supportai.engine.understanding.text import (
    SCRIPT_LANGUAGE_FALLBACK,
    WORD,
    Token,
    count_scripts,
)

UNDETERMINED = "und"
# English is the lingua franca of SMM panels: its words are read in every message.
ALWAYS_ACTIVE = frozenset({"en", COMMON_LANGUAGE})

LETTER_EVIDENCE = 0.5  # a letter only some languages use (ё, ğ, ә, ے)
MAX_LETTER_EVIDENCE = 3.0
ACTIVE_AT = 1.0  # evidence from which a secondary language's function words count


class LanguageGuess(NamedTuple):
    primary: str  # BCP-47-ish code, or "und" for a text without letters
    active: frozenset[str]  # languages whose function words are read in this message


def detect_language(
    case_folded: str, tokens: list[Token], hits: list[Hit], lexicon: Lexicon
) -> LanguageGuess:
    """`case_folded` is the text before letter folding (distinctive letters are still
    there); scripts are counted on the word tokens, so URLs do not count."""
    scripts = count_scripts("".join(token.text for token in tokens if token.kind == WORD))
    if not scripts:
        return LanguageGuess(UNDETERMINED, ALWAYS_ACTIVE)
    scores: dict[str, float] = defaultdict(float)
    for hit in hits:
        for lang, weight in hit.evidence:
            scores[lang] += weight
    if lexicon.letters_pattern is not None and not case_folded.isascii():
        letter_scores: dict[str, float] = defaultdict(float)
        for letter in lexicon.letters_pattern.findall(case_folded):
            languages = lexicon.letter_languages[letter]
            for lang in languages:
                letter_scores[lang] += LETTER_EVIDENCE / len(languages)
        for lang, score in letter_scores.items():
            scores[lang] += min(score, MAX_LETTER_EVIDENCE)

    dominant = max(scripts, key=scripts.__getitem__)
    default = lexicon.default_language(dominant) or SCRIPT_LANGUAGE_FALLBACK.get(
        dominant, UNDETERMINED
    )
    candidates = {
        lang: score
        for lang, score in scores.items()
        if lang in lexicon.profiles and dominant in lexicon.profiles[lang].scripts
    }
    primary = default
    if candidates:
        best = max(candidates, key=lambda lang: (candidates[lang], lang == default))
        if candidates[best] > candidates.get(default, 0.0):
            primary = best
    active = {primary} | {lang for lang, score in scores.items() if score >= ACTIVE_AT}
    return LanguageGuess(primary, frozenset(active) | ALWAYS_ACTIVE)
