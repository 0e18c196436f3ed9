"""The token stage of a whole document list: texts -> token lists, in chunks of documents,
on several processes for a large corpus (the same token lists as one process, in document
order).

A chunk's texts become integer ids of raw tokens (``RawIds.chunk``): the ASCII texts of a
chunk are joined with a NUL separator and matched by one regular expression (the default
token pattern; NUL never belongs to a token), the others tokenised one by one; each distinct
raw token gets an id, kept over the chunks one process tokenises, and only the tokens new
since its last chunk are reported.  The per-word steps (lowercase, drops, stopwords, WordNet
lemmas: ``steps.WordMap``) then run once per distinct raw token of the whole corpus, in this
process, through a table from raw ids to final word ids (``FinalWords.map_chunk``), so their
cost grows with the vocabulary, not the token count.

With several processes (``processes_for``: a corpus of at least ``PARALLEL_MIN_CHARS``
characters, a platform with ``fork``, and not inside a daemonic pool worker), one pool of
forked workers tokenises the chunks, another computes the WordNet lemmas of the words new in
each chunk (each word once, split over the workers), and this process maps the chunks in
order, the lemmas of the next chunk being computed meanwhile.  Forking after WordNet is
loaded shares it with the workers, and the texts reach them by the fork, not by pickling;
only the chunks' raw ids and the lemmas come back.  Elsewhere (Windows, macOS, notebooks
that cannot fork) the same functions run in one process.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import re
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any, NamedTuple

import numpy as np

from topics.preprocess.options import DEFAULT_TOKEN_PATTERN
from topics.preprocess.steps import ASCII_DEFAULT_PATTERN, WordMap, raw_tokens

logger = logging.getLogger(__name__)

#: Corpora with fewer characters are tokenised in one process (starting workers costs more).
PARALLEL_MIN_CHARS = 4_000_000
#: Characters per chunk of documents (the unit of work of a worker).
CHUNK_CHARS = 1_000_000
#: Chunks a worker may tokenise ahead of the mapping (bounds the ids held at once).
AHEAD = 3
#: New words of a chunk from which their lemmas are split over the workers.
LEMMA_BATCH = 200

_SEP = "\x00"
_ASCII_RUN = re.compile(ASCII_DEFAULT_PATTERN + "|" + _SEP)
_NUL_TOKEN = (_SEP,)  # the key of a raw token "\x00" (possible with tokenize: false)
#: What forked workers read: (texts, options, LemmaCache or None); set only around a pool.
_STATE: tuple | None = None
#: A worker's raw-token ids (made in the worker, kept over its chunks).
_RAW: RawIds | None = None


class _Ids(dict):
    """Key -> id, a new key getting the next id (``keys_by_id`` lists them by id)."""

    def __init__(self, first: Any):
        super().__init__({first: 0})
        self.keys_by_id = [first]

    def __missing__(self, key: Any) -> int:
        value = self[key] = len(self.keys_by_id)
        self.keys_by_id.append(key)
        return value


class Chunk(NamedTuple):
    """One chunk of documents after the token stage: their token lists, and the same as
    final word ids (``ids``, all documents concatenated; ``lengths`` tokens per document;
    ``words[i]`` the word of id ``i``, a list shared by the chunks, growing)."""

    texts: list[list[str]]
    ids: np.ndarray
    lengths: np.ndarray
    words: list[str]


def processes_for(total_chars: int, processes: int | None = None) -> int:
    """How many processes tokenise ``total_chars`` characters: ``processes`` (default: the
    usable cores) for a large corpus where ``fork`` is safe, else one."""
    if processes is None:
        processes = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                     else os.cpu_count() or 1)
    if processes < 2 or total_chars < PARALLEL_MIN_CHARS:
        return 1
    forks = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
    return processes if forks and not multiprocessing.current_process().daemon else 1


def chunk_ranges(texts: Sequence[str], chunk_chars: int | None = None) -> list[tuple[int, int]]:
    """Consecutive (start, stop) ranges of ``texts`` of about ``chunk_chars`` characters
    (default ``CHUNK_CHARS``)."""
    chunk_chars = chunk_chars or CHUNK_CHARS
    ends = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)))
    stops = np.searchsorted(ends, np.arange(chunk_chars, int(ends[-1]) if len(ends) else 0,
                                            chunk_chars), side="right")
    bounds = [0] + sorted(set(int(s) for s in stops if 0 < s < len(texts))) + [len(texts)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _chunk_tokens(texts: Sequence[str], options: Any) -> list[Any]:
    """Every text's raw tokens, each text's followed by the separator."""
    tokens: list[Any] = []
    run: list[str] = []
    fast = options.tokenize and options.token_pattern == DEFAULT_TOKEN_PATTERN
    for text in texts:
        if fast and text.isascii() and _SEP not in text:  # NFKC leaves ASCII as it is
            run.append(text)
            continue
        if run:  # consecutive ASCII texts: one regular expression call
            tokens += _ASCII_RUN.findall(_SEP.join(run) + _SEP)
            run.clear()
        found = raw_tokens(text, options)
        tokens += [_NUL_TOKEN if t == _SEP else t for t in found] if _SEP in found else found
        tokens.append(_SEP)
    if run:
        tokens += _ASCII_RUN.findall(_SEP.join(run) + _SEP)
    return tokens


class RawIds:
    """Raw token -> id in one process, kept over the chunks it tokenises (id 0: none)."""

    def __init__(self) -> None:
        self._index = _Ids(_SEP)  # the separator is id 0
        self._reported = 1

    def chunk(self, texts: Sequence[str], options: Any) -> tuple[list[str], np.ndarray,
                                                                    np.ndarray]:
        """A chunk's texts as raw-token ids: (the raw tokens new since the last chunk, by
        id; the ids of every text's tokens, concatenated; tokens per text)."""
        tokens = _chunk_tokens(texts, options)
        ids = np.fromiter(map(self._index.__getitem__, tokens), np.int32, len(tokens))
        ends = np.flatnonzero(ids == 0)
        lengths = np.diff(ends, prepend=-1) - 1
        keys = self._index.keys_by_id
        new = [_SEP if t == _NUL_TOKEN else t for t in islice(keys, self._reported, None)]
        self._reported = len(keys)
        return new, ids[ids != 0], lengths


