"""The token stage of a whole document list: texts -> token lists, in chunks of documents,
on several processes for a large corpus (the same token lists as one process, in document
order).

A chunk's texts become integer ids of raw tokens (``raw_ids``): the ASCII texts of a chunk
are joined with a NUL separator and matched by one regular expression (the default token
pattern; NUL never belongs to a token), the others tokenised one by one; each distinct raw
token gets a chunk-local id.  The per-word steps (lowercase, drops, stopwords, WordNet
lemmas: ``steps.WordMap``) then run once per distinct raw token of the whole corpus, in this
process, through a table from local ids to final word ids (``FinalWords.map_chunk``), so
their cost grows with the vocabulary, not the token count.

With several processes (``processes_for``: a corpus of at least ``PARALLEL_MIN_CHARS``
characters, a platform with ``fork``, and not inside a daemonic pool worker), forked workers
tokenise the chunks, a wave of ``WAVE_CHUNKS`` chunks at a time; the WordNet lemmas of the
words new in a wave are computed by the workers, each word by one worker, and stored in the
parent's ``LemmaCache``; the parent maps the chunks in order.  Forking after WordNet is
loaded shares it with the workers, and the texts reach them by the fork, not by pickling.
Elsewhere (Windows, macOS, notebooks that cannot fork) the same functions run in one process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import sys
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
#: Chunks tokenised before their new words are lemmatised (bounds the ids held at once).
WAVE_CHUNKS = 48

_SEP = "\x00"
_ASCII_RUN = re.compile(ASCII_DEFAULT_PATTERN + "|" + _SEP)
_NUL_TOKEN = (_SEP,)  # the key of a raw token "\x00" (possible with tokenize: false)
#: What forked workers read: (texts, options, LemmaCache or None); set only around a pool.
_STATE: tuple | None = None


class _Ids(dict):
    """Key -> id, a new key getting the next id (``keys`` lists them by id)."""

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


def _ids_array(ids: Any, tokens: list[Any]) -> np.ndarray:
    return np.fromiter(map(ids, tokens), np.int32, len(tokens))


def raw_ids(texts: Sequence[str], options: Any) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """A chunk's texts as raw-token ids: (distinct raw tokens by id, id 0 standing for
    none; the ids of every text's tokens, concatenated; tokens per text)."""
    index = _Ids(_SEP)
    ids = index.__getitem__
    pieces, lengths, run = [], [], []
    fast = options.tokenize and options.token_pattern == DEFAULT_TOKEN_PATTERN
    for text in texts:
        if fast and text.isascii() and _SEP not in text:  # NFKC leaves ASCII as it is
            run.append(text)
            continue
        _run_ids(run, ids, pieces, lengths)
        tokens = raw_tokens(text, options)
        if _SEP in tokens:
            tokens = [_NUL_TOKEN if t == _SEP else t for t in tokens]
        pieces.append(_ids_array(ids, tokens))
        lengths.append(len(tokens))
    _run_ids(run, ids, pieces, lengths)
    vocab = [_SEP if t == _NUL_TOKEN else t for t in index.keys_by_id]
    vocab[0] = None
    all_ids = np.concatenate(pieces) if pieces else np.zeros(0, np.int32)
    return vocab, all_ids, np.array(lengths, dtype=np.int64)


def _run_ids(run: list[str], ids: Any, pieces: list, lengths: list) -> None:
    """Tokenise consecutive ASCII texts with one regular expression call (emptying ``run``)."""
    if not run:
        return
    found = _ids_array(ids, _ASCII_RUN.findall(_SEP.join(run) + _SEP))
    ends = np.flatnonzero(found == 0)
    lengths.extend((np.diff(ends, prepend=-1) - 1).tolist())
    pieces.append(found[found != 0])
    run.clear()


class FinalWords:
    """Final words by id (id 0: dropped), in order of first appearance over the chunks."""

    def __init__(self, words: WordMap):
        self.wordmap = words
        self._ids = _Ids("")
        self.words = self._ids.keys_by_id

    def map_chunk(self, vocab: list[Any], ids: np.ndarray, lengths: np.ndarray) -> Chunk:
        """A chunk's raw ids (``raw_ids``) -> its ``Chunk`` (dropped tokens left out)."""
        final = self._ids.__getitem__
        table = np.zeros(len(vocab), np.int32)
        table[1:] = np.fromiter(map(final, map(self.wordmap.lookup, islice(vocab, 1, None))),
                                np.int32, len(vocab) - 1)
        mapped = table[ids]
        keep = mapped != 0
        kept = mapped[keep]
        seen = np.concatenate(([0], np.cumsum(keep)))
        ends = np.cumsum(lengths)
        kept_lengths = seen[ends] - seen[ends - lengths]
        flat = list(map(self.words.__getitem__, kept.tolist()))
        bounds = np.concatenate(([0], np.cumsum(kept_lengths))).tolist()
        texts = [flat[a:b] for a, b in zip(bounds, bounds[1:])]
        return Chunk(texts, kept, kept_lengths, self.words)


def iter_chunks(texts: Sequence[str], words: WordMap, options: Any, *,
                processes: int | None = None) -> Iterator[Chunk]:
    """The token stage of ``texts`` (raw texts, in order) with ``words`` (whose caches it
    fills, as mapping the texts one by one would), chunk by chunk, in order."""
    ranges = chunk_ranges(texts)
    n = processes_for(sum(map(len, texts)), processes)
    finals = FinalWords(words)
    if n == 1:
        for start, stop in ranges:
            yield finals.map_chunk(*raw_ids(texts[start:stop], options))
        return
    logger.info("tokenising %d documents in %d chunks on %d processes", len(texts),
                len(ranges), n)
    yield from _parallel_chunks(texts, ranges, words, options, n, finals)


def _tokens_task(bounds: tuple[int, int]) -> tuple[list[Any], np.ndarray, np.ndarray]:
    texts, options, _ = _STATE
    return raw_ids(texts[bounds[0]:bounds[1]], options)


def _lemmas_task(words: list[str]) -> list[tuple[str, ...]]:
    return [_STATE[2].candidates(word) for word in words]


def _parallel_chunks(texts: Sequence[str], ranges: list[tuple[int, int]], words: WordMap,
                     options: Any, n: int, finals: FinalWords) -> Iterator[Chunk]:
    global _STATE
    lemmas = words.lemmas
    if lemmas is not None:
        lemmas.lemmatizer()  # loaded once here, shared with the workers by the fork
    _STATE = (texts, options, lemmas)
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            for w in range(0, len(ranges), WAVE_CHUNKS):
                raws = pool.map(_tokens_task, ranges[w:w + WAVE_CHUNKS], chunksize=1)
                pending = words.pending_lemmas(
                    t for vocab, _, _ in raws for t in islice(vocab, 1, None))
                if pending:
                    parts = [pending[i::n] for i in range(n)]
                    for part, found in zip(parts, pool.map(_lemmas_task, parts, chunksize=1)):
                        lemmas.store(part, found)
                for raw in raws:
                    yield finals.map_chunk(*raw)
    finally:
        _STATE = None
