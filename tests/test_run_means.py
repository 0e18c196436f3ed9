"""A run's recorded coherence is the mean over its topics exactly as ``coherence_means``
takes it (gensim's ``get_coherence``): a NaN topic makes the run's value NaN."""

from __future__ import annotations

import math

from topics.config import validate
from topics.runner import RunResult
from topics.scoring import CoherenceScorer, coherence, coherence_means
from topics.workflow import _score

TEXTS = [["goal", "match", "team", "coach"], ["bank", "market", "stock", "price"],
         ["goal", "team", "league", "match"], ["market", "price", "bank", "trade"]] * 3
MEASURES = ["c_v", "c_npmi", "c_uci", "u_mass"]


def _result(run_id: str, topics: list[list[str]]) -> RunResult:
    words = tuple(tuple(t) for t in topics)
    return RunResult(run_id, "done", None, 0.0, 1.0, 0.5, None, words, words)


def _config():
    return validate({"corpus": {"path": "unused"}, "scoring": {"measures": MEASURES,
                                                              "topn": 3}})


def test_run_means_equal_coherence_means_with_and_without_a_nan_topic():
    runs = {"clean": [["goal", "match", "team"], ["bank", "market", "price"]],
            "unknown": [["goal", "match", "team"], ["zebra", "quark", "nowhere"]]}
    scorer = CoherenceScorer(TEXTS, measures=MEASURES, topn=3)
    expected = coherence_means(coherence(runs, TEXTS, measures=MEASURES, topn=3))
    for run_id, topics in runs.items():
        metrics = _score(_result(run_id, topics), scorer, _config())
        for measure in MEASURES:
            want = float(expected.loc[run_id, measure])
            got = metrics[measure]
            assert (math.isnan(got) and math.isnan(want)) or got == want, (run_id, measure)
    assert math.isnan(_score(_result("unknown", runs["unknown"]), scorer, _config())["c_v"])
    assert not math.isnan(_score(_result("clean", runs["clean"]), scorer, _config())["c_v"])
