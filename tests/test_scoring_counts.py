"""The shared window counts equal gensim's accumulators, word for word and pair for pair."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.topic_coherence.text_analysis import CorpusAccumulator, WordOccurrenceAccumulator
from hypothesis import given, settings
from hypothesis import strategies as st

from topics.scoring.counting import count_cooccurrences, index_texts

WORDS = ["a", "b", "c", "d", "e", "f"]


def gensim_counts(texts, words, window):
    """gensim's count matrix (occurrences on the diagonal) and number of windows."""
    dictionary = Dictionary(texts + [words])  # words absent from texts get an id too
    ids = [dictionary.token2id[w] for w in words]
    if window is None:
        corpus = [dictionary.doc2bow(text) for text in texts]
        acc = CorpusAccumulator(set(ids)).accumulate(corpus)
    else:
        acc = WordOccurrenceAccumulator(set(ids), dictionary).accumulate(texts, window)
    matrix = np.array([[acc[a] if a == b else acc[a, b] for b in ids] for a in ids])
    return matrix, acc.num_docs


def our_counts(texts, words, window, **options):
    index = index_texts(texts)
    return count_cooccurrences(index, index.codes_of(words), window=window, **options)


def random_texts(seed, num_docs=25, max_len=30):
    rng = np.random.default_rng(seed)
    vocab = WORDS + ["x", "y"]
    weights = np.array([6, 5, 4, 2, 1, 1, 3, 3], dtype=float)
    return [list(rng.choice(vocab, size=rng.integers(0, max_len), p=weights / weights.sum()))
            for _ in range(num_docs)]


@pytest.mark.parametrize("window", [1, 2, 3, 5, 10, 110, None])
@pytest.mark.parametrize("seed", [0, 1])
def test_counts_equal_gensim_on_random_texts(window, seed):
    texts = random_texts(seed)  # repeated words, empty texts, texts shorter than the window
    words = ["a", "c", "e", "b", "zzz"]  # x, y, d, f stay irrelevant; zzz never occurs
    expected, num = gensim_counts(texts, words, window)
    counts = our_counts(texts, words, window)
    assert counts.num_windows == num
    np.testing.assert_array_equal(counts.matrix, expected)


def test_counts_keep_gensims_sliding_window_rule():
    # windows of 3 over "a b a c": [a b a], [b a c].  gensim drops "a" when the first "a"
    # leaves the window, although the second "a" is still inside; we count as gensim does.
    counts = our_counts([["a", "b", "a", "c"]], ["a", "b", "c"], 3)
    assert counts.num_windows == 2
    assert list(np.diag(counts.matrix)) == [1, 2, 1]
    assert counts.matrix[0, 2] == 0  # a and c are never counted together


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.lists(st.sampled_from(WORDS[:4] + ["x"]), max_size=14), min_size=1,
                      max_size=6),
       window=st.integers(1, 8))
def test_counts_equal_gensim_property(texts, window):
    words = ["a", "b", "c"]
    expected, num = gensim_counts(texts, words, window)
    counts = our_counts(texts, words, window)
    assert counts.num_windows == num
    np.testing.assert_array_equal(counts.matrix, expected)


@pytest.mark.parametrize("window", [4, None])
def test_extending_counts_only_adds_the_new_words(window):
    texts = random_texts(3)
    index = index_texts(texts)
    first = count_cooccurrences(index, index.codes_of(["a", "b"]), window=window)
    words = ["a", "b", "c", "zzz", "d"]
    extended = count_cooccurrences(index, index.codes_of(words), window=window, counts=first)
    np.testing.assert_array_equal(extended.matrix, our_counts(texts, words, window).matrix)
    np.testing.assert_array_equal(extended.matrix[:2, :2], first.matrix)


def test_counts_do_not_depend_on_chunks():
    texts = random_texts(4, num_docs=40)
    whole = our_counts(texts, WORDS, 5)
    chunked = our_counts(texts, WORDS, 5, chunk_tokens=7)
    np.testing.assert_array_equal(chunked.matrix, whole.matrix)
    assert chunked.num_windows == whole.num_windows


def test_texts_without_relevant_words_count_zero():
    counts = our_counts([["x", "y"], []], ["a", "b"], 2)
    assert counts.num_windows == 2  # one window per text, even the empty one
    assert not counts.matrix.any()
