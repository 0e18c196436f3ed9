"""The figure functions: what they draw, checked on the artists, and their option checks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.viz import (
    coherence_vs_k,
    doc_theme_heatmap,
    match_topics,
    save_figure,
    theme_by_field,
    theme_effect_dots,
    theme_effect_trend,
    theme_over_time,
    topic_similarity,
    topic_similarity_matrix,
    topic_top_words,
)
from topics.viz._common import shorten


@pytest.fixture
def scores() -> pd.DataFrame:
    return pd.DataFrame(
        [[0.8, 0.2, 0.0], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4], [0.0, 0.5, 0.5]],
        index=["d0", "d1", "d2", "d3"], columns=["war", "trade", "energy"])


def test_shorten_cuts_at_a_word_boundary():
    assert shorten("Is Pakistan Shifting to Russia?", 40) == "Is Pakistan Shifting to Russia?"
    cut = shorten("How Would The West React If Russia Pulled A Regime Change", 30)
    assert cut == "How Would The West React If…"
    assert len(shorten("x" * 100, 10)) == 10


def test_heatmap_draws_the_scores_with_titles_and_ids(scores):
    labels = {"d0": "A very long title about the war in the steppes of Kazakhstan", "d2": "Short"}
    fig = doc_theme_heatmap(scores, labels=labels, max_label_chars=20)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.images[0].get_array(), scores.to_numpy())
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == ["A very long title…", "d1", "Short", "d3"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["war", "trade", "energy"]
    assert len(fig.axes) == 2  # the colourbar
    cells = [t.get_text() for t in ax.texts]
    assert cells[:3] == ["0.80", "0.20", "0.00"]


def test_heatmap_omits_unreadable_row_labels(scores):
    fig = doc_theme_heatmap(scores, max_labelled_rows=3)
    ax = fig.axes[0]
    assert ax.get_yticks().size == 0
    assert "n=4" in ax.get_ylabel()


def test_heatmap_rejects_bad_input(scores):
    with pytest.raises(ConfigError) as err:
        doc_theme_heatmap(scores.assign(war=[0.1, np.nan, 0.2, 0.3]))
    assert err.value.key == "scores"
    with pytest.raises(ConfigError) as err:
        doc_theme_heatmap(scores, labels=["only", "three", "titles"])
    assert err.value.key == "labels" and "3 values" in err.value.message
    with pytest.raises(ConfigError):
        doc_theme_heatmap(scores.to_numpy())


def test_theme_over_time_means_counts_and_gaps(scores):
    dates = ["2022-01-03", "2022-01-30", "2022-03-15", "no date"]
    fig = theme_over_time(scores, dates, freq="M")
    top, bottom = fig.axes
    heights = [bar.get_height() for bar in bottom.patches]
    assert heights == [2, 0, 1]  # January, February (empty), March
    war = top.lines[0].get_ydata()
    np.testing.assert_allclose(war[[0, 2]], [(0.8 + 0.1) / 2, 0.3])
    assert np.isnan(war[1])
    assert [t.get_text() for t in bottom.get_xticklabels()] == ["2022-01", "2022-02", "2022-03"]
    assert "1 undated" in bottom.get_xlabel() and "3 dated" in bottom.get_xlabel()


def test_theme_over_time_accepts_dates_keyed_by_id_and_checks_freq(scores):
    dates = pd.Series({"d3": "2023-05-01", "d0": "2021-02-01"})
    fig = theme_over_time(scores, dates, freq="Y")
    assert [b.get_height() for b in fig.axes[1].patches] == [1, 0, 1]
    years = theme_over_time(scores, [2021, 2023, None, 2023.0], freq="Y")  # numbers are years
    assert [b.get_height() for b in years.axes[1].patches] == [1, 0, 2]
    with pytest.raises(ConfigError) as err:
        theme_over_time(scores, dates, freq="fortnight")
    assert err.value.key == "freq"
    with pytest.raises(ConfigError) as err:
        theme_over_time(scores, ["x", "y", None, ""])
    assert err.value.key == "dates"


def _dots(ax) -> list[np.ndarray]:
    """The x positions of each theme's dots (one errorbar container per theme)."""
    return [c.lines[0].get_xdata() for c in ax.containers]


