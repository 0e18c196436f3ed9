"""Unit tests of topics.themes on tiny hand-made vocabularies and arrays."""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd
import pytest

from topics.errors import ConfigError
from topics.themes import (document_theme_counts, document_theme_scores, fold_chunks,
                           guided_prior,
                           guided_prior_from_ids, lift, resolve_themes, theme_evidence, theme_tokens,
                           topic_theme_affinity)

VOCAB = ("regime_change", "ouster", "lawfare", "multipolar", "hegemon", "colour",
         "revolution", "trade", "pipeline", "no-confidence_vote", "trade_deal", "change")


def make_transform(phrases=frozenset({("regime", "change")})):
    """Lowercase word tokens, joining the given word pairs like a fitted phrase model."""
    def transform(text: str) -> list[str]:
        words = re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower())
        out, i = [], 0
        while i < len(words):
            if tuple(words[i:i + 2]) in phrases:
                out.append("_".join(words[i:i + 2]))
                i += 2
            else:
                out.append(words[i])
                i += 1
        return out
    return transform


# ---------------------------------------------------------------- resolve_themes
def test_joined_phrase_matches_its_token():
    res = resolve_themes({"rc": ["regime change", "ouster"]}, transform=make_transform(),
                         vocab=VOCAB)
    theme = res["rc"]
    assert theme.words == ("regime_change", "ouster")
    assert theme.word_ids == (0, 1)
    assert res.missing == {}
    assert res.vocab_size == len(VOCAB)


def test_phrase_not_joined_by_transform_uses_joined_vocab_word():
    res = resolve_themes({"rc": ["regime change"]}, transform=make_transform(frozenset()),
                         vocab=VOCAB)
    assert res["rc"].seeds[0].tokens == ("regime", "change")
    assert res["rc"].words == ("regime_change",)


def test_phrase_absent_from_vocab_counts_through_its_words():
    # Not joined: both words in the vocabulary count.
    res = resolve_themes({"rc": ["colour revolution"]}, transform=make_transform(frozenset()),
                         vocab=VOCAB)
    assert res["rc"].words == ("colour", "revolution")
    # Joined by the phrase model, but the joined token was filtered out of the vocabulary.
    joined = make_transform(frozenset({("colour", "revolution")}))
    res = resolve_themes({"rc": ["colour revolution"]}, transform=joined, vocab=VOCAB)
    assert res["rc"].seeds[0].tokens == ("colour_revolution",)
    assert res["rc"].words == ("colour", "revolution")
    assert res["rc"].word_ids == (5, 6)


def test_seed_matches_its_own_token_and_phrases_only_with_a_wildcard():
    # "trade" is its own token; the phrase trade_deal that contains it does not count.
    res = resolve_themes({"rc": ["no-confidence", "trade", "regime change"]},
                         transform=make_transform(), vocab=VOCAB)
    seeds = res["rc"].seeds
    assert [m.matched for m in seeds] == [(), ("trade",), ("regime_change",)]
    assert [m.how for m in seeds] == ["", "token", "token"]
    # The phrases that contain a seed are listed (a hint for a wildcard), not used.
    assert seeds[0].phrases == ("no-confidence_vote",) and seeds[1].phrases == ("trade_deal",)
    assert res.missing == {"rc": ("no-confidence",)}
    assert "change" not in res["rc"].words and "trade_deal" not in res["rc"].words
    # A wildcard asks for them.
    res = resolve_themes({"rc": ["no-confidence*", "trade*", "regime change"]},
                         transform=make_transform(), vocab=VOCAB)
    assert [m.matched for m in res["rc"].seeds] == [
        ("no-confidence_vote",), ("trade", "trade_deal"), ("regime_change",)]
    assert [m.how for m in res["rc"].seeds] == ["wildcard", "wildcard", "token"]
    assert res["rc"].word_ids == (9, 7, 10, 0)


def test_theme_tokens_lists_every_token_with_its_corpus_count():
    res = resolve_themes({"rc": ["trade*", "ouster"], "mp": ["multipolar", "unipolar"]},
                         transform=make_transform(), vocab=VOCAB)
    freq = np.arange(len(VOCAB)) + 1.0  # word id i occurs i + 1 times
    table = theme_tokens(res, freq)
    assert table.values.tolist() == [
        ["rc", "trade_deal", 11, "trade*", "wildcard"], ["rc", "trade", 8, "trade*", "wildcard"],
        ["rc", "ouster", 2, "ouster", "token"], ["mp", "multipolar", 4, "multipolar", "token"]]
    assert res.missing == {"mp": ("unipolar",)}


