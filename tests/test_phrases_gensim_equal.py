"""The phrase learner counts and scores as gensim's ``Phrases`` does: same counts in the same
order (pruning included), same phrases and scores, same joined tokens."""

import random

import pytest
from gensim.models.phrases import Phrases

from topics.preprocess.phrases import (DELIMITER, apply_phrases, count_pairs, export_phrases,
                                       learn_phrases)


def texts(seed: int = 0, n: int = 400) -> list[list[str]]:
    """Short token lists drawn from a skewed vocabulary, with planted pairs and triples, some
    empty or one-token texts and a word holding the delimiter."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(600)] + ["new", "york", "city", "x_y"]
    out = []
    for _ in range(n):
        text = [words[min(int(rng.paretovariate(1.2)) - 1, len(words) - 1)]
                for _ in range(rng.randrange(0, 14))]
        if rng.random() < 0.1:
            text[len(text) // 2:len(text) // 2] = ["new", "york", "city"]
        out.append(text)
    return out


@pytest.mark.parametrize("max_vocab_size", [40, 300, 10**6])
def test_counts_equal_gensims_in_the_same_order(max_vocab_size):
    corpus = texts()
    gensim = Phrases(corpus, min_count=1, threshold=1.0, max_vocab_size=max_vocab_size,
                     delimiter=DELIMITER)
    vocab, total = count_pairs(corpus, max_vocab_size=max_vocab_size)
    assert list(vocab.items()) == list(gensim.vocab.items())
    assert total == gensim.corpus_word_count


@pytest.mark.parametrize("scoring,threshold,min_count",
                         [("default", 1.0, 2), ("default", 4.0, 5), ("npmi", 0.1, 3),
                          ("npmi", -0.5, 2)])
def test_phrases_scores_and_joined_tokens_equal_gensims(scoring, threshold, min_count):
    corpus = texts(seed=1)
    gensim = Phrases(corpus, min_count=min_count, threshold=threshold, scoring=scoring,
                     delimiter=DELIMITER).freeze()
    vocab, total = count_pairs(corpus)
    assert export_phrases(vocab, total, min_count=min_count, threshold=threshold,
                          scoring=scoring) == gensim.phrasegrams
    [ours] = learn_phrases(corpus, min_count=min_count, threshold=threshold, scoring=scoring)
    assert ours.phrasegrams == gensim.phrasegrams
    assert "new_york" in ours.phrasegrams  # not vacuous
    for text in corpus + [["new", "york", "new", "york", "city"], ["york"], []]:
        assert apply_phrases(text, [ours]) == gensim[text]


def test_trigrams_equal_gensims_second_pass():
    corpus = texts(seed=2)
    first = Phrases(corpus, min_count=2, threshold=1.0, delimiter=DELIMITER).freeze()
    second = Phrases(first[corpus], min_count=2, threshold=1.0, delimiter=DELIMITER).freeze()
    ours = learn_phrases(corpus, min_count=2, threshold=1.0, trigrams=True)
    assert [m.phrasegrams for m in ours] == [first.phrasegrams, second.phrasegrams]
    assert first.phrasegrams  # not vacuous
    for text in corpus:
        assert apply_phrases(text, ours) == second[first[text]]
