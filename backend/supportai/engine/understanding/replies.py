"""Provider replies: does the provider confirm, decline, or is it not settled yet?

Reply cues (done, started, "kar diya", "запустили", ✅ / cannot, expired, "нельзя" /
checking, which one?, send the link) vote with their tier's weight. A negated action
("no refill for this service", "cancel nahi hoga", "هذه الخدمة بدون تعويض") declines;
a negated confirmation ("not done yet") is not settled. The learned reply model weighs
those votes with the words of the reply; a confirmation below its calibrated threshold
stays ambiguous (the request keeps being monitored), because reading a refusal as a
confirmation would tell the customer something false.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from supportai.engine.understanding.analysis import Analysis, analyse
from supportai.engine.understanding.classifier import LinearModel
from supportai.engine.understanding.features import text_features
from supportai.engine.understanding.grammar import read_polarity
from supportai.engine.understanding.lexicon import (
    ACTIONS,
    CLEAR_CUE_WEIGHT,
    REPLY_LABELS,
    reply_category,
)
from supportai.engine.understanding.matching import strongest_weights
from supportai.engine.understanding.model import MAX_ORDERS_PER_MESSAGE, ProviderReply

NEGATED_ACTION_EVIDENCE = 3.0  # "can't refill", "refill nahi hai"
# A refusal usually comes with its reason, a state that sounds like progress ("already
# completed", "уже выполнен", "já iniciou"): the refusal is what counts.
DECLINE_PRIORITY = 1.5
NEGATED_CONFIRMATION_EVIDENCE = 2.0  # "not started yet"
_TIE_ORDER = {"decline": 2, "ambiguous": 1, "confirm": 0}
_CATEGORY_LABEL = {reply_category(label): label for label in REPLY_LABELS}
_REPLY_CATEGORIES = frozenset(_CATEGORY_LABEL)


class ReplyReading(NamedTuple):
    analysis: Analysis
    scores: dict[str, float]  # the rules' votes per label
    negated_actions: int  # "no refill", "cancel nahi hoga"
    negated_confirmations: int  # "not done yet"


def analyse_provider_reply(text: str, model: LinearModel | None = None) -> ProviderReply:
    """Confirm, decline or ambiguous, and the order IDs the reply mentions (read by the
    shipped reply model unless `model` is given)."""
    model = model or reply_model()
    reading = read_reply(text)
    probabilities = model.probabilities(reply_features(reading))
    label = max(probabilities, key=lambda name: (probabilities[name], _TIE_ORDER[name]))
    if label == "confirm" and probabilities[label] < model.meta["act_at"]:
        label = "ambiguous"
    return _reply(reading, label)


def analyse_reply_by_rules(text: str) -> ProviderReply:
    """The rules' reading alone: what the model improves on."""
    reading = read_reply(text)
    scores = reading.scores
    label = max(scores, key=lambda name: (scores[name], _TIE_ORDER[name]))
    return _reply(reading, "ambiguous" if scores[label] == 0 else label)


def read_reply(text: str) -> ReplyReading:
    analysis = analyse(text)
    hits = analysis.hits
    reply_weights = [
        {
            _CATEGORY_LABEL[category]: weight
            for category, weight in strongest_weights(
                hit, _REPLY_CATEGORIES, analysis.language.active
            ).items()
        }
        for hit in hits
    ]
    names_action = [
        any(s.category in ACTIONS and s.weight >= CLEAR_CUE_WEIGHT for s in hit.senses)
        for hit in hits
    ]
    polarity = read_polarity(
        hits,
        analysis.clauses,
        [bool(w) or a for w, a in zip(reply_weights, names_action, strict=True)],
    )
    scores = dict.fromkeys(REPLY_LABELS, 0.0)
    negated_actions = negated_confirmations = 0
    for index, weights in enumerate(reply_weights):
        if index in polarity.negators:
            continue
        if index in polarity.negated:
            if names_action[index]:
                scores["decline"] += NEGATED_ACTION_EVIDENCE
                negated_actions += 1
            elif "confirm" in weights:
                scores["ambiguous"] += NEGATED_CONFIRMATION_EVIDENCE
                negated_confirmations += 1
            continue
        for label, weight in weights.items():
            scores[label] += weight
    scores["decline"] *= DECLINE_PRIORITY
    return ReplyReading(analysis, scores, negated_actions, negated_confirmations)


def reply_features(reading: ReplyReading) -> list[str]:
    features = text_features(reading.analysis)
    scores = reading.scores
    for label, score in scores.items():
        if score:
            features.append(f"rules:{label}:{min(int(score), 6)}")
    best = max(scores, key=lambda name: (scores[name], _TIE_ORDER[name]))
    features.append(f"rules:{best if scores[best] else 'none'}")
    if reading.negated_actions:
        features.append("negated:action")
    if reading.negated_confirmations:
        features.append("negated:confirm")
    features.append(f"length:{min(len(reading.analysis.tokens), 8)}")
    return features


@cache
def reply_model() -> LinearModel:
    return LinearModel.load("reply")


def _reply(reading: ReplyReading, label: str) -> ProviderReply:
    order_ids = tuple(
        dict.fromkeys(order_id for _, order_id in reading.analysis.numbers.order_ids)
    )
    return ProviderReply(label, order_ids[:MAX_ORDERS_PER_MESSAGE])