def test_missing_seeds_are_reported_and_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="topics.themes"):
        res = resolve_themes({"rc": ["lawfare", "no confidence", "deposed"],
                              "mp": ["multipolar"]},
                             transform=make_transform(), vocab=VOCAB)
    assert res.missing == {"rc": ("no confidence", "deposed")}
    assert res["mp"].missing_seeds == ()
    assert "no confidence" in caplog.text and "rc" in caplog.text
    summary = res.as_dict()
    assert summary["rc"]["missing"] == ["no confidence", "deposed"]
    assert summary["rc"]["words"] == ["lawfare"]


def test_theme_with_no_word_in_vocab_is_a_config_error():
    with pytest.raises(ConfigError) as err:
        resolve_themes({"mp": ["multipolar"], "islam": ["caliphate", "the"]},
                       transform=make_transform(), vocab=VOCAB)
    assert err.value.key == "themes.islam"
    assert "caliphate" in str(err.value)


def test_empty_after_preprocessing_is_missing():
    stop = lambda text: [w for w in make_transform()(text) if w != "the"]  # noqa: E731
    res = resolve_themes({"rc": ["the", "ouster"]}, transform=stop, vocab=VOCAB)
    assert res["rc"].seeds[0].tokens == ()
    assert res.missing == {"rc": ("the",)}


def test_mapping_vocab_and_duplicate_words():
    vocab = {w: i for i, w in enumerate(VOCAB)}
    lemma = lambda text: ["ouster" if w == "ousters" else w  # noqa: E731
                          for w in make_transform()(text)]
    res = resolve_themes({"rc": ["ouster", "ousters", "lawfare"]}, transform=lemma, vocab=vocab)
    assert res["rc"].words == ("ouster", "lawfare")
    assert res["rc"].word_ids == (1, 2)
    assert res.vocab_size == len(VOCAB)
    assert res.names == ("rc",)


@pytest.mark.parametrize("themes, key", [
    ({}, "themes"),
    ({"rc": []}, "themes.rc"),
    ({"rc": "regime change"}, "themes.rc"),
    ({"rc": ["ouster", ""]}, "themes.rc"),
    ({"": ["ouster"]}, "themes"),
])
def test_bad_themes_name_their_key(themes, key):
    with pytest.raises(ConfigError) as err:
        resolve_themes(themes, transform=make_transform(), vocab=VOCAB)
    assert err.value.key == key


# ---------------------------------------------------------------- post-hoc scores
V4 = ("a", "b", "c", "d")
PHI = np.array([[0.5, 0.3, 0.1, 0.1],
                [0.0, 0.1, 0.2, 0.7]])
THETA = np.array([[1.0, 0.0],
                  [0.5, 0.5],
                  [0.2, 0.8]])


def resolved4():
    return resolve_themes({"ab": ["a", "b"], "d": ["d"]}, transform=str.split, vocab=V4)


def test_affinity_is_theme_mass_per_topic():
    aff = topic_theme_affinity(PHI, resolved4(), topic_names=("t0", "t1"))
    assert list(aff.columns) == ["ab", "d"]
    assert list(aff.index) == ["t0", "t1"]
    np.testing.assert_allclose(aff.to_numpy(), [[0.8, 0.1], [0.1, 0.7]])


def test_document_scores_mass_and_lift():
    aff = topic_theme_affinity(PHI, resolved4())
    mass = document_theme_scores(THETA, aff, doc_ids=["x", "y", "z"], scale="mass")
    # ab: 0.8, 0.5*0.8+0.5*0.1=0.45, 0.2*0.8+0.8*0.1=0.24 ; d: 0.1, 0.4, 0.58
    np.testing.assert_allclose(mass.to_numpy(), [[0.8, 0.1], [0.45, 0.4], [0.24, 0.58]])
    assert list(mass.index) == ["x", "y", "z"] and mass.index.name == "doc_id"
    scores = document_theme_scores(THETA, aff, doc_ids=["x", "y", "z"])
    np.testing.assert_allclose(scores["ab"], np.array([0.8, 0.45, 0.24]) / (1.49 / 3))
    np.testing.assert_allclose(scores["d"], np.array([0.1, 0.4, 0.58]) / (1.08 / 3))
    np.testing.assert_allclose(scores.mean(), [1.0, 1.0])


