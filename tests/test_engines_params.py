"""Engine parameters: the defaults table, resolution and validation messages."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from topics import engines
from topics.engines.params import alpha_vector
from topics.errors import ConfigError


def test_every_engine_has_a_defaults_table_and_resolves_without_options():
    assert set(engines.ENGINE_PARAMS) == set(engines.ENGINES) == {"gensim", "tomotopy"}
    for engine, defaults in engines.ENGINE_PARAMS.items():
        resolved = engines.resolve_params(engine=engine, num_topics=5, seed=0)
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
