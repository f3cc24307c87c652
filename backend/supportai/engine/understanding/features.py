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


_AS_WRITTEN = frozenset({WORD, SYMBOL})
_NUMBER_FEATURE = "n:"  # a number or another token by its role; as long as WORD_FEATURE


def _role(token: Token, is_order_id: bool) -> str:
    """A token that is not a word or symbol, as the model sees it: its role."""
    if token.kind != NUMBER:
        return _NUMBER_FEATURE + _KIND_MARKS.get(token.kind, "<cell>")
    if is_order_id:
        return _NUMBER_FEATURE + "<id>"
    digits = len(token.text)
    return _NUMBER_FEATURE + ("<n1>" if digits == 1 else "<n2-4>" if digits <= 4 else "<n5+>")


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
    """Features of the tokens `first`..`last` (the whole text by default): each token, a
    folded word or symbol (`w:`) or the role of anything else (`n:`), and each pair of
    neighbours (`b:`)."""
    end = len(analysis.tokens) if last is None else last + 1
    order_positions = {index for index, _ in analysis.numbers.order_ids}
    # One comprehension, words first: the classifier's hottest feature loop.
    features = [
        WORD_FEATURE + token.text if token.kind in _AS_WRITTEN else _role(token, index in order_positions)
        for index, token in enumerate(analysis.tokens[first:end], first)
    ]
    names = [feature[2:] for feature in features]  # both prefixes are two characters
    features.extend(map("b:{} {}".format, names, names[1:]))
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
