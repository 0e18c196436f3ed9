"""Coherence values equal gensim's CoherenceModel, topic by topic, for every measure."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel
from gensim.models.coherencemodel import CoherenceModel
from gensim.parsing.preprocessing import STOPWORDS
from gensim.utils import simple_preprocess

from topics.scoring import CoherenceScorer, coherence, coherence_means

MEASURES = ("c_v", "c_npmi", "c_uci", "u_mass")


def gensim_values(topics, texts, measure, topn, dictionary=None):
    dictionary = Dictionary(texts) if dictionary is None else dictionary
    model = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary,
                           coherence=measure, topn=topn, processes=1)
    return np.array(model.get_coherence_per_topic(), dtype=float)


def assert_same(ours, theirs):
    """Equal within 1e-6, and NaN / inf exactly where gensim has them."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_array_equal(np.isinf(ours), np.isinf(theirs))
    np.testing.assert_array_equal(ours[np.isinf(ours)], theirs[np.isinf(theirs)])
    finite = np.isfinite(theirs)
    assert np.abs(ours[finite] - theirs[finite]).max(initial=0) <= 1e-6


def small_texts():
    """Texts of 0 to 160 tokens: shorter than every window, between 10 and 110, longer."""
    rng = np.random.default_rng(7)
    themes = [["market", "bank", "price", "share", "profit", "rate"],
              ["match", "goal", "team", "player", "coach", "win"],
              ["film", "actor", "award", "music", "show", "star"]]
    filler = ["said", "year", "new", "time", "people", "world", "week"]
    texts = []
    for number, length in enumerate([0, 3, 7, 9, 12, 25, 40, 60, 90, 120, 160, 2, 15, 33]):
        words = themes[number % 3] + filler + themes[(number + 1) % 3][:2]
        texts.append(list(rng.choice(words, size=length)))
    return texts


SMALL_TOPICS = [["market", "bank", "price", "share", "profit", "said"],
                ["goal", "team", "match", "player", "win", "year"],
                ["film", "award", "star", "music", "actor", "people"],
                ["market", "goal", "film", "time", "new", "world"]]


@pytest.mark.parametrize("measure", MEASURES)
def test_small_corpus_equals_gensim(measure):
    texts = small_texts()
    ours = coherence([SMALL_TOPICS], texts, measures=[measure], topn=6)
    assert list(ours.columns) == ["model", "topic", measure]
    assert_same(ours[measure], gensim_values(SMALL_TOPICS, texts, measure, 6))


@pytest.mark.parametrize("measure", MEASURES)
def test_repeated_words_and_short_topics_equal_gensim(measure):
    texts = small_texts()
    topics = [["market", "bank", "market", "price"], ["goal", "team"], ["film", "award", "star"]]
    ours = coherence([topics], texts, measures=measure, topn=4)
    assert_same(ours[measure], gensim_values(topics, texts, measure, 4))


@pytest.mark.parametrize("measure", MEASURES)
def test_words_absent_from_the_texts_are_skipped_like_gensim(measure):
    texts = small_texts()  # "unicorn" and "zebra" never occur: not in Dictionary(texts)
    topics = [["market", "unicorn", "bank", "price", "share", "profit"],
              ["zebra", "goal", "team", "match", "unicorn", "win"]]
    ours = coherence({"m": topics}, texts, measures=measure, topn=6)
    assert_same(ours[measure], gensim_values(topics, texts, measure, 6))


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning",
                            "ignore:invalid value:RuntimeWarning")  # gensim's own, on inf/nan
@pytest.mark.parametrize("measure", MEASURES)
def test_dictionary_words_absent_from_the_texts_give_gensims_values(measure):
    texts = small_texts()
    dictionary = Dictionary(texts)
    dictionary.add_documents([["unicorn"]])  # known, but never in the reference texts
    topics = [["market", "unicorn", "bank", "price"], ["bank", "price", "share", "unicorn"],
              ["goal", "team", "match", "player"]]
    ours = coherence([topics], texts, measures=measure, topn=4, dictionary=dictionary)
    theirs = gensim_values(topics, texts, measure, 4, dictionary=dictionary)
    assert_same(ours[measure], theirs)
    if measure in ("c_uci", "c_npmi"):
        assert np.isposinf(ours[measure][:2]).all()
    if measure == "c_v":
        assert np.isnan(ours[measure][:2]).all()


def test_topic_without_known_words_is_nan_where_gensim_raises(caplog):
    texts = small_texts()
    topics = [["market", "bank", "price"], ["unicorn", "zebra", "griffin"]]
    with pytest.raises(ValueError, match="unable to interpret topic"):
        gensim_values(topics, texts, "c_npmi", 3)
    with caplog.at_level(logging.WARNING, logger="topics.scoring.scorer"):
        ours = coherence([topics], texts, measures=MEASURES, topn=3)
    assert "topic 1: no word in the dictionary" in caplog.text
    assert ours.loc[1, list(MEASURES)].isna().all()
    assert_same(ours.loc[:0, "c_npmi"], gensim_values(topics[:1], texts, "c_npmi", 3))