class FinalWords:
    """Final words by id (id 0: dropped), in order of first appearance over the chunks."""

    def __init__(self, words: WordMap):
        self.wordmap = words
        self._ids = _Ids("")
        self.words = self._ids.keys_by_id
        self._array = np.array(self.words, dtype=object)  # the same, for fancy indexing
        self._filled = len(self.words)
        self._tables: dict[Any, np.ndarray] = {}  # per tokenising process: raw id -> word id

    def map_chunk(self, source: Any, new: list[str], ids: np.ndarray,
                  lengths: np.ndarray) -> Chunk:
        """A chunk tokenised by the ``RawIds`` of process ``source`` (its chunks in their
        order) -> its ``Chunk`` (dropped tokens left out)."""
        added = np.fromiter(map(self._ids.__getitem__, map(self.wordmap.lookup, new)),
                            np.int32, len(new))
        table = self._tables[source] = np.concatenate(
            (self._tables.get(source, np.zeros(1, np.int32)), added))
        mapped = table[ids]
        keep = mapped != 0
        kept = mapped[keep]
        seen = np.concatenate(([0], np.cumsum(keep)))
        ends = np.cumsum(lengths)
        kept_lengths = seen[ends] - seen[ends - lengths]
        flat = self._word_array()[kept].tolist()
        bounds = np.concatenate(([0], np.cumsum(kept_lengths))).tolist()
        texts = [flat[a:b] for a, b in zip(bounds, bounds[1:])]
        return Chunk(texts, kept, kept_lengths, self.words)

    def new_tokenisers(self) -> None:
        """Forget the raw-id tables: the next chunks come from new ``RawIds``."""
        self._tables.clear()

    def _word_array(self) -> np.ndarray:
        """``words`` as an object array (for fancy indexing), grown by doubling."""
        n, filled = len(self.words), self._filled
        if n > filled:
            if n > len(self._array):
                grown = np.empty(max(2 * len(self._array), n), dtype=object)
                grown[:filled] = self._array[:filled]
                self._array = grown
            self._array[filled:n] = self.words[filled:n]
            self._filled = n
        return self._array


