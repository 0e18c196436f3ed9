"""Theme prevalence by period (month, quarter, year, decade, ...) with the number of documents
per period.

:func:`theme_by_period` computes what the figure shows (the mean score of the documents of
each period, and how many documents that mean is over); :func:`theme_over_time` draws it: one
axis of lines for a few themes, one small panel per theme for many, above a bar chart of the
documents per period.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.viz._common import (aligned, check_scores, colour, new_figure, plain_figure,
                                shorten, tick_positions)

log = logging.getLogger(__name__)

DECADE = "decade"
LABELS = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year", DECADE: "decade"}
MAX_LINES = 6  # more themes than this: one panel per theme


@dataclass(frozen=True)
class PeriodMeans:
    """Per period (rows, in time order, empty periods included): each theme's mean document
    score (``means``, NaN where the period has no document), the number of documents
    (``counts``), how many documents had no readable date (``undated``) and the period."""

    means: pd.DataFrame
    counts: pd.Series
    undated: int
    freq: str

    def table(self) -> pd.DataFrame:
        """``period``, ``documents`` and one column per theme (what the figure plots)."""
        out = self.means.copy()
        out.insert(0, "documents", self.counts.to_numpy())
        out.insert(0, "period", list(self.means.index))
        return out.reset_index(drop=True)

    def peaks(self) -> pd.Series:
        """Theme -> the period where its mean score is highest."""
        return pd.Series({t: (c.idxmax() if c.notna().any() else None)
                          for t, c in self.means.items()}, dtype=object)


def theme_by_period(scores: pd.DataFrame, dates: Any, freq: str = "M") -> PeriodMeans:
    """The mean score of each theme over the documents of each period, and their number.

    ``scores`` has one row per document (e.g. ``Experiment.themes(run).scores``); every
    document counts once in its period, whatever its length.  ``dates`` is aligned with its
    rows (a sequence, or a Series/mapping keyed by document id): dates, timestamps, ISO 8601
    strings (``2022-04-12``, as the readers store them; ``2022-04`` and ``2022`` too), or bare
    numbers read as years.  Strings are read as ISO only, never guessed ("1-04-12" is not
    2012-01-04); anything else is undated and left out (counted in ``undated``).  ``freq`` is
    ``"decade"`` (1850-1859 is the period ``1850s``) or a pandas period alias: ``"D"``,
    ``"W"``, ``"M"``, ``"Q"`` or ``"Y"``.
    """
    values = check_scores(scores)
    periods, full = _periods(aligned(dates, values.index, "dates"), freq)
    dated = periods.notna()
    if not dated.any():
        raise ConfigError("dates", "no document has a readable date")
    by_period = values[dated].groupby(periods[dated])
    means = by_period.mean().reindex(full)
    counts = by_period.size().reindex(full, fill_value=0)
    labels = pd.Index([_label(p) for p in full], name="period")
    means.index = labels
    counts.index = labels
    return PeriodMeans(means=means, counts=counts, undated=int((~dated).sum()), freq=freq)


@plain_figure
def theme_over_time(
    scores: pd.DataFrame,
    dates: Any,
    freq: str = "M",
    *,
    title: str = "Theme prevalence over time",
    max_ticks: int = 14,
    reference: float | None = None,
) -> Figure:
    """Mean theme score per period above the number of dated documents per period.

    The data are :func:`theme_by_period` (see it for ``dates`` and ``freq``).  Up to
    ``MAX_LINES`` themes share one axis; more get one small panel each (own y scale, the
    peak period marked and named, in the order of their peaks).  ``reference`` draws a
    dashed line at that score (1.0 for lifts: the corpus average).  Periods without documents
    appear as gaps with a zero count.
    """
    data = theme_by_period(scores, dates, freq)
    n_periods, n_themes = data.means.shape
    many = n_themes > MAX_LINES
    ncols = 3 if n_themes <= 12 else 4
    nrows = math.ceil(n_themes / ncols) if many else 1
    width = 15.0 if many else min(6.0 + 0.25 * n_periods, 16.0)
    fig = new_figure(width, 1.9 * nrows + 2.2 if many else 6.5)
    grid = fig.add_gridspec(nrows + 1, ncols if many else 1,
                            height_ratios=(*([3] * nrows), 1.4 if many else 1))
    x = np.arange(n_periods)
    if many:
        first = _panels(fig, grid, data, x, ncols, reference)
        fig.suptitle(title)
    else:
        first = _lines(fig.add_subplot(grid[0, 0]), data, x, title, reference)
    bottom = fig.add_subplot(grid[nrows, :], sharex=first)
    bottom.bar(x, data.counts.to_numpy(), color="#7f7f7f", width=0.8)
    bottom.set_ylabel("documents")
    bottom.yaxis.get_major_locator().set_params(integer=True)
    undated = f"; {data.undated} undated document(s) left out" if data.undated else ""
    bottom.set_xlabel(f"{LABELS.get(freq, freq)} ({int(data.counts.sum())} dated documents"
                      f"{undated}; each point: the mean score of that period's documents)")
    ticks = tick_positions(n_periods, max_ticks)
    rotate = len(ticks) > 6
    bottom.set_xticks(ticks, [str(data.means.index[t]) for t in ticks],
                      rotation=45 if rotate else 0, ha="right" if rotate else "center")
    return fig


def _lines(ax, data: PeriodMeans, x: np.ndarray, title: str, reference: float | None):
    marker = "o" if len(x) <= 40 else None
    for i, theme in enumerate(data.means.columns):
        ax.plot(x, data.means[theme].to_numpy(), marker=marker, markersize=4,
                color=colour(i), label=shorten(theme, 30))
    if reference is not None:
        ax.axhline(reference, color="#555555", linestyle="--", linewidth=0.8)
    ax.set_ylabel("mean theme score")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    ax.grid(alpha=0.3)
    ax.tick_params(labelbottom=False)
    return ax


def _panels(fig: Figure, grid, data: PeriodMeans, x: np.ndarray, ncols: int,
            reference: float | None):
    """One small axis per theme, in the order of their peak periods (a timeline), each in its
    own colour; the first axis is returned (the others share its x axis)."""
    peaks = data.peaks()
    position = {p: i for i, p in enumerate(data.means.index)}
    order = sorted(range(len(peaks)), key=lambda i: position.get(peaks.iloc[i], len(position)))
    first = None
    for slot, i in enumerate(order):
        theme = data.means.columns[i]
        ax = fig.add_subplot(grid[slot // ncols, slot % ncols], sharex=first)
        first = first or ax
        y = data.means[theme].to_numpy()
        ax.plot(x, y, color=colour(i), marker="o" if len(x) <= 40 else None, markersize=3)
        if reference is not None:
            ax.axhline(reference, color="#555555", linestyle="--", linewidth=0.8)
        if np.isfinite(y).any():
            top = int(np.nanargmax(y))
            ax.plot([x[top]], [y[top]], marker="o", markersize=7, color=colour(i))
        ax.set_title(f"{shorten(theme, 34)} (peak {peaks[theme]})", fontsize="small")
        ax.grid(alpha=0.3)
        ax.tick_params(labelbottom=False, labelsize="x-small")
    fig.supylabel("mean theme score of the period's documents", fontsize="small")
    return first


def _periods(dates: pd.Series, freq: str) -> tuple[pd.Series, list]:
    """Each date's period (NaN when undated) and every period from the first to the last."""
    if not isinstance(freq, str):
        raise ConfigError("freq", f"expected 'decade' or a pandas period alias such as 'M', "
                                  f"got {freq!r}")
    if freq != DECADE:
        try:
            pd.Period("2000-01-01", freq=freq)
        except ValueError as exc:
            raise ConfigError("freq", f"{freq!r} is not 'decade' or a pandas period alias "
                                      f"({exc})") from None
    parsed = pd.to_datetime(dates.map(_year_as_text), errors="coerce", utc=True,
                            format="ISO8601").dt.tz_localize(None)
    if freq == DECADE:
        decades = parsed.dt.year // 10 * 10  # float, NaN where undated
        present = decades.dropna()
        full = list(range(int(present.min()), int(present.max()) + 1, 10)) if len(present) else []
        return decades, full
    periods = parsed.dt.to_period(freq)
    present = periods.dropna()
    full = list(pd.period_range(present.min(), present.max(), freq=freq)) if len(present) else []
    return periods, full


def _label(period: Any) -> str:
    """``1850s`` for a decade (an int), else the pandas period as text (``2022-04``)."""
    return f"{int(period)}s" if isinstance(period, (int, float, np.integer)) else str(period)


def _year_as_text(value: Any) -> Any:
    """A bare number is read as a year (``2021`` -> ``"2021"``), not as nanoseconds since 1970."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        if not (np.isfinite(value) and float(value).is_integer() and 1 <= value <= 9999):
            return None
        return f"{int(value):04d}"
    return value
