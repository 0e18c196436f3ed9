"""Engine parameters: the defaults table, resolution and validation messages."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from topics import engines
from topics.engines.api import check_finite
from topics.engines.base import normalise_rows
from topics.engines.params import alpha_vector
from topics.errors import ConfigError


def test_every_engine_has_a_defaults_table_and_resolves_without_options():
    assert set(engines.ENGINE_PARAMS) == set(engines.ENGINES) == {
        "gensim", "tomotopy", "nmf", "dmm", "hdp", "ctm", "pt", "dmr", "dtm"}
    for engine, defaults in engines.ENGINE_PARAMS.items():
        required = {"covariate": "source"} if engine == "dmr" else {}  # no default field
        resolved = engines.resolve_params(engine=engine, num_topics=5, seed=0, **required)
        assert set(resolved) == set(defaults) | {"engine", "num_topics", "seed"}
        assert all(resolved[k] is not None for k in resolved)


def test_none_means_the_default_and_optim_interval_follows_alpha():
    auto = engines.resolve_params(engine="tomotopy", num_topics=4, seed=0, alpha=None,
                                  optim_interval=None)
    fixed = engines.resolve_params(engine="tomotopy", num_topics=4, seed=0, alpha=0.5)
    assert auto["alpha"] == "auto" and auto["optim_interval"] == 10
    assert fixed["alpha"] == 0.5 and fixed["optim_interval"] == 0
    learned = engines.resolve_params(engine="tomotopy", num_topics=4, seed=0, alpha=0.5,
                                     optim_interval=5)
    assert learned["optim_interval"] == 5


@pytest.mark.parametrize("engine, options, key, shown", [
    ("lda", {}, "engine", "'lda'"),
    ("tomotopy", {"passes": 3}, "passes", "tomotopy"),
    ("gensim", {"burn_in": 3}, "burn_in", "gensim"),
    ("gensim", {"num_topics": 1}, "num_topics", "1"),
    ("gensim", {"num_topics": 2.5}, "num_topics", "2.5"),
    ("gensim", {"num_topics": True}, "num_topics", "True"),
    ("gensim", {"seed": -1}, "seed", "-1"),
    ("gensim", {"alpha": "bogus"}, "alpha", "'bogus'"),
    ("gensim", {"alpha": -0.1}, "alpha", "-0.1"),
    ("gensim", {"alpha": float("nan")}, "alpha", "nan"),
    ("gensim", {"eta": "asymmetric"}, "eta", "'asymmetric'"),
    ("tomotopy", {"eta": "auto"}, "eta", "'auto'"),
    ("gensim", {"alpha": "auto", "workers": 2}, "alpha", "workers=2"),
    ("tomotopy", {"alpha": "auto", "optim_interval": 0}, "optim_interval", "0"),
    ("gensim", {"iterations": 0}, "iterations", "0"),
    ("gensim", {"passes": "10"}, "passes", "'10'"),
    ("tomotopy", {"burn_in": -1}, "burn_in", "-1"),
    ("tomotopy", {"workers": 0}, "workers", "0"),
])
def test_bad_options_name_the_parameter_and_the_value(engine, options, key, shown):
    options = {"num_topics": 3, "seed": 0, **options}
    with pytest.raises(ConfigError) as err:
        engines.resolve_params(engine=engine, **options)
    assert err.value.key == key
    assert shown in err.value.message


def test_asymmetric_alpha_matches_gensims_own_prior():
    lda = LdaModel(num_topics=6, id2word=Dictionary([["a", "b"]]), alpha="asymmetric")
    np.testing.assert_allclose(alpha_vector("asymmetric", 6), lda.alpha, rtol=1e-6)
    assert alpha_vector("symmetric", 4) == [0.25] * 4 == alpha_vector("auto", 4)


@pytest.fixture
def tiny():
    texts = [["a", "b", "a"], ["c", "d"], ["a", "c"]]
    dictionary = Dictionary(texts)
    return dictionary, [dictionary.doc2bow(t) for t in texts]


@pytest.mark.parametrize("options, key", [
    ({"prior": np.ones((3, 4))}, "prior"),
    ({"prior": np.zeros((2, 4))}, "prior"),
    ({"topic_names": ("x",)}, "topic_names"),
    ({"topic_names": ("x", 3)}, "topic_names"),
    ({"doc_ids": ["only-one"]}, "doc_ids"),
])
def test_train_rejects_bad_arguments(tiny, options, key):
    dictionary, corpus = tiny
    args = {"engine": "tomotopy", "dictionary": dictionary, "corpus": corpus,
            "doc_ids": ["x", "y", "z"], "num_topics": 2, "seed": 0, "iterations": 5,
            **options}
    with pytest.raises(ConfigError) as err:
        engines.train(**args)
    assert err.value.key == key


def test_train_rejects_a_dictionary_with_holes():
    corpus = [[(0, 1), (2, 1)], [(2, 2)]]
    dictionary = Dictionary.from_corpus(corpus, id2word={0: "a", 2: "c"})  # ids 0 and 2
    with pytest.raises(ConfigError) as err:
        engines.train(engine="gensim", dictionary=dictionary, corpus=corpus,
                      doc_ids="xy", num_topics=2, seed=0)
    assert err.value.key == "dictionary" and "compactify" in err.value.message


# ---------------------------------------------------------------- prior range (float32)
@pytest.mark.parametrize("engine, name, value", [
    ("tomotopy", "alpha", 1e-50),  # 0 in float32: tomotopy aborts the process
    ("tomotopy", "eta", 1e-50),
    ("tomotopy", "eta", 1e308),  # inf in float32: topic rows hold inf
    ("tomotopy", "alpha", 1e-38),  # subnormal in float32: NaN once optimised
    ("gensim", "eta", 1e308),
    ("gensim", "alpha", 2e30),
    ("gensim", "eta", float("inf")),
])
def test_priors_outside_the_float32_range_are_refused_naming_the_range(engine, name, value):
    with pytest.raises(ConfigError) as err:
        engines.resolve_params(engine=engine, num_topics=3, seed=0, **{name: value})
    assert err.value.key == name
    assert repr(value) in err.value.message
    assert "between 1e-30 and 1e+30" in err.value.message and engine in err.value.message


@pytest.mark.parametrize("engine", ["gensim", "tomotopy"])
def test_priors_at_the_ends_of_the_range_train_finite_models(tiny, engine):
    dictionary, corpus = tiny
    for alpha, eta in ((1e-30, 1e30), (1e30, 1e-30)):
        # tomotopy optimises the small alpha; the large one stays fixed (see below)
        extra = {"optim_interval": 2 if alpha < 1 else 0} if engine == "tomotopy" else {
            "passes": 2}
        output = engines.train(engine=engine, dictionary=dictionary, corpus=corpus,
                               doc_ids="xyz", num_topics=2, seed=0, iterations=10,
                               alpha=alpha, eta=eta, **extra)
        assert np.isfinite(output.topic_word).all() and np.isfinite(output.doc_topic).all()
        np.testing.assert_allclose(output.topic_word.sum(axis=1), 1.0)


def test_a_guided_prior_outside_the_range_is_refused_with_its_value(tiny):
    dictionary, corpus = tiny
    prior = np.full((2, len(dictionary)), 0.01)
    prior[0, 1] = 1e32
    with pytest.raises(ConfigError) as err:
        engines.train(engine="tomotopy", dictionary=dictionary, corpus=corpus, doc_ids="xyz",
                      num_topics=2, seed=0, iterations=5, prior=prior)
    assert err.value.key == "prior" and "1e+32" in err.value.message


def test_a_model_trained_into_nan_is_an_error_not_an_output(tiny):
    # in range, but tomotopy's alpha optimisation starting from 1e10 yields NaN here
    dictionary, corpus = tiny
    with pytest.raises(ConfigError) as err:
        engines.train(engine="tomotopy", dictionary=dictionary, corpus=corpus, doc_ids="xyz",
                      num_topics=2, seed=0, iterations=10, alpha=1e10, optim_interval=2)
    assert err.value.key == "params" and "'tomotopy'" in err.value.message
    assert "'alpha': 10000000000.0" in err.value.message and "NaN" in err.value.message


def test_a_trained_matrix_with_nan_or_inf_is_an_error_naming_engine_and_parameters():
    params = {"engine": "tomotopy", "alpha": 0.1, "eta": 0.01}
    good = np.full((2, 3), 1 / 3)
    check_finite(engine="tomotopy", params=params, topic_word=good, doc_topic=good)
    for bad in (np.nan, np.inf):
        matrix = good.copy()
        matrix[1, 2] = bad
        for which, args in (("topic-word", (matrix, good)), ("document-topic", (good, matrix))):
            with pytest.raises(ConfigError) as err:
                check_finite(engine="tomotopy", params=params, topic_word=args[0],
                             doc_topic=args[1])
            assert err.value.key == "params"
            assert "'tomotopy'" in err.value.message and which in err.value.message
            assert "'alpha': 0.1" in err.value.message and "'eta': 0.01" in err.value.message


def test_normalising_keeps_nan_and_inf_rows_visible():
    rows = normalise_rows(np.array([[1.0, np.inf], [np.nan, 1.0], [0.0, 0.0], [1.0, 3.0]]))
    assert np.isnan(rows[0]).any() and np.isnan(rows[1]).all()
    np.testing.assert_array_equal(rows[2:], [[0.5, 0.5], [0.25, 0.75]])
