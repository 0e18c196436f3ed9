"""The report shows what the families add: CTM correlations, DMR prevalence by level, DTM
top words per time slice (figures drawn from the saved models' extras)."""

from __future__ import annotations

import csv
import random

import numpy as np
import pandas as pd
import pytest

from topics.config import validate
from topics.errors import ConfigError
from topics.viz.families import prevalence_by_level, topic_correlations, words_per_slice
from topics.workflow import run_experiment

GROUPS = ("football goal match player team league striker coach",
          "market stock bank price trade share investor profit",
          "planet star galaxy orbit moon comet rocket telescope")


def write_csv(path, n_docs: int = 36):
    rng = random.Random(2)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "date", "source"])
        for i in range(n_docs):
            text = " ".join(rng.choice(GROUPS[i % 3].split()) for _ in range(25))
            writer.writerow([f"d{i}", text, f"20{10 + i % 4}-05-01", "ab"[i % 2]])


def test_ctm_dmr_and_dtm_runs_put_their_figures_in_the_report(tmp_path):
    write_csv(tmp_path / "docs.csv")
    config = validate({
        "name": "fam", "corpus": {"path": str(tmp_path / "docs.csv")},
        "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
        "grid": {"engine": ["ctm", "dmr", "dtm"], "num_topics": 3, "iterations": 100,
                 "covariate": "source", "time_slices": 2, "seeds": [0]},
        "scoring": {"measures": ["c_npmi"]}, "runner": {"n_jobs": 1},
        "output": {"ldavis": True, "report": True, "dir": str(tmp_path / "exp")}})
    summary = run_experiment(config)
    assert summary.done == 3, summary.errors
    page = summary.report.read_text(encoding="utf-8")
    figures = tmp_path / "exp" / "figures"
    for engine, caption in (("ctm", "Topic correlations"), ("dmr", "Topic prevalence by level"),
                            ("dtm", "Top words per time slice")):
        assert caption in page, engine
        assert list(figures.glob(f"{engine}_*.svg")), engine


def test_the_family_figures_check_their_inputs_and_draw():
    fig = topic_correlations(np.eye(3), names=["a", "b", "c"])
    assert fig.axes[0].get_title() == "Topic correlations (CTM)"
    with pytest.raises(ConfigError, match="square"):
        topic_correlations(np.ones((2, 3)))
    frame = pd.DataFrame([[0.7, 0.3], [0.2, 0.8]], index=["a", "b"], columns=["t0", "t1"])
    assert prevalence_by_level(frame, field="source").axes[0].get_ylabel() == "source"
    words = [[["goal", "team"], ["goal", "coach"]], [["bank"], ["stock"]]]
    fig = words_per_slice(words, ["2010", "2011"])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["goal", "team", "goal", "coach", "bank", "stock"]
    bold = [t.get_text() for t in fig.axes[0].texts if t.get_fontweight() == "bold"]
    assert bold == ["coach", "stock"]  # new in the second slice
    with pytest.raises(ConfigError, match="slices"):
        words_per_slice(words, ["2010"])
