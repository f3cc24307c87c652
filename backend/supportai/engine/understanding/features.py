"""Features the learned models read: what the text says, and what the rules found in it.

Text features are words (with digits reduced to their role: an order ID, or a number of
some length) and word pairs. A word (`w:` feature) stands for itself and its pieces
(`word_pieces`): its beginning and ending and its character 4-grams, so inflected and
misspelled forms of a word share evidence, and so do related languages the corpus has
less of ("паскорце" beside "ускорьте"); scripts written without spaces give character
pairs and triples instead. The model sums a word's row once per word (`classifier.py`),
so a text costs one lookup per word, not one per piece. Rule features are the lexicon
cues by intent and tier, negated and contrasted cues, the counts the numbers tell (a
drop, a zero, a price) and the rules' own verdict, so the model learns when to trust the
rules and when the words say more.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from supportai.engine.understanding.text import (
    DATE,
    DECIMAL,
    GROUPED,
    MASKED,
    NEWLINE,
    NUMBER,
    PHONE,
    SYMBOL,
    TIME,
    WORD,
    Token,
    is_continuous_script,
    script_of,
)

if TYPE_CHECKING:  # the number reader scores with a model too: no import cycle
    from supportai.engine.understanding.analysis import Analysis

WORD_FEATURE = "w:"  # a word, standing for itself and its pieces
_PREFIX = 4  # a word's beginning: stems of inflected forms ("cancel", "cancelled")
_SUFFIX = 3  # its ending: suffix languages mark negation and tense there
_MIN_AFFIX_WORD = 5
_GRAM = 4  # character n-grams of a word, its edges marked: measured best of 3-5 held out
_KIND_MARKS = {
    DATE: "<date>",
    TIME: "<time>",
    PHONE: "<phone>",
    MASKED: "<link>",
    GROUPED: "<count>",
    DECIMAL: "<decimal>",
    NEWLINE: "<nl>",
}


def token_marks(analysis: Analysis, first: int, last: int) -> list[tuple[str, bool]]:
    """Each token as the model sees it, and whether it is a word: a folded word (or a
    symbol), or the role of a number."""
    order_positions = {index for index, _ in analysis.numbers.order_ids}
    marks = []
    for index in range(first, last + 1):
        token = analysis.tokens[index]
        if token.kind == WORD or token.kind == SYMBOL:
            marks.append((token.text, True))
        elif token.kind == NUMBER:
            marks.append(("<id>" if index in order_positions else _number_mark(token), False))
        else:
            marks.append((_KIND_MARKS.get(token.kind, "<cell>"), False))
    return marks


def _number_mark(token: Token) -> str:
    digits = len(token.text)
    return "<n1>" if digits == 1 else "<n2-4>" if digits <= 4 else "<n5+>"


@lru_cache(maxsize=1 << 16)
def word_pieces(word: str) -> tuple[str, ...]:
    """The features a word stands for besides itself, each once; cached, as most words
    recur from text to text."""
    if is_continuous_script(script_of(word[0])):
        pairs = (f"c:{word[i:i + 2]}" for i in range(len(word) - 1))
        return tuple(dict.fromkeys((*pairs, *(f"c:{word[i:i + 3]}" for i in range(len(word) - 2)))))
    if len(word) < _GRAM:
        return ()
    edged = f"<{word}>"
    grams = (f"g:{edged[i:i + _GRAM]}" for i in range(len(edged) - _GRAM + 1))
    if len(word) < _MIN_AFFIX_WORD:
        return tuple(dict.fromkeys(grams))
    return tuple(dict.fromkeys((*grams, f"p:{word[:_PREFIX]}", f"s:{word[-_SUFFIX:]}")))


def text_features(analysis: Analysis, first: int = 0, last: int | None = None) -> list[str]:
    """Features of the tokens `first`..`last` (the whole text by default)."""
    last = len(analysis.tokens) - 1 if last is None else last
    marks = token_marks(analysis, first, last)
    features = [f"{WORD_FEATURE}{mark}" if is_word else f"n:{mark}" for mark, is_word in marks]
    names = [mark for mark, _ in marks]
    features.extend(map("b:{} {}".format, names, names[1:]))  # in C: a hot path
    return features


def expanded(features: Iterable[str]) -> list[str]:
    """The features as the model scores them (for training): each distinct feature once,
    and each piece once per distinct word that has it."""
    distinct = set(features)
    pieces = [
        piece
        for name in distinct
        if name.startswith(WORD_FEATURE)
        for piece in word_pieces(name[len(WORD_FEATURE):])
    ]
    return [*distinct, *pieces]
