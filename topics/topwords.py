"""Top words of each topic, by probability or by relevance (Sievert and Shirley, 2014).

Relevance of word w to topic t is ``lam * log p(w|t) + (1 - lam) * log(p(w|t) / p(w))``
where p(w) is the word's share of the corpus tokens (``term_frequency``).  ``lam=1`` ranks
by probability; lower values favour words that are specific to the topic; the LDAvis user
study found 0.6 best for interpretation.  Words that never occur in the corpus (p(w) = 0)
are not ranked by relevance.  Ties keep the dictionary's id order.
"""

from __future__ import annotations

import numbers
from typing import Sequence

import numpy as np

from topics.errors import ConfigError

METHODS = ("probability", "relevance")


def _check(topic_word, vocab, topn, method, lam, term_frequency) -> tuple[np.ndarray, int]:
    matrix = np.asarray(topic_word, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(vocab):
        raise ConfigError("topic_word", f"must be a K x V matrix with V = len(vocab) = "
                                        f"{len(vocab)}, got shape {matrix.shape}")
    if isinstance(topn, bool) or not isinstance(topn, numbers.Integral) or topn < 1:
        raise ConfigError("topn", f"must be a positive integer, got {topn!r}")
    if method not in METHODS:
        raise ConfigError("method", f"must be one of {list(METHODS)}, got {method!r}")
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real) or not 0 <= lam <= 1:
        raise ConfigError("lam", f"must be a number between 0 and 1, got {lam!r}")
    if method == "relevance":
        if term_frequency is None:
            raise ConfigError("term_frequency", "is needed for method='relevance'")
        freq = np.asarray(term_frequency, dtype=np.float64)
        if freq.shape != (len(vocab),) or np.any(freq < 0) or freq.sum() <= 0:
            raise ConfigError("term_frequency", f"must hold {len(vocab)} non-negative counts "
                                                f"with a positive total, got shape "
                                                f"{freq.shape}")
    return matrix, min(int(topn), len(vocab))


def scores(topic_word, *, method: str = "probability", lam: float = 0.6,
           term_frequency=None) -> np.ndarray:
    """K x V ranking scores: p(w|t) for ``probability``, the relevance for ``relevance``
    (-inf where it is undefined: a word absent from the corpus, or p(w|t) = 0)."""
    matrix = np.asarray(topic_word, dtype=np.float64)
    if method == "probability":
        return matrix
    freq = np.asarray(term_frequency, dtype=np.float64)
    p_word = freq / freq.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(matrix)
        lift = log_p - np.log(p_word)
        out = lam * log_p + (1.0 - lam) * lift
    out[:, p_word == 0] = -np.inf
    out[~np.isfinite(out)] = -np.inf
    return out


def top_words_weighted(topic_word, vocab: Sequence[str], *, topn: int = 10,
                       method: str = "probability", lam: float = 0.6,
                       term_frequency=None) -> list[list[tuple[str, float]]]:
    """Per topic, the ``topn`` best (word, score) pairs, best first.

    The score is p(w|t) for ``method='probability'`` and the relevance (a log value) for
    ``method='relevance'``, which needs ``term_frequency`` (V,).  Words with an undefined
    relevance are left out, so a topic may list fewer than ``topn`` words.
    """
    matrix, topn = _check(topic_word, vocab, topn, method, lam, term_frequency)
    ranked = scores(matrix, method=method, lam=lam, term_frequency=term_frequency)
    out = []
    for row in ranked:
        order = np.argsort(-row, kind="stable")[:topn]
        out.append([(vocab[i], float(row[i])) for i in order if np.isfinite(row[i])])
    return out


def top_words(topic_word, vocab: Sequence[str], *, topn: int = 10,
              method: str = "probability", lam: float = 0.6,
              term_frequency=None) -> list[list[str]]:
    """Per topic, the ``topn`` best words, best first (see :func:`top_words_weighted`)."""
    weighted = top_words_weighted(topic_word, vocab, topn=topn, method=method, lam=lam,
                                  term_frequency=term_frequency)
    return [[word for word, _ in topic] for topic in weighted]
