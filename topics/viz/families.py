"""Figures of what the model families add: CTM's topic correlations, DMR's topic prevalence
by level, DTM's top words of each topic per time slice."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.viz._common import check_scores, new_figure, plain_figure, shorten


def _names(names: Sequence[str] | None, n: int) -> list[str]:
    if names is None:
        return [f"topic {k}" for k in range(n)]
    names = [str(x) for x in names]
    if len(names) != n:
        raise ConfigError("names", f"expected {n} topic names, got {len(names)}")
    return names


def _heatmap(ax, values: np.ndarray, *, cmap: str, vmin: float, vmax: float,
             fmt: str) -> Any:
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto",
                      interpolation="nearest")
    if values.size <= 400:
        middle = (vmin + vmax) / 2
        for (r, c), value in np.ndenumerate(values):
            if cmap == "viridis":  # light at the top of the scale
                light = value > middle
            else:  # diverging: light in the middle
                light = abs(value - middle) < (vmax - vmin) / 4
            ax.text(c, r, format(value, fmt), ha="center", va="center", fontsize=7,
                    color="black" if light else "white")
    return image


@plain_figure
def topic_correlations(matrix: Any, *, names: Sequence[str] | None = None,
                       title: str = "Topic correlations (CTM)") -> Figure:
    """K x K correlation matrix of a correlated topic model as a heatmap (-1 blue, +1 red)."""
    values = np.asarray(matrix, dtype=np.float64)
    if values.ndim != 2 or values.shape[0] != values.shape[1] or values.shape[0] == 0:
        raise ConfigError("matrix", f"expected a square K x K matrix, got shape {values.shape}")
    labels = [shorten(n, 28) for n in _names(names, values.shape[0])]
    size = min(3.5 + 0.45 * len(labels), 20.0)
    fig = new_figure(size + 1.5, size)
    ax = fig.add_subplot()
    image = _heatmap(ax, values, cmap="RdBu_r", vmin=-1.0, vmax=1.0, fmt=".2f")
    ticks = np.arange(len(labels))
    ax.set_xticks(ticks, labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="correlation")
    return fig


@plain_figure
def prevalence_by_level(prevalence: pd.DataFrame, *, field: str = "level",
                        title: str | None = None) -> Figure:
    """Levels (rows) x topics (columns): each level's expected topic shares (DMR)."""
    values = check_scores(prevalence, "prevalence")
    labels = [shorten(c, 24) for c in values.columns]
    fig = new_figure(min(4.0 + 0.7 * len(labels), 22.0),
                     min(2.2 + 0.35 * len(values.index), 24.0))
    ax = fig.add_subplot()
    data = values.to_numpy()
    image = _heatmap(ax, data, cmap="viridis", vmin=0.0, vmax=float(max(data.max(), 1e-9)),
                     fmt=".2f")
    ax.set_xticks(np.arange(len(labels)), labels, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(np.arange(len(values.index)), [shorten(i, 30) for i in values.index],
                  fontsize=8)
    ax.set_ylabel(field)
    ax.set_title(title or f"Topic prevalence by {field} (DMR)")
    fig.colorbar(image, ax=ax, label="expected topic share")
    return fig


@plain_figure
def words_per_slice(words: Sequence[Sequence[Sequence[str]]], slices: Sequence[str], *,
                    names: Sequence[str] | None = None, per_cell: int = 5,
                    title: str = "Top words of each topic per time slice (DTM)") -> Figure:
    """A table figure: one row per topic, one column per time slice, each cell the topic's
    top words in that slice (``words[topic][slice]``); words new to a slice are bold."""
    n_topics, n_slices = len(words), len(slices)
    if n_topics == 0 or n_slices == 0 or any(len(row) != n_slices for row in words):
        raise ConfigError("words", f"expected topics x {n_slices} slices of word lists")
    labels = _names(names, n_topics)
    fig = new_figure(min(2.5 + 2.2 * n_slices, 26.0), min(1.0 + 0.42 * per_cell * n_topics /
                                                          2.5, 30.0))
    ax = fig.add_subplot()
    ax.set_xlim(0, n_slices)
    ax.set_ylim(n_topics, 0)
    ax.set_xticks(np.arange(n_slices) + 0.5, [shorten(s, 24) for s in slices], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(n_topics) + 0.5, [shorten(n, 28) for n in labels], fontsize=8)
    for k in range(n_topics):
        ax.axhline(k, color="#dddddd", linewidth=0.6)
        previous: set[str] = set()
        for t in range(n_slices):
            shown = list(words[k][t])[:per_cell]
            for i, word in enumerate(shown):
                ax.text(t + 0.05, k + (i + 0.8) / (per_cell + 0.6), shorten(word, 22),
                        fontsize=7, va="center",
                        fontweight="bold" if t and word not in previous else "normal")
            previous = set(shown)
    ax.set_title(title, fontsize=10)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    return fig
