"""A quality measure (coherence, diversity, ...) against the number of topics, per engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.viz._common import colour, new_figure, plain_figure

REQUIRED = ("engine", "num_topics", "seed")


@plain_figure
def coherence_vs_k(
    results: pd.DataFrame,
    measure: str = "c_npmi",
    *,
    title: str | None = None,
) -> Figure:
    """Mean ``measure`` against K, one line per engine, with the min-max band over seeds.

    ``results`` has one row per run with the columns ``engine``, ``num_topics``, ``seed`` and
    ``measure``; rows where the measure is missing are left out. Each engine's band spans the
    lowest and highest value among its seeds at each K, and every run is drawn as a faint dot,
    so a single seed still shows.
    """
    data = _check(results, measure)
    fig = new_figure(6.6, 4.8)
    ax = fig.add_subplot()
    for i, (engine, runs) in enumerate(data.groupby("engine", sort=True)):
        stats = runs.groupby("num_topics")[measure].agg(["mean", "min", "max", "count"])
        k = stats.index.to_numpy(dtype="float64")
        seeds = int(runs["seed"].nunique())
        ax.fill_between(k, stats["min"], stats["max"], color=colour(i), alpha=0.18, linewidth=0)
        ax.scatter(runs["num_topics"], runs[measure], color=colour(i), s=10, alpha=0.45)
        ax.plot(k, stats["mean"], marker="o", color=colour(i),
                label=f"{engine} ({seeds} seed{'s' if seeds != 1 else ''})")
    ks = np.sort(data["num_topics"].unique())
    if len(ks) <= 20:
        ax.set_xticks(ks)
    ax.set_xlabel("number of topics K")
    ax.set_ylabel(measure)
    ax.set_title(title or f"{measure} against K (mean, band: min-max over seeds)")
    ax.grid(alpha=0.3)
    # below the axes: inside them it would cover the bands and dots
    fig.legend(fontsize="small", loc="outside lower center", ncols=2, frameon=False)
    return fig


def _check(results: pd.DataFrame, measure: str) -> pd.DataFrame:
    if not isinstance(results, pd.DataFrame):
        raise ConfigError("results", f"expected a pandas DataFrame, got {type(results).__name__}")
    if not isinstance(measure, str) or measure not in results.columns:
        raise ConfigError("measure", f"{measure!r} is not a column of results "
                          f"(columns: {', '.join(map(str, results.columns))})")
    missing = [c for c in REQUIRED if c not in results.columns]
    if missing:
        raise ConfigError("results", f"missing column(s) {', '.join(missing)}")
    data = results[list(REQUIRED) + [measure]].copy()
    data[measure] = pd.to_numeric(data[measure], errors="coerce")
    data["num_topics"] = pd.to_numeric(data["num_topics"], errors="coerce")
    data = data.dropna(subset=[measure, "num_topics"])
    data = data[np.isfinite(data[measure])]
    if data.empty:
        raise ConfigError("results", f"no run has a value for {measure!r}")
    data["engine"] = data["engine"].astype(str)
    return data
