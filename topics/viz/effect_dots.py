"""Theme prevalence by category: a dot per theme and category with its interval (whiskers), on
a lift scale centred on 1.0 (the corpus average), logarithmic so that 0.5 and 2.0 lie equally
far from it.  Nothing is normalised: a lift barely above 1 stays barely above the line."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.viz._common import colour, new_figure, plain_figure, shorten

FLOOR = 0.05  # lifts below are drawn at the floor (a log axis has no 0)
COLUMNS = ("theme", "level", "estimate", "low", "high")


@plain_figure
def theme_effect_dots(effects: pd.DataFrame, field_name: str, *, title: str | None = None,
                      note: str | None = None) -> Figure:
    """Dot-and-whisker plot of ``effects`` (``Experiment.theme_effects`` of a categorical
    field: columns ``theme, level, estimate, low, high``, optionally ``n_docs``): one row per
    level, one dot per theme (offset vertically), whiskers from ``low`` to ``high``, a line at
    1.0.  ``note`` is added under the axis (e.g. which runs were pooled)."""
    if not isinstance(effects, pd.DataFrame) or not set(COLUMNS) <= set(effects.columns):
        raise ConfigError("effects", f"expected a DataFrame with columns {', '.join(COLUMNS)}")
    if effects.empty:
        raise ConfigError("effects", "no rows to draw")
    if not isinstance(field_name, str) or not field_name.strip():
        raise ConfigError("field_name", f"expected a non-empty string, got {field_name!r}")
    levels = list(dict.fromkeys(effects["level"]))
    themes = list(dict.fromkeys(effects["theme"]))
    n_docs = effects.groupby("level", sort=False)["n_docs"].first() if "n_docs" in effects else None
    labels = [shorten(lev, 32) + (f"  (n={n_docs[lev]})" if n_docs is not None else "")
              for lev in levels]
    fig = new_figure(8.5 + 0.06 * max(len(s) for s in labels),
                     1.8 + 0.22 * len(levels) * max(1, len(themes)) ** 0.6 + 0.12 * len(themes))
    ax = fig.add_subplot()
    step = 0.8 / max(len(themes), 1)
    for i, theme in enumerate(themes):
        rows = effects[effects["theme"] == theme].set_index("level").reindex(levels)
        y = np.arange(len(levels)) - 0.4 + step * (i + 0.5)
        est, low, high = (np.maximum(rows[c].to_numpy(dtype=float), FLOOR)
                          for c in ("estimate", "low", "high"))
        ax.errorbar(est, y, xerr=[est - np.minimum(low, est), np.maximum(high, est) - est],
                    fmt="o", markersize=4, capsize=2, color=colour(i), label=shorten(theme, 30))
    ax.axvline(1.0, color="#444444", linewidth=1, linestyle="--")
    ax.set_xscale("log", base=2)
    values = np.maximum(effects[["estimate", "low", "high"]].to_numpy(dtype=float), FLOOR)
    reach = max(abs(np.log2(values)).max(), 1.0) * 1.1
    ax.set_xlim(2 ** -reach, 2 ** reach)
    ax.set_yticks(np.arange(len(levels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("theme lift (1 = corpus average; log scale)" + (f"\n{note}" if note else ""))
    ax.set_ylabel(field_name)
    ax.set_title(title or f"Theme prevalence by {field_name}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False,
              title="theme")
    ax.grid(axis="x", alpha=0.3)
    return fig
