"""Probability estimation stage: word and word-pair probabilities of one topic's top words.

A probability is a count of windows divided by the number of windows (boolean sliding window
for c_v, c_uci and c_npmi; boolean document for u_mass, where every document is one window),
as in ``gensim.topic_coherence.probability_estimation``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from topics.scoring.counting import Counts


@dataclass(frozen=True)
class Probabilities:
    """For the ``n`` word positions of one topic: ``single[i] = P(w_i)``,
    ``joint[i, j] = P(w_i, w_j)`` (``joint[i, i] = P(w_i)``) and ``columns[i]``, the word's
    column in the counts (equal columns: the same word)."""

    single: np.ndarray
    joint: np.ndarray
    columns: np.ndarray


def estimate(counts: Counts, columns: np.ndarray) -> Probabilities:
    """Probabilities of the words at ``columns`` of ``counts`` (one entry per topic position,
    repeated words repeated)."""
    columns = np.asarray(columns, dtype=np.intp)
    num = float(counts.num_windows)
    joint = counts.matrix[np.ix_(columns, columns)] / num
    single = counts.matrix[columns, columns] / num
    return Probabilities(single=single, joint=joint, columns=columns)
