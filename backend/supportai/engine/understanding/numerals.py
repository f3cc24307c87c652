"""Reading the numbers of a message: which are order IDs, which are counts.

Messages are full of numbers that are not order IDs: quantities ("1000", "10k", "2,500"),
prices, dates and times, phone numbers, percentages, start counts and remains pasted from
the panel, service IDs, payment IDs, ticket numbers, numeric usernames, numbers in URLs.

Shapes that can never be an order ID are settled by the tokeniser (dates, times, grouped
or decimal numbers, international phone numbers, masked URLs) and by the words glued to
or standing beside a number (a currency, "%", a time unit, a label such as "service" or
"transaction ID"). The bare numbers that remain are scored: panel order IDs are usually
5-9 digits and rarely round, an order word or "#"/"ID" before (or, in verb-final
languages, after) a number is strong evidence, and so is an action word right next to it
("refill 48213"). Numbers listed together ("1111, 1112 and 1113") share the verdict of
their best-supported member, and in a message that labels its IDs, unlabelled numbers of
a very different length are probably counts.

Those scores and the words around each candidate are what the number model
(`models/numbers.json`, trained from the team's corpus like the intent model) reads to
decide: a hand-set score cannot weigh "transaktions-ID", "tocyn" or a date written
"20261103" in every language, the learned weights of the words beside a number can.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, lru_cache
from typing import NamedTuple

from supportai.engine.understanding.classifier import LinearModel
from supportai.engine.understanding.lexicon import (
    ACTIONS,
    CLEAR_CUE_WEIGHT,
    CONJUNCTION,
    COUNT_LABEL,
    CURRENCY,
    MULTIPLIER,
    NOT_ORDER_LABELS,
    NUMBER_LABEL,
    ORDER_LABEL,
    PERCENT,
    QUANTITY_UNIT,
    TIME_UNIT,
)
from supportai.engine.understanding.matching import Hit
from supportai.engine.understanding.text import (
    ALPHABETIC_SCRIPTS,
    CELL,
    DECIMAL,
    GROUPED,
    NEWLINE,
    NUMBER,
    SYMBOL,
    WORD,
    Token,
    script_of,
)

# Score of a bare number by its digit count: order IDs are usually 5-9 digits long.
_LENGTH_PRIOR = {
    1: -3.0,
    2: -3.0,
    3: -2.0,
    4: -1.0,
    5: 1.0,
    6: 2.0,
    7: 2.0,
    8: 2.0,
    9: 2.0,
    10: 0.0,
}
_LONG_NUMBER_PRIOR = -2.0  # 11+ digits: payment references, phone numbers
ORDER_LABEL_BONUS = 4.0  # "order 123", "заказ №123"
# Weaker: an order word after the number ("6612094 numaralı sipariş", "6671530 wala order",
# but "3 orders" counts orders) or one word away ("oda yangu 6630912").
ORDER_LABEL_NEAR_BONUS = 2.0
NUMBER_LABEL_BONUS = 3.0  # "#123", "ID: 123"
ACTION_BONUS = 2.0  # "refill 48213", "7702138 iptal edin"
ROUND_PENALTY = -2.0  # 5000, 41200: counts are round, IDs are not
YEAR_PENALTY = -1.0  # 2024: four digits that read as a recent year
_YEARS = range(1990, 2040)
UNIT_PENALTY = -3.0  # "12450 followers"
# "order 5531907 followers dropped": a long, unround number before a unit is still an ID.
LONG_NUMBER_UNIT_PENALTY = -1.0
_LONG_FROM = 6
ACCEPT_AT = 1.0  # the hand score that reads as an ID: a feature of the model
# Number-model labels, and the probabilities to accept a candidate at, alone and listed
# with accepted IDs of about its length ("1111, 1112 and 1113").
IS_ORDER_ID, NOT_ORDER_ID = "order_id", "other_number"
NUMBER_LABELS = (IS_ORDER_ID, NOT_ORDER_ID)
ID_AT = 0.5
# The hand score of a number an order word names (4 digits and up, not round): short IDs
# of young panels are rare in the corpus, so the model alone would doubt them.
NAMED_ID_SCORE = 3.0
LIST_MEMBER_AT = 0.3
LIST_MEMBER_FLOOR = -1.0  # or, in a list an order word names, this hand score: "orders 1001,1002,1003"
_MAX_COUNT_DIGITS = 2
_MIN_ID_ROW_DIGITS = 5
_CONTEXT = 2  # tokens on each side whose text the model reads
_STEM, _MIN_STEM_WORD = 4, 5  # a context word's beginning and ending, for words this long
_DATE_YEARS = range(2000, 2040)
_MESSAGE_CATEGORIES = frozenset({ORDER_LABEL, *NOT_ORDER_LABELS, CURRENCY, *ACTIONS})

# The order word follows the number, or one word stands between ("oda yangu 6630912").
ORDER_LABEL_NEAR = "order_label_near"
ORDER_ID = "order_id"
QUANTITY = "quantity"
NOT_A_COUNT = "not_a_count"  # time, price, percent, phone, code, labelled ID

_LABEL_JOINERS = frozenset(":-=(")  # "ID: 123", "order - 123", "id=123"
_ACTION_JOINERS = _LABEL_JOINERS | {"#"}  # "refill #123"

_LIST_JOINERS = frozenset(",/;|-&•*·#:+")
_MAX_LIST_GAP = 4
_MAX_FILLER_WORDS = 1  # "whatsapp is 0803...", "remaining like 1400"


class Numbers(NamedTuple):
    order_ids: list[tuple[int, str]]  # (token index, ID) in text order, repeats kept
    quantities: list[float]  # counts in text order
    has_price: bool
    has_zero_count: bool  # a bare 0 ("stuck at 0", "пришло 0")


class _Reading(NamedTuple):
    kind: str  # ORDER_ID (a candidate), QUANTITY or NOT_A_COUNT
    value: float = 0.0  # the hand score of a candidate, the value of a quantity
    label: str | None = None  # of a candidate: ORDER_LABEL, ORDER_LABEL_NEAR, NUMBER_LABEL


class _Candidate(NamedTuple):
    index: int
    reading: _Reading  # its hand score and label
    named: bool  # written right after an order word ("order 1001"): an ID whatever the model says


_NOT_A_COUNT = _Reading(NOT_A_COUNT)


@dataclass
class _Reader:
    tokens: list[Token]
    hits: list[Hit]
    verb_final: bool
    has_cells: bool
    ending_at: dict[int, Hit] = field(default_factory=dict)
    starting_at: dict[int, Hit] = field(default_factory=dict)
    table_count_tokens: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        for hit in self.hits:
            self.ending_at[hit.last] = hit
            self.starting_at[hit.first] = hit
        if self.has_cells:
            self.table_count_tokens = _table_count_tokens(self.tokens, self.hits)

    @cached_property
    def message_categories(self) -> list[str]:
        """What the whole text names, as number-model features: a payment, ticket or phone
        word anywhere in a text without an order word makes its numbers references, not
        orders ("mokėjimo nr. 702948316"). Read once, and only for a text with candidates."""
        categories = {category for hit in self.hits for category in hit.categories}
        return [f"message:{category}" for category in sorted(categories & _MESSAGE_CATEGORIES)]

    # -- neighbours ------------------------------------------------------------------

    def token(self, index: int) -> Token | None:
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def categories_before(self, index: int) -> frozenset[str]:
        hit = self.ending_at.get(index - 1)
        return hit.categories if hit else frozenset()

    def categories_after(self, index: int) -> frozenset[str]:
        hit = self.starting_at.get(index + 1)
        return hit.categories if hit else frozenset()

    def glued(self, left: int, right: int) -> bool:
        return (
            left >= 0
            and right < len(self.tokens)
            and self.tokens[left].end == self.tokens[right].start
        )

    def multiplier_after(self, index: int) -> float | None:
        hit = self.starting_at.get(index + 1)
        if hit is None:
            return None
        factors = [s.weight for s in hit.senses if s.category == MULTIPLIER]
        return max(factors) if factors else None

    # -- classification ---------------------------------------------------------------

    def unit_kind(self, index: int) -> str | None:
        """What the words around a number say it is, if they settle it."""
        before, after = self.categories_before(index), self.categories_after(index)
        if CURRENCY in before or CURRENCY in after:
            return NOT_A_COUNT
        if (PERCENT in before and self.glued(index - 1, index)) or PERCENT in after:
            return NOT_A_COUNT
        if TIME_UNIT in after:
            return NOT_A_COUNT
        return None

    def read_number(self, index: int) -> _Reading:
        token = self.tokens[index]
        digits = token.text
        count = _Reading(QUANTITY, float(int(digits)))
        previous, following = self.token(index - 1), self.token(index + 1)
        if self.unit_kind(index):
            return _NOT_A_COUNT
        factor = self.multiplier_after(index)
        if factor:
            return _Reading(QUANTITY, int(digits) * factor)
        if (
            following is not None
            and following.kind == WORD
            and self.glued(index, index + 1)
            and _is_alphabetic(following.text[0])
        ):
            # Letters glued after digits: a unit ("500followers") or a code ("2fa", "3rd").
            # Scripts without spaces glue every word, so there the scoring decides.
            return count if QUANTITY_UNIT in self.categories_after(index) else _NOT_A_COUNT
        if previous is not None and previous.kind == WORD and self.glued(index - 1, index):
            labels = self.categories_before(index) & {ORDER_LABEL, NUMBER_LABEL}
            if _is_alphabetic(previous.text[-1]) and not labels:
                return _NOT_A_COUNT  # "TRC20", "T2403151122334455", "v2"
        if previous is not None and previous.text == "+" and self.glued(index - 1, index):
            return _NOT_A_COUNT  # "+905321234567"
        if digits.startswith("0") and len(digits) >= 9:
            return _NOT_A_COUNT  # a local phone number: 08031234567
        if len(digits) <= _MAX_COUNT_DIGITS:
            return count  # "ordered 2 times", "order 2 days ago": no panel's IDs are this short
        if self.is_progress(index):
            return count  # "stuck at 3400/10000"
        label = self.label(index)
        if label in NOT_ORDER_LABELS:
            # The customer's own counts tell a story ("was 5000, now 3100"); pasted panel
            # columns ("start count 12450 remains 3300") do not.
            return count if label == COUNT_LABEL else _NOT_A_COUNT
        if index in self.table_count_tokens:
            return count
        return _Reading(ORDER_ID, self.score(index, label), label)

    def score(self, index: int, label: str | None) -> float:
        digits = self.tokens[index].text
        score = _LENGTH_PRIOR.get(len(digits), _LONG_NUMBER_PRIOR)
        if label == ORDER_LABEL:
            score += ORDER_LABEL_BONUS
        elif label == ORDER_LABEL_NEAR:
            score += ORDER_LABEL_NEAR_BONUS
        elif label == NUMBER_LABEL:
            score += NUMBER_LABEL_BONUS
        if _is_round(digits):
            score += ROUND_PENALTY
        if len(digits) == 4 and int(digits) in _YEARS:
            score += YEAR_PENALTY
        if QUANTITY_UNIT in self.categories_after(index):
            score += LONG_NUMBER_UNIT_PENALTY if len(digits) >= _LONG_FROM else UNIT_PENALTY
        if self.action_adjacent(index):
            score += ACTION_BONUS
        return score

    def action_adjacent(self, index: int) -> bool:
        """An action word right before or after the number ("refill 48213", "7702138 iptal")."""
        for step in (-1, 1):
            neighbour = index + step
            while (
                (token := self.token(neighbour)) is not None
                and token.kind == SYMBOL
                and token.text in _ACTION_JOINERS
            ):
                neighbour += step
            hit = self.ending_at.get(neighbour) if step < 0 else self.starting_at.get(neighbour)
            if (
                hit
                and not hit.negated
                and not ACTIONS.isdisjoint(hit.categories)
                and any(s.category in ACTIONS and s.weight >= CLEAR_CUE_WEIGHT for s in hit.senses)
            ):
                return True
        return False

    def is_progress(self, index: int) -> bool:
        """One side of "done/total" without spaces, where the total is round."""
        slash_after = self.token(index + 1)
        if (
            slash_after is not None
            and slash_after.text == "/"
            and self.glued(index, index + 1)
            and self.glued(index + 1, index + 2)
        ):
            total = self.token(index + 2)
            return total is not None and total.kind == NUMBER and _is_round(total.text)
        slash_before = self.token(index - 1)
        if (
            slash_before is not None
            and slash_before.text == "/"
            and self.glued(index - 1, index)
            and self.glued(index - 2, index - 1)
        ):
            done = self.token(index - 2)
            return done is not None and done.kind == NUMBER and _is_round(self.tokens[index].text)
        return False

    def label(self, index: int) -> str | None:
        """The label category that governs this number: ORDER_LABEL, NUMBER_LABEL, one of
        NOT_ORDER_LABELS, or None."""
        generic = False
        fillers = 0
        position = index - 1
        while (token := self.token(position)) is not None and token.kind != NEWLINE:
            if token.kind == SYMBOL:
                if token.text == "#":
                    generic = True
                elif token.text not in _LABEL_JOINERS:
                    break
                position -= 1
                continue
            if token.kind != WORD:
                break
            hit = self.ending_at.get(position)
            categories = hit.categories if hit else frozenset()
            if ORDER_LABEL in categories:
                # "oda yangu 6630912", "pesanan saya 123": a possessive between is fine.
                return ORDER_LABEL if fillers == 0 else ORDER_LABEL_NEAR
            not_order = categories & NOT_ORDER_LABELS
            if not_order:
                return min(not_order)
            if NUMBER_LABEL in categories and fillers == 0 and hit is not None:
                generic = True
                position = hit.first - 1
                continue
            fillers += 1
            if fillers > _MAX_FILLER_WORDS or generic:
                break
            position = (hit.first if hit else position) - 1
        following = self.label_after(index)
        if following:
            return following
        return NUMBER_LABEL if generic else None

    def label_after(self, index: int) -> str | None:
        """A label following the number: "6612094 numaralı sipariş", "6671530 wala order"."""
        position = index + 1
        while (token := self.token(position)) is not None:
            if token.kind == SYMBOL and token.text in _LABEL_JOINERS:
                position += 1
                continue
            if token.kind != WORD:
                return None
            hit = self.starting_at.get(position)
            if hit is None:
                return None
            categories = hit.categories
            if ORDER_LABEL in categories:
                return ORDER_LABEL_NEAR
            labels_after = categories & (NOT_ORDER_LABELS - {COUNT_LABEL})
            if self.verb_final and labels_after:
                return min(labels_after)  # "1452 numaralı servis"
            if NUMBER_LABEL in categories:
                position = hit.last + 1
                continue
            return None
        return None

    def features(self, index: int, reading: _Reading, candidates: int, labelled_lengths: set[int]) -> list[str]:
        """What the number model reads of a candidate: its shape, the hand score and label,
        the words and symbols around it, and the other candidates of the message."""
        digits = self.tokens[index].text
        features = [
            f"len:{min(len(digits), 12)}",
            f"score:{max(-4, min(8, round(reading.value)))}",
            f"label:{reading.label}",
            f"candidates:{min(candidates, 4)}",
        ]
        if _is_round(digits):
            features.append("round")
        if digits[0] == "0":
            features.append("leading_zero")
        if _reads_as_date(digits):
            features.append("date_digits")
        elif len(digits) == 4 and int(digits) in _DATE_YEARS:
            features.append("year_digits")  # "since 2024": no order ID of the corpus is one
        if labelled_lengths and (reading.label is None or reading.value < ACCEPT_AT):
            near = min(abs(len(digits) - length) for length in labelled_lengths)
            features.append(f"labelled_ids:{'same' if near <= 1 else 'other'}_length")
        if self.action_adjacent(index):
            features.append("action_adjacent")
        features.extend(self.message_categories)
        features.extend(f"before:{category}" for category in self.categories_before(index))
        features.extend(f"after:{category}" for category in self.categories_after(index))
        for offset in (*range(-_CONTEXT, 0), *range(1, _CONTEXT + 1)):
            features.extend(self._context(index + offset, offset))
        return features

    def _context(self, position: int, offset: int) -> tuple[str, ...]:
        """The token `offset` away from a candidate, as features: a word with its stem
        and ending (so "transaktions" and "transakcija" share evidence), a symbol, or the
        kind of token."""
        token = self.token(position)
        if token is None:
            return (f"{offset}:edge",)
        if token.kind == WORD:
            return _word_context(offset, token.text)
        if token.kind == SYMBOL:
            return (f"{offset}:y:{token.text}",)
        if token.kind == NUMBER:
            return (f"{offset}:n:{min(len(token.text), 12)}{':0' if token.text[0] == '0' else ''}",)
        return (f"{offset}:k:{token.kind}",)

    def read_quantity(self, index: int) -> _Reading:
        """A grouped or decimal number: a count, unless it is a price or a percentage."""
        if self.unit_kind(index):
            return _NOT_A_COUNT
        text = self.tokens[index].text
        if self.tokens[index].kind == GROUPED:
            value = float("".join(ch for ch in text if ch.isdigit()))
        else:
            value = float(text.replace(",", "."))
        return _Reading(QUANTITY, value * (self.multiplier_after(index) or 1.0))

    def in_same_list(self, left: int, right: int) -> bool:
        """Whether only separators, conjunctions and labels stand between two numbers."""
        if right - left - 1 > _MAX_LIST_GAP:
            return False
        position = left + 1
        while position < right:
            token = self.tokens[position]
            if token.kind == NEWLINE or (token.kind == SYMBOL and token.text in _LIST_JOINERS):
                position += 1
                continue
            hit = self.starting_at.get(position)
            if (
                token.kind == WORD
                and hit
                and hit.categories & {CONJUNCTION, ORDER_LABEL, NUMBER_LABEL}
            ):
                position = hit.last + 1
                continue
            return False
        return True


_NUMERIC = frozenset({NUMBER, GROUPED, DECIMAL})


_NUMBER_MODEL: ContextVar[LinearModel | None] = ContextVar("number_model", default=None)


@cache
def shipped_number_model() -> LinearModel:
    return LinearModel.load("numbers")


@contextmanager
def numbers_read_by(model: LinearModel) -> Iterator[None]:
    """Read numbers with `model` instead of the shipped one: training and evaluation read
    the corpus with the number model trained beside the intent model."""
    token = _NUMBER_MODEL.set(model)
    try:
        yield
    finally:
        _NUMBER_MODEL.reset(token)


def read_numbers(tokens: list[Token], hits: list[Hit], verb_final: bool) -> Numbers:
    kinds = {token.kind for token in tokens}
    if kinds.isdisjoint(_NUMERIC):
        return Numbers([], [], has_price=False, has_zero_count=False)
    reader = _Reader(tokens, hits, verb_final, has_cells=CELL in kinds)
    candidates, counts, has_price = _read_all(reader)
    accepted = _decide(candidates, reader, _NUMBER_MODEL.get() or shipped_number_model())
    order_ids = [(c.index, tokens[c.index].text) for c in candidates if c.index in accepted]
    counts.extend(
        (c.index, float(int(tokens[c.index].text))) for c in candidates if c.index not in accepted
    )
    counts.sort()
    has_zero = any(value == 0 for _, value in counts)
    return Numbers(order_ids, [value for _, value in counts], has_price, has_zero)


def number_candidates(tokens: list[Token], hits: list[Hit], verb_final: bool) -> list[tuple[str, list[str]]]:
    """Each candidate order ID (digits, model features) of a text: the number model's
    training examples."""
    reader = _Reader(tokens, hits, verb_final, has_cells=any(token.kind == CELL for token in tokens))
    candidates = _read_all(reader)[0]
    features = _features_of(reader, candidates)
    return [(tokens[c.index].text, features(c)) for c in candidates]


def _read_all(reader: _Reader) -> tuple[list[_Candidate], list[tuple[int, float]], bool]:
    """The candidate order IDs, the counts and whether a price is named."""
    candidates: list[_Candidate] = []
    counts: list[tuple[int, float]] = []
    has_price = False
    for index, token in enumerate(reader.tokens):
        if token.kind == NUMBER:
            reading = reader.read_number(index)
            if reading.kind == ORDER_ID:
                named = reading.label == ORDER_LABEL and reading.value >= NAMED_ID_SCORE
                candidates.append(_Candidate(index, reading, named))
                continue
        elif token.kind in (GROUPED, DECIMAL):
            reading = reader.read_quantity(index)
        else:
            continue
        if reading.kind == QUANTITY:
            counts.append((index, reading.value))
        elif CURRENCY in reader.categories_before(index) | reader.categories_after(index):
            has_price = True
    return candidates, counts, has_price


def _features_of(reader: _Reader, candidates: list[_Candidate]) -> Callable[[_Candidate], list[str]]:
    """What the number model reads of each candidate, given the message's candidates."""
    labelled_lengths = {
        len(reader.tokens[c.index].text)
        for c in candidates
        if c.reading.label is not None and c.reading.value >= ACCEPT_AT
    }
    return lambda c: reader.features(c.index, c.reading, len(candidates), labelled_lengths)


