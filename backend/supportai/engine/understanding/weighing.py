"""The learned reading of a customer message: the intent model weighs what the rules
found (`intents.py`) together with the words (`features.py`).

Two stages, so the threshold can be calibrated without reading the corpus again:
`weigh` gives probabilities, for the whole message and, when it names several orders,
for each order (the words about it and the rules' reading of it: "1111 dropped, 1112 is
fine" reads refill, other); `decide` acts on them, and below the threshold an order is
`other`, answered by a person, never a guessed action.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from supportai.engine.understanding.analysis import Analysis
from supportai.engine.understanding.classifier import LinearModel
from supportai.engine.understanding.features import text_features
from supportai.engine.understanding.intents import (
    TIE_ORDER,
    Reading,
    assign_orders,
    best_by_rules,
    has_drop,
    majority,
    read,
    unique_ids,
)
from supportai.engine.understanding.lexicon import CONJUNCTION, NUMBER_LABEL, ORDER_LABEL, OTHER
from supportai.engine.understanding.model import (
    MAX_ORDERS_PER_MESSAGE,
    OrderIntent,
    Understanding,
)
from supportai.engine.understanding.text import WORD

MIN_SPAN_WORDS = 1  # words a clause needs to say something about its order ("1112 fine")
# Words that only join or label IDs: a clause of these says nothing about its order.
_LIST_WORDS = frozenset({CONJUNCTION, ORDER_LABEL, NUMBER_LABEL})
Probabilities = dict[str, float]


class Weighed(NamedTuple):
    overall: Probabilities
    orders: tuple[tuple[str, Probabilities], ...]  # per order ID, in text order
    lang: str
    too_many_orders: bool


def understand(text: str, model: LinearModel | None = None) -> Understanding:
    """Intent, confidence, language and per-order intents of a customer message, by the
    shipped intent model unless `model` is given."""
    model = model or intent_model()
    return decide(weigh(text, model), model.meta["act_at"])


@cache
def intent_model() -> LinearModel:
    return LinearModel.load("intent")


def weigh(text: str, model: LinearModel) -> Weighed:
    reading = read(text)
    whole = message_features(reading)
    overall = model.probabilities(whole)
    ids = unique_ids(reading.analysis)
    lang = reading.analysis.language.primary
    if len(ids) > MAX_ORDERS_PER_MESSAGE:
        return Weighed(overall, (), lang, too_many_orders=True)
    if len(ids) < 2:
        return Weighed(overall, tuple((order_id, overall) for _, order_id in ids), lang, False)
    read_once: dict[OrderKey, Probabilities] = {}  # orders of one clause or list read alike
    orders = []
    for (_, order_id), key in zip(ids, order_keys(reading, ids), strict=True):
        if key not in read_once:
            read_once[key] = model.probabilities(order_features(reading, key, whole))
        orders.append((order_id, read_once[key]))
    return Weighed(overall, tuple(orders), lang, False)


class OrderKey(NamedTuple):
    """What one order's reading depends on; orders with equal keys read alike."""

    span: tuple[int, int] | None  # the words about it; None for a bare ID in a list
    rules_intent: str  # the rules' reading of it (`intents.assign_orders`)
    rules_apart: bool  # whether the rules told the message's orders apart


def order_keys(reading: Reading, ids: list[tuple[int, str]]) -> list[OrderKey]:
    by_rules = assign_orders(ids, reading.cues, reading.analysis, best_by_rules(reading.scores))
    apart = len(set(by_rules)) > 1
    structural = list_word_positions(reading.analysis)
    return [
        OrderKey(order_span(reading.analysis, index, structural), rules_intent, apart)
        for (index, _), rules_intent in zip(ids, by_rules, strict=True)
    ]


def order_features(reading: Reading, key: OrderKey, whole: list[str]) -> list[str]:
    """The words about one order of several, or the whole message's for a bare ID in a
    list ("- 2210934"), with the rules' reading of it: rules that tell orders apart
    ("refill 1111 and cancel 2222") say more than rules that give each the same intent."""
    features = [*whole, "scope:listed"] if key.span is None else [*span_features(reading, *key.span), "scope:order"]
    features.append(f"rules:order:{'apart' if key.rules_apart else 'same'}:{key.rules_intent}")
    return features