def iter_chunks(texts: Sequence[str], words: WordMap, options: Any, *,
                processes: int | None = None,
                finals: FinalWords | None = None) -> Iterator[Chunk]:
    """The token stage of ``texts`` (raw texts, in order) with ``words`` (whose caches it
    fills, as mapping the texts one by one would), chunk by chunk, in order.  ``finals``
    (of the same ``words``) continues the word ids of an earlier call."""
    ranges = chunk_ranges(texts)
    n = processes_for(sum(map(len, texts)), processes)
    finals = FinalWords(words) if finals is None else finals
    finals.new_tokenisers()
    if n == 1:
        raw = RawIds()
        for start, stop in ranges:
            yield finals.map_chunk(0, *raw.chunk(texts[start:stop], options))
        return
    logger.info("tokenising %d documents in %d chunks on %d processes", len(texts),
                len(ranges), n)
    yield from _parallel_chunks(texts, ranges, words, options, n, finals)


def _tokens_task(bounds: tuple[int, int]) -> tuple[Any, list[str], np.ndarray, np.ndarray]:
    global _RAW
    texts, options, _ = _STATE
    if _RAW is None:
        _RAW = RawIds()
    return (os.getpid(), *_RAW.chunk(texts[bounds[0]:bounds[1]], options))


def _lemmas_task(words: list[str]) -> list[tuple[str, ...]]:
    lemmas = _STATE[2]
    return [lemmas.candidates(word) for word in words]


class _Lemmatising:
    """The lemmas of the words new in each chunk, asked of the lemmatising workers (each
    word once, split over them) as soon as the chunk's raw tokens are known."""

    def __init__(self, pool: Any, n: int, words: WordMap):
        self.pool, self.n, self.words = pool, n, words
        self.asked: set[str] = set()

    def ask(self, tokens: list[str]) -> list[tuple[list[str], Any]]:
        new = [w for w in self.words.lemma_words(tokens) if w not in self.asked]
        self.asked.update(new)
        parts = [new[i::self.n] for i in range(self.n)] if len(new) >= LEMMA_BATCH else [new]
        return [(p, self.pool.apply_async(_lemmas_task, (p,))) for p in parts if p]

    def store(self, jobs: list[tuple[list[str], Any]]) -> None:
        for part, job in jobs:
            self.words.lemmas.store(part, job.get())


def _parallel_chunks(texts: Sequence[str], ranges: list[tuple[int, int]], words: WordMap,
                     options: Any, n: int, finals: FinalWords) -> Iterator[Chunk]:
    """Workers tokenise the chunks (at most ``AHEAD`` per worker ahead of this process) and
    other workers lemmatise each chunk's new words while this process maps the chunk
    before it, in order."""
    global _STATE
    if words.lemmas is not None:
        words.lemmas.lemmatizer()  # WordNet loaded before the fork: workers never load it
    _STATE = (texts, options, words.lemmas)
    context = multiprocessing.get_context("fork")
    gc.freeze()  # the workers' collector skips the inherited heap (no copy-on-write of it)
    try:
        tokenisers, lemmatisers = context.Pool(n), context.Pool(n)
    finally:
        gc.unfreeze()
    try:
        with tokenisers, lemmatisers:
            lemmatising = _Lemmatising(lemmatisers, n, words)
            todo = iter(ranges)
            tokens = deque(tokenisers.apply_async(_tokens_task, (r,))
                           for r in islice(todo, AHEAD * n))
            ready: deque = deque()
            while tokens or ready:
                if tokens:
                    raw = tokens.popleft().get()
                    tokens.extend(tokenisers.apply_async(_tokens_task, (r,))
                                  for r in islice(todo, 1))
                    ready.append((raw, lemmatising.ask(raw[1])))
                if len(ready) > 1 or not tokens:  # one chunk's lemmas in flight meanwhile
                    raw, jobs = ready.popleft()
                    lemmatising.store(jobs)
                    yield finals.map_chunk(*raw)
    finally:
        _STATE = None
