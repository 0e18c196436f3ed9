"""The model output every engine returns, and helpers shared by the engines."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from topics.errors import InputError

_ARRAYS = ("topic_word", "doc_topic", "term_frequency", "doc_lengths")


@dataclass(frozen=True, eq=False)
class ModelOutput:
    """One trained model, the same shape whatever the engine.

    ``topic_word`` is K x V (rows sum to 1, columns are the experiment dictionary's ids),
    ``doc_topic`` is D x K (rows sum to 1, rows in ``doc_ids`` order; a document with no
    dictionary word gets the uniform row 1/K).  ``vocab`` holds the word of each dictionary
    id, ``term_frequency`` (V,) and ``doc_lengths`` (D,) count the training corpus's tokens
    (what pyLDAvis needs).  ``topic_names`` is None for free topics and a K-tuple (names or
    None) for guided ones.  ``native`` is the engine's own model; it takes no part in
    equality or repr.  ``extras`` are the arrays a model family adds (name -> array: CTM's
    topic ``correlations``, DMR's ``prevalence`` by level, DTM's ``slice_topic_word``, HDP's
    kept ``topic_ids``; see :mod:`topics.engines.tomotopy_families`), saved with the model.
    The arrays are read-only.
    """

    engine: str
    params: dict[str, Any]
    topic_word: np.ndarray
    doc_topic: np.ndarray
    vocab: tuple[str, ...]
    doc_ids: tuple
    topic_names: tuple[str | None, ...] | None
    term_frequency: np.ndarray
    doc_lengths: np.ndarray
    native: Any = field(default=None, compare=False, repr=False)
    extras: Mapping[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in _ARRAYS:
            array = np.array(getattr(self, name), copy=True)
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        extras = {}
        for name, value in dict(self.extras).items():
            array = np.array(value, copy=True)
            array.setflags(write=False)
            extras[name] = array
        object.__setattr__(self, "extras", MappingProxyType(extras))

    @property
    def num_topics(self) -> int:
        return int(self.topic_word.shape[0])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModelOutput):
            return NotImplemented
        for f in fields(self):
            if not f.compare:
                continue
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if f.name in _ARRAYS:
                if not np.array_equal(mine, theirs):
                    return False
            elif mine != theirs:
                return False
        return True

    def __repr__(self) -> str:
        k, v = self.topic_word.shape
        return (f"ModelOutput(engine={self.engine!r}, K={k}, V={v}, D={len(self.doc_ids)}, "
                f"params={self.params!r}, topic_names={self.topic_names!r})")


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1 (float64); an all-zero row becomes uniform, and a row holding
    NaN or infinity comes out holding NaN (for the caller to detect, not hidden)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    sums = matrix.sum(axis=1, keepdims=True)
    uniform = np.full(matrix.shape[1], 1.0 / matrix.shape[1])
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where((sums > 0) | np.isnan(sums), matrix / sums, uniform)
    return out


def bow_words(bow: Iterable[tuple[int, float]], vocab: Sequence[str], *,
              row: int) -> list[str]:
    """The words of one bag-of-words, each repeated by its count, in the bag's order."""
    words: list[str] = []
    for word_id, count in bow:
        if count != int(count) or count < 0:
            raise InputError("corpus", f"count {count!r} of word id {word_id} is not a "
                                       "whole number", row=row)
        if not 0 <= word_id < len(vocab):
            raise InputError("corpus", f"word id {word_id} is not in the dictionary "
                                       f"(0..{len(vocab) - 1})", row=row)
        words.extend([vocab[word_id]] * int(count))
    return words


def corpus_counts(corpus: Iterable, num_terms: int) -> tuple[np.ndarray, np.ndarray]:
    """Term frequencies (V,) and document lengths (D,) of a bag-of-words corpus."""
    term_frequency = np.zeros(num_terms, dtype=np.float64)
    lengths: list[float] = []
    for row, bow in enumerate(corpus):
        total = 0.0
        for word_id, count in bow:
            if not 0 <= word_id < num_terms:
                raise InputError("corpus", f"word id {word_id} is not in the dictionary "
                                           f"(0..{num_terms - 1})", row=row)
            term_frequency[word_id] += count
            total += count
        lengths.append(total)
    return term_frequency, np.asarray(lengths, dtype=np.float64)


_COUNTED: list[tuple[Any, int, int, tuple[np.ndarray, np.ndarray]]] = []  # the last list


def training_counts(corpus: Iterable, num_terms: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`corpus_counts`, counted once for a list: a grid's runs in one worker process
    train on the same list of bags of words, so the last list counted is remembered (the
    arrays are read-only; ``ModelOutput`` copies them)."""
    if isinstance(corpus, list):
        for seen, terms, size, counts in _COUNTED:
            if seen is corpus and terms == num_terms and size == len(corpus):
                return counts
    counts = corpus_counts(corpus, num_terms)
    if isinstance(corpus, list):
        for array in counts:
            array.setflags(write=False)
        _COUNTED[:] = [(corpus, num_terms, len(corpus), counts)]
    return counts


def count_matrix(corpus: Iterable, num_terms: int, *, whole_numbers: bool = False):
    """Documents x words counts of a bag-of-words corpus (word ids are checked by the caller;
    a word repeated in a document is summed).  Float64, or int64 with ``whole_numbers``,
    where a count that is not a whole number >= 0 is an ``InputError`` naming its row.
    Returns a SciPy CSR matrix (SciPy is imported here: a rerun with nothing to do, which
    imports this module, must not load it)."""
    from scipy import sparse
    rows, cols, values = [], [], []
    n_docs = 0
    for row, bow in enumerate(corpus):
        n_docs += 1
        for word_id, count in bow:
            if whole_numbers and (count != int(count) or count < 0):
                raise InputError("corpus", f"count {count!r} of word id {word_id} is not a "
                                           "whole number", row=row)
            rows.append(row)
            cols.append(word_id)
            values.append(int(count) if whole_numbers else float(count))
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(n_docs, num_terms),
                               dtype=np.int64 if whole_numbers else np.float64)
    matrix.sum_duplicates()
    return matrix
