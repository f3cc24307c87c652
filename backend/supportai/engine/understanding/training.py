"""Training the number, intent and reply models from the team's corpus (`data/`), reproducibly.

`supportai train-understanding` calls `train_number_model` (which numbers are order IDs:
every candidate number of every labelled text), then, reading the corpus with that number
model, `train_intent_model` and `train_reply_model`, and writes `models/numbers.json`,
`models/intent.json` and `models/reply.json`. The learner is scikit-learn's
multinomial logistic regression (lbfgs, deterministic: no sampling) over the features
(`features.py`, plus the rules' findings), each present once, a word's pieces once per
word that has them, as the model scores them; features seen in fewer than `MIN_COUNT`
training texts are dropped, so the model keeps what recurs, not what one text said.

The action threshold (`meta.act_at`) is calibrated on out-of-fold predictions: the
confidence to act at that costs least, a wrong action (for replies: a decline read as a
confirmation) costing `WRONG_ACTION_COST` times a message needlessly left to a person.
Below it the message goes to a person.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec

from supportai.engine.understanding.analysis import candidate_order_ids
from supportai.engine.understanding.classifier import MODELS, LinearModel, ModelFile
from supportai.engine.understanding.corpus import load_messages, load_replies, training_files
from supportai.engine.understanding.evaluation import LabelledMessage, LabelledReply
from supportai.engine.understanding.features import expanded
from supportai.engine.understanding.intents import read, unique_ids
from supportai.engine.understanding.lexicon import INTENTS, OTHER, REPLY_LABELS
from supportai.engine.understanding.numerals import IS_ORDER_ID, NOT_ORDER_ID, NUMBER_LABELS, numbers_read_by
from supportai.engine.understanding.replies import read_reply, reply_features
from supportai.engine.understanding.weighing import (
    decide,
    message_features,
    order_features,
    order_keys,
    weigh,
)

MIN_COUNT = 2
REGULARISATION = 1.0  # scikit-learn's C: the inverse strength of the L2 penalty
FOLDS = 5
# What a wrong action costs against a message needlessly left to a person: the owner
# pays for a refill sent for nothing, the person only spends a minute.
WRONG_ACTION_COST = 12.0
THRESHOLDS = [step / 100 for step in range(30, 100)]
DIGITS = 4  # weights are stored rounded: a stable, reviewable file
Example = tuple[list[str], str]


def intent_examples(cases: Sequence[LabelledMessage]) -> list[Example]:
    return [(message_features(read(case.text)), case.intent) for case in cases]


def order_examples(cases: Sequence[LabelledMessage]) -> list[tuple[str, Example]]:
    """(case id, example) for each order of a multi-order message: the model also learns
    to read one order's clause ("1113 is fine") and a list under a header."""
    examples = []
    for case in cases:
        if len(case.orders) < 2:
            continue
        reading = read(case.text)
        wanted = {order.id: order.intent for order in case.orders}
        ids = unique_ids(reading.analysis)
        whole = message_features(reading)
        for (_, order_id), key in zip(ids, order_keys(reading, ids), strict=True):
            if order_id in wanted:
                examples.append((case.id, (order_features(reading, key, whole), wanted[order_id])))
    return examples


def number_examples(cases: Sequence[LabelledMessage | LabelledReply]) -> list[Example]:
    """Every candidate order ID of every text, labelled by whether the text's labels name it."""
    examples = []
    for case in cases:
        wanted = {order.id for order in case.orders} if isinstance(case, LabelledMessage) else set(case.order_ids)
        examples.extend(
            (features, IS_ORDER_ID if digits in wanted else NOT_ORDER_ID)
            for digits, features in candidate_order_ids(case.text)
        )
    return examples


def reply_examples(cases: Sequence[LabelledReply]) -> list[Example]:
    return [(reply_features(read_reply(case.text)), case.label) for case in cases]


