"""Figures (one module each, every function returns a matplotlib ``Figure``), ``save_figure``
and offline pyLDAvis pages. Figures are drawn on their own Agg canvas, never through pyplot."""

from topics.viz.by_field import theme_by_field
from topics.viz.coherence import coherence_vs_k
from topics.viz.effect_dots import theme_effect_dots
from topics.viz.effect_trend import theme_effect_trend
from topics.viz.heatmap import doc_theme_heatmap
from topics.viz.ldavis import js_mds, ldavis_page
from topics.viz.over_time import PeriodMeans, theme_by_period, theme_over_time
from topics.viz.save import save_figure
from topics.viz.similarity import match_topics, topic_similarity, topic_similarity_matrix
from topics.viz.top_words import topic_top_words

__all__ = [
    "coherence_vs_k",
    "doc_theme_heatmap",
    "js_mds",
    "ldavis_page",
    "match_topics",
    "PeriodMeans",
    "save_figure",
    "theme_by_field",
    "theme_by_period",
    "theme_effect_dots",
    "theme_effect_trend",
    "theme_over_time",
    "topic_similarity",
    "topic_similarity_matrix",
    "topic_top_words",
]
