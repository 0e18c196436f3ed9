"""Reliability round two: a ``$`` in a title or theme name is text, never math (issue 16,
item 7).

matplotlib reads a string with two unescaped ``$`` as mathtext: "Oil at $50 as dollar hits
$1.30" was drawn as italic math, and a theme named ``$\\frac{$`` failed the figure (a
ParseException warning, the heatmap gone from the report).  Every figure is drawn here with
such titles, theme names, labels and words, with warnings turned into errors; each text
must be found as given (``get_text``) and must not go through mathtext or TeX.  Tick labels
matplotlib writes from numbers (the log axis of the effect dots) keep their math.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from topics.viz import (coherence_vs_k, doc_theme_heatmap, theme_by_field, theme_over_time,
                        topic_similarity, topic_top_words)
from topics.viz.effect_dots import theme_effect_dots
from topics.viz.effect_trend import theme_effect_trend
from topics.viz.families import prevalence_by_level, topic_correlations, words_per_slice

from ._cli import run_topics, write_config

TITLE = "Oil at $50 as dollar hits $1.30"
FRAC = "$\\frac{$"  # the theme name of the issue: six figures lost
THEMES = [FRAC, "Oil at $5", "a \\$ b $c$"]
DOCS = ["d0", "d1", "d2", "d3"]
DOC_TITLES = [TITLE, "$x^2$ rally", "plain title", "cost \\$ of $$"]


@pytest.fixture
def scores() -> pd.DataFrame:
    return pd.DataFrame([[1.2, 0.8, 1.0], [0.5, 1.5, 1.0], [1.0, 1.0, 1.3], [0.9, 0.7, 1.1]],
                        index=DOCS, columns=THEMES)


def _effects(levels: list) -> pd.DataFrame:
    rows = [{"theme": t, "level": lev, "estimate": 1.0 + 0.1 * i - 0.05 * j,
             "low": 0.8, "high": 1.4, "n_docs": 3}
            for i, t in enumerate(THEMES) for j, lev in enumerate(levels)]
    return pd.DataFrame(rows)


def _figures(scores: pd.DataFrame) -> dict[str, tuple[Figure, list[str]]]:
    """Every figure function with ``$`` in everything it writes: name -> (figure, the
    strings that must appear as they are)."""
    results = pd.DataFrame({"engine": ["$gensim$", "$gensim$", "tomotopy"],
                            "num_topics": [2, 3, 2], "seed": [0, 0, 0],
                            "c_$npmi$": [0.1, 0.2, 0.15]})
    topics = [[("$x$", 0.5), ("a$b", 0.3)], [("$$", 0.6), ("y", 0.2)]]
    return {
        "heatmap": (doc_theme_heatmap(scores, DOC_TITLES, title=TITLE),
                    [TITLE, *DOC_TITLES, *THEMES]),
        "over_time": (theme_over_time(scores, ["2022-01-05", "2022-02-05", "2022-02-07",
                                               "2022-04-01"], "M", title=TITLE),
                      [TITLE, *THEMES]),
        "by_field": (theme_by_field(scores, ["$5 shop", "$5 shop", "$$", "x"], "price $",
                                    title=TITLE), [TITLE, "price $", *THEMES]),
        "coherence": (coherence_vs_k(results, "c_$npmi$", title=TITLE),
                      [TITLE, "c_$npmi$", "$gensim$ (1 seed)"]),
        "similarity": (topic_similarity([["$x$", "a"], ["b"]], [["$x$"], ["b", "c"]],
                                        names_a=[FRAC, "$y$"], names_b=["$1", "$2"],
                                        label_a="$A$", label_b="$B", title=TITLE),
                       [TITLE, "$A$ topics", "$B topics", f"0: {FRAC}", "1: $y$"]),
        "top_words": (topic_top_words(topics, [FRAC, "$t$"], title=TITLE, weight_label="$w$"),
                      [TITLE, "$x$", "a$b", "$$", f"topic 0: {FRAC}", "$w$"]),
        "effect_dots": (theme_effect_dots(_effects(["$5 shop", "$$"]), "price $", title=TITLE,
                                          note="$n$ runs"), [TITLE, "price $", *THEMES]),
        "effect_trend": (theme_effect_trend(_effects([2020, 2021, 2022]), title=TITLE,
                                            xlabel="year $", note="$n$ runs"),
                         [TITLE, *THEMES]),
        "correlations": (topic_correlations([[1.0, 0.2], [0.2, 1.0]], names=[FRAC, "$y$"],
                                            title=TITLE), [TITLE, FRAC, "$y$"]),
        "prevalence": (prevalence_by_level(pd.DataFrame([[0.6, 0.4], [0.3, 0.7]],
                                                        index=["$5 shop", "$$"],
                                                        columns=[FRAC, "$t$"]),
                                           field="price $", title=TITLE),
                       [TITLE, FRAC, "$t$", "$5 shop", "$$", "price $"]),
        "words_per_slice": (words_per_slice([[["$x$", "a$b"], ["$$"]], [["y"], ["z"]]],
                                            ["$2020", "2021$"], names=[FRAC, "$t$"],
                                            title=TITLE),
                            [TITLE, "$x$", "a$b", "$$", "$2020", FRAC]),
    }


def _texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text()]


def test_every_figure_draws_dollar_text_as_given_without_warnings(scores, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ParseException warning fails the test
        figures = _figures(scores)
        for name, (fig, expected) in figures.items():
            for fmt in ("png", "svg"):
                fig.savefig(io.BytesIO(), format=fmt)  # draws every text
            shown = {t.get_text(): t for t in _texts(fig)}
            for text in expected:
                assert text in shown, (name, text, sorted(shown))
                artist = shown[text]
                assert not artist.get_parse_math() and not artist.get_usetex(), (name, text)
                # what the renderer gets: the string itself, not math
                assert artist._preprocess_math(artist.get_text()) == (text, False), (name, text)


def test_no_text_we_wrote_is_left_to_mathtext(scores):
    for name, (fig, _) in _figures(scores).items():
        fig.canvas.draw()
        for text in _texts(fig):
            if "$" in text.get_text() and text.get_parse_math():
                # only the labels matplotlib formats from numbers (log ticks) may be math
                assert text.get_text().startswith("$\\mathdefault"), (name, text.get_text())


def test_numeric_log_tick_labels_keep_their_math(scores):
    fig = _figures(scores)["effect_dots"][0]
    fig.canvas.draw()
    labels = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert labels and all(t.get_parse_math() for t in labels)
    assert any("\\mathdefault" in t.get_text() for t in labels)


def test_plain_text_on_a_figure_built_elsewhere_keeps_the_string():
    from topics.viz._common import new_figure, plain_text

    fig = new_figure(3, 2)
    ax = fig.add_subplot()
    ax.set_title(TITLE)
    ax.set_xticks([0, 1], [FRAC, "$$"])
    ax.annotate("$5 note", (0.5, 0.5))
    plain_text(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")
    assert ax.get_title() == TITLE and not ax.title.get_parse_math()
    assert [t.get_text() for t in ax.get_xticklabels()] == [FRAC, "$$"]
    assert not any(t.get_parse_math() for t in ax.get_xticklabels())
    assert not ax.texts[0].get_parse_math()


# ---------------------------------------------------------------- through `topics run`
def _corpus(folder: Path) -> Path:
    words = {"markets": "oil prices rallied as the dollar fell and markets priced in rate cuts",
             "energy": "oil output rose as energy prices eased and refiners raised supply"}
    titles = [TITLE, "$x^2$ rally", f"{FRAC} shock", "plain", "$$", "cost $5", "a", "b"]
    rows = ["file,title,date,source"]
    for i, title in enumerate(titles):
        label = "markets" if i % 2 else "energy"
        rel = f"{label}/doc{i}.txt"
        (folder / label).mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(f"{words[label]} {words['energy'][: 20 * (i % 3)]}",
                                  encoding="utf-8")
        source = ["$ wire", "$$", "desk"][i % 3]
        rows.append(f'{rel},"{title}",20{10 + i}-0{1 + i % 9}-03,"{source}"')
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_report_keeps_every_theme_figure_with_dollar_names(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    config = write_config(tmp_path / "c.yaml", {
        "name": "dollar $ test",
        "corpus": {"path": str(corpus)},
        "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
        "grid": {"engine": "gensim", "num_topics": 2, "passes": 2, "iterations": 20},
        "scoring": {"measures": ["c_npmi"]},
        "themes": {FRAC: ["oil", "energy"], "Oil at $5": ["dollar", "markets"]},
        "output": {"ldavis": False, "report": True},
        "runner": {"n_jobs": 1},
    })
    result = run_topics("run", config, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    left_out = [line for line in result.stderr.splitlines() if "left out" in line]
    assert not left_out, left_out
    assert "ParseException" not in result.stderr, result.stderr[-3000:]
    figures = {p.stem for p in (tmp_path / "out" / "figures").glob("*.svg")}
    for name in ("doc_theme_heatmap", "theme_over_time", "theme_by_source", "theme_by_label",
                 "top_words_best", "coherence_c_npmi"):
        assert name in figures, sorted(figures)
    assert np.all([(tmp_path / "out" / "figures" / f"{n}.png").stat().st_size > 0
                   for n in figures])


def test_every_figure_function_of_the_package_draws_plain_text():
    """A figure function added later must go through plain_figure too."""
    import importlib
    import inspect
    import pkgutil

    import topics.viz

    checked = []
    for info in pkgutil.iter_modules(topics.viz.__path__):
        if info.name.startswith("_"):  # the helpers (new_figure, plain_text) themselves
            continue
        module = importlib.import_module(f"topics.viz.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if (func.__module__ == module.__name__ and not name.startswith("_")
                    and func.__annotations__.get("return") in ("Figure", Figure)):
                checked.append(name)
                assert hasattr(func, "__wrapped__"), f"{module.__name__}.{name}: use @plain_figure"
    assert {"doc_theme_heatmap", "theme_over_time", "topic_top_words"} <= set(checked)
