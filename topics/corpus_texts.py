"""The token lists and the dictionary of a corpus on disk, in JSON (nothing is pickled).

Token lists: one document per line, its tokens as a JSON list of strings (any token text
survives, spaces and newlines included).  ``TextsWriter`` writes such a file, ``TokenLines``
streams it, ``TextsFile`` is a lazy sequence over it.  ``save_dictionary`` and
``load_dictionary`` write and read a gensim ``Dictionary`` as one JSON object: gensim's own
``save`` is a pickle, and its ``save_as_text`` keeps neither the collection frequencies
(``cfs``), ``num_pos`` and ``num_nnz`` nor words holding a tab or a newline.
"""

from __future__ import annotations

import json
import os
import weakref
from array import array
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path

from typing import TYPE_CHECKING, Any

from topics.errors import StoreError

DICTIONARY_FORMAT = 1

# gensim is imported where a Dictionary is built: a rerun with nothing to do only checks one.
if TYPE_CHECKING:
    from gensim.corpora import Dictionary


class LazySequence(Sequence):
    """A sequence computed on access, equal to any sequence with equal items."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(a == b for a, b in zip(self, other))

    __hash__ = None



class TokenLines:
    """The token lists of a JSON-lines file (one JSON list of strings per line), re-iterable:
    each ``iter`` reads the file again, so nothing is held in memory."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def __iter__(self) -> Iterator[list[str]]:
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


class TextsWriter:
    """Append token lists to a new JSON-lines file, recording each line's byte offset."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.offsets = array("q", [0])
        self._file = open(self.path, "wb")

    def write(self, tokens: list[str]) -> None:
        line = json.dumps(tokens, ensure_ascii=False).encode("utf-8") + b"\n"
        self._file.write(line)
        self.offsets.append(self.offsets[-1] + len(line))

    def __enter__(self) -> TextsWriter:
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


def line_offsets(path: Path) -> array:
    """Byte offsets of the starts of the lines of ``path``, and of its end."""
    offsets = array("q", [0])
    with open(path, "rb") as f:
        for line in f:
            offsets.append(offsets[-1] + len(line))
    return offsets


class TextsFile(LazySequence):
    """The token lists saved in a JSON-lines file, read from disk on each access (``offsets``
    are the line starts, see ``line_offsets``); equal words share the string objects of
    ``dictionary``, which must hold every word.  The file is opened once, when the sequence
    is made, and kept open (closed when it is garbage-collected), so the texts stay readable
    when the file is later deleted or replaced (e.g. a cache entry recomputed)."""

    def __init__(self, path: str | Path, dictionary: Dictionary, offsets: array):
        self.path = Path(path)
        self.dictionary = dictionary
        self.offsets = offsets
        self._fd = os.open(self.path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)

    def __reduce__(self):
        return (TextsFile, (self.path, self.dictionary, self.offsets))

    @cached_property
    def _canon(self) -> dict[str, str]:
        return {token: token for token in self.dictionary.token2id}

    def _read(self, i: int) -> list[str]:
        start, end = self.offsets[i], self.offsets[i + 1]
        try:
            return [self._canon[t] for t in json.loads(os.pread(self._fd, end - start, start))]
        except (KeyError, ValueError) as err:
            raise StoreError(f"{self.path}: damaged saved texts ({err!r})") from None

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._read(j) for j in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"text index {i} out of range ({n} texts)")
        return self._read(i % n)

    def __iter__(self) -> Iterator[list[str]]:
        return map(self._read, range(len(self)))


def save_dictionary(dictionary: Dictionary, path: str | Path) -> None:
    """Write ``dictionary`` (ids 0..V-1) to ``path`` as JSON: the word, document frequency
    and collection frequency of each id, and the corpus counters."""
    words = [dictionary[i] for i in range(len(dictionary))]
    value = {"format": DICTIONARY_FORMAT, "num_docs": dictionary.num_docs,
             "num_pos": dictionary.num_pos, "num_nnz": dictionary.num_nnz, "words": words,
             "dfs": [dictionary.dfs.get(i, 0) for i in range(len(words))],
             "cfs": [dictionary.cfs.get(i, 0) for i in range(len(words))]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f)  # ASCII: any str round-trips, lone surrogates included


def check_dictionary(path: str | Path) -> dict[str, Any]:
    """The JSON object of a dictionary saved by :func:`save_dictionary`, checked; ValueError
    if it is damaged.  Builds no ``Dictionary`` (gensim is not imported)."""
    with open(path, encoding="utf-8") as f:
        value = json.load(f)
    if not isinstance(value, dict) or value.get("format") != DICTIONARY_FORMAT:
        raise ValueError(f"{path}: not a saved dictionary of format {DICTIONARY_FORMAT}")
    words, dfs, cfs = value.get("words"), value.get("dfs"), value.get("cfs")
    counters = [value.get(k) for k in ("num_docs", "num_pos", "num_nnz")]
    if not (isinstance(words, list) and all(isinstance(w, str) for w in words)
            and len(set(words)) == len(words)
            and all(isinstance(c, list) and len(c) == len(words) for c in (dfs, cfs))
            and all(type(n) is int for n in [*dfs, *cfs, *counters])):
        raise ValueError(f"{path}: damaged saved dictionary")
    return value


def load_dictionary(path: str | Path) -> Dictionary:
    """The ``Dictionary`` saved by :func:`save_dictionary`; ValueError if it is damaged."""
    from gensim.corpora import Dictionary

    value = check_dictionary(path)
    words, dfs, cfs = value["words"], value["dfs"], value["cfs"]
    counters = [value[k] for k in ("num_docs", "num_pos", "num_nnz")]
    dictionary = Dictionary()
    dictionary.token2id = {w: i for i, w in enumerate(words)}
    dictionary.dfs = dict(enumerate(dfs))
    dictionary.cfs = dict(enumerate(cfs))
    dictionary.num_docs, dictionary.num_pos, dictionary.num_nnz = counters
    return dictionary
