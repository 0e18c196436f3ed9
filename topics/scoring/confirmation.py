"""Confirmation stage: how strongly ``W*`` supports ``W'``, one value per segment.

Direct measures score one-word segments ``({w_i}, {w_j})`` from the probabilities; the
indirect cosine measure (c_v) compares the NPMI context vectors of both sides.  Definitions,
epsilon and natural logarithms are those of ``gensim.topic_coherence``'s
``direct_confirmation_measure`` and ``indirect_confirmation_measure``, including the values
they give for words that never occur in the reference texts:

* log conditional probability (u_mass): 0 when ``P(w_j) = 0``;
* log ratio and normalised log ratio (c_uci, c_npmi): ``+inf`` when either probability is 0;
* indirect cosine (c_v): NaN as soon as a topic word never occurs (its NPMI values are inf).
"""

from __future__ import annotations

import numpy as np

from topics.scoring.probability import Probabilities
from topics.scoring.segmentation import Segments

EPSILON = 1e-12  # gensim's, after Röder et al. (2015)


def log_conditional_probability(segments: Segments, probs: Probabilities) -> np.ndarray:
    """``log((P(w_i, w_j) + eps) / P(w_j))``, 0 where ``P(w_j) = 0``."""
    i, j = segments.single_word_pairs()
    p_star = probs.single[j]
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.log((probs.joint[i, j] + EPSILON) / p_star)
    return np.where(p_star == 0, 0.0, values)


def log_ratio(segments: Segments, probs: Probabilities) -> np.ndarray:
    """PMI: ``log((P(w_i, w_j) + eps) / (P(w_i) P(w_j)))``."""
    i, j = segments.single_word_pairs()
    return _log_ratio(probs.joint[i, j], probs.single[i], probs.single[j])


def normalized_log_ratio(segments: Segments, probs: Probabilities) -> np.ndarray:
    """NPMI: the log ratio divided by ``-log(P(w_i, w_j) + eps)``."""
    i, j = segments.single_word_pairs()
    return _npmi(probs.joint[i, j], probs.single[i], probs.single[j])


def indirect_cosine_npmi(segments: Segments, probs: Probabilities) -> np.ndarray:
    """c_v's confirmation: cosine between the context vectors of ``W'`` and ``W*``.

    The context vector of a word set ``S`` has one entry per distinct topic word ``u``: the
    sum of ``NPMI(w_i, w_j)`` over ``w_i`` in ``S`` and the positions ``j`` holding ``u``.
    """
    npmi = _npmi(probs.joint, probs.single[:, None], probs.single[None, :])
    prime = _context_vectors(segments.prime, npmi, probs.columns)
    star = _context_vectors(segments.star, npmi, probs.columns)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        dots = np.einsum("sk,sk->s", prime, star)
        return dots / (np.linalg.norm(prime, axis=1) * np.linalg.norm(star, axis=1))


def _context_vectors(members: np.ndarray, npmi: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """One context vector per segment side (rows of ``members``), over the distinct words.

    Sums only the terms that are there (no ``0 * inf``), as gensim's sparse vectors do.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        by_position = np.where(members[:, :, None], npmi[None, :, :], 0.0).sum(axis=1)
        # Distinct words in order of first appearance in the topic, so the sums run in the
        # same order whatever ids the shared counts gave the words (ids depend on the order
        # in which models were added).
        _, first, word = np.unique(columns, return_index=True, return_inverse=True)
        word = np.argsort(np.argsort(first))[word]
        vectors = np.zeros((members.shape[0], int(word.max()) + 1))
        np.add.at(vectors, (slice(None), word.ravel()), by_position)
    return vectors


def _log_ratio(joint: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log((joint + EPSILON) / (p1 * p2))


def _npmi(joint: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return _log_ratio(joint, p1, p2) / -np.log(joint + EPSILON)
