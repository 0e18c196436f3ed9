"""The gensim engine's E-step (topics.engines.gensim_estep) gives bitwise what gensim's own
``LdaModel`` gives: the same topics, alpha and eta after training, the same document-topic
rows, on the gensim installed.  A gensim whose ``inference`` changed fails here."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from topics.engines import gensim_estep, load_model, save_model, train
from topics.engines.base import normalise_rows


def make_corpus(seed: int = 3, n_docs: int = 150):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(120)]
    texts = []
    for d in range(n_docs):
        block = words[(d % 3) * 40:(d % 3) * 40 + 40]  # three themes, and a few shared words
        size = int(rng.integers(0, 40)) if d % 17 else 0  # some empty documents
        texts.append([block[int(i)] if rng.random() < 0.8 else words[int(i)]
                      for i in rng.integers(0, 40, size)])
    dictionary = Dictionary(texts)
    return dictionary, [dictionary.doc2bow(t) for t in texts]


@pytest.mark.skipif(not gensim_estep.ENABLED, reason="this gensim version uses its own E-step")
@pytest.mark.parametrize("alpha, eta", [("auto", "auto"), ("symmetric", 0.05)])
def test_training_and_doc_topics_are_bitwise_gensims(alpha, eta, tmp_path):
    dictionary, bows = make_corpus()
    params = {"alpha": alpha, "eta": eta, "passes": 3, "iterations": 50, "chunksize": 40}
    ours = train(engine="gensim", dictionary=dictionary, corpus=bows,
                 doc_ids=list(range(len(bows))), num_topics=4, seed=7, workers=1, **params)
    plain = LdaModel(corpus=bows, id2word=dictionary, num_topics=4, random_state=7,
                     eval_every=None, **params)
    assert type(ours.native) is LdaModel  # a plain gensim model, saved and loaded as one
    assert np.array_equal(ours.topic_word, normalise_rows(plain.get_topics()))
    assert np.array_equal(ours.native.alpha, plain.alpha)
    assert np.array_equal(ours.native.eta, plain.eta)
    worker = copy.copy(plain)
    worker.random_state = np.random.RandomState(7)
    rows = [worker.inference(bows[i:i + 40])[0] for i in range(0, len(bows), 40)]
    gamma = np.vstack(rows).astype(np.float64)
    gamma[[len(b) == 0 for b in bows]] = 0.0
    assert np.array_equal(ours.doc_topic, normalise_rows(gamma))
    again = load_model(save_model(ours, tmp_path / "m"))
    assert type(again.native) is LdaModel and again == ours


@pytest.mark.skipif(not gensim_estep.ENABLED, reason="this gensim version uses its own E-step")
def test_inference_with_sufficient_statistics_is_bitwise_gensims():
    dictionary, bows = make_corpus(seed=5)
    model = LdaModel(corpus=bows, id2word=dictionary, num_topics=5, random_state=1, passes=1,
                     eval_every=None, alpha="auto")
    docs = gensim_estep.prepared(bows)
    assert docs == bows and gensim_estep.prepared(bows) is docs  # converted once
    model.random_state = np.random.RandomState(2)
    gamma, sstats = model.inference(bows, collect_sstats=True)
    model.random_state = np.random.RandomState(2)
    fast_gamma, fast_sstats = gensim_estep.inference(model, docs, collect_sstats=True)
    assert np.array_equal(gamma, fast_gamma) and np.array_equal(sstats, fast_sstats)


def test_a_corpus_that_is_not_a_list_uses_gensims_own_e_step():
    _, bows = make_corpus()
    assert gensim_estep.prepared(tuple(bows)) is None
    assert gensim_estep.prepared(iter(bows)) is None


def test_the_training_counts_of_a_list_are_counted_once():
    from topics.engines.base import corpus_counts, training_counts

    _, bows = make_corpus()
    first = training_counts(bows, 120)
    assert training_counts(bows, 120) is first  # the same list: remembered
    expected = corpus_counts(bows, 120)
    assert all(np.array_equal(a, b) for a, b in zip(first, expected))
    other = [list(b) for b in bows[:-1]]
    assert len(training_counts(other, 120)[1]) == len(bows) - 1  # another list: counted
    with pytest.raises(ValueError):
        first[0][0] = 1.0  # read-only: no run can change another's counts
