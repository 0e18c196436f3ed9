"""Topic diversity of one model, and stability of topics across runs that differ by seed."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from topics.errors import ConfigError
from topics.scoring.inputs import check_positive_int, check_topic_sets, check_topics


def diversity(topics: Any, *, topn: int = 25) -> float:
    """Share of distinct words among the first ``topn`` words of all topics (Dieng et al.
    2020): 1 when no word is shared, ``1 / K`` when ``K`` topics have the same words.  A
    topic shorter than ``topn`` contributes all its words (the denominator counts them)."""
    topn = check_positive_int(topn, "topn")
    tops = [topic[:topn] for topic in check_topics(topics, "topics")]
    return len(set(itertools.chain.from_iterable(tops))) / sum(map(len, tops))


def matched_similarity(topics_a: Any, topics_b: Any, *, topn: int = 10) -> float:
    """Mean Jaccard similarity of the top-``topn`` word sets of two models' topics, each
    topic matched to at most one of the other model (Hungarian matching maximising the
    total similarity; ``min(K_a, K_b)`` pairs)."""
    topn = check_positive_int(topn, "topn")
    sets_a = [set(t[:topn]) for t in check_topics(topics_a, "topics_a")]
    sets_b = [set(t[:topn]) for t in check_topics(topics_b, "topics_b")]
    similarity = np.array([[len(a & b) / len(a | b) for b in sets_b] for a in sets_a])
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return float(similarity[rows, cols].mean())


def stability(topic_sets: Any, *, topn: int = 10) -> float:
    """Stability of runs that differ only by their seed: :func:`matched_similarity` averaged
    over every pair of models (``{model_id: topics}`` or a list; at least two models).
    1 when every run finds the same topics."""
    topn = check_positive_int(topn, "topn")
    models = list(check_topic_sets(topic_sets).values())
    if len(models) < 2:
        raise ConfigError("topic_sets", f"stability needs at least two runs, got {len(models)}")
    pairs = itertools.combinations(models, 2)
    return float(np.mean([matched_similarity(a, b, topn=topn) for a, b in pairs]))
