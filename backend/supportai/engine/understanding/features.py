"""Features the learned models read: what the text says, and what the rules found in it.

Text features are words (with digits reduced to their role: an order ID, or a number of
some length), word pairs, word beginnings and endings, and the character 4-grams of each
word, so inflected and misspelled forms of a word share evidence, and so do related
languages the corpus has less of ("паскорце" beside "ускорьте"); scripts written without
spaces give character pairs and triples instead. Rule features are the lexicon cues by intent and tier, negated and
contrasted cues, the counts the numbers tell (a drop, a zero, a price) and the rules' own
verdict, so the model learns when to trust the rules and when the words say more.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

from supportai.engine.understanding.analysis import Analysis
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


def token_marks(analysis: Analysis, first: int, last: int) -> list[str]:
    """Each token as the model sees it: a folded word, or the role of a number."""
    order_positions = {index for index, _ in analysis.numbers.order_ids}
    marks = []
    for index in range(first, last + 1):
        token = analysis.tokens[index]
        if token.kind == WORD or token.kind == SYMBOL:
            marks.append(token.text)
        elif token.kind == NUMBER:
            marks.append("<id>" if index in order_positions else _number_mark(token))
        else:
            marks.append(_KIND_MARKS.get(token.kind, "<cell>"))
    return marks


def _number_mark(token: Token) -> str:
    digits = len(token.text)
    return "<n1>" if digits == 1 else "<n2-4>" if digits <= 4 else "<n5+>"


@lru_cache(maxsize=1 << 16)
def word_features(word: str) -> tuple[str, ...]:
    """What one word adds besides itself; cached, as most words recur from text to text."""
    if is_continuous_script(script_of(word[0])):
        return (*(f"c:{word[i:i + 2]}" for i in range(len(word) - 1)),
                *(f"c:{word[i:i + 3]}" for i in range(len(word) - 2)))
    if len(word) < _GRAM:
        return ()
    edged = f"<{word}>"
    grams = tuple(f"g:{edged[i:i + _GRAM]}" for i in range(len(edged) - _GRAM + 1))
    if len(word) < _MIN_AFFIX_WORD:
        return grams
    return (*grams, f"p:{word[:_PREFIX]}", f"s:{word[-_SUFFIX:]}")


def text_features(analysis: Analysis, first: int = 0, last: int | None = None) -> list[str]:
    """Features of the tokens `first`..`last` (the whole text by default)."""
    last = len(analysis.tokens) - 1 if last is None else last
    marks = token_marks(analysis, first, last)
    features = [f"w:{mark}" for mark in marks]
    features.extend(f"b:{a} {b}" for a, b in pairwise(marks))
    for token in analysis.tokens[first : last + 1]:
        if token.kind == WORD:
            features.extend(word_features(token.text))
    return features
