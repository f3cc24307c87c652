"""A trained linear model over named features: multinomial logistic regression.

The model file (`models/<name>.json`, written by `supportai train-understanding`) holds
the labels, a bias per label and, for every feature kept in training, one weight per
label. Scoring a text is a sum of the weights of the features it has, so it is pure
Python, fast and small; features never seen in training add nothing. A word feature
stands for the word and its pieces (`features.word_pieces`): its row is their sum, made
once at load for the words of the model and when met for the others, so scoring costs
one lookup per word.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import Any

import msgspec

from supportai.engine.understanding.features import WORD_FEATURE, word_pieces

MODELS = resources.files("supportai.engine.understanding") / "models"
Row = tuple[float, ...]


class ModelFile(msgspec.Struct):
    labels: list[str]
    bias: list[float]
    weights: dict[str, list[float]]
    meta: dict[str, Any] = {}


class LinearModel:
    def __init__(self, model: ModelFile) -> None:
        self.labels = tuple(model.labels)
        self.bias = tuple(model.bias)
        self.meta = model.meta
        # Tuples, not lists: a third less memory for the largest table of the classifier.
        self._rows: dict[str, Row] = {name: tuple(row) for name, row in model.weights.items()}
        if any(len(row) != len(self.labels) for row in self._rows.values()) or len(self.bias) != len(self.labels):
            raise ValueError(f"every weight row needs one weight per label ({len(self.labels)})")
        words = [name for name in self._rows if name.startswith(WORD_FEATURE)]
        self._rows.update({name: self._word_row(name) for name in words})
        # Words the model has no row for, summed from their pieces; bounded, as any text
        # may bring new ones.
        self._unseen_word_row = lru_cache(maxsize=1 << 14)(self._word_row)

    @classmethod
    def load(cls, name: str) -> LinearModel:
        raw = (MODELS / f"{name}.json").read_bytes()
        return cls(msgspec.json.decode(raw, type=ModelFile))

    def _word_row(self, name: str) -> Row | None:
        """The summed weights of a word and its pieces, None when none has weights."""
        rows = [self._rows.get(name), *map(self._rows.get, word_pieces(name[len(WORD_FEATURE):]))]
        rows = list(filter(None, rows))
        return tuple(map(sum, zip(*rows, strict=True))) if rows else None

    def probabilities(self, features: list[str]) -> dict[str, float]:
        """Softmax over the labels of the summed weights of the (distinct) features."""
        # One pass, one lookup per feature: this is the model's hot path.
        known = self._rows.get
        rows = []
        for name in set(features):
            row = known(name)
            if row is None and name.startswith(WORD_FEATURE):
                row = self._unseen_word_row(name)
            if row is not None:
                rows.append(row)
        # Every row has one weight per label (checked in `__init__`): no strict zips here.
        totals = map(sum, zip(*rows, strict=False)) if rows else [0.0] * len(self.labels)
        scores = [bias + total for bias, total in zip(self.bias, totals, strict=False)]
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        norm = sum(exps)
        return {label: value / norm for label, value in zip(self.labels, exps, strict=True)}