def fit(examples: Sequence[Example], labels: Sequence[str], meta: dict | None = None) -> ModelFile:
    """Multinomial logistic regression over the features, as a model file."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    scored = [expanded(features) for features, _ in examples]  # as the model scores them
    counts = Counter(name for features in scored for name in set(features))
    vocabulary = sorted(name for name, count in counts.items() if count >= MIN_COUNT)
    column = {name: index for index, name in enumerate(vocabulary)}
    rows, cols, values = [], [], []
    for row, features in enumerate(scored):
        kept = Counter(column[name] for name in features if name in column)
        for col in sorted(kept):
            rows.append(row)
            cols.append(col)
            values.append(kept[col])
    matrix = csr_matrix(
        (np.array(values, dtype=float), (rows, cols)), shape=(len(examples), len(vocabulary))
    )
    label_index = {label: index for index, label in enumerate(labels)}
    targets = np.array([label_index[label] for _, label in examples])
    learner = LogisticRegression(C=REGULARISATION, max_iter=5000, tol=1e-6)
    learner.fit(matrix, targets)
    if len(learner.classes_) != len(labels):
        raise ValueError(f"every label needs examples; got {sorted(set(targets))} of {labels}")
    weights, bias = learner.coef_, learner.intercept_
    if len(labels) == 2:  # one row for the second label: as two, the softmax is its sigmoid
        weights, bias = np.vstack([-weights / 2, weights / 2]), np.concatenate([-bias / 2, bias / 2])
    table = {
        name: [round(float(value), DIGITS) for value in weights[:, index]]
        for index, name in enumerate(vocabulary)
        if np.abs(weights[:, index]).max() >= 0.5 * 10**-DIGITS
    }
    return ModelFile(
        labels=list(labels),
        bias=[round(float(value), DIGITS) for value in bias],
        weights=table,
        meta=dict(meta or {}),
    )


def _fold(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % FOLDS


def fold_models(
    examples: Sequence[tuple[str, Example]], labels: Sequence[str]
) -> list[LinearModel]:
    """One model per fold, trained on the examples (keyed by case id) of the other folds."""
    return [
        LinearModel(fit([example for key, example in examples if _fold(key) != fold], labels))
        for fold in range(FOLDS)
    ]


def intent_threshold(cases: Sequence[LabelledMessage], examples: Sequence[tuple[str, Example]]) -> float:
    """The confidence to act at that costs least out of fold, per order as `understand`
    decides: a wrong action costs `WRONG_ACTION_COST`, an order needlessly left to a
    person 1."""
    models = fold_models(examples, INTENTS)
    weighed = [weigh(case.text, models[_fold(case.id)]) for case in cases]
    best, best_cost = 1.0, float("inf")
    for threshold in THRESHOLDS:
        cost = 0.0
        for case, reading in zip(cases, weighed, strict=True):
            understanding = decide(reading, threshold)
            if not case.orders:
                cost += case.intent != OTHER and understanding.intent == OTHER
                continue
            got = {order.id: order.intent for order in understanding.orders}
            for order in case.orders:
                answer = got.get(order.id, OTHER)
                if answer == OTHER:
                    cost += order.intent != OTHER
                elif answer != order.intent:
                    cost += WRONG_ACTION_COST
        if cost < best_cost:
            best, best_cost = threshold, cost
    return best


def reply_threshold(cases: Sequence[LabelledReply], examples: Sequence[tuple[str, Example]]) -> float:
    """The confidence to confirm at that costs least out of fold: a decline read as a
    confirmation costs `WRONG_ACTION_COST`, a confirmation left ambiguous 1."""
    models = fold_models(examples, REPLY_LABELS)
    predicted = [
        models[_fold(key)].probabilities(features) for key, (features, _) in examples
    ]
    best, best_cost = 1.0, float("inf")
    for threshold in THRESHOLDS:
        cost = 0.0
        for case, probabilities in zip(cases, predicted, strict=True):
            confirmed = max(probabilities, key=probabilities.__getitem__) == "confirm"
            if confirmed and probabilities["confirm"] >= threshold:
                cost += WRONG_ACTION_COST * (case.label == "decline") + (case.label == "ambiguous")
            else:
                cost += case.label == "confirm"
        if cost < best_cost:
            best, best_cost = threshold, cost
    return best


def train_intent_model(cases: Sequence[LabelledMessage], corpus_digest: str = "") -> ModelFile:
    examples = [(case.id, example) for case, example in zip(cases, intent_examples(cases), strict=True)]
    examples.extend(order_examples(cases))
    act_at = intent_threshold(cases, examples)
    return fit([example for _, example in examples], INTENTS, _meta(cases, act_at, corpus_digest))


def train_reply_model(cases: Sequence[LabelledReply], corpus_digest: str = "") -> ModelFile:
    examples = [(case.id, example) for case, example in zip(cases, reply_examples(cases), strict=True)]
    act_at = reply_threshold(cases, examples)
    return fit([example for _, example in examples], REPLY_LABELS, _meta(cases, act_at, corpus_digest))


def train_number_model(cases: Sequence[LabelledMessage | LabelledReply], corpus_digest: str = "") -> ModelFile:
    return fit(number_examples(cases), NUMBER_LABELS, _meta(cases, None, corpus_digest))


def _meta(cases: Sequence, act_at: float | None, corpus_digest: str) -> dict:
    act = {} if act_at is None else {"act_at": act_at}
    return act | {
        "examples": len(cases),
        "languages": len({case.lang for case in cases}),
        "corpus_sha256": corpus_digest,
        "min_count": MIN_COUNT,
        "regularisation": REGULARISATION,
    }


def corpus_digest(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train_shipped_models(write: Callable[[str, ModelFile], None]) -> dict[str, ModelFile]:
    """Train the three models from the packaged corpus and hand each to `write`."""
    message_files, reply_files = training_files("messages"), training_files("replies")
    messages = [case for path in message_files for case in load_messages(path)]
    replies = [case for path in reply_files for case in load_replies(path)]
    numbers = train_number_model([*messages, *replies], corpus_digest([*message_files, *reply_files]))
    with numbers_read_by(LinearModel(numbers)):  # the other two read with this number model
        models = {
            "numbers": numbers,
            "intent": train_intent_model(messages, corpus_digest(message_files)),
            "reply": train_reply_model(replies, corpus_digest(reply_files)),
        }
    for name, model in models.items():
        write(name, model)
    return models


def model_path(name: str) -> Path:
    return Path(str(MODELS / f"{name}.json"))


def differences(trained: ModelFile, shipped: ModelFile, tolerance: float = 1e-3) -> list[str]:
    """How a freshly trained model differs from the shipped one, beyond float noise (the
    solver's last bits may differ between CPUs; a retrained corpus differs far more)."""
    found = []
    for field in ("labels", "meta"):
        if getattr(trained, field) != getattr(shipped, field):
            found.append(f"{field}: {getattr(trained, field)} != {getattr(shipped, field)}")
    zero = [0.0] * len(trained.labels)
    rows = {"(bias)": (trained.bias, shipped.bias)} | {
        name: (trained.weights.get(name, zero), shipped.weights.get(name, zero))
        for name in trained.weights.keys() | shipped.weights.keys()
    }
    for name, (new, old) in sorted(rows.items()):
        if max(abs(a - b) for a, b in zip(new, old, strict=True)) > tolerance:
            found.append(f"weights of {name!r}: {new} != {old}")
    return found


def model_bytes(model: ModelFile) -> bytes:
    """The model file's text: one feature a line, so a retrained model diffs readably."""
    encode = msgspec.json.encode
    head = b'{"labels": %s, "bias": %s, "meta": %s, "weights": {' % (
        encode(model.labels),
        encode(model.bias),
        encode(dict(sorted(model.meta.items()))),
    )
    rows = b",".join(b"\n%s: %s" % (encode(name), encode(row)) for name, row in model.weights.items())
    return head + rows + b"\n}}\n"
