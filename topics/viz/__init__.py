"""Figures (one module each, every function returns a matplotlib ``Figure``), ``save_figure``
and offline pyLDAvis pages. Figures are drawn on their own Agg canvas, never through pyplot.

The names below are imported on first use: a pool worker that only writes pyLDAvis pages
(``topics.viz.ldavis``) does not import matplotlib."""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "theme_by_field": "by_field",
    "coherence_vs_k": "coherence",
    "theme_effect_dots": "effect_dots",
    "theme_effect_trend": "effect_trend",
    "doc_theme_heatmap": "heatmap",
    "js_mds": "ldavis",
    "ldavis_page": "ldavis",
    "PeriodMeans": "over_time",
    "theme_by_period": "over_time",
    "theme_over_time": "over_time",
    "save_figure": "save",
    "match_topics": "similarity",
    "topic_similarity": "similarity",
    "topic_similarity_matrix": "similarity",
    "topic_top_words": "top_words",
}

__all__ = sorted(_WHERE, key=str.lower)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'topics.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"topics.viz.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
