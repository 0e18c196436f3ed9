"""The State of the Union themes (configs/themes/sotu.yaml) peak where history puts them.

One small experiment on the built-in `sotu` dataset, with the preprocessing and themes of
configs/sotu.yaml but one short tomotopy run, and the report it writes.  The decade where each
theme's mean lift peaks in the themes-by-decade figure's data (``figures/theme_by_period.csv``)
must fall in the theme's historical period, and be the decade where a plain count of the
theme's words per address peaks (no model involved).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from topics import themes as th
from topics.config import load_config
from topics.experiment import load_experiment
from topics.workflow import run_experiment

PROJECT = Path(__file__).resolve().parents[1]

#: theme -> the decades (their first years) where the record puts it
HISTORY = {
    "neutral_rights": range(1790, 1820),            # Britain, France, the embargo, 1812
    "indian_affairs": range(1790, 1890),            # treaties, removal, the western wars
    "mexican_war": range(1840, 1860),               # Texas, the Mexican War, Oregon
    "slavery": range(1850, 1870),                   # the sectional crisis, emancipation
    "civil_war_reconstruction": range(1860, 1880),
    "tariff": range(1820, 1900),                    # protection, 1820s-1890s
    "currency_gold_silver": range(1830, 1900),      # the Bank War to free silver
    "spain_and_empire": range(1890, 1910),          # 1898 and the new possessions
    "trusts_railroads": range(1900, 1920),          # the Progressive Era
    "depression_new_deal": range(1930, 1940),
    "world_wars": [1910, 1940],
    "inflation": range(1940, 1990),                 # wartime prices, then the 1970s
    "cold_war": range(1950, 1990),
    "civil_rights": range(1950, 1980),
    "energy": range(1970, 1990),                    # the oil shocks
    "health_care": range(1990, 2030),               # Clinton's plan, Medicare, the ACA
    "terrorism": range(2000, 2010),                 # after 11 September 2001
    "immigration": [*range(1880, 1930), *range(2000, 2030)],
}


@pytest.fixture(scope="module")
def sotu_experiment(tmp_path_factory):
    out = tmp_path_factory.mktemp("sotu")
    config = load_config(PROJECT / "configs" / "sotu.yaml", {
        "grid.engine": "tomotopy", "grid.num_topics": 20, "grid.iterations": 40,
        "output.ldavis": False, "output.dir": str(out)})
    summary = run_experiment(config)
    assert summary.failed == 0 and summary.report is not None
    return load_experiment(out)


def _decades(exp) -> pd.Series:
    docs = exp.documents()
    parents = docs.groupby("parent_id", sort=False).first()
    return parents["year"].astype(int) // 10 * 10


def _count_peaks(exp) -> pd.Series:
    """Theme -> the decade where the mean share of theme words per address peaks."""
    resolved = th.resolve_themes(exp.config["themes"], transform=exp.corpus.transform_text,
                                 vocab=exp.corpus.vocab)
    counts = th.document_theme_counts(exp.corpus.bow, resolved, doc_ids=exp.corpus.doc_ids,
                                      share=False)
    lengths = pd.Series([sum(c for _, c in bow) for bow in exp.corpus.bow],
                        index=counts.index, dtype=float)
    parents = exp.documents().loc[counts.index, "parent_id"].to_numpy()
    share = counts.groupby(parents).sum().div(lengths.groupby(parents).sum(), axis=0)
    decades = _decades(exp)
    return share.groupby(decades.reindex(share.index).to_numpy()).mean().idxmax()


@pytest.mark.slow
def test_theme_peaks_fall_in_their_historical_periods_and_match_the_counts(sotu_experiment):
    exp = sotu_experiment
    table = pd.read_csv(exp.folder / "figures" / "theme_by_period.csv")
    decades = _decades(exp)
    # the figure's data: every decade 1790s-2020s, the addresses counted once each
    assert list(table["period"]) == [f"{d}s" for d in range(1790, int(decades.max()) + 1, 10)]
    assert table["documents"].tolist() == decades.value_counts().sort_index().tolist()
    assert table["documents"].sum() == 237
    assert set(HISTORY) == set(exp.config["themes"])
    peaks = {t: int(table.loc[table[t].idxmax(), "period"][:-1]) for t in HISTORY}
    wrong = {t: p for t, p in peaks.items() if p not in HISTORY[t]}
    assert not wrong, f"peaks outside their historical periods: {wrong}"
    counted = _count_peaks(exp)
    differ = {t: (p, int(counted[t])) for t, p in peaks.items() if p != counted[t]}
    assert not differ, f"figure peak != plain-count peak: {differ}"


@pytest.mark.slow
def test_the_figure_means_are_per_address_means_of_the_pooled_scores(sotu_experiment):
    exp = sotu_experiment
    mean = exp.theme_summary().pivot(index="doc_id", columns="theme", values="mean")
    decades = _decades(exp).reindex(mean.index)
    table = pd.read_csv(exp.folder / "figures" / "theme_by_period.csv").set_index("period")
    expected = mean.groupby(decades.to_numpy()).mean()
    expected.index = [f"{d}s" for d in expected.index]
    np.testing.assert_allclose(table.loc[expected.index, expected.columns].to_numpy(),
                               expected.to_numpy(), rtol=1e-5)
    for name in ("theme_by_period", "theme_by_party", "theme_over_time"):
        assert (exp.folder / "figures" / f"{name}.png").is_file()
    page = (exp.folder / "report.html").read_text(encoding="utf-8")
    assert "Theme prevalence by decade" in page  # 236 years: decades, not a smooth trend


@pytest.mark.slow
def test_themes_sharing_a_topic_get_different_scores(sotu_experiment):
    """A cold-war and a terrorism lexicon live in the same "national security" topics: by
    decade their model masses move together, their scores (the addresses' own words,
    smoothed by the model) part."""
    exp = sotu_experiment
    decades = _decades(exp)
    for run_id in exp.results["run_id"]:
        runs = exp.run_themes(run_id)
        lifts = (runs.rates / runs.rates.mean()).groupby(decades.reindex(runs.rates.index)
                                                         .to_numpy()).mean()
        mass = (runs.mass / runs.mass.mean()).groupby(decades.reindex(runs.mass.index)
                                                      .to_numpy()).mean()
        assert mass["cold_war"].corr(mass["terrorism"]) > lifts["cold_war"].corr(
            lifts["terrorism"])
        assert lifts["cold_war"].idxmax() in range(1950, 1990)
        assert lifts["terrorism"].idxmax() == 2000
        assert lifts.loc[2000, "terrorism"] > 3 * lifts.loc[2000, "cold_war"]


@pytest.mark.slow
def test_effects_by_party_and_over_time_have_intervals(sotu_experiment):
    from topics.viz import theme_effect_dots, theme_effect_trend

    exp = sotu_experiment
    party = exp.theme_effects("party", sims=5)
    assert {"Democratic", "Republican"} <= set(party["level"])
    assert (party["low"] <= party["high"]).all() and (party["high"] > party["low"]).all()
    trend = exp.theme_effects("year", sims=5)
    slavery = trend[trend.theme == "slavery"].set_index("level")
    assert 1840 <= slavery["estimate"].idxmax() <= 1870
    assert slavery.loc[slavery["estimate"].idxmax(), "low"] > 1  # above average, surely
    assert len(theme_effect_dots(party, "party").axes[0].containers) == party.theme.nunique()
    assert theme_effect_trend(trend).axes[0].collections  # the bands
