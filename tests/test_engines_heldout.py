"""Held-out log-likelihood (bound) of both engines, and the perplexity made from it."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from gensim.corpora import Dictionary

from topics.engines import held_out_bound, load_model, save_model, train
from topics.errors import ConfigError, InputError
from topics.scoring import perplexity

ENGINES = ("gensim", "tomotopy")
GROUPS = [[f"g{g}w{i}" for i in range(8)] for g in range(3)]
UNUSED = "lonely"  # in the dictionary, never in a training document
TRAINED = {"gensim": {"passes": 10, "iterations": 100}, "tomotopy": {"iterations": 300}}
ONE_STEP = {"gensim": {"passes": 1, "iterations": 1}, "tomotopy": {"iterations": 1}}


def _group_doc(rng, group: int, n: int = 30) -> list[str]:
    return list(rng.choice(GROUPS[group], n))


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    texts = [_group_doc(rng, i % 3) for i in range(60)]
    dictionary = Dictionary(texts + [[UNUSED]])
    corpus = [dictionary.doc2bow(t) for t in texts]
    in_group = [dictionary.doc2bow(_group_doc(rng, i % 3)) for i in range(9)]
    every_word = sum(GROUPS, [])
    shuffled = [dictionary.doc2bow(list(rng.choice(every_word, 30))) for _ in range(9)]
    return dictionary, corpus, in_group, shuffled


def _train(data, engine: str, options: dict):
    dictionary, corpus, _, _ = data
    return train(engine=engine, dictionary=dictionary, corpus=corpus,
                 doc_ids=range(len(corpus)), num_topics=3, seed=1, **options)


@pytest.fixture(scope="module")
def outputs(data):
    return {engine: _train(data, engine, TRAINED[engine]) for engine in ENGINES}


def _perplexity(output, documents) -> float:
    bound, tokens = held_out_bound(output, documents)
    return perplexity(log_likelihood=bound, num_tokens=tokens)


@pytest.mark.parametrize("engine", ENGINES)
def test_repeatable_and_the_same_after_save_and_load(tmp_path, data, outputs, engine):
    output, in_group = outputs[engine], data[2]
    first = held_out_bound(output, in_group)
    assert held_out_bound(output, in_group) == first
    assert held_out_bound(load_model(save_model(output, tmp_path / engine)), in_group) == first
    assert first[1] == sum(count for bow in in_group for _, count in bow) == 270


def test_gensim_leaves_the_models_random_state_alone(data, outputs):
    model = outputs["gensim"].native
    before = model.random_state.get_state()[1].copy()
    held_out_bound(outputs["gensim"], data[2])
    assert np.array_equal(model.random_state.get_state()[1], before)


@pytest.mark.parametrize("engine", ENGINES)
def test_documents_of_the_training_groups_beat_shuffled_words(data, outputs, engine):
    _, _, in_group, shuffled = data
    fitting = _perplexity(outputs[engine], in_group)
    mixed = _perplexity(outputs[engine], shuffled)
    assert math.isfinite(fitting) and math.isfinite(mixed)
    # 8 equally likely words per group, 24 words in all: the ideal values are 8 and 24
    assert 1 < fitting < mixed
    assert fitting < 16 < mixed


@pytest.mark.parametrize("engine", ENGINES)
def test_a_trained_model_beats_a_one_step_model(data, outputs, engine):
    in_group = data[2]
    one_step = _train(data, engine, ONE_STEP[engine])
    assert _perplexity(outputs[engine], in_group) < 0.7 * _perplexity(one_step, in_group)


def test_gensim_value_is_log_perplexity_without_the_topic_word_term(data, outputs):
    output, in_group = outputs["gensim"], data[2]
    bound, tokens = held_out_bound(output, in_group)
    model = copy.copy(output.native)
    model.random_state = np.random.RandomState(output.params["seed"])
    with_topic_word_term = model.log_perplexity(in_group) * tokens
    assert bound + output.native.bound([]) == pytest.approx(with_topic_word_term, rel=1e-9)
    assert bound < 0


def test_tomotopy_infers_each_document_on_its_own(data, outputs):
    output, in_group = outputs["tomotopy"], data[2]
    one_by_one = [held_out_bound(output, [bow]) for bow in in_group]
    bound, tokens = held_out_bound(output, in_group)
    assert bound == pytest.approx(sum(b for b, _ in one_by_one), rel=1e-9)
    assert tokens == sum(n for _, n in one_by_one)
    assert all(b < 0 for b, _ in one_by_one)


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_documents_add_nothing(data, outputs, engine):
    output, in_group = outputs[engine], data[2]
    assert held_out_bound(output, []) == (0.0, 0)
    assert held_out_bound(output, [[], []]) == (0.0, 0)
    assert held_out_bound(output, in_group + [[], []]) == held_out_bound(output, in_group)


def test_a_word_unseen_in_training_counts_for_gensim_only(data, outputs):
    unused = [[(data[0].token2id[UNUSED], 3)]]
    assert held_out_bound(outputs["tomotopy"], unused) == (0.0, 0)
    bound, tokens = held_out_bound(outputs["gensim"], unused)
    assert tokens == 3 and bound < 3 * math.log(1 / 24)  # rarer than any trained word


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("bad", [[(25, 1)], [(-1, 1)], [(0, 1.5)], [(0, -2)]])
def test_bad_documents_raise_input_error_naming_the_row(outputs, engine, bad):
    with pytest.raises(InputError, match="row 1"):
        held_out_bound(outputs[engine], [[(0, 1)], bad])


def test_bad_options_raise_config_error(tmp_path, outputs):
    with pytest.raises(ConfigError, match="iterations"):
        held_out_bound(outputs["gensim"], [], iterations=0)
    without_native = load_model(save_model(outputs["tomotopy"], tmp_path / "m"), native=False)
    with pytest.raises(ConfigError, match="native"):
        held_out_bound(without_native, [])