def decide(weighed: Weighed, act_at: float) -> Understanding:
    intent, unsure = _act_on(weighed.overall, act_at)
    confidence = round(weighed.overall[most_likely(weighed.overall)], 4)
    if weighed.too_many_orders:
        return Understanding(intent, confidence, weighed.lang, (), too_many_orders=True)
    orders = []
    for order_id, probabilities in weighed.orders:
        order_intent, order_unsure = _act_on(probabilities, act_at)
        orders.append(OrderIntent(order_id, order_intent))
        unsure = unsure or order_unsure
    if len(orders) > 1:
        intent = majority([order.intent for order in orders])
    return Understanding(intent, confidence, weighed.lang, tuple(orders), unsure=unsure)


def _act_on(probabilities: Probabilities, act_at: float) -> tuple[str, bool]:
    """The intent to act on, and whether an action was held back below the threshold."""
    best = most_likely(probabilities)
    if best == OTHER or probabilities[best] >= act_at:
        return best, False
    return OTHER, True


def most_likely(probabilities: Probabilities) -> str:
    return max(probabilities, key=lambda name: (probabilities[name], TIE_ORDER[name]))


def message_features(reading: Reading) -> list[str]:
    """The model's input: the text's features and the rules' findings (features.py)."""
    features = span_features(reading, 0, len(reading.analysis.tokens) - 1)
    features.extend(number_features(reading.analysis))
    rule_intent = best_by_rules(reading.scores)
    margin = reading.scores[rule_intent] - sorted(reading.scores.values())[-2]
    features.append(f"rules:{rule_intent}")
    features.append(f"rules:{rule_intent}:{min(int(margin), 4)}")
    return features


def span_features(reading: Reading, first: int, last: int) -> list[str]:
    """Text features and lexicon cues of the tokens `first`..`last`."""
    features = text_features(reading.analysis, first, last)
    actions = []
    tokens = reading.analysis.tokens
    for cue in reading.cues:
        if first <= cue.first <= last:
            # The words beside a cue carry negation the lexicon may not know ("mos
            # anuloni", "cancel ചെയ്യണ്ട"): learned per cue intent.
            if cue.first > first:
                features.append(f"before:{tokens[cue.first - 1].text}:{cue.intent}")
            if cue.last < last:
                features.append(f"after:{tokens[cue.last + 1].text}:{cue.intent}")
            features.append(f"cue:{cue.intent}:{cue.tier_weight:g}")
            if cue.weight > cue.tier_weight:
                features.append(f"cue:{cue.intent}:boosted")
            if cue.intent != OTHER:
                actions.append(cue.intent)
    if len(set(actions)) > 1:
        # Two actions named: the one said last is usually the one wanted ("don't cancel
        # it, just speed it up"), even where the lexicon does not know the negation.
        features.append(f"actions:first:{actions[0]}")
        features.append(f"actions:last:{actions[-1]}")
    negated = {cue.intent for cue in reading.negated if first <= cue.first <= last}
    features.extend(f"negated:{intent}" for intent in negated)
    if negated:
        # Refused one action, named another: the other is what is wanted, whatever it is
        # ("don't cancel, just speed it up" and "don't cancel, just refill" alike).
        features.extend(f"contrast:wants:{intent}" for intent in set(actions) - negated)
    return features


def list_word_positions(analysis: Analysis) -> set[int]:
    """The tokens of words that only join or label IDs ("and", "order", "#")."""
    return {
        position
        for hit in analysis.hits
        if not _LIST_WORDS.isdisjoint(hit.categories)
        for position in range(hit.first, hit.last + 1)
    }


def order_span(analysis: Analysis, index: int, structural: set[int]) -> tuple[int, int] | None:
    """The words about the order at token `index`: its clause, else its sentence, when it
    has words of its own, not `structural` ones ("1113 cancel please", "1114 fine"); None
    for an ID in a list ("1111, 1112 and 1113", "ID: 1115")."""
    tokens = analysis.tokens
    for unit_of in (analysis.clauses.clause_of, analysis.clauses.sentence_of):
        unit = unit_of[index]
        first = last = index
        while first > 0 and unit_of[first - 1] == unit:
            first -= 1
        while last + 1 < len(tokens) and unit_of[last + 1] == unit:
            last += 1
        words = sum(
            1
            for position in range(first, last + 1)
            if tokens[position].kind == WORD and position not in structural
        )
        if words >= MIN_SPAN_WORDS:
            return first, last
    return None


def number_features(analysis: Analysis) -> list[str]:
    numbers = analysis.numbers
    ids = len({order_id for _, order_id in numbers.order_ids})
    features = [f"ids:{min(ids, 3)}"]
    if has_drop(numbers.quantities):
        features.append("numbers:drop")
    if numbers.has_zero_count:
        features.append("numbers:zero")
    if numbers.has_price:
        features.append("numbers:price")
    if len(numbers.quantities) >= 2:
        features.append("numbers:counts")
    return features
