"""Theme prevalence over time: each theme's estimated lift as a line with its interval as a
band, a line at 1.0 (the corpus average)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.viz._common import colour, new_figure, plain_figure, shorten

COLUMNS = ("theme", "level", "estimate", "low", "high")


@plain_figure
def theme_effect_trend(effects: pd.DataFrame, *, title: str = "Theme prevalence over time",
                       xlabel: str = "year", note: str | None = None) -> Figure:
    """``effects`` is ``Experiment.theme_effects`` of a date field (``level``: a year, decimal
    for a smooth trend or a period's first year): one panel per theme (shared axes), the
    estimate as a line, ``low``-``high`` as a band.  ``note`` goes under the axes."""
    if not isinstance(effects, pd.DataFrame) or not set(COLUMNS) <= set(effects.columns):
        raise ConfigError("effects", f"expected a DataFrame with columns {', '.join(COLUMNS)}")
    if effects.empty:
        raise ConfigError("effects", "no rows to draw")
    themes = list(dict.fromkeys(effects["theme"]))
    cols = min(len(themes), 3)
    rows = -(-len(themes) // cols)
    fig = new_figure(4.2 * cols + 1.0, 2.6 * rows + 1.0)
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)).ravel()
    for i, theme in enumerate(themes):
        ax = axes[i]
        part = effects[effects["theme"] == theme].sort_values("level")
        x = part["level"].to_numpy(dtype=float)
        ax.fill_between(x, part["low"], part["high"], color=colour(i), alpha=0.25, linewidth=0)
        ax.plot(x, part["estimate"], color=colour(i), marker="o" if len(x) <= 12 else None,
                markersize=3)
        ax.axhline(1.0, color="#444444", linewidth=1, linestyle="--")
        ax.set_title(shorten(theme, 30), fontsize="medium")
        ax.grid(alpha=0.3)
    for ax in axes[len(themes):]:
        ax.set_visible(False)
    fig.supylabel("theme lift (1 = corpus average)")
    fig.supxlabel(xlabel + (f"\n{note}" if note else ""))
    fig.suptitle(title)
    return fig
