"""The learned models: the shipped files are what training builds, and the decision
acts only above the calibrated threshold."""

from __future__ import annotations

import subprocess
import sys

import pytest

from supportai.engine.understanding.classifier import LinearModel, ModelFile
from supportai.engine.understanding.features import expanded, word_pieces
from supportai.engine.understanding.training import differences
from supportai.engine.understanding.weighing import Weighed, decide, intent_model, understand


@pytest.mark.timeout(1800)  # a full training run, longer than the suite's per-test limit
def test_the_shipped_models_are_what_the_training_command_builds() -> None:
    # The command itself, in its own process: it trains with a fixed hash seed.
    done = subprocess.run(
        [sys.executable, "-m", "supportai.cli", "train-understanding", "--check"],
        capture_output=True, text=True, timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_a_changed_weight_is_a_difference() -> None:
    model = ModelFile(["a", "b"], [0.0, 0.0], {"w:x": [1.0, -1.0]}, {"act_at": 0.9})
    changed = ModelFile(["a", "b"], [0.0, 0.0], {"w:x": [1.0, -0.9]}, {"act_at": 0.9})
    assert differences(model, model) == []
    assert differences(changed, model) == ["weights of 'w:x': [1.0, -0.9] != [1.0, -1.0]"]


def test_probabilities_are_a_distribution_and_unknown_features_add_nothing() -> None:
    model = LinearModel(ModelFile(["a", "b"], [0.0, 1.0], {"w:x": [2.0, 0.0]}))
    assert sum(model.probabilities(["w:x", "w:x"]).values()) == pytest.approx(1.0)
    assert model.probabilities(["w:unseen"]) == model.probabilities([])
    assert model.probabilities(["w:x"])["a"] > model.probabilities([])["a"]


def test_a_model_file_whose_rows_do_not_match_its_labels_is_refused() -> None:
    with pytest.raises(ValueError, match="one weight per label"):
        LinearModel(ModelFile(["a", "b"], [0.0, 0.0], {"w:x": [1.0]}))
    with pytest.raises(ValueError, match="one weight per label"):
        LinearModel(ModelFile(["a", "b"], [0.0], {}))


def test_a_word_is_scored_with_its_pieces_as_training_counts_them() -> None:
    shared = word_pieces("cancelled")[0]  # "g:<can", also a piece of "cancelling"
    weights = {"w:cancelled": [1.0, 0.0], shared: [0.5, 0.0], "b:x y": [0.0, 0.25]}
    model = LinearModel(ModelFile(["a", "b"], [0.0, 0.0], weights))
    features = ["w:cancelled", "w:cancelling", "w:cancelled", "b:x y"]

    # What training fits on: each feature once, a piece once per word that has it.
    totals = [sum(weights.get(name, [0.0, 0.0])[label] for name in expanded(features)) for label in (0, 1)]
    assert totals == [2.0, 0.25]
    reference = LinearModel(ModelFile(["a", "b"], totals, {}))
    assert model.probabilities(features) == pytest.approx(reference.probabilities([]))
    # A word the model never saw is read by its pieces.
    assert model.probabilities(["w:cancelling"])["a"] > model.probabilities([])["a"]


def test_below_the_threshold_an_action_is_held_back_for_a_person() -> None:
    scores = {"refill": 0.7, "cancel": 0.1, "speed_up": 0.1, "other": 0.1}
    weighed = Weighed(dict(scores), (("5531907", dict(scores)),), "en", False)
    held = decide(weighed, act_at=0.8)
    acted = decide(weighed, act_at=0.6)
    assert (held.intent, held.orders[0].intent, held.unsure) == ("other", "other", True)
    assert (acted.intent, acted.orders[0].intent, acted.unsure) == ("refill", "refill", False)


def test_an_order_that_needs_nothing_is_not_given_the_others_action() -> None:
    understanding = understand("5502336 dropped, please refill. 6715772 is fine, no action needed")
    assert [(o.id, o.intent) for o in understanding.orders] == [("5502336", "refill"), ("6715772", "other")]


def test_the_threshold_was_calibrated_and_lies_within_reason() -> None:
    assert 0.3 <= intent_model().meta["act_at"] < 1.0
    assert intent_model().meta["examples"] >= 4000


def test_a_two_label_model_scores_as_the_fitted_logistic_regression() -> None:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    from supportai.engine.understanding.training import fit

    examples = [(["a", "b"], "yes"), (["a"], "yes"), (["b", "c"], "no"), (["c"], "no"), (["a", "c"], "yes"),
                (["b"], "no")]
    model = LinearModel(fit(examples, ("yes", "no")))
    # The same fit by hand: columns a, b, c; label 1 = "no".
    matrix = csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 1], [1, 0, 1], [0, 1, 0]], dtype=float))
    reference = LogisticRegression(max_iter=5000, tol=1e-6).fit(matrix, [0, 0, 1, 1, 0, 1])
    for features, row in ((["a"], [1, 0, 0]), (["b", "c"], [0, 1, 1]), ([], [0, 0, 0])):
        expected = reference.predict_proba(np.array([row], dtype=float))[0]
        got = model.probabilities(features)
        assert [got["yes"], got["no"]] == pytest.approx(expected, abs=1e-3)