def _decide(candidates: list[_Candidate], reader: _Reader, model: LinearModel) -> set[int]:
    features = _features_of(reader, candidates)
    # A named number is an ID whatever the model says: it is not asked (a hot path).
    chance = {c.index: 1.0 if c.named else model.probabilities(features(c))[IS_ORDER_ID] for c in candidates}
    accepted = {index for index, p in chance.items() if p >= ID_AT}

    # Lists: a number listed with accepted IDs of about its length is one of them.
    groups: list[list[_Candidate]] = []
    for candidate in candidates:
        if groups and reader.in_same_list(groups[-1][-1].index, candidate.index):
            groups[-1].append(candidate)
        else:
            groups.append([candidate])
    for group in groups:
        anchor_lengths = {len(reader.tokens[c.index].text) for c in group if c.index in accepted}
        named = any(c.named for c in group)
        for candidate in group:
            length = len(reader.tokens[candidate.index].text)
            plausible = chance[candidate.index] >= LIST_MEMBER_AT or (
                named and candidate.reading.value >= LIST_MEMBER_FLOOR
            )
            if plausible and any(abs(length - anchor) <= 1 for anchor in anchor_lengths):
                accepted.add(candidate.index)
    return accepted


def _table_count_tokens(tokens: list[Token], hits: list[Hit]) -> set[int]:
    """Numbers in the count columns of pasted table rows ("ID | service | 1000 | ...").

    A line with two or more cell separators is a row. The ID column is the one a header
    row labels as order/ID, or else the first cell of the row holding a bare number."""
    labelled_tokens = {
        index
        for hit in hits
        if hit.categories & {ORDER_LABEL, NUMBER_LABEL}
        for index in range(hit.first, hit.last + 1)
    }
    rows: list[list[list[int]]] = [[[]]]  # lines -> cells -> token indexes
    for index, token in enumerate(tokens):
        if token.kind == NEWLINE:
            rows.append([[]])
        elif token.kind == CELL:
            rows[-1].append([])
        else:
            rows[-1][-1].append(index)
    id_column: int | None = None
    counts: set[int] = set()
    for cells in rows:
        if len(cells) < 3:
            id_column = None
            continue
        numeric = [c for c, cell in enumerate(cells) if any(tokens[i].kind == NUMBER for i in cell)]
        if not numeric:
            labelled = [
                c for c, cell in enumerate(cells) if any(i in labelled_tokens for i in cell)
            ]
            id_column = labelled[0] if labelled else id_column
            continue
        if _is_id_row(cells, tokens):
            continue
        column = id_column if id_column is not None else numeric[0]
        counts.update(
            i
            for c, cell in enumerate(cells)
            if c != column
            for i in cell
            if tokens[i].kind == NUMBER
        )
    return counts


