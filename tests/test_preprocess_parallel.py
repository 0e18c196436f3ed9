"""The chunked, multi-process token stage (``topics.preprocess.parallel``) gives the token
lists of the one-document-at-a-time path, and ``DictionaryCounts`` gives ``make_dictionary``."""

from __future__ import annotations

import random

import pytest

from topics.corpus import make_dictionary
from topics.documents import Document
from topics.errors import SetupError
from topics.preprocess import make_preprocessor, prepare_corpus, resolve_options
from topics.preprocess import parallel
from topics.preprocess.counts import DictionaryCounts

WORDS = ("The markets rallied as oil prices fell; ministers' talks on tax-cuts went on. "
         "Geese, churches and running dogs were seen 2,000 times in 1999 -- naïve Café "
         "co-op Беларусь the of and ins oxen going axes dies uses").split()


def _texts(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(0, 30))]
        words += [f"Qa{rng.randint(0, 3 * i + 5)}x" for _ in range(rng.randint(0, 3))]
        texts.append(" ".join(words))
    texts[3] = "with a NUL\x00inside it"
    texts[5] = ""
    return texts


@pytest.fixture
def small_chunks(monkeypatch):
    """Many chunks of a small corpus, and no size threshold for workers."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(parallel, "CHUNK_CHARS", 700)
    monkeypatch.setattr(parallel, "AHEAD", 1)
    monkeypatch.setattr(parallel, "LEMMA_BATCH", 5)


def _options(lemmatize: bool, **extra):
    opts = resolve_options(lemmatize=lemmatize, phrases=False, **extra)
    if lemmatize:
        try:
            make_preprocessor(opts).words.lemmas.lemmatizer()
        except SetupError as err:
            pytest.skip(f"WordNet is not installed (run `topics setup`): {err}")
    return opts


def _chunked(texts, opts, processes):
    pre = make_preprocessor(opts)
    chunks = list(parallel.iter_chunks(texts, pre.words, opts, processes=processes))
    return [t for c in chunks for t in c.texts], chunks, pre


@pytest.mark.parametrize("extra", [{}, {"normalize": False, "min_length": 1},
                                   {"tokenize": False}, {"token_pattern": r"[a-z]+"}])
def test_parallel_serial_and_per_document_tokens_are_the_same(small_chunks, extra):
    texts = _texts(400)
    opts = _options(lemmatize=not extra, **extra)
    expected_pre = make_preprocessor(opts)
    expected = [expected_pre.words.map_tokens(expected_pre.raw_tokens(t)) for t in texts]
    serial, serial_chunks, serial_pre = _chunked(texts, opts, processes=1)
    both, chunks, pre = _chunked(texts, opts, processes=2)
    assert len(chunks) > 6 and len(serial_chunks) == len(chunks)
    assert serial == expected and both == expected
    assert sum(map(len, expected)) > 2000
    # the parent's caches end as mapping one document at a time leaves them
    assert sorted(pre.words.raw_tokens()) == sorted(expected_pre.words.raw_tokens())
    assert [pre.words.lookup(t) for t in expected_pre.words.raw_tokens()] == \
        [expected_pre.words.lookup(t) for t in expected_pre.words.raw_tokens()]


def test_counted_dictionary_is_make_dictionarys(small_chunks):
    texts = _texts(300, seed=1)
    opts = _options(lemmatize=False, min_length=1)
    lists, chunks, _ = _chunked(texts, opts, processes=2)
    counts = DictionaryCounts()
    for chunk in chunks:
        counts.add(chunk.ids, chunk.lengths)
    counted = counts.dictionary(chunks[-1].words)
    expected = make_dictionary(t for t in lists if t)
    assert counted.token2id == expected.token2id and len(counted) > 300
    assert counted.dfs == expected.dfs and counted.cfs == expected.cfs
    assert (counted.num_docs, counted.num_pos, counted.num_nnz) == \
        (expected.num_docs, expected.num_pos, expected.num_nnz)


@pytest.mark.parametrize("filters", [{}, {"no_below": 2, "no_above": 0.5}])
def test_prepare_corpus_with_workers_equals_one_process(small_chunks, monkeypatch, filters):
    docs = [Document(id=str(i), text=t) for i, t in enumerate(_texts(400, seed=2))]
    steps = dict(phrases=False, lemmatize=False, debris=False, **filters)
    parallel_corpus = prepare_corpus(docs, **steps)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 10**12)
    serial = prepare_corpus(docs, **steps)
    assert parallel_corpus == serial and serial.texts
    assert parallel_corpus.dictionary.token2id == serial.dictionary.token2id
    assert parallel_corpus.stats == serial.stats


def test_a_streamed_source_in_batches_gives_the_same_corpus(small_chunks, monkeypatch):
    from topics.preprocess import pipeline, tokenize_corpus

    docs = [Document(id=str(i), text=t) for i, t in enumerate(_texts(300, seed=3))]
    opts = _options(lemmatize=False)
    whole = tokenize_corpus(docs, opts)
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 70)
    streamed = tokenize_corpus(iter(docs), opts)
    assert streamed.texts == whole.texts and streamed.doc_ids == whole.doc_ids
    assert streamed.dictionary.token2id == whole.dictionary.token2id
    assert streamed.dictionary.dfs == whole.dictionary.dfs
