"""A trained linear model over named features: multinomial logistic regression.

The model file (`models/<name>.json`, written by `supportai train-understanding`) holds
the labels, a bias per label and, for every feature kept in training, one weight per
label. Scoring a text is a sum of the weights of the features it has, so it is pure
Python, fast and small; features never seen in training add nothing.
"""

from __future__ import annotations

import math
from importlib import resources
from typing import Any

import msgspec

MODELS = resources.files("supportai.engine.understanding") / "models"


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
        self._weights = {name: tuple(row) for name, row in model.weights.items()}

    @classmethod
    def load(cls, name: str) -> LinearModel:
        raw = (MODELS / f"{name}.json").read_bytes()
        return cls(msgspec.json.decode(raw, type=ModelFile))

    def probabilities(self, features: list[str]) -> dict[str, float]:
        """Softmax over the labels of the summed weights of the (distinct) features."""
        # map/filter keep the loop over ~150 features in C: this is the model's hot path.
        rows = list(filter(None, map(self._weights.get, set(features))))
        totals = map(sum, zip(*rows, strict=True)) if rows else [0.0] * len(self.labels)
        scores = [bias + total for bias, total in zip(self.bias, totals, strict=True)]
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        norm = sum(exps)
        return {label: value / norm for label, value in zip(self.labels, exps, strict=True)}
