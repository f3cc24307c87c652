"""Typo tolerance: a word one edit away from a cue still counts, a little less.

"cancle", "pendin", "spped", "stuk", "refiil": one letter missing, extra, wrong or
swapped. Only cue words of alphabetic scripts with at least four letters take part, the
first letter must agree, and the search runs only for messages where exact matching
found no clear cue, so a correctly spelled message never pays for it.

Lookups use the deletion neighbourhood (as in SymSpell): a word and a term are within
one edit when deleting at most one letter from each makes them equal; candidates found
that way are confirmed with an exact edit-distance check.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from supportai.engine.understanding.lexicon import (
    CLEAR_CUE_WEIGHT,
    INTENTS,
    REPLY_LABELS,
    Lexicon,
    Sense,
    reply_category,
)
from supportai.engine.understanding.matching import Hit, make_hit
from supportai.engine.understanding.text import ALPHABETIC_SCRIPTS, WORD, Token, script_of

MIN_LENGTH = 4
WEIGHT_FACTOR = 0.75  # a misspelt cue is a little less certain than a spelt one
_CUE_CATEGORIES = frozenset(INTENTS) | {reply_category(label) for label in REPLY_LABELS}


class _FuzzyTerm(NamedTuple):
    text: str
    prefix: bool
    senses: tuple[Sense, ...]


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """Optimal string alignment distance of at most 1 (a swap of neighbours is one edit)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    for i, char in enumerate(shorter):
        if char != longer[i]:
            return shorter[i:] == longer[i + 1 :]
    return True


class FuzzyIndex:
    def __init__(self, lexicon: Lexicon) -> None:
        self._by_key: dict[str, list[_FuzzyTerm]] = defaultdict(list)
        lengths: set[int] = set()
        for index, is_prefix in ((lexicon.exact, False), (lexicon.prefix, True)):
            for text, entries in index.items():
                if len(text) < MIN_LENGTH or script_of(text[0]) not in ALPHABETIC_SCRIPTS:
                    continue
                senses = tuple(
                    sense._replace(weight=sense.weight * WEIGHT_FACTOR)
                    for entry in entries
                    if not entry.rest
                    for sense in entry.senses
                    if sense.category in _CUE_CATEGORIES and sense.weight >= CLEAR_CUE_WEIGHT
                )
                if not senses:
                    continue
                term = _FuzzyTerm(text, is_prefix, senses)
                for key in _deletions(text):
                    self._by_key[key].append(term)
                if is_prefix:
                    lengths.update((len(text) - 1, len(text), len(text) + 1))
        self._stem_lengths = tuple(sorted(length for length in lengths if length >= MIN_LENGTH))

    def senses(self, word: str, languages: frozenset[str]) -> tuple[Sense, ...]:
        """Cue senses of the terms one edit away from `word` (or from its beginning)."""
        candidates = {word} | {
            word[:length] for length in self._stem_lengths if length <= len(word)
        }
        found: dict[str, _FuzzyTerm] = {}
        for candidate in candidates:
            for key in _deletions(candidate):
                for term in self._by_key.get(key, ()):
                    if (
                        term.text[0] == word[0]
                        and (term.prefix or candidate == word)
                        and within_one_edit(candidate, term.text)
                    ):
                        found[term.text] = term
        return tuple(
            sense
            for term in found.values()
            for sense in term.senses
            if not sense.gated or sense.lang in languages
        )


def find_typo_hits(
    tokens: list[Token], hits: list[Hit], index: FuzzyIndex, languages: frozenset[str]
) -> list[Hit]:
    """Add cue hits for misspelt words, when the exact hits hold no clear cue."""
    if any(
        sense.category in _CUE_CATEGORIES and sense.weight >= CLEAR_CUE_WEIGHT
        for hit in hits
        for sense in hit.senses
    ):
        return hits
    covered = {i for hit in hits for i in range(hit.first, hit.last + 1)}
    extra = []
    for position, token in enumerate(tokens):
        if (
            token.kind != WORD
            or position in covered
            or len(token.text) < MIN_LENGTH
            or script_of(token.text[0]) not in ALPHABETIC_SCRIPTS
        ):
            continue
        senses = index.senses(token.text, languages)
        if senses:
            extra.append(make_hit(position, position, senses))
    return sorted(hits + extra, key=lambda hit: hit.first) if extra else hits