def test_lift_does_not_favour_a_theme_for_having_more_words():
    # "big" holds 3 words, "small" one; both follow the same pattern over the documents.
    phi = np.array([[0.3, 0.3, 0.3, 0.1, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0]])
    res = resolve_themes({"big": ["a", "b", "c"], "small": ["d"]}, transform=str.split,
                         vocab=("a", "b", "c", "d", "e"))
    aff = topic_theme_affinity(phi, res)
    theta = np.array([[0.9, 0.1], [0.1, 0.9]])
    mass = document_theme_scores(theta, aff, scale="mass")
    assert (mass["big"] > mass["small"]).all()
    np.testing.assert_allclose(document_theme_scores(theta, aff)["big"],
                               document_theme_scores(theta, aff)["small"])


def test_mass_of_a_vocabulary_partition_sums_to_one():
    rng = np.random.default_rng(0)
    phi = rng.dirichlet(np.ones(len(V4)), size=3)
    theta = rng.dirichlet(np.ones(3), size=6)
    res = resolve_themes({"ab": ["a", "b"], "cd": ["c", "d"]}, transform=str.split, vocab=V4)
    mass = document_theme_scores(theta, topic_theme_affinity(phi, res), scale="mass")
    np.testing.assert_allclose(mass.sum(axis=1), np.ones(6))


