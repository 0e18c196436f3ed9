"""Label agreement (NMI, ARI, purity of each document's main topic against a class field):
the measures against values worked out by hand and by an independent formula, and end to
end on a tiny labelled txt corpus whose sub-folders are the classes."""

from __future__ import annotations

import math
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from topics.config import validate
from topics.errors import ConfigError
from topics.experiment import load_experiment
from topics.scoring import label_agreement
from topics.workflow import run_experiment

GROUPS = {
    "sport": "football goal match player team league striker coach stadium referee",
    "money": "market stock bank price investor profit economy inflation trade share",
    "space": "planet star galaxy telescope orbit comet rocket astronaut moon nebula",
}
FAST = {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0}


def nmi_by_hand(a: list, b: list) -> float:
    """Mutual information over the arithmetic mean of the two entropies, from counts."""
    n = len(a)
    pa, pb, pab = Counter(a), Counter(b), Counter(zip(a, b))
    mi = sum(c / n * math.log(c * n / (pa[x] * pb[y])) for (x, y), c in pab.items())
    h = lambda p: -sum(c / n * math.log(c / n) for c in p.values())  # noqa: E731
    return mi / ((h(pa) + h(pb)) / 2)


def test_values_match_a_hand_worked_example():
    # main topics: 0, 0, 1, 1, 0, 2 (ties go to the lower topic: row 4 is [0.5, 0.5, 0])
    theta = np.array([[.9, .1, 0], [.6, .3, .1], [.1, .8, .1], [0, 1, 0], [.5, .5, 0],
                      [0, .2, .8]])
    labels = ["a", "a", "a", "b", "b", "b"]
    scores = label_agreement(theta, labels)
    # topic 0: a a b; topic 1: a b; topic 2: b -> 2 + 1 + 1 of 6 in their topic's majority
    assert scores["purity"] == pytest.approx(4 / 6)
    assert scores["nmi"] == pytest.approx(nmi_by_hand([0, 0, 1, 1, 0, 2], labels))
    # ARI by its pair-counting formula: sum of C(n_ij, 2) over the table is C(2, 2) = 1;
    # classes 3 + 3 -> 3 + 3 pairs; topics of 3, 2, 1 -> 3 + 1 + 0 pairs; C(6, 2) = 15
    index, rows, cols, total = 1, 6, 4, 15
    expected = (index - rows * cols / total) / ((rows + cols) / 2 - rows * cols / total)
    assert scores["ari"] == pytest.approx(expected)


def test_a_perfect_clustering_scores_one_and_unlabelled_documents_are_left_out():
    theta = np.eye(3)[[0, 0, 1, 1, 2, 2, 0]]
    scores = label_agreement(theta, ["x", "x", "y", "y", "z", "z", None])
    assert scores == {"nmi": pytest.approx(1.0), "ari": pytest.approx(1.0), "purity": 1.0}


def test_bad_inputs_name_the_parameter():
    with pytest.raises(ConfigError, match="labels"):
        label_agreement(np.eye(2), ["a"])
    with pytest.raises(ConfigError, match="no document has a label"):
        label_agreement(np.eye(2), [None, ""])


def write_labelled_corpus(folder: Path, *, per_group: int = 8, words: int = 40) -> Path:
    rng = random.Random(3)
    for name, group in GROUPS.items():
        (folder / name).mkdir(parents=True)
        vocab = group.split()
        for i in range(per_group):
            text = " ".join(rng.choice(vocab) for _ in range(words))
            (folder / name / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def labelled_config(tmp_path: Path, **scoring):
    raw = {"name": "t", "corpus": {"path": str(tmp_path / "corpus")}, "preprocess": FAST,
           "grid": {"engine": "tomotopy", "num_topics": [3, 4], "iterations": 50,
                    "seeds": [0]},
           "scoring": {"measures": ["c_npmi"], **scoring}, "runner": {"n_jobs": 1},
           "output": {"ldavis": False, "report": False, "dir": str(tmp_path / "exp")}}
    return validate(raw, source=tmp_path / "c.yaml")


def test_runs_on_a_labelled_folder_are_scored_and_best_works(tmp_path):
    write_labelled_corpus(tmp_path / "corpus")
    summary = run_experiment(labelled_config(tmp_path))
    assert summary.done == 2 and "nmi" in summary.best
    exp = load_experiment(summary.folder)
    results = exp.results
    csv = pd.read_csv(summary.folder / "results.csv")
    for _, row in results.iterrows():
        out = exp.model(row["run_id"])
        labels = [doc_id.split("/")[0] for doc_id in out.doc_ids]  # the sub-folder
        topics = list(np.argmax(out.doc_topic, axis=1))
        assert row["nmi"] == pytest.approx(nmi_by_hand(topics, labels))
        majority = sum(Counter(lab for lab, t in zip(labels, topics) if t == k).most_common(1)[0][1]
                       for k in set(topics))
        assert row["purity"] == pytest.approx(majority / len(labels))
        assert -1 <= row["ari"] <= 1
        assert csv.set_index("run_id").loc[row["run_id"], "nmi"] == pytest.approx(row["nmi"])
    # three separable word groups: the K=3 run recovers them
    assert results.set_index("num_topics").loc[3, "nmi"] > 0.9
    best = exp.best("nmi")
    assert best["nmi"][0] == results["nmi"].max()


def test_a_named_label_field_that_no_document_has_is_a_config_error(tmp_path):
    write_labelled_corpus(tmp_path / "corpus", per_group=3)
    with pytest.raises(ConfigError, match="scoring.labels.*'genre'"):
        run_experiment(labelled_config(tmp_path, labels="genre"))


def test_an_unlabelled_corpus_has_no_label_columns(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, group in enumerate(GROUPS.values()):
        (folder / f"{i}.txt").write_text(group + " " + group, encoding="utf-8")
    config = labelled_config(tmp_path)
    config.grid["num_topics"] = [2]
    summary = run_experiment(config)
    assert summary.done == 1
    assert "nmi" not in load_experiment(summary.folder).results.columns