def _is_id_row(cells: list[list[int]], tokens: list[Token]) -> bool:
    """A row of bare numbers of about one length ("5102793 | 5102806 | 5102814"): a list
    of IDs laid out as a table, not a panel row with its counts."""
    filled = [cell for cell in cells if cell]
    if len(filled) < 2 or any(len(cell) != 1 or tokens[cell[0]].kind != NUMBER for cell in filled):
        return False
    lengths = [len(tokens[cell[0]].text) for cell in filled]
    return min(lengths) >= _MIN_ID_ROW_DIGITS and max(lengths) - min(lengths) <= 1


def _is_round(digits: str) -> bool:
    zeros = len(digits) - len(digits.rstrip("0"))
    return zeros >= 3 or (zeros >= 2 and len(digits) <= 5)


def _is_alphabetic(char: str) -> bool:
    return script_of(char) in ALPHABETIC_SCRIPTS


@lru_cache(maxsize=1 << 14)
def _word_context(offset: int, word: str) -> tuple[str, ...]:
    """A context word as features; cached, as the same words stand beside numbers."""
    if len(word) < _MIN_STEM_WORD:
        return (f"{offset}:w:{word}",)
    return f"{offset}:w:{word}", f"{offset}:p:{word[:_STEM]}", f"{offset}:s:{word[-_STEM:]}"


def _reads_as_date(digits: str) -> bool:
    """Eight digits that read as a recent date, year first or last: 20261103, 03112026."""
    if len(digits) != 8:
        return False
    for year, month, day in ((digits[:4], digits[4:6], digits[6:]), (digits[4:], digits[2:4], digits[:2])):
        if int(year) in _DATE_YEARS:
            try:
                date(int(year), int(month), int(day))
            except ValueError:
                continue
            return True
    return False
