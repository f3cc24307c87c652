"""Provider replies: does the provider confirm, decline, or is it not settled yet?

Reply cues (done, started, "kar diya", "запустили", ✅ / cannot, expired, "нельзя" /
checking, which one?, send the link) vote with their tier's weight. A negated action
("no refill for this service", "cancel nahi hoga", "هذه الخدمة بدون تعويض") declines;
a negated confirmation ("not done yet") is not settled. Without any cue, or on a tie
with a confirmation, the reply is ambiguous and the request keeps being monitored.
"""

from __future__ import annotations

from supportai.engine.understanding.analysis import analyse
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


def analyse_provider_reply(text: str) -> ProviderReply:
    """Confirm, decline or ambiguous, and the order IDs the reply mentions."""
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
    for index, weights in enumerate(reply_weights):
        if index in polarity.negators:
            continue
        if index in polarity.negated:
            if names_action[index]:
                scores["decline"] += NEGATED_ACTION_EVIDENCE
            elif "confirm" in weights:
                scores["ambiguous"] += NEGATED_CONFIRMATION_EVIDENCE
            continue
        for label, weight in weights.items():
            scores[label] += weight
    scores["decline"] *= DECLINE_PRIORITY
    label = max(scores, key=lambda name: (scores[name], _TIE_ORDER[name]))
    if scores[label] == 0:
        label = "ambiguous"
    order_ids = tuple(dict.fromkeys(order_id for _, order_id in analysis.numbers.order_ids))
    return ProviderReply(label, order_ids[:MAX_ORDERS_PER_MESSAGE])
