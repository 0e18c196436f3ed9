"""Top words by probability and by relevance on small hand-checked matrices."""

from __future__ import annotations

import math

import numpy as np
import pytest

from topics.errors import ConfigError
from topics.topwords import top_words, top_words_weighted

VOCAB = ("the", "goal", "match", "vote")
# topic 0: sport with the frequent "the" on top; topic 1: politics
TOPIC_WORD = np.array([[0.50, 0.30, 0.20, 0.00],
                       [0.40, 0.00, 0.10, 0.50]])
FREQ = np.array([90.0, 3.0, 4.0, 3.0])  # p(w) = .90, .03, .04, .03


def test_probability_orders_by_p_word_given_topic():
    assert top_words(TOPIC_WORD, VOCAB, topn=3) == [["the", "goal", "match"],
                                                   ["vote", "the", "match"]]
    weighted = top_words_weighted(TOPIC_WORD, VOCAB, topn=2)
    assert weighted[0] == [("the", 0.5), ("goal", 0.3)]


def test_relevance_with_lambda_one_is_probability():
    assert top_words(TOPIC_WORD, VOCAB, topn=3, method="relevance", lam=1.0,
                     term_frequency=FREQ) == top_words(TOPIC_WORD, VOCAB, topn=3)


def test_relevance_favours_specific_words_and_matches_the_formula():
    words = top_words(TOPIC_WORD, VOCAB, topn=4, method="relevance", lam=0.0,
                      term_frequency=FREQ)
    # lift: goal .3/.03 = 10, match .2/.04 = 5, the .5/.9 < 1, vote p=0 (undefined)
    assert words[0] == ["goal", "match", "the"]
    weighted = top_words_weighted(TOPIC_WORD, VOCAB, topn=1, method="relevance", lam=0.6,
                                  term_frequency=FREQ)
    expected = 0.6 * math.log(0.3) + 0.4 * math.log(0.3 / 0.03)
    assert weighted[0][0][0] == "goal"
    assert weighted[0][0][1] == pytest.approx(expected)


def test_words_absent_from_the_corpus_are_not_ranked_by_relevance():
    freq = np.array([90.0, 0.0, 4.0, 3.0])
    words = top_words(TOPIC_WORD, VOCAB, topn=4, method="relevance", lam=0.6,
                      term_frequency=freq)
    assert "goal" not in words[0] and "goal" not in words[1]


def test_topn_is_capped_and_ties_keep_id_order():
    flat = np.full((1, 4), 0.25)
    assert top_words(flat, VOCAB, topn=10) == [list(VOCAB)]


@pytest.mark.parametrize("options, key", [
    ({"method": "lift"}, "method"),
    ({"lam": 1.5}, "lam"),
    ({"lam": -0.1}, "lam"),
    ({"lam": True}, "lam"),
    ({"topn": 0}, "topn"),
    ({"method": "relevance"}, "term_frequency"),
    ({"method": "relevance", "term_frequency": [1.0, 2.0]}, "term_frequency"),
])
def test_bad_options_name_the_parameter(options, key):
    with pytest.raises(ConfigError) as err:
        top_words(TOPIC_WORD, VOCAB, **options)
    assert err.value.key == key


def test_matrix_must_match_the_vocabulary():
    with pytest.raises(ConfigError) as err:
        top_words(TOPIC_WORD, VOCAB[:3])
    assert err.value.key == "topic_word"
