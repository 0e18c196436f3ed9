"""Counting stage: occurrences and co-occurrences of the relevant words in boolean windows.

The reference texts are mapped to integer codes once (:func:`index_texts`).  For one window
size the counts of a set of relevant words are a symmetric matrix ``C`` with the number of
windows holding word ``a`` on the diagonal and the number holding both ``a`` and ``b``
elsewhere (:class:`Counts`); :func:`count_cooccurrences` builds it, or extends one with the
columns of new words without recounting the pairs already counted.

Windows follow ``gensim.topic_coherence.text_analysis.WordOccurrenceAccumulator``: a text of
``L`` tokens gives ``max(1, L - window + 1)`` windows (one window, the whole text, when it is
shorter than the window, even when empty); tokens that are not relevant keep their place.
``window=None`` means whole documents (the boolean document estimate of u_mass).

gensim does not recompute each window's word set: it slides one, dropping the token that
leaves and adding the one that enters.  When the token that leaves occurs again inside the
window, gensim drops it all the same, until it enters again at the right edge.  Its counts
are therefore "the word is present, and it entered the window at the right edge (or was in
the first window) after it last left at the left edge".  We reproduce this exactly, so that
the values equal gensim's: for a word occurring at position ``o``, with ``o'`` its first
occurrence at or after ``s = max(0, o - window + 1)``, the windows ``[s, o' + 1)`` count it
(up to the text's last window).

Rather than one row per window, the windows are cut into segments at every place where a
relevant word enters or leaves; all windows of a segment hold the same words, so a
segments x words incidence matrix ``X`` with segment lengths ``w`` gives
``C = X^T diag(w) X``.  Documents are processed in chunks to bound memory.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from topics.errors import ConfigError

log = logging.getLogger(__name__)

CHUNK_TOKENS = 250_000


@dataclass(frozen=True)
class TokenIndex:
    """Reference texts as integer codes: ``codes`` holds every token's position in ``words``,
    ``doc_ptr[d]:doc_ptr[d + 1]`` is document ``d``'s slice of ``codes``."""

    codes: np.ndarray
    doc_ptr: np.ndarray
    words: pd.Index

    @property
    def num_docs(self) -> int:
        return len(self.doc_ptr) - 1

    def codes_of(self, words: Sequence[str]) -> np.ndarray:
        """Each word's code, -1 for words that are not in the texts."""
        return self.words.get_indexer(list(words)) if len(words) else np.zeros(0, dtype=np.intp)


@dataclass(frozen=True)
class Counts:
    """Counts of the relevant words for one window size (None: whole documents).

    ``matrix[a, b]`` is the number of windows holding both column words (``matrix[a, a]``
    those holding ``a``); ``num_windows`` is the number of windows (gensim's ``num_docs``).
    """

    window: int | None
    num_windows: int
    matrix: np.ndarray

    @property
    def size(self) -> int:
        return int(self.matrix.shape[0])


def index_texts(texts: Iterable[Sequence[str]]) -> TokenIndex:
    """Map token lists to integer codes, once; raises ConfigError for bad ``texts``."""
    if isinstance(texts, (str, bytes)):
        raise ConfigError("texts", "expected token lists, one per document, got a string")
    docs = list(texts)
    if not docs:
        raise ConfigError("texts", "no documents: coherence needs reference texts")
    for row, doc in enumerate(docs):
        if isinstance(doc, (str, bytes)) or not isinstance(doc, Iterable):
            raise ConfigError(f"texts[{row}]", f"expected a list of tokens, got {doc!r:.60}")
    docs = [doc if isinstance(doc, Sequence) else list(doc) for doc in docs]
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    flat = np.fromiter(itertools.chain.from_iterable(docs), dtype=object, count=int(lengths.sum()))
    codes, uniques = pd.factorize(flat)
    doc_ptr = np.concatenate([[0], np.cumsum(lengths)])
    return TokenIndex(codes.astype(np.int64), doc_ptr, pd.Index(uniques))


