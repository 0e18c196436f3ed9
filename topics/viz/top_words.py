"""Top words per topic as small multiples of horizontal bar charts."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from topics.errors import ConfigError
from topics.viz._common import check_positive_int, colour, new_figure, plain_figure, shorten


@plain_figure
def topic_top_words(
    topics: Any,
    topic_names: Any = None,
    *,
    n_words: int = 10,
    ncols: int | None = None,
    title: str = "Top words per topic",
    weight_label: str = "weight",
) -> Figure:
    """One bar chart per topic of its ``n_words`` heaviest words, heaviest at the top.

    ``topics`` is a sequence with one entry per topic, or a mapping topic id -> entry; each
    entry is a sequence of ``(word, weight)`` pairs (any order). ``topic_names`` (a sequence
    aligned with the topics or a mapping keyed like ``topics``) names the panels:
    ``"topic <id>: <name>"``, or ``"topic <id>"`` for unnamed topics.
    """
    entries = _entries(topics)
    names = _names(topic_names, [tid for tid, _ in entries])
    n_words = check_positive_int(n_words, "n_words")
    ncols = _ncols(ncols, len(entries))
    nrows = math.ceil(len(entries) / ncols)
    tops = [sorted(pairs, key=lambda p: p[1], reverse=True)[:n_words] for _, pairs in entries]
    n_rows_of_bars = max(len(top) for top in tops)
    longest = max(len(shorten(w, 22)) for top in tops for w, _ in top)
    label_inches = 0.2 + 0.078 * longest  # 9-point words are about 0.075 inch a character
    fig = new_figure(ncols * (label_inches + 2.4) + 0.2,
                     0.9 + nrows * (0.9 + 0.24 * n_rows_of_bars))
    fig.suptitle(title)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    _fixed_layout(fig, nrows, ncols, label_inches=label_inches)
    for k, ((tid, _), top) in enumerate(zip(entries, tops)):
        ax = axes[k // ncols][k % ncols]
        words = [shorten(w, 22) for w, _ in top]
        weights = np.array([w for _, w in top], dtype="float64")
        ax.barh(np.arange(len(top)), weights, color=colour(k), height=0.75)
        ax.set_yticks(np.arange(len(top)), words, fontsize=9)
        ax.set_ylim(n_rows_of_bars - 0.5, -0.5)
        ax.set_title(shorten(f"topic {tid}: {names[tid]}" if names.get(tid) else f"topic {tid}", 36),
                     fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))  # more ticks overlap at 8 points
        ax.set_xlabel(weight_label, fontsize=8)
    for k in range(len(entries), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    return fig


def _entries(topics: Any) -> list[tuple[Any, list[tuple[str, float]]]]:
    if isinstance(topics, Mapping):
        items = list(topics.items())
    elif isinstance(topics, Sequence) and not isinstance(topics, (str, bytes)):
        items = list(enumerate(topics))
    else:
        raise ConfigError("topics", f"expected a sequence or mapping of topics, got {type(topics).__name__}")
    if not items:
        raise ConfigError("topics", "needs at least one topic")
    out = []
    for tid, pairs in items:
        try:
            checked = [(str(w), float(x)) for w, x in pairs]
        except (TypeError, ValueError):
            raise ConfigError(f"topics[{tid!r}]", "expected a sequence of (word, weight) pairs") from None
        if not checked:
            raise ConfigError(f"topics[{tid!r}]", "has no words")
        out.append((tid, checked))
    return out


def _names(topic_names: Any, ids: list[Any]) -> dict[Any, str]:
    if topic_names is None:
        return {}
    if isinstance(topic_names, Mapping):
        return {tid: str(topic_names[tid]) for tid in ids if topic_names.get(tid) is not None}
    if isinstance(topic_names, (str, bytes)) or not isinstance(topic_names, Sequence):
        raise ConfigError("topic_names", f"expected a sequence or mapping, got {type(topic_names).__name__}")
    if len(topic_names) != len(ids):
        raise ConfigError("topic_names", f"has {len(topic_names)} names for {len(ids)} topics")
    return {tid: str(n) for tid, n in zip(ids, topic_names) if n is not None}


def _fixed_layout(fig: Figure, nrows: int, ncols: int, *, label_inches: float) -> None:
    """Margins and gaps in inches (room for the word labels left of each panel, its title
    above and its axis below) instead of constrained layout, which measures every label of
    every panel at each draw and is slow for many panels."""
    width, height = fig.get_size_inches()
    fig.set_layout_engine(None)
    left, right, top, bottom = label_inches, 0.2, 0.75, 0.45
    gap_x, gap_y = label_inches + 0.2, 0.8
    axis_w = (width - left - right - (ncols - 1) * gap_x) / ncols
    axis_h = (height - top - bottom - (nrows - 1) * gap_y) / nrows
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height, wspace=gap_x / max(axis_w, 0.1),
                        hspace=gap_y / max(axis_h, 0.1))


def _ncols(ncols: int | None, n: int) -> int:
    if ncols is None:
        return min(n, 5 if n > 8 else 4)
    return check_positive_int(ncols, "ncols")
