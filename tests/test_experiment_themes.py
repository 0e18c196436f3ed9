"""Theme scores of a small real experiment: the theme rate, pooling over runs, run filters.

The corpus: twelve "security" documents drawn from one shared word group, six of them also
using cold-war words and six terrorism words, so both themes live in the same topic; and six
sport documents.  Expected values are recomputed here from the texts and the per-run model
output, independently of the pooling code (plain counts, Monte Carlo draws, argmax by hand).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import topics
from topics.errors import ConfigError

pytestmark = pytest.mark.slow  # trains 4 small models (~10 s)

SECURITY = "army missile border defence treaty navy threat alliance".split()
SPORT = "football goal match player team league striker coach".split()
THEMES = {"cold_war": ["soviet", "kremlin"], "terror": ["terrorist", "terror"],
          "sport": ["football", "striker"]}
SMOOTH = 50.0


def write_corpus(folder: Path) -> Path:
    """cw_0..5 (security + cold war, 1950s), tr_0..5 (security + terror, 2000s), sp_0..5."""
    rng = random.Random(5)
    folder.mkdir(parents=True)
    rows = ["file,source,date,bloc"]
    groups = (("cw", ["soviet", "kremlin"], 1950), ("tr", ["terrorist", "terror"], 2000),
              ("sp", [], 1975))
    for prefix, extra, year in groups:
        for i in range(6):
            words = [rng.choice(SPORT if prefix == "sp" else SECURITY) for _ in range(60)]
            words += [rng.choice(extra) for _ in range(i + 1)] if extra else []
            rng.shuffle(words)
            (folder / f"{prefix}_{i}.txt").write_text(" ".join(words), encoding="utf-8")
            source = "wire" if i % 2 else "paper"
            rows.append(f"{prefix}_{i}.txt,{source},{year + 2 * i}-06-01,{prefix}")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def exp(tmp_path_factory):
    corpus = write_corpus(tmp_path_factory.mktemp("corpus") / "txt")
    config = {
        "name": "themes", "corpus": {"path": str(corpus)}, "themes": THEMES,
        "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
        "grid": {"engine": ["gensim", "tomotopy"], "num_topics": [2], "seeds": [0, 1],
                 "passes": 5, "iterations": 50},
        "scoring": {"measures": ["c_npmi"], "topn": 5, "diversity_topn": 5},
        "runner": {"n_jobs": 1}, "output": {"ldavis": False, "report": False},
    }
    exp = topics.run(config, out=tmp_path_factory.mktemp("exp") / "run")
    exp.texts = {p.stem: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}
    return exp


def plain_counts(exp, theme: str) -> pd.Series:
    pattern = re.compile(r"\b(" + "|".join(THEMES[theme]) + r")\b")
    return pd.Series({d: len(pattern.findall(t)) for d, t in exp.texts.items()})


def test_the_rate_is_the_documents_own_use_smoothed_by_the_model(exp):
    run_id = exp.results["run_id"].iloc[0]
    runs = exp.run_themes(run_id)
    for theme in THEMES:  # counts are plain counts of the seed words in the texts
        assert runs.counts[theme].to_dict() == plain_counts(exp, theme).reindex(
            runs.counts.index).to_dict()
    n, length, mass = runs.counts, runs.lengths, runs.mass
    expected = (n + SMOOTH * mass).div(length + SMOOTH, axis=0)
    pd.testing.assert_frame_equal(runs.rates, expected, check_names=False)
    scores = exp.themes(run_id).scores
    pd.testing.assert_frame_equal(scores, expected / expected.mean(), check_names=False)


def test_themes_sharing_a_topic_get_different_scores_and_peak_on_their_words(exp):
    for run_id in exp.results["run_id"]:
        scores = exp.themes(run_id).scores
        assert not np.allclose(scores["cold_war"], scores["terror"], rtol=0.05)
        for theme in ("cold_war", "terror"):
            counts = plain_counts(exp, theme).reindex(scores.index)
            assert scores[theme].idxmax() == counts.idxmax()
            # Never used: ranks below every document that uses the words.
            assert scores[theme][counts == 0].max() < scores[theme][counts > 0].min()


def test_evidence_says_what_carried_a_score(exp):
    themes = exp.themes(exp.results["run_id"].iloc[0])
    words = themes.words.set_index(["doc_id", "theme"])
    assert words.loc[("cw_5", "cold_war"), "count"] == 6
    assert dict(words.loc[("cw_5", "cold_war"), "words"]).keys() <= {"soviet", "kremlin"}
    assert ("tr_0", "cold_war") not in words.index
    # A document that never uses the words owes its whole score to the model.
    assert themes.model_share.loc["tr_0", "cold_war"] == pytest.approx(1.0)
    assert themes.model_share.loc["cw_5", "cold_war"] < 0.5
    tokens = themes.tokens[themes.tokens.theme == "terror"]
    total = sum(plain_counts(exp, "terror"))
    assert set(tokens.token) == {"terrorist", "terror"} and tokens["count"].sum() == total


def test_summary_pools_every_run_with_an_interval_recomputed_by_sampling(exp):
    summary = exp.theme_summary()
    run_ids = list(exp.results["run_id"])
    assert set(summary.n_runs) == {4} and len(summary) == 18 * 3
    per_run = [exp.run_themes(r) for r in run_ids]
    lifts = [r.rates / r.rates.mean() for r in per_run]
    rng = np.random.default_rng(0)
    row = summary.set_index(["doc_id", "theme"])
    for doc, theme in (("cw_3", "cold_war"), ("tr_0", "cold_war"), ("sp_2", "sport")):
        assert row.loc[(doc, theme), "mean"] == pytest.approx(
            np.mean([lf.loc[doc, theme] for lf in lifts]))
        draws = []
        for r in per_run:  # Monte Carlo: each run's Beta posterior of the rate / its mean rate
            a = r.counts.loc[doc, theme] + SMOOTH * r.mass.loc[doc, theme]
            b = r.lengths[doc] - r.counts.loc[doc, theme] + SMOOTH * (1 - r.mass.loc[doc, theme])
            draws.append(stats.beta(a, b).rvs(40000, random_state=rng) / r.rates[theme].mean())
        low, high = np.quantile(np.concatenate(draws), [0.05, 0.95])
        assert row.loc[(doc, theme), "low"] == pytest.approx(low, rel=0.03, abs=1e-3)
        assert row.loc[(doc, theme), "high"] == pytest.approx(high, rel=0.03, abs=1e-3)
        top = np.mean([lf.loc[doc].idxmax() == theme for lf in lifts])
        assert row.loc[(doc, theme), "top_share"] == pytest.approx(top)
    # The documents that use a theme's words most are above the neutral 1.0 with certainty.
    assert row.loc[("cw_5", "cold_war"), "low"] > 1 and row.loc[("tr_5", "terror"), "low"] > 1
    assert row.loc[("sp_0", "cold_war"), "high"] < 1


def test_summary_runs_by_id_or_filter(exp):
    tomotopy = list(exp.results.query("engine == 'tomotopy'")["run_id"])
    by_filter = exp.theme_summary({"engine": "tomotopy"})
    assert set(by_filter.n_runs) == {2}
    pd.testing.assert_frame_equal(by_filter, exp.theme_summary(tomotopy))
    one = exp.theme_summary(tomotopy[:1])
    assert set(one.n_runs) == {1} and set(one.top_share) <= {0.0, 1.0}
    with pytest.raises(ConfigError, match="runs.colour"):
        exp.theme_summary({"colour": "red"})
    with pytest.raises(ConfigError, match="no completed run"):
        exp.theme_summary({"num_topics": 99})
    with pytest.raises(ConfigError, match="runs"):
        exp.theme_summary(["nope"])


def test_effects_by_category_are_group_means_pooled_over_runs(exp):
    effects = exp.theme_effects("bloc", sims=10).set_index(["theme", "level"])
    assert set(effects.n_runs) == {4}
    per_run = [exp.run_themes(r) for r in exp.results["run_id"]]
    bloc = pd.Series({d: d[:2] for d in per_run[0].counts.index})
    for theme in THEMES:
        # One mean per level: the OLS estimate is each run's group mean lift, averaged.
        by_hand = np.mean([(r.rates[theme] / r.rates[theme].mean()).groupby(bloc).mean()
                           for r in per_run], axis=0)
        assert effects.loc[theme, "estimate"].to_numpy() == pytest.approx(by_hand)
        assert (effects.loc[theme, "low"] <= effects.loc[theme, "estimate"]).all()
        assert (effects.loc[theme, "estimate"] <= effects.loc[theme, "high"]).all()
    # The bloc that uses a theme's words is above average with certainty, and its interval
    # is above the other blocs' estimates (a short text that never uses the words is
    # uncertain: its own interval is wide).
    for theme, bloc, other in (("cold_war", "cw", "tr"), ("terror", "tr", "cw")):
        assert effects.loc[(theme, bloc), "low"] > 1
        assert effects.loc[(theme, bloc), "low"] > effects.loc[(theme, other), "estimate"]
        assert effects.loc[(theme, "sp"), "high"] < 1
    assert list(effects.loc["sport", "n_docs"]) == [6, 6, 6]


def test_effects_over_time_peak_where_plain_counts_peak(exp):
    trend = exp.theme_effects("date", sims=5)
    decades = exp.theme_effects("date", period=10, sims=5)
    assert sorted(set(decades.level)) == [1950, 1960, 1970, 1980, 2000, 2010]
    years = pd.Series({d: 1950 + 2 * int(d[3]) + {"cw": 0, "tr": 50, "sp": 25}[d[:2]]
                       for d in exp.texts})
    for theme in ("cold_war", "terror"):
        counts = plain_counts(exp, theme)
        peak = counts.groupby(years // 10 * 10).mean().idxmax()  # mean count per document
        rows = decades[decades.theme == theme]
        assert rows.set_index("level")["estimate"].idxmax() == peak
        curve = trend[trend.theme == theme].set_index("level")["estimate"]
        assert abs(curve.idxmax() - years[counts.idxmax()]) < 15
    with pytest.raises(ConfigError, match="field"):
        exp.theme_effects("colour")
    with pytest.raises(ConfigError, match="period"):
        exp.theme_effects("bloc", period=10)


def test_passages_rank_the_texts_that_use_the_theme_words(exp):
    top = exp.passages("cold_war", n=3)
    assert list(top.columns) == ["document", "passage", "score", "count", "words", "text"]
    assert list(top["document"]) == ["cw_5", "cw_4", "cw_3"]  # 6, 5, 4 cold-war tokens
    assert list(top["count"]) == [6, 5, 4]
    assert top["text"][0] == exp.texts["cw_5"]  # unchunked, no sentence end: one passage
    # The score by hand: the passage's rate with the model's mass averaged over the runs,
    # over the corpus mean rate averaged over the runs.
    per_run = [exp.run_themes(r) for r in exp.results["run_id"]]
    n, length = 6, per_run[0].lengths["cw_5"]
    mass = np.mean([r.mass.loc["cw_5", "cold_war"] for r in per_run])
    scale = np.mean([r.rates["cold_war"].mean() for r in per_run])
    assert top["score"][0] == pytest.approx((n + SMOOTH * mass) / (length + SMOOTH) / scale)
    words = dict(w.split(" x") for w in top["words"][0].split(", "))
    assert sum(map(int, words.values())) == 6 and set(words) <= {"soviet", "kremlin"}
    one = exp.passages("terror", document="tr_2", n=5)
    assert list(one["document"]) == ["tr_2"] and one["count"][0] == 3
    assert exp.passages("terror", document="sp_0").empty  # no terror word there
    with pytest.raises(ConfigError, match="theme"):
        exp.passages("nope")
    with pytest.raises(ConfigError, match="document"):
        exp.passages("terror", document="nope")


def test_highlight_marks_only_the_theme_words(exp):
    from topics.experiment_passages import highlight

    text = "The soviet army, and then the Kremlin <b>again</b>."
    spans = highlight(exp, text, {"cold_war": {"soviet", "kremlin"}, "terror": {"terror"}})
    assert "".join(piece for piece, _ in spans) == text  # nothing lost or added
    assert [(p, t) for p, t in spans if t] == [("soviet", "cold_war"), ("Kremlin", "cold_war")]