def test_theme_by_field_mean_lift_counts_missing_and_other(scores):
    fig = theme_by_field(scores, ["BBC", "BBC", None, "CNN"], "source")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "BBC  (n=2)", "(missing)  (n=1)", "CNN  (n=1)"]
    war = _dots(ax)[list(scores.columns).index("war")]
    # The group mean itself, not a share normalised within the group.
    assert war[0] == pytest.approx(scores.loc[["d0", "d1"], "war"].mean())
    assert ax.get_xscale() == "log"
    assert any(line.get_xdata()[0] == 1.0 for line in ax.get_lines())  # the line at 1.0
    pooled = theme_by_field(scores, ["a", "a", "b", "c"], "label", max_categories=2)
    assert [t.get_text() for t in pooled.axes[0].get_yticklabels()] == ["a  (n=2)", "(other)  (n=2)"]


def test_effect_figures_draw_intervals_and_the_neutral_line():
    effects = pd.DataFrame({"theme": ["war", "war", "oil", "oil"], "level": ["a", "b"] * 2,
                            "estimate": [1.5, 0.5, 1.0, 1.1], "low": [1.2, 0.3, 0.8, 0.9],
                            "high": [1.9, 0.8, 1.3, 1.4], "n_docs": [3, 4, 3, 4]})
    fig = theme_effect_dots(effects, "party")
    ax = fig.axes[0]
    war = ax.containers[0]
    assert list(war.lines[0].get_xdata()) == [1.5, 0.5]
    segments = war.lines[2][0].get_segments()
    assert [tuple(s[:, 0]) for s in segments] == [(1.2, 1.9), (0.3, 0.8)]
    trend = effects.assign(level=[2000.0, 2010.0] * 2)
    fig = theme_effect_trend(trend)
    assert len([a for a in fig.axes if a.get_visible()]) == 2
    band = fig.axes[0].collections[0].get_paths()[0].vertices
    assert band[:, 1].min() == pytest.approx(0.3) and band[:, 1].max() == pytest.approx(1.9)
    with pytest.raises(ConfigError) as err:
        theme_effect_dots(effects.drop(columns="low"), "party")
    assert err.value.key == "effects"


def test_heatmap_centres_on_neutral_and_hatches_marked_cells(scores):
    marked = scores < 0.3
    fig = doc_theme_heatmap(scores, center=1.0, marked=marked)
    ax = fig.axes[0]
    assert len(ax.patches) == int(marked.to_numpy().sum())
    assert ax.images[0].norm.vcenter == 1.0
    assert "no evidence" in ax.get_xlabel()


def test_theme_by_field_rejects_negative_scores_and_bad_names(scores):
    with pytest.raises(ConfigError) as err:
        theme_by_field(scores - 1.0, ["a"] * 4, "source")
    assert err.value.key == "scores"
    with pytest.raises(ConfigError) as err:
        theme_by_field(scores, ["a"] * 4, "")
    assert err.value.key == "field_name"


def test_topic_top_words_panels_sorted_and_named():
    topics = [[("oil", 0.1), ("gas", 0.5), ("pipeline", 0.3)], [("vote", 0.7), ("party", 0.2)]]
    fig = topic_top_words(topics, topic_names=["Energy", None], n_words=2)
    first, second = fig.axes[:2]
    assert [t.get_text() for t in first.get_yticklabels()] == ["gas", "pipeline"]
    assert [p.get_width() for p in first.patches] == [0.5, 0.3]
    assert first.get_title() == "topic 0: Energy"
    assert second.get_title() == "topic 1"
    mapping = topic_top_words({7: topics[0]}, topic_names={7: "Oil"})
    assert mapping.axes[0].get_title() == "topic 7: Oil"
    with pytest.raises(ConfigError) as err:
        topic_top_words(topics, topic_names=["one"])
    assert err.value.key == "topic_names"
    with pytest.raises(ConfigError):
        topic_top_words([[("a", "heavy")]])


def test_topic_top_words_weight_ticks_do_not_overlap():
    topics = [[("taiwan", 0.01375), ("lithuania", 0.0105), ("kazakh", 0.0025)]] * 6
    fig = topic_top_words(topics)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        boxes = sorted((t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()),
                       key=lambda b: b.x0)
        assert len(boxes) >= 2
        assert all(a.x1 <= b.x0 for a, b in zip(boxes, boxes[1:]))


