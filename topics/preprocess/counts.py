"""The gensim ``Dictionary`` of token lists counted from their word ids, chunk by chunk
(``topics.preprocess.parallel.Chunk``), in numpy instead of per token in Python: the same
ids, ``dfs``, ``cfs``, ``num_docs``, ``num_pos`` and ``num_nnz`` as
``topics.corpus.make_dictionary`` over the same token lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _grow(array: np.ndarray, size: int, fill: int) -> np.ndarray:
    if len(array) >= size:
        return array
    return np.concatenate([array, np.full(size - len(array), fill, np.int64)])


class DictionaryCounts:
    """Counts of word ids over documents, added in document order (``add``), turned into
    the ``Dictionary`` of the words (``dictionary``).  Id 0 is never a word."""

    def __init__(self) -> None:
        self.cfs = np.zeros(1, np.int64)
        self.dfs = np.zeros(1, np.int64)
        self.first_doc = np.full(1, -1, np.int64)
        self.docs = 0  # documents added, empty ones included (they only shift the order)
        self.nonempty = 0
        self.nnz = 0

    def add(self, ids: np.ndarray, lengths: np.ndarray) -> None:
        """The next documents: their word ids concatenated, ``lengths`` ids per document."""
        size = max(len(self.cfs), int(ids.max()) + 1 if len(ids) else 0)
        self.cfs = _grow(self.cfs, size, 0)
        self.dfs = _grow(self.dfs, size, 0)
        self.first_doc = _grow(self.first_doc, size, -1)
        self.cfs += np.bincount(ids, minlength=size)
        doc = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        pairs = np.sort(doc * size + ids)  # (document, word), by document
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
        words, docs = pairs % size, pairs // size
        self.dfs += np.bincount(words, minlength=size)
        new = self.first_doc[words] < 0
        found, first = np.unique(words[new], return_index=True)
        self.first_doc[found] = self.docs + docs[new][first]
        self.docs += len(lengths)
        self.nonempty += int(np.count_nonzero(lengths))
        self.nnz += len(pairs)

    def dictionary(self, words: Sequence[str]) -> Any:
        """The ``Dictionary``: ``words[i]`` is the word of id ``i``; gensim's ids, given per
        document to its new words in sorted order."""
        from gensim.corpora import Dictionary

        present = np.flatnonzero(self.cfs).tolist()
        first = self.first_doc.tolist()
        order = sorted(present, key=lambda i: (first[i], words[i]))
        cfs, dfs = self.cfs.tolist(), self.dfs.tolist()
        dictionary = Dictionary()
        dictionary.token2id = {words[i]: k for k, i in enumerate(order)}
        dictionary.cfs = {k: cfs[i] for k, i in enumerate(order)}
        dictionary.dfs = {k: dfs[i] for k, i in enumerate(order)}
        dictionary.num_docs = self.nonempty
        dictionary.num_pos = int(self.cfs.sum())
        dictionary.num_nnz = self.nnz
        return dictionary
