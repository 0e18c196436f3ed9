"""Segmentation stage: which parts of a topic's top words confirm which.

Each function takes the number ``n`` of top words of one topic and returns a
:class:`Segments`: one row per segment ``(W', W*)``, as two boolean matrices over the word
positions ``0..n-1``.  Working on positions (not word ids) keeps repeated words counted the way
gensim counts them.  The definitions are those of Röder et al. (2015), as in
``gensim.topic_coherence.segmentation``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Segments:
    """Segments of one topic: ``prime[s, i]`` says position ``i`` is in ``W'`` of segment
    ``s``, ``star[s, i]`` that it is in ``W*``.  Both are ``(segments, n)`` boolean arrays."""

    prime: np.ndarray
    star: np.ndarray

    def __len__(self) -> int:
        return int(self.prime.shape[0])

    def single_word_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """The positions ``(i, j)`` of one-word segments ``({w_i}, {w_j})``.

        Raises ValueError for set segments, which direct confirmation measures cannot score.
        """
        if not (np.all(self.prime.sum(axis=1) == 1) and np.all(self.star.sum(axis=1) == 1)):
            raise ValueError("direct confirmation measures need one-word segments")
        return self.prime.argmax(axis=1), self.star.argmax(axis=1)


def _pairs(prime_pos: np.ndarray, star_pos: np.ndarray, n: int) -> Segments:
    rows = np.arange(len(prime_pos))
    prime = np.zeros((len(prime_pos), n), dtype=bool)
    star = np.zeros((len(star_pos), n), dtype=bool)
    prime[rows, prime_pos] = True
    star[rows, star_pos] = True
    return Segments(prime, star)


def one_pre(n: int) -> Segments:
    """S_one^pre: ``({w_i}, {w_j})`` for every ``j < i`` (used by u_mass), in gensim's order."""
    i, j = np.tril_indices(n, k=-1)
    return _pairs(i, j, n)


def one_one(n: int) -> Segments:
    """S_one^one: ``({w_i}, {w_j})`` for every ``i != j`` (used by c_uci and c_npmi)."""
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    return _pairs(i, j, n)


def one_set(n: int) -> Segments:
    """S_one^set: ``({w_i}, W)`` for every ``i``, ``W`` the whole topic (used by c_v)."""
    return Segments(np.eye(n, dtype=bool), np.ones((n, n), dtype=bool))