def test_coherence_vs_k_mean_line_and_seed_band():
    results = pd.DataFrame({
        "engine": ["gensim"] * 4 + ["tomotopy"] * 2,
        "num_topics": [5, 5, 10, 10, 5, 10],
        "seed": [0, 1, 0, 1, 0, 0],
        "c_npmi": [0.1, 0.3, 0.2, 0.2, 0.05, np.nan],
    })
    fig = coherence_vs_k(results)
    ax = fig.axes[0]
    gensim, tomotopy = ax.lines
    np.testing.assert_allclose(gensim.get_ydata(), [0.2, 0.2])
    np.testing.assert_allclose(tomotopy.get_xdata(), [5.0])  # the NaN run is left out
    band = [c for c in ax.collections if isinstance(c, PolyCollection)][0]
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(0.1) and ys.max() == pytest.approx(0.3)
    assert ax.get_legend() is None  # the legend is the figure's, below the axes
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["gensim (2 seeds)", "tomotopy (1 seed)"]
    fig.canvas.draw()  # laid out below the axes and their labels, covering no data
    renderer = fig.canvas.get_renderer()
    assert fig.legends[0].get_window_extent(renderer).y1 <= ax.get_tightbbox(renderer).y0 + 1
    with pytest.raises(ConfigError) as err:
        coherence_vs_k(results, measure="c_v")
    assert err.value.key == "measure"
    with pytest.raises(ConfigError) as err:
        coherence_vs_k(results.drop(columns="seed"))
    assert err.value.key == "results" and "seed" in err.value.message


def test_match_topics_recovers_a_permutation():
    rng = np.random.default_rng(0)
    a = rng.dirichlet(np.full(50, 0.1), 6)
    perm = np.array([3, 0, 5, 1, 4, 2])
    b = a[perm]
    sim = topic_similarity_matrix(a, b)
    assert sim.shape == (6, 6) and np.allclose(np.diag(sim[:, np.argsort(perm)]), 1.0)
    pairs = dict(match_topics(sim))
    assert all(perm[pairs[r]] == r for r in range(6))
    js = topic_similarity_matrix(a, b, metric="jensen_shannon")
    assert js[perm[0], 0] == pytest.approx(1.0) and (js <= 1.0).all()
    disjoint = topic_similarity_matrix([[1.0, 0.0]], [[0.0, 2.0]], metric="jensen_shannon")
    assert disjoint[0, 0] == pytest.approx(0.0, abs=1e-7)


def test_topic_similarity_puts_matches_on_the_diagonal():
    a = [["oil", "gas", "price"], ["vote", "party", "poll"], ["match", "goal", "team"]]
    b = [["team", "goal", "cup"], ["oil", "gas", "opec"]]
    assert topic_similarity_matrix(a, b)[0, 1] == pytest.approx(2 / 4)
    fig = topic_similarity(a, b, names_a=["energy", "politics", "sport"])
    ax = fig.axes[0]
    shown = ax.images[0].get_array()
    np.testing.assert_allclose(np.diag(shown), [0.5, 0.5])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0: energy", "2: sport", "1: politics"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "0"]
    with pytest.raises(ConfigError) as err:
        topic_similarity(np.ones((2, 4)), np.ones((2, 5)))
    assert err.value.key == "topic_word_b"
    with pytest.raises(ConfigError) as err:
        topic_similarity(a, b, metric="cosine")
    assert err.value.key == "metric"


def test_save_figure_writes_png_and_svg(tmp_path, scores):
    fig = doc_theme_heatmap(scores)
    paths = save_figure(fig, tmp_path / "figs" / "heat.v1")
    assert [p.name for p in paths] == ["heat.v1.png", "heat.v1.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in paths[1].read_text()
    assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == ["heat.v1.png", "heat.v1.svg"]
    with pytest.raises(ConfigError) as err:
        save_figure(fig, tmp_path / "x", formats=("jpg",))
    assert err.value.key == "formats"


def test_save_figure_leaves_the_old_file_when_drawing_fails(tmp_path):
    good = Figure()
    good.text(0.5, 0.5, "fine")
    (old,) = save_figure(good, tmp_path / "fig", formats=("svg",))
    before = old.read_bytes()
    bad = Figure()
    bad.text(0.5, 0.5, r"$\notacommand{x}$")  # mathtext fails while drawing
    with pytest.raises(ValueError):
        save_figure(bad, tmp_path / "fig", formats=("svg",))
    assert old.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["fig.svg"]


def test_figures_use_no_pyplot_state():
    code = (
        "import sys, pandas as pd; from topics.viz import doc_theme_heatmap, save_figure; "
        "fig = doc_theme_heatmap(pd.DataFrame({'a': [0.1, 0.9]})); "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'; "
        "assert type(fig.canvas).__name__ == 'FigureCanvasAgg'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