def test_counts_are_the_observed_share_of_theme_tokens():
    bow = [[(0, 2), (2, 1), (3, 1)], [(3, 4)], []]
    counts = document_theme_counts(bow, resolved4(), doc_ids=["x", "y", "z"])
    assert list(counts.columns) == ["ab", "d"]
    np.testing.assert_allclose(counts.to_numpy(), [[0.5, 0.25], [0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_allclose(lift(counts)["d"], np.array([0.25, 1.0, 0.0]) / (1.25 / 3))


def test_theme_with_zero_mass_everywhere_scores_zero():
    aff = pd.DataFrame({"t": [0.0, 0.0]})
    assert (document_theme_scores(THETA, aff)["t"] == 0).all()


def test_scores_validate_options_and_shapes():
    aff = topic_theme_affinity(PHI, resolved4())
    with pytest.raises(ConfigError) as err:
        document_theme_scores(THETA, aff, scale="zscore")
    assert err.value.key == "scale" and "zscore" in str(err.value)
    with pytest.raises(ValueError, match="doc_topic"):
        document_theme_scores(THETA[:, :1], aff)
    with pytest.raises(ValueError, match="topic_word"):
        topic_theme_affinity(PHI[:, :3], resolved4())


def test_evidence_names_topics_and_words_that_carried_the_theme():
    ev = theme_evidence(THETA, PHI, resolved4(), doc_ids=["x", "y", "z"],
                        topic_names=("t0", "t1"), top_topics=2, top_words=2)
    assert list(ev.columns) == ["doc_id", "theme", "topic", "topic_weight", "share", "words"]
    # Doc x is all topic t0: one row per theme (t1's contribution is zero).
    x = ev[ev.doc_id == "x"].set_index("theme")
    assert list(x.topic) == ["t0", "t0"]
    assert x.loc["ab", "words"] == ("a", "b")
    # Doc z, theme ab: t0 carries 0.2*0.8=0.16 of 0.24, t1 0.8*0.1=0.08 (only word b).
    z = ev[(ev.doc_id == "z") & (ev.theme == "ab")]
    assert list(z.topic) == ["t0", "t1"]
    np.testing.assert_allclose(z.topic_weight, [0.2, 0.8])
    np.testing.assert_allclose(z.share, [2 / 3, 1 / 3])
    assert z.words.iloc[1] == ("b",)
    with pytest.raises(ConfigError) as err:
        theme_evidence(THETA, PHI, resolved4(), top_topics=0)
    assert err.value.key == "top_topics"


# ---------------------------------------------------------------- guided prior
def test_guided_prior_anchors_theme_i_to_topic_i():
    prior, names = guided_prior(resolved4(), num_topics=3, vocab_size=4, base=0.01, boost=50)
    assert names == ("ab", "d", "topic_2")
    expected = np.full((3, 4), 0.01)
    expected[0, [0, 1]] = 0.5
    expected[1, 3] = 0.5
    np.testing.assert_allclose(prior, expected)


def test_guided_prior_from_ids_matches_resolved_themes():
    res = resolved4()
    assert res.word_ids == {"ab": (0, 1), "d": (3,)}
    prior, names = guided_prior_from_ids(res.word_ids, num_topics=2, vocab_size=4)
    expected, expected_names = guided_prior(res, num_topics=2, vocab_size=4)
    np.testing.assert_array_equal(prior, expected)
    assert names == expected_names == ("ab", "d")
    assert prior[0, 0] == pytest.approx(0.01 * 100) and prior[1, 0] == pytest.approx(0.01)
    with pytest.raises(ConfigError) as err:
        guided_prior_from_ids({"ab": (0, 9)}, num_topics=2, vocab_size=4)
    assert err.value.key == "vocab_size"


@pytest.mark.parametrize("kwargs, key", [
    ({"num_topics": 1, "vocab_size": 4}, "num_topics"),
    ({"num_topics": 2, "vocab_size": 5}, "vocab_size"),
    ({"num_topics": 2, "vocab_size": 4, "base": 0}, "base"),
    ({"num_topics": 2, "vocab_size": 4, "boost": 1.0}, "boost"),
    ({"num_topics": 2, "vocab_size": 4, "boost": float("nan")}, "boost"),
])
def test_guided_prior_validates(kwargs, key):
    with pytest.raises(ConfigError) as err:
        guided_prior(resolved4(), **kwargs)
    assert err.value.key == key


# ---------------------------------------------------------------- chunks
def test_fold_chunks_is_a_length_weighted_mean():
    scores = pd.DataFrame({"t": [1.0, 4.0, 2.0]}, index=["a#0", "a#1", "b#0"])
    folded = fold_chunks(scores, ["a", "a", "b"], [30, 10, 5])
    assert list(folded.index) == ["a", "b"] and folded.index.name == "doc_id"
    np.testing.assert_allclose(folded["t"], [(30 * 1 + 10 * 4) / 40, 2.0])


def test_fold_chunks_aligns_series_by_chunk_id_and_keeps_parent_order():
    scores = pd.DataFrame({"t": [2.0, 1.0, 3.0]}, index=["b#0", "a#0", "a#1"])
    parents = pd.Series({"a#0": "a", "a#1": "a", "b#0": "b"})
    lengths = pd.Series({"a#1": 3, "b#0": 7, "a#0": 1})
    folded = fold_chunks(scores, parents, lengths)
    assert list(folded.index) == ["b", "a"]
    np.testing.assert_allclose(folded["t"], [2.0, (1 * 1 + 3 * 3) / 4])
    with pytest.raises(ValueError, match="lengths"):
        fold_chunks(scores, parents, lengths.drop("a#0"))


def test_fold_chunks_of_empty_parent_is_plain_mean():
    scores = pd.DataFrame({"t": [1.0, 3.0]}, index=["a#0", "a#1"])
    np.testing.assert_allclose(fold_chunks(scores, ["a", "a"], [0, 0])["t"], [2.0])


def test_folding_mass_equals_scoring_the_folded_mixture():
    rng = np.random.default_rng(1)
    theta = rng.dirichlet(np.ones(2), size=5)
    chunks = [f"c{i}" for i in range(5)]
    parents, lengths = ["p", "p", "q", "q", "q"], [10, 30, 5, 5, 20]
    aff = topic_theme_affinity(PHI, resolved4())
    mass = document_theme_scores(theta, aff, doc_ids=chunks, scale="mass")
    folded_theta = fold_chunks(pd.DataFrame(theta, index=chunks), parents, lengths)
    direct = document_theme_scores(folded_theta.to_numpy(), aff, doc_ids=["p", "q"])
    pd.testing.assert_frame_equal(lift(fold_chunks(mass, parents, lengths)), direct)
