"""Mean theme lift by a metadata field (source, label, author, ...), centred on 1.0."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.viz._common import aligned, check_positive_int, check_scores, plain_figure
from topics.viz.effect_dots import theme_effect_dots

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
    """For each value of ``field_name``, each theme's mean lift over its documents, as dots on
    a log scale centred on 1.0 (the corpus average; see :func:`theme_effect_dots`).

    Nothing is normalised per group: a theme whose lift is barely above 1 stays barely above
    the line (shares normalised per group made it look dominant wherever the other themes
    were below 1).  For intervals, draw ``Experiment.theme_effects`` with
    :func:`theme_effect_dots`.  ``values`` is aligned with the rows of ``scores`` (a sequence,
    or a Series/mapping keyed by document id). Empty values are grouped as "(missing)";
    beyond ``max_categories`` the rarest values are pooled as "(other)". Each row is
    labelled with its number of documents.
    """
    scores = check_scores(scores)
    if not isinstance(field_name, str) or not field_name.strip():
        raise ConfigError("field_name", f"expected a non-empty string, got {field_name!r}")
    max_categories = check_positive_int(max_categories, "max_categories", minimum=2)
    if (scores < 0).to_numpy().any():
        raise ConfigError("scores", "lifts are non-negative")
    groups = _categories(aligned(values, scores.index, "values"), max_categories)
    counts = groups.value_counts()
    means = scores.groupby(groups).mean().loc[counts.index]
    rows = [(theme, level, means.loc[level, theme], int(counts[level]))
            for theme in means.columns for level in means.index]
    frame = pd.DataFrame(rows, columns=["theme", "level", "estimate", "n_docs"])
    frame["low"] = frame["high"] = frame["estimate"]
    return theme_effect_dots(frame, field_name,
                             title=title or f"Mean theme lift by {field_name}")


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
