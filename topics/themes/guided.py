"""Guided mode: a topic-word prior anchoring one topic per theme (gensim ``eta``, tomotopy
``set_word_prior``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from topics.errors import ConfigError
from topics.themes.lexicon import ResolvedThemes


def _positive(param: str, value) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value <= 0:
        raise ConfigError(param, f"expected a finite number > 0, got {value!r}")
    return float(value)


def guided_prior(resolved: ResolvedThemes, *, num_topics: int, vocab_size: int,
                 base: float = 0.01, boost: float = 100.0) -> tuple[np.ndarray, tuple[str, ...]]:
    """A K x V topic-word prior anchoring topic i to theme i, and the topic names.

    Every entry is ``base`` except theme i's words in topic i, which get ``base * boost``;
    the topics after the themes stay free (all ``base``) and are named ``topic_<k>``.  The
    engines pass the matrix as gensim's ``eta`` or, word by word (its columns), to tomotopy's
    ``set_word_prior``.  ``num_topics`` must be at least the number of themes.

    An anchored topic's weight in a document is not that theme's score: the topic also takes
    the words that co-occur with its seeds (a rare theme's topic fills up with others).  Read
    themes with the post-hoc scores, which count only theme words; on a guided model those
    include the boosted prior's pseudo-counts in the anchored topic.
    """
    if vocab_size != resolved.vocab_size:
        raise ConfigError("vocab_size", f"expected the themes' vocabulary size "
                                        f"{resolved.vocab_size}, got {vocab_size!r}")
    return guided_prior_from_ids(resolved.word_ids, num_topics=num_topics,
                                 vocab_size=vocab_size, base=base, boost=boost)


def guided_prior_from_ids(word_ids: Mapping[str, Sequence[int]], *, num_topics: int,
                          vocab_size: int, base: float = 0.01,
                          boost: float = 100.0) -> tuple[np.ndarray, tuple[str, ...]]:
    """:func:`guided_prior` from ``{theme name: word ids}`` (``ResolvedThemes.word_ids``),
    for workers that receive ids rather than the resolved themes."""
    if not isinstance(num_topics, int) or isinstance(num_topics, bool) or num_topics < len(
            word_ids):
        raise ConfigError("num_topics", f"expected an integer >= the number of themes "
                                        f"({len(word_ids)}), got {num_topics!r}")
    if not isinstance(vocab_size, int) or isinstance(vocab_size, bool) or vocab_size < 1:
        raise ConfigError("vocab_size", f"expected an integer >= 1, got {vocab_size!r}")
    base = _positive("base", base)
    if _positive("boost", boost) <= 1:
        raise ConfigError("boost", f"expected a multiplier > 1, got {boost!r}")
    prior = np.full((num_topics, vocab_size), base)
    for i, ids in enumerate(word_ids.values()):
        ids = list(ids)
        if ids and (min(ids) < 0 or max(ids) >= vocab_size):
            raise ConfigError("vocab_size", f"theme {i} has word ids outside 0..{vocab_size - 1}")
        prior[i, ids] = base * boost
    names = tuple(word_ids) + tuple(f"topic_{k}" for k in range(len(word_ids), num_topics))
    return prior, names


