"""Scores do not depend on the order in which models join the shared accumulator
(the grid scores runs in completion order, which differs between executions)."""

from __future__ import annotations

import random

from topics.scoring import CoherenceScorer

MEASURES = ["c_v", "c_npmi", "c_uci", "u_mass"]


def test_a_models_scores_are_bit_identical_whatever_was_added_before():
    rng = random.Random(1)
    vocab = [f"w{i}" for i in range(300)]
    texts = [[rng.choice(vocab[:rng.randint(20, 300)]) for _ in range(rng.randint(5, 200))]
             for _ in range(300)]
    m1 = [rng.sample(vocab[:150], 10) for _ in range(8)]
    m2 = [rng.sample(vocab[100:], 10) for _ in range(8)]
    first = CoherenceScorer(texts, measures=MEASURES)
    first.add_models({"m1": m1})
    first.add_models({"m2": m2})
    second = CoherenceScorer(texts, measures=MEASURES)
    second.add_models({"m2": m2})
    second.add_models({"m1": m1})
    a, b = first.score("m1"), second.score("m1")
    for measure in MEASURES:
        assert a[measure].tolist() == b[measure].tolist(), measure
