"""Held-out perplexity in a grid: documents of the configured split are kept out of
training and scored; the run records the perplexity."""

from __future__ import annotations

import random

import pytest

from topics.config import validate
from topics.engines import load_model
from topics.errors import ConfigError
from topics.workflow import run_experiment, results_frame
from topics.store import Store

GROUPS = [["apple", "banana", "cherry", "grape", "melon", "peach"],
          ["engine", "wheel", "brake", "clutch", "piston", "gearbox"],
          ["violin", "cello", "flute", "oboe", "trumpet", "harp"]]


def _corpus(path):
    rng = random.Random(0)
    lines = ["text,split"]
    for i in range(60):
        words = [rng.choice(GROUPS[i % 3]) for _ in range(30)]
        lines.append(f"{' '.join(words)},{'test' if i % 5 == 0 else 'train'}")
    path.write_text("\n".join(lines) + "\n")


def _config(tmp_path, split):
    _corpus(tmp_path / "docs.csv")
    return validate({
        "corpus": {"path": "docs.csv"},
        "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
        "grid": {"engine": ["gensim", "tomotopy"], "num_topics": 3, "iterations": 50,
                 "passes": 5},
        "scoring": {"measures": ["c_npmi"], "held_out_split": split},
        "output": {"ldavis": False, "report": False},
    }, source=tmp_path / "c.yaml")


def test_held_out_documents_are_not_trained_on_and_give_a_perplexity(tmp_path):
    summary = run_experiment(_config(tmp_path, "test"), out=tmp_path / "exp")
    assert summary.done == 2 and summary.failed == 0
    with Store(tmp_path / "exp", create=False) as store:
        frame = results_frame(store)
        runs = store.runs()
    # 12 test documents of 30 tokens each; a 3-topic model of 3 word groups of 6 words
    # should be far better than uniform over the 18-word vocabulary.
    assert (frame["held_out_tokens"] == 12 * 30).all()
    assert ((frame["perplexity"] > 1) & (frame["perplexity"] < 18)).all()
    for run in runs:
        model = load_model(tmp_path / "exp" / run.model_dir, native=False)
        assert len(model.doc_ids) == 48  # the 12 test documents were kept out


def test_a_split_no_document_has_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"^scoring\.held_out_split: no document has split 'dev'"):
        run_experiment(_config(tmp_path, "dev"), out=tmp_path / "exp")