def count_cooccurrences(index: TokenIndex, word_codes: np.ndarray, *, window: int | None,
                        counts: Counts | None = None,
                        chunk_tokens: int = CHUNK_TOKENS) -> Counts:
    """Counts for the words whose codes are ``word_codes`` (-1: absent from the texts).

    With ``counts`` (of the first ``counts.size`` of these words, same window), only the new
    words' rows and columns are counted; the block already counted is kept as is.
    """
    word_codes = np.asarray(word_codes, dtype=np.int64)
    size = len(word_codes)
    done = 0 if counts is None else counts.size
    if counts is not None and counts.window != window:
        raise ValueError(f"counts are for window {counts.window}, not {window}")
    matrix = np.zeros((size, size), dtype=np.int64)
    if counts is not None:
        matrix[:done, :done] = counts.matrix
    if done == size:
        return Counts(window, _num_windows(index, window), matrix)
    # one spare slot at the end: tokens without a code (None) have code -1 and stay irrelevant
    column_of_code = np.full(len(index.words) + 1, -1, dtype=np.int64)
    present = word_codes >= 0
    column_of_code[word_codes[present]] = np.flatnonzero(present)
    for first, last in _chunks(index.doc_ptr, chunk_tokens):
        matrix[done:, :] += _count_chunk(index, first, last, column_of_code, window, size, done)
    matrix[:done, done:] = matrix[done:, :done].T
    return Counts(window, _num_windows(index, window), matrix)


def _num_windows(index: TokenIndex, window: int | None) -> int:
    if window is None:
        return index.num_docs
    return int(np.maximum(1, np.diff(index.doc_ptr) - window + 1).sum())


def _chunks(doc_ptr: np.ndarray, chunk_tokens: int) -> Iterable[tuple[int, int]]:
    """Document ranges ``[first, last)`` of about ``chunk_tokens`` tokens each."""
    num_docs = len(doc_ptr) - 1
    first = 0
    while first < num_docs:
        last = int(np.searchsorted(doc_ptr, doc_ptr[first] + chunk_tokens, side="right")) - 1
        last = min(max(last, first + 1), num_docs)
        yield first, last
        first = last


def _count_chunk(index: TokenIndex, first: int, last: int, column_of_code: np.ndarray,
                 window: int | None, size: int, done: int) -> np.ndarray:
    """Rows ``done..size`` of the counts contributed by documents ``first..last``."""
    ptr = index.doc_ptr[first:last + 1]
    cols = column_of_code[index.codes[ptr[0]:ptr[-1]]]
    start, end, col = _intervals(cols, ptr - ptr[0], window)
    if len(col) == 0:
        return np.zeros((size - done, size), dtype=np.int64)
    incidence, weight = _incidence(start, end, col, size)
    new = incidence[:, done:].T.tocsr()
    return (new @ sparse.diags_array(weight, dtype=np.int64) @ incidence).toarray()


def _intervals(cols: np.ndarray, doc_ptr: np.ndarray,
               window: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Disjoint window intervals ``[start, end)`` (numbered across the chunk's documents)
    during which each relevant word counts as present, with the word's column."""
    lengths = np.diff(doc_ptr)
    num_windows = np.ones_like(lengths) if window is None else np.maximum(1, lengths - window + 1)
    window_ptr = np.concatenate([[0], np.cumsum(num_windows)])
    where = np.flatnonzero(cols >= 0)
    doc = np.repeat(np.arange(len(lengths)), lengths)[where]
    col = cols[where]
    pos = where - doc_ptr[doc]
    order = np.lexsort((pos, col, doc))
    doc, col, pos = doc[order], col[order], pos[order]
    new_group = np.ones(len(pos), dtype=bool)
    new_group[1:] = (doc[1:] != doc[:-1]) | (col[1:] != col[:-1])
    start = np.zeros_like(pos) if window is None else np.maximum(0, pos - window + 1)
    # first occurrence of the same word, same document, at or after `start`
    stride = int(lengths.max()) + 1 if len(lengths) else 1
    group = np.cumsum(new_group) * stride
    first = np.searchsorted(group + pos, group + start, side="left")
    end = np.minimum(pos[first] + 1, num_windows[doc])
    keep = new_group.copy()
    keep[1:] |= end[1:] != end[:-1]
    offset = window_ptr[doc[keep]]
    return start[keep] + offset, end[keep] + offset, col[keep]


def _incidence(start: np.ndarray, end: np.ndarray, col: np.ndarray,
               size: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Segments x words incidence matrix of the intervals, and each segment's length."""
    bounds = np.unique(np.concatenate([start, end]))
    first = np.searchsorted(bounds, start)
    spans = np.searchsorted(bounds, end) - first
    total = int(spans.sum())
    rows = np.arange(total) - np.repeat(np.cumsum(spans) - spans, spans) + np.repeat(first, spans)
    data = np.ones(total, dtype=np.int64)
    shape = (len(bounds) - 1, size)
    incidence = sparse.csr_matrix((data, (rows, np.repeat(col, spans))), shape=shape)
    return incidence, np.diff(bounds)
