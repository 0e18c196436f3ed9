"""Helpers shared by the figure modules: a pyplot-free Agg figure, plain (never math) text,
label shortening, checks.

Figures are built with ``matplotlib.figure.Figure`` and an explicit Agg canvas, never with
``pyplot``: no global figure registry, no backend switch, nothing happens at import time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import LogFormatter, ScalarFormatter

from topics.errors import ConfigError
from topics.viz._checks import check_positive_int, weight_matrix  # noqa: F401 - shared

#: Qualitative colours for themes/engines (matplotlib's tab10, then tab20's light shades).
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
)


def plain_text(fig: Figure) -> Figure:
    """Draw every text the figure got from its caller (titles, axis labels, tick labels set
    from names, legends, annotations, colorbar labels) as the plain string it is: no
    mathtext (a ``$`` in "Oil at $50 as dollar hits $1.30" or a theme named ``$\\frac{$``
    would be parsed as math, drawn in italics or fail the whole figure) and no TeX.
    ``get_text()`` stays the input.  Tick labels that matplotlib writes itself from numbers
    (its scalar and log formatters, offsets such as 1e-5) keep their math, which is theirs;
    tick labels given as names (``set_xticks(positions, names)``) are plain."""
    texts = fig.findobj(Text)  # first: listing an axis' children makes its ticks
    numeric: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            numeric.add(id(axis.offsetText))
            for formatter, ticks in ((axis.get_major_formatter(), axis.majorTicks),
                                     (axis.get_minor_formatter(), axis.minorTicks)):
                if isinstance(formatter, (ScalarFormatter, LogFormatter)):
                    numeric.update(id(t) for tick in ticks for t in (tick.label1, tick.label2))
    for text in texts:
        if id(text) not in numeric:
            text.set_usetex(False)
            text.set_parse_math(False)
    return fig


def plain_figure(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorator of the figure functions: the returned figure goes through :func:`plain_text`."""
    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        return plain_text(draw(*args, **kwargs))
    return wrapper


def new_figure(width: float, height: float) -> Figure:
    """A Figure of ``width`` x ``height`` inches with its own Agg canvas (no pyplot state)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def colour(i: int) -> str:
    """The ``i``-th colour of :data:`PALETTE`, cycling."""
    return PALETTE[i % len(PALETTE)]


def shorten(label: Any, max_chars: int) -> str:
    """``label`` as text of at most ``max_chars`` characters, cut at a word boundary with '…'."""
    text = " ".join(str(label).split())
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space >= max_chars // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def check_scores(scores: Any, name: str = "scores") -> pd.DataFrame:
    """``scores`` as a numeric DataFrame (documents x themes), or ConfigError naming ``name``."""
    if not isinstance(scores, pd.DataFrame):
        raise ConfigError(name, f"expected a pandas DataFrame, got {type(scores).__name__}")
    if scores.shape[0] == 0 or scores.shape[1] == 0:
        raise ConfigError(name, f"needs at least one row and one column, got shape {scores.shape}")
    try:
        values = scores.astype("float64")
    except (TypeError, ValueError) as exc:
        raise ConfigError(name, f"values must be numeric ({exc})") from None
    if not np.isfinite(values.to_numpy()).all():
        raise ConfigError(name, "values must be finite (found NaN or infinity)")
    return values


def aligned(values: Any, index: pd.Index, name: str) -> pd.Series:
    """``values`` aligned to ``index``: a Series/Mapping keyed by it, or a same-length sequence."""
    if isinstance(values, pd.Series) and values.index.equals(index):
        return values
    if isinstance(values, (pd.Series, Mapping)):
        series = pd.Series(values) if isinstance(values, Mapping) else values
        missing = index.difference(series.index)
        if len(missing) == len(index):
            raise ConfigError(name, "shares no key with the index of scores (document ids); "
                              "pass a plain sequence (e.g. .to_numpy()) to align by position")
        return series.reindex(index)
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray, pd.Index)):
        raise ConfigError(name, f"expected a sequence, Series or mapping, got {type(values).__name__}")
    if len(values) != len(index):
        raise ConfigError(name, f"has {len(values)} values but scores has {len(index)} rows")
    return pd.Series(list(values), index=index)


def tick_positions(n: int, max_ticks: int) -> np.ndarray:
    """At most ``max_ticks`` evenly spaced positions among ``range(n)``, always the first."""
    step = max(1, int(np.ceil(n / max_ticks)))
    return np.arange(0, n, step)
