"""Theme share by a metadata field (source, label, author, ...): one stacked bar per value."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.viz._common import (aligned, check_positive_int, check_scores, colour, new_figure,
                                plain_figure, shorten)

MISSING = "(missing)"
OTHER = "(other)"


@plain_figure
def theme_by_field(
    scores: pd.DataFrame,
    values: Any,
    field_name: str,
    *,
    max_categories: int = 20,
    title: str | None = None,
) -> Figure:
    """Horizontal stacked bars: for each value of ``field_name``, the share of each theme.

    The share is the mean score of the documents with that value, normalised to sum to 1 (so
    bars compare the theme mix, whatever the scale of the scores). ``values`` is aligned with
    the rows of ``scores`` (a sequence, or a Series/mapping keyed by document id). Empty values
    are grouped as "(missing)"; beyond ``max_categories`` the rarest values are pooled as
    "(other)". Each bar is labelled with its number of documents.
    """
    scores = check_scores(scores)
    if not isinstance(field_name, str) or not field_name.strip():
        raise ConfigError("field_name", f"expected a non-empty string, got {field_name!r}")
    max_categories = check_positive_int(max_categories, "max_categories", minimum=2)
    if (scores < 0).to_numpy().any():
        raise ConfigError("scores", "theme shares need non-negative scores")
    groups = _categories(aligned(values, scores.index, "values"), max_categories)
    counts = groups.value_counts()
    means = scores.groupby(groups).mean().loc[counts.index]
    totals = means.sum(axis=1).replace(0.0, np.nan)
    shares = means.div(totals, axis=0).fillna(0.0)

    n_cat, n_themes = shares.shape
    labels = [f"{shorten(c, 32)}  (n={counts[c]})" for c in shares.index]
    fig = new_figure(9.0 + 0.06 * max(len(s) for s in labels), 1.8 + 0.38 * n_cat + 0.12 * n_themes)
    ax = fig.add_subplot()
    y = np.arange(n_cat)
    left = np.zeros(n_cat)
    for i, theme in enumerate(shares.columns):
        width = shares[theme].to_numpy()
        ax.barh(y, width, left=left, color=colour(i), label=shorten(theme, 30), height=0.75)
        left += width
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of theme scores (mean per document, normalised)")
    ax.set_ylabel(field_name)
    ax.set_title(title or f"Theme share by {field_name}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False,
              title="theme")
    return fig


def _categories(values: pd.Series, max_categories: int) -> pd.Series:
    text = values.map(lambda v: MISSING if _is_missing(v) else " ".join(str(v).split()) or MISSING)
    counts = text.value_counts()
    if len(counts) > max_categories:
        keep = set(counts.index[: max_categories - 1])
        text = text.where(text.isin(keep), OTHER)
    return text.astype(object)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