def seed_texts(seeds_dir):
    texts = []
    for path in sorted(seeds_dir.glob("*.txt")):
        tokens = simple_preprocess(path.read_text(encoding="utf-8"))
        texts.append([token for token in tokens if token not in STOPWORDS])
    return texts


def lda_topics(texts, num_topics, seed, topn=10):
    dictionary = Dictionary(texts)
    corpus = [dictionary.doc2bow(text) for text in texts]
    lda = LdaModel(corpus, id2word=dictionary, num_topics=num_topics, passes=2,
                   random_state=seed)
    return [[word for word, _ in lda.show_topic(k, topn=topn)] for k in range(num_topics)]


def test_seeds_grid_equals_gensim_for_every_model_and_measure(seeds_dir):
    texts = seed_texts(seeds_dir)
    assert max(map(len, texts)) > 110  # c_v's windows really slide
    grid = {f"k{k}": lda_topics(texts, k, seed=k) for k in (3, 5)}
    grid["frequent"] = [sorted(set(text), key=text.count, reverse=True)[:10] for text in texts]
    ours = coherence(grid, texts, measures=MEASURES, topn=10)
    assert list(ours["model"].unique()) == list(grid)
    for model_id, topics in grid.items():
        rows = ours[ours["model"] == model_id]
        assert list(rows["topic"]) == list(range(len(topics)))
        for measure in MEASURES:
            assert_same(rows[measure], gensim_values(topics, texts, measure, 10))


def test_another_reference_corpus_equals_gensim_on_it(seeds_dir):
    texts = seed_texts(seeds_dir)
    topics = lda_topics(texts[:3], 3, seed=1)  # trained on three articles
    reference = texts[3:]  # scored on the other two; some top words never occur there
    assert {w for topic in topics for w in topic} - {w for text in reference for w in text}
    ours = coherence([topics], reference, measures=MEASURES, topn=10)
    for measure in MEASURES:
        assert_same(ours[measure], gensim_values(topics, reference, measure, 10))


def test_adding_models_counts_only_new_words_and_keeps_values():
    texts = small_texts()
    first, second = SMALL_TOPICS[:2], SMALL_TOPICS[2:]
    scorer = CoherenceScorer(texts, measures=MEASURES, topn=6)
    scorer.add_models({"first": first})
    assert scorer.num_words == len({w for topic in first for w in topic})
    before = scorer.score("first")
    scorer.add_models({"second": second})
    assert scorer.num_words == len({w for topic in SMALL_TOPICS for w in topic})
    assert scorer.models == ("first", "second")
    both = coherence({"first": first, "second": second}, texts, measures=MEASURES, topn=6)
    assert_same(scorer.score_models()[list(MEASURES)], both[list(MEASURES)])
    assert_same(scorer.score("first")[list(MEASURES)], before[list(MEASURES)])


def test_score_accepts_topics_and_counts_words_it_has_not_met():
    texts = small_texts()
    scorer = CoherenceScorer(texts, measures=["c_npmi"], topn=3)
    scorer.add_models([SMALL_TOPICS[:1]])
    assert scorer.num_words == 3
    frame = scorer.score(SMALL_TOPICS, topn=6)
    assert frame["model"].isna().all()
    assert scorer.num_words == len({w for topic in SMALL_TOPICS for w in topic})
    assert_same(frame["c_npmi"], gensim_values(SMALL_TOPICS, texts, "c_npmi", 6))
    umass = scorer.score(0, measures="u_mass", topn=3)  # a window size not counted yet
    assert_same(umass["u_mass"], gensim_values(SMALL_TOPICS[:1], texts, "u_mass", 3))


def test_coherence_means_are_gensims_model_coherence():
    texts = small_texts()
    frame = coherence({"a": SMALL_TOPICS[:2], "b": SMALL_TOPICS[2:]}, texts,
                      measures=["c_v", "u_mass"], topn=6)
    means = coherence_means(frame)
    assert list(means.index) == ["a", "b"]
    for model_id, topics in (("a", SMALL_TOPICS[:2]), ("b", SMALL_TOPICS[2:])):
        for measure in ("c_v", "u_mass"):
            expected = CoherenceModel(topics=topics, texts=texts, dictionary=Dictionary(texts),
                                      coherence=measure, topn=6, processes=1).get_coherence()
            assert abs(means.loc[model_id, measure] - expected) <= 1e-6


def test_coherence_means_with_nan_topics():
    texts = small_texts()
    frame = coherence([[["market", "bank"], ["unicorn"]]], texts, measures="c_npmi", topn=2)
    assert np.isnan(coherence_means(frame).loc[0, "c_npmi"])
    assert coherence_means(frame, skipna=True).loc[0, "c_npmi"] == frame.loc[0, "c_npmi"]
