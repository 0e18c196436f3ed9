"""Themes across documents: seed lexicons, topic-theme affinity, document scores, pooling over
runs, effects of metadata, guided priors.  One module per stage:

- :mod:`~topics.themes.lexicon`: resolving seeds to vocabulary tokens (explicit matching).
- :mod:`~topics.themes.scores`: per-run scores: affinity, model mass, observed counts, the
  theme rate and its lift (what a score means is in that module's doc).
- :mod:`~topics.themes.pooled`: one score per document and theme over many runs, with an
  interval and the share of runs ranking it first.
- :mod:`~topics.themes.effects`: theme prevalence against a metadata field, pooled over runs.
- :mod:`~topics.themes.check`: a lexicon check (seed frequencies, dominance, NPMI).
- :mod:`~topics.themes.guided`, :mod:`~topics.themes.chunks`: guided priors; chunk folding.
"""

from topics.themes import effects
from topics.themes.check import check_lexicon, format_check
from topics.themes.chunks import fold_chunks
from topics.themes.guided import guided_prior, guided_prior_from_ids
from topics.themes.pooled import LEVEL, NEUTRAL, interval_excludes_neutral, pool_runs
from topics.themes.lexicon import (ResolvedThemes, SeedMatch, Theme, resolve_themes,
                                   theme_tokens)
from topics.themes.scores import (SCALES, SMOOTHING, document_theme_counts,
                                  document_theme_scores, document_theme_words, lift,
                                  rate_posterior, theme_evidence, theme_rates,
                                  topic_theme_affinity)

__all__ = [
    "LEVEL", "NEUTRAL", "SCALES", "SMOOTHING", "ResolvedThemes", "SeedMatch", "Theme",
    "check_lexicon", "document_theme_counts", "document_theme_scores", "document_theme_words",
    "effects", "fold_chunks", "format_check", "guided_prior", "guided_prior_from_ids",
    "interval_excludes_neutral", "lift", "pool_runs", "rate_posterior", "resolve_themes",
    "theme_evidence", "theme_rates", "theme_tokens", "topic_theme_affinity",
]
