"""Sentence structure the scoring needs: clauses, negation and contrast."""

from __future__ import annotations

from typing import NamedTuple

from supportai.engine.understanding.lexicon import CONTRAST, NEGATION_AFTER, NEGATION_BEFORE
from supportai.engine.understanding.matching import Hit
from supportai.engine.understanding.text import NEWLINE, NUMBER, SYMBOL, Token

NEGATION_REACH_BEFORE = 3  # "don't [please] cancel": a negator governs the next 3 tokens
NEGATION_REACH_AFTER = 2  # "refill nahi", "рефилла нет"
CONTRAST_BOOST = 1.5  # "don't cancel, just speed it up": the part after "just" counts more

# Latin, Arabic (؛ ؟ ۔), Devanagari (।), CJK (。！？；) and Armenian (։) sentence ends; the
# commas of those scripts too (، 、).
_SENTENCE_ENDS = frozenset(".!?;؛؟۔।。！？；։")
_COMMAS = frozenset(",،、，")
_BREAKS = _SENTENCE_ENDS | _COMMAS | {":"}


class Clauses(NamedTuple):
    clause_of: list[int]  # per token: its clause (split at sentence ends, commas, lines)
    sentence_of: list[int]  # per token: its sentence (split at sentence ends and lines)
    headers: frozenset[int]  # clauses ending in ":" at a line end, which introduce a list


def split_clauses(tokens: list[Token]) -> Clauses:
    count = len(tokens)
    clause_of = [0] * count
    sentence_of = [0] * count
    headers: set[int] = set()
    clause = sentence = 0
    clause_start = sentence_start = 0
    for index, token in enumerate(tokens):
        if token.kind != NEWLINE and not (token.kind == SYMBOL and token.text in _BREAKS):
            continue
        following = tokens[index + 1] if index + 1 < count else None
        ends_sentence = token.kind == NEWLINE or token.text in _SENTENCE_ENDS
        ends_header = token.text == ":" and (following is None or following.kind == NEWLINE)
        # A comma between two numbers lists IDs ("8810345, 8810346"); elsewhere it ends a
        # clause ("8801245 cancel, 8801246 speed up").
        ends_clause = token.text in _COMMAS and not (
            index > 0
            and tokens[index - 1].kind == NUMBER
            and following is not None
            and following.kind == NUMBER
        )
        if ends_header:
            headers.add(clause)
        if ends_sentence or ends_clause or ends_header:
            clause_of[clause_start : index + 1] = [clause] * (index + 1 - clause_start)
            clause, clause_start = clause + 1, index + 1
        if ends_sentence:
            sentence_of[sentence_start : index + 1] = [sentence] * (index + 1 - sentence_start)
            sentence, sentence_start = sentence + 1, index + 1
    clause_of[clause_start:] = [clause] * (count - clause_start)
    sentence_of[sentence_start:] = [sentence] * (count - sentence_start)
    return Clauses(clause_of, sentence_of, frozenset(headers))


class Polarity(NamedTuple):
    negated: frozenset[int]  # indexes (into the hit list) of negated hits
    negators: frozenset[int]  # hits that acted as negators ("не надо" in "не надо отменять")
    boosted: frozenset[int]  # hits after a contrast word in the same sentence


def read_polarity(hits: list[Hit], clauses: Clauses, is_cue: list[bool]) -> Polarity:
    """Which cue hits are negated, by a neighbouring negator or their own suffix, and
    which follow a contrast word. `is_cue[i]` says whether hit i can be negated. Hits are
    in text order and do not overlap, so only the neighbours within reach are looked at."""
    negated: set[int] = set()
    negators: set[int] = set()
    for index, hit in enumerate(hits):
        if not is_cue[index]:
            continue
        if hit.negated:
            negated.add(index)
            continue
        negator = _negator(hits, index, clauses.clause_of)
        if negator is not None:
            negated.add(index)
            negators.add(negator)
    boosted: set[int] = set()
    contrast_sentence = None
    for index, hit in enumerate(hits):
        sentence = clauses.sentence_of[hit.first]
        if sentence == contrast_sentence:
            boosted.add(index)
        if CONTRAST in hit.categories:
            contrast_sentence = sentence
    # A negator that negated something is a negator, not also a cue of its own.
    return Polarity(frozenset(negated - negators), frozenset(negators), frozenset(boosted))


def _negator(hits: list[Hit], index: int, clause_of: list[int]) -> int | None:
    """The nearest negator of hit `index` in its clause: before it, else after it."""
    hit = hits[index]
    for position in range(index - 1, -1, -1):
        other = hits[position]
        if hit.first - other.last > NEGATION_REACH_BEFORE:
            break
        if NEGATION_BEFORE in other.categories and clause_of[other.last] == clause_of[hit.first]:
            return position
    for position in range(index + 1, len(hits)):
        other = hits[position]
        if other.first - hit.last > NEGATION_REACH_AFTER:
            break
        if NEGATION_AFTER in other.categories and clause_of[other.first] == clause_of[hit.last]:
            return position
    return None
