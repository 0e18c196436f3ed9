"""Options validation, diversity, stability and perplexity."""

from __future__ import annotations

import math

import numpy as np
import pytest

from topics.errors import ConfigError
from topics.scoring import (CoherenceScorer, coherence, coherence_means, diversity,
                            matched_similarity, perplexity, stability)

TEXTS = [["a", "b", "c", "a"], ["b", "c", "d"], ["a", "d", "e", "b"]]
TOPICS = [["a", "b", "c"], ["d", "e", "a"]]


@pytest.mark.parametrize("measures, bad", [("c_w2v", "'c_w2v'"), (["c_v", "cv"], "'cv'"),
                                           ([], "no measure")])
def test_unknown_measure_names_the_parameter_value_and_known_ones(measures, bad):
    with pytest.raises(ConfigError) as error:
        coherence([TOPICS], TEXTS, measures=measures)
    assert error.value.key == "measures"
    assert bad in str(error.value)
    assert "c_npmi, c_uci, c_v, u_mass" in str(error.value)


@pytest.mark.parametrize("topn", [0, -3, 2.5, True, "10"])
def test_bad_topn_is_refused(topn):
    with pytest.raises(ConfigError) as error:
        coherence([TOPICS], TEXTS, topn=topn)
    assert error.value.key == "topn"
    assert repr(topn) in str(error.value)


@pytest.mark.parametrize("topic_sets, key, words", [
    ([[["a"], []]], "topic_sets[0][1]", "empty topic"),
    ({"m": []}, "topic_sets['m']", "non-empty list of topics"),
    ([], "topic_sets", "no model"),
    ([TOPICS[0], TOPICS[1]], "topic_sets", "one model's topics"),
    ([[["a"], "a b c"]], "topic_sets[0][1]", "list of words"),
    ([[["a", 3]]], "topic_sets[0][0]", "words (str)"),
    ("abc", "topic_sets", "dict or list"),
])
def test_bad_topic_sets_are_refused_with_their_place(topic_sets, key, words):
    with pytest.raises(ConfigError) as error:
        coherence(topic_sets, TEXTS)
    assert error.value.key == key
    assert words in str(error.value)


@pytest.mark.parametrize("texts, key", [([], "texts"), ("a b c", "texts"),
                                        ([["a"], "b c"], "texts[1]")])
def test_bad_texts_are_refused(texts, key):
    with pytest.raises(ConfigError) as error:
        coherence([TOPICS], texts)
    assert error.value.key == key


def test_bad_dictionary_and_unknown_model_are_refused():
    with pytest.raises(ConfigError, match="dictionary"):
        CoherenceScorer(TEXTS, dictionary=42)
    scorer = CoherenceScorer(TEXTS)
    scorer.add_models({"m": TOPICS})
    with pytest.raises(ConfigError, match="no model 'n' was added"):
        scorer.score("n")
    with pytest.raises(ConfigError, match="already added with other topics"):
        scorer.add_models({"m": TOPICS[:1]})
    scorer.add_models({"m": TOPICS})  # the same topics again: nothing to do


def test_dictionary_may_be_a_collection_of_words():
    # "c" is not in the dictionary: skipped, so the first topic is scored as ["a", "b"]
    frame = coherence([TOPICS], TEXTS, measures="u_mass", topn=3, dictionary={"a", "b", "d", "e"})
    expected = coherence([[["a", "b"], ["d", "e", "a"]]], TEXTS, measures="u_mass", topn=3)
    np.testing.assert_allclose(frame["u_mass"], expected["u_mass"])


def test_u_mass_by_hand():
    # documents: a in {0, 2}, b in {0, 1, 2}; segment (b | a): log((2/3 + eps) / (2/3))
    frame = coherence([[["a", "b"]]], TEXTS, measures="u_mass", topn=2)
    assert frame.loc[0, "u_mass"] == pytest.approx(math.log((2 / 3 + 1e-12) / (2 / 3)))


def test_coherence_means_refuses_other_frames():
    with pytest.raises(ConfigError, match="not a coherence frame"):
        coherence_means(coherence([TOPICS], TEXTS).drop(columns="topic"))
    with pytest.raises(ConfigError, match="skipna"):
        coherence_means(coherence([TOPICS], TEXTS), skipna="yes")


def test_diversity():
    assert diversity([["a", "b"], ["c", "d"]]) == 1.0
    assert diversity([["a", "b"], ["a", "c"]]) == 3 / 4
    assert diversity([["a", "b", "c"]] * 4) == 1 / 4
    assert diversity([["a", "b", "x"], ["a", "c", "y"]], topn=2) == 3 / 4
    with pytest.raises(ConfigError, match="topn"):
        diversity([["a"]], topn=0)


def test_matched_similarity_uses_the_best_one_to_one_matching():
    a = [["w1", "w2"], ["w3", "w4"]]
    # greedy matching of a[0] to its best (b[0], Jaccard 1/3) would leave a[1] with 0;
    # the best one-to-one matching pairs a[0]-b[1] (1/3) and a[1]-b[0] (1/3)
    b = [["w1", "w3"], ["w2", "x"]]
    assert matched_similarity(a, b) == pytest.approx(1 / 3)
    assert matched_similarity(a, list(reversed(a))) == 1.0
    assert matched_similarity(a, [["y", "z"], ["v", "u"]]) == 0.0


def test_stability_averages_over_all_pairs_of_runs():
    run = [["a", "b"], ["c", "d"]]
    other = [["a", "b"], ["e", "f"]]  # one topic shared, one disjoint: 1/2 with run
    assert stability({0: run, 1: list(reversed(run))}) == 1.0
    assert stability([run, run, other]) == pytest.approx((1 + 0.5 + 0.5) / 3)
    with pytest.raises(ConfigError, match="at least two runs"):
        stability([run])


def test_perplexity():
    assert perplexity(per_word_bound=-7.0) == pytest.approx(math.exp(7.0))
    assert perplexity(log_likelihood=-700.0, num_tokens=100) == pytest.approx(math.exp(7.0))
    with pytest.raises(ConfigError, match="either"):
        perplexity()
    with pytest.raises(ConfigError, match="either"):
        perplexity(per_word_bound=-1.0, log_likelihood=-2.0)
    with pytest.raises(ConfigError) as error:
        perplexity(log_likelihood=-700.0, num_tokens=0)
    assert error.value.key == "num_tokens"
    with pytest.raises(ConfigError, match="finite"):
        perplexity(per_word_bound=float("nan"))
