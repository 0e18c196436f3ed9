"""Theme prevalence by period (month, quarter, year, ...) with the number of documents per period."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.viz._common import (aligned, check_scores, colour, new_figure, plain_figure,
                                shorten, tick_positions)

log = logging.getLogger(__name__)


@plain_figure
def theme_over_time(
    scores: pd.DataFrame,
    dates: Any,
    freq: str = "M",
    *,
    title: str = "Theme prevalence over time",
    max_ticks: int = 14,
) -> Figure:
    """Mean theme score per period (top) above the number of dated documents per period.

    ``dates`` is aligned with the rows of ``scores`` (a sequence, or a Series/mapping keyed by
    document id): dates, timestamps, ISO 8601 strings (``2022-04-12``, as the readers store
    them; ``2022-04`` and ``2022`` too), or bare numbers read as years.  Strings are read as
    ISO only, never guessed ("1-04-12" is not 2012-01-04); anything else counts as undated
    and is left out (the figure says how many). ``freq`` is a pandas period alias: ``"D"``, ``"W"``,
    ``"M"``, ``"Q"`` or ``"Y"``. Periods without documents appear as gaps with a zero count.
    """
    values = check_scores(scores)
    periods = _periods(aligned(dates, values.index, "dates"), freq)
    dated = periods.notna()
    if not dated.any():
        raise ConfigError("dates", "no document has a readable date")
    n_undated = int((~dated).sum())
    by_period = values[dated].groupby(periods[dated])
    full = pd.period_range(periods[dated].min(), periods[dated].max(), freq=freq)
    means = by_period.mean().reindex(full)
    counts = by_period.size().reindex(full, fill_value=0)

    fig = new_figure(min(6.0 + 0.25 * len(full), 16.0), 6.5)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    x = np.arange(len(full))
    marker = "o" if len(full) <= 40 else None
    for i, theme in enumerate(means.columns):
        top.plot(x, means[theme].to_numpy(), marker=marker, markersize=4,
                 color=colour(i), label=shorten(theme, 30))
    top.set_ylabel("mean theme score")
    top.set_title(title)
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    top.grid(alpha=0.3)
    bottom.bar(x, counts.to_numpy(), color="#7f7f7f", width=0.8)
    bottom.set_ylabel("documents")
    bottom.yaxis.get_major_locator().set_params(integer=True)
    label = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}.get(freq, freq)
    undated = f"; {n_undated} undated document(s) left out" if n_undated else ""
    bottom.set_xlabel(f"{label} ({int(counts.sum())} dated documents{undated})")
    ticks = tick_positions(len(full), max_ticks)
    bottom.set_xticks(ticks, [str(full[t]) for t in ticks],
                      rotation=45 if len(ticks) > 6 else 0, ha="right" if len(ticks) > 6 else "center")
    return fig


def _periods(dates: pd.Series, freq: str) -> pd.Series:
    if not isinstance(freq, str):
        raise ConfigError("freq", f"expected a pandas period alias such as 'M', got {freq!r}")
    try:
        pd.Period("2000-01-01", freq=freq)
    except ValueError as exc:
        raise ConfigError("freq", f"{freq!r} is not a pandas period alias ({exc})") from None
    parsed = pd.to_datetime(dates.map(_year_as_text), errors="coerce", utc=True,
                            format="ISO8601")
    return parsed.dt.tz_localize(None).dt.to_period(freq)


def _year_as_text(value: Any) -> Any:
    """A bare number is read as a year (``2021`` -> ``"2021"``), not as nanoseconds since 1970."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        if not (np.isfinite(value) and float(value).is_integer() and 1 <= value <= 9999):
            return None
        return f"{int(value):04d}"
    return value
