"""Intent of a customer message, per message and per order.

Every lexicon cue found in the message votes for its intent with its tier's weight
(explicit request 3, symptom 2, hint 1). A negated cue ("don't cancel", "refill nahi",
"düşmüyor") does not vote; cues after a contrast word ("but", "just") vote more. The
numbers add evidence of their own: counts that fell ("5000 ... now 3100") point to a
refill, a count stuck at 0 to a speed-up, a price to a question about money. "other"
starts with a small prior, so a message without clear cues is answered by a person.

When a message asks different things for different orders ("refill 1111 and cancel
2222"), each order takes the intent of the cues in its own clause, weighted by distance
and by side: the side the clause starts with ("refill 1111, cancel 2222" puts actions
before IDs, "1111 refill 2222 cancel" after), else the language's verb position. An
order in a clause without cues follows the header line above it ("Please cancel
these:"), and the message's intent is the majority of its orders'.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import pairwise
from typing import NamedTuple

from supportai.engine.understanding.analysis import Analysis, analyse
from supportai.engine.understanding.grammar import CONTRAST_BOOST, read_polarity
from supportai.engine.understanding.lexicon import (
    CLEAR_CUE_WEIGHT,
    INTENT_TIER_WEIGHTS,
    INTENTS,
    ORDER_LABEL,
    OTHER,
)
from supportai.engine.understanding.matching import strongest_weights
from supportai.engine.understanding.model import (
    MAX_ORDERS_PER_MESSAGE,
    OrderIntent,
    Understanding,
)

OTHER_PRIOR = 1.0
DROP_EVIDENCE = 2.0  # counts that fell: "was 5000, now 3100"
ZERO_COUNT_EVIDENCE = 1.0  # "stuck at 0", "пришло 0 из 3000"
PRICE_EVIDENCE = 1.0  # money mentioned: payments, prices
BACKGROUND_TOPIC_FACTOR = 0.5  # weight of payment/price topics in a message naming orders
GENERAL_REQUEST_FACTOR = 0.5  # weight of request words in a message naming no order
STRONG_WEIGHT = INTENT_TIER_WEIGHTS["strong"]  # "all good", "received": not background
MIN_DROP_FROM = 50  # a drop is between counts, not between small numbers ("3 orders")
MIN_DROP_RATIO = 0.2  # "5000 ordered, 200 arrived" is slow delivery, not a drop
DISTINCT_INTENT_AT = CLEAR_CUE_WEIGHT  # cue weight from which orders may differ in intent
OFF_SIDE_FACTOR = 0.8  # a cue on the other side of the order than the message's actions
DISTANCE_SCALE = 3.0  # tokens over which a cue's pull on an order halves
# Ties resolve towards the safer answer, "other" (a person reads it), then in a fixed order.
TIE_ORDER = {OTHER: 3, "refill": 2, "cancel": 1, "speed_up": 0}
_INTENT_SET = frozenset(INTENTS)


class Cue(NamedTuple):
    intent: str
    weight: float  # after contrast
    first: int  # token span
    last: int
    tier_weight: float  # as the lexicon gives it: strong 3, medium 2, weak 1


class Reading(NamedTuple):
    """What the rules read in a message, before the model weighs it."""

    analysis: Analysis
    cues: list[Cue]
    negated: list[Cue]  # cues a negation turned off ("don't cancel")
    scores: dict[str, float]  # the rules' votes per intent


def read(text: str) -> Reading:
    analysis = analyse(text)
    cues, negated = find_cues(analysis)
    return Reading(analysis, cues, negated, score_message(cues, analysis))


def understand_by_rules(text: str) -> Understanding:
    """The rules' reading alone: what the model improves on (the benchmark's baseline)."""
    reading = read(text)
    intent = best_by_rules(reading.scores)
    return _with_orders(reading, intent, _confidence(reading.scores, intent))


def _with_orders(reading: Reading, intent: str, confidence: float) -> Understanding:
    analysis = reading.analysis
    ids = unique_ids(analysis)
    lang = analysis.language.primary
    if len(ids) > MAX_ORDERS_PER_MESSAGE:
        return Understanding(intent, confidence, lang, (), too_many_orders=True)
    order_intents = assign_orders(ids, reading.cues, analysis, intent)
    if order_intents and intent != OTHER:
        intent = majority(order_intents)
    orders = tuple(
        OrderIntent(order_id, order_intent)
        for (_, order_id), order_intent in zip(ids, order_intents, strict=True)
    )
    return Understanding(intent, confidence, lang, orders)


def find_cues(analysis: Analysis) -> tuple[list[Cue], list[Cue]]:
    """The cues that vote, and the cues a negation turned off."""
    hits = analysis.hits
    weights = [strongest_weights(hit, _INTENT_SET, analysis.language.active) for hit in hits]
    polarity = read_polarity(hits, analysis.clauses, [bool(w) for w in weights])
    cues: list[Cue] = []
    negated: list[Cue] = []
    for index, (hit, by_intent) in enumerate(zip(hits, weights, strict=True)):
        if index in polarity.negators:
            continue
        boost = CONTRAST_BOOST if index in polarity.boosted else 1.0
        (negated if index in polarity.negated else cues).extend(
            Cue(intent, weight * boost, hit.first, hit.last, weight)
            for intent, weight in by_intent.items()
        )
    return cues, negated


def score_message(cues: list[Cue], analysis: Analysis) -> dict[str, float]:
    numbers = analysis.numbers
    # A message that names an order is about that order: payment and price words in it
    # are background ("I paid $5 for order 123, it dropped").
    topic_factor = BACKGROUND_TOPIC_FACTOR if numbers.order_ids else 1.0
    # One that names no order at all often asks about the service in general ("do you
    # have refill?", "how to cancel?"): its request words count less, its symptoms
    # ("dropped", "stuck") in full.
    names_an_order = bool(numbers.order_ids) or any(
        ORDER_LABEL in hit.categories for hit in analysis.hits
    )
    request_factor = 1.0 if names_an_order else GENERAL_REQUEST_FACTOR
    scores = dict.fromkeys(INTENTS, 0.0)
    scores[OTHER] = OTHER_PRIOR
    for cue in cues:
        if cue.intent == OTHER:
            factor = topic_factor if cue.tier_weight < STRONG_WEIGHT else 1.0
        else:
            factor = request_factor if cue.tier_weight >= STRONG_WEIGHT else 1.0
        scores[cue.intent] += cue.weight * factor
    if has_drop(numbers.quantities):
        scores["refill"] += DROP_EVIDENCE
    if numbers.has_zero_count:
        scores["speed_up"] += ZERO_COUNT_EVIDENCE
    if numbers.has_price:
        scores[OTHER] += PRICE_EVIDENCE * topic_factor
    return scores


def has_drop(quantities: list[float]) -> bool:
    return any(
        earlier >= MIN_DROP_FROM and MIN_DROP_RATIO * earlier <= later < earlier
        for earlier, later in pairwise(quantities)
    )


def assign_orders(
    ids: list[tuple[int, str]], cues: list[Cue], analysis: Analysis, message_intent: str
) -> list[str]:
    """The intent of each order (see the module docstring)."""
    actions = [cue for cue in cues if cue.intent != OTHER]
    totals = Counter[str]()
    for cue in actions:
        totals[cue.intent] += cue.weight
    distinct = sum(1 for weight in totals.values() if weight >= DISTINCT_INTENT_AT)
    if message_intent == OTHER or len(ids) < 2 or distinct < 2:
        return [message_intent] * len(ids)
    clause_of = analysis.clauses.clause_of
    verb_final = bool(analysis.profile and analysis.profile.verb_final)
    cues_by_clause: dict[int, list[Cue]] = {}
    for cue in actions:
        cues_by_clause.setdefault(clause_of[cue.first], []).append(cue)
    first_order_in: dict[int, int] = {}
    for index, _ in ids:
        first_order_in.setdefault(clause_of[index], index)
    result = []
    for index, _ in ids:
        clause = clause_of[index]
        local = cues_by_clause.get(clause)
        if local:
            # The clause's own layout decides which side actions stand on.
            actions_follow = first_order_in[clause] < local[0].first
        else:
            local = cues_by_clause.get(
                _governing_clause(
                    clause, cues_by_clause, set(first_order_in), analysis.clauses.headers
                ),
                [],
            )
            actions_follow = verb_final
        result.append(_pull(index, local, actions_follow) if local else message_intent)
    return result


def _governing_clause(
    clause: int,
    cues_by_clause: dict[int, list[Cue]],
    with_orders: set[int],
    headers: frozenset[int],
) -> int:
    """For an order in a clause without cues: the nearest clause before it that has cues
    but no orders of its own (a header such as "refill these:"), else the nearest such
    clause after it ("1111\n1112\nplease refill"); -1 if there is none."""
    before = [c for c in cues_by_clause if c < clause and c not in with_orders]
    after = [c for c in cues_by_clause if c > clause and c not in with_orders]
    header_before = [c for c in before if c in headers]
    if header_before:
        return max(header_before)
    if before:
        return max(before)
    return min(after) if after else -1


def _pull(index: int, cues: list[Cue], actions_follow: bool) -> str:
    """The intent whose cues pull the order at `index` hardest: near, on the usual side."""
    pulls = Counter[str]()
    for cue in cues:
        distance = min(abs(cue.first - index), abs(cue.last - index))
        on_usual_side = (cue.first > index) == actions_follow
        pulls[cue.intent] += (
            cue.weight
            / (1 + distance / DISTANCE_SCALE)
            * (1.0 if on_usual_side else OFF_SIDE_FACTOR)
        )
    return max(pulls, key=pulls.__getitem__)


def majority(order_intents: list[str]) -> str:
    """The intent of most orders; on a tie, the first order's (customers lead with it)."""
    votes = Counter(order_intents)
    return max(votes, key=lambda intent: (votes[intent], -order_intents.index(intent)))


def best_by_rules(scores: dict[str, float]) -> str:
    return max(scores, key=lambda intent: (scores[intent], TIE_ORDER[intent]))


def _confidence(scores: dict[str, float], intent: str) -> float:
    """Softmax probability of the chosen intent."""
    top = max(scores.values())
    exps = {name: math.exp(score - top) for name, score in scores.items()}
    return round(exps[intent] / sum(exps.values()), 4)


def unique_ids(analysis: Analysis) -> list[tuple[int, str]]:
    seen: set[str] = set()
    unique = []
    for index, order_id in analysis.numbers.order_ids:
        if order_id not in seen:
            seen.add(order_id)
            unique.append((index, order_id))
    return unique
