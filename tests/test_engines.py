"""Both engines on tiny synthetic corpora of clearly separated word groups."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from gensim.corpora import Dictionary

from topics import engines
from topics.errors import InputError

ENGINES = ("gensim", "tomotopy")
# small online chunks: batch VB on 300 tiny documents sometimes stops in a local optimum
FAST = {"gensim": {"passes": 10, "iterations": 50, "chunksize": 20},
        "tomotopy": {"iterations": 200}}
N_DOCS = 300
GROUPS = {c: [f"{c}{i}" for i in range(12)] for c in "abc"}


def _texts(n_docs: int = N_DOCS, seed: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    groups = list(GROUPS.values())
    return [list(rng.choice(groups[d % 3], 30)) for d in range(n_docs)]


@pytest.fixture(scope="module")
def data():
    texts = _texts() + [[]]  # the last document is empty
    dictionary = Dictionary(texts)
    dictionary.add_documents([["unseen"]])  # a dictionary word absent from the corpus
    corpus = [dictionary.doc2bow(t) for t in texts]
    doc_ids = tuple(f"doc{i}" for i in range(len(texts)))
    return texts, dictionary, corpus, doc_ids


def _train(data, engine, **kw):
    _, dictionary, corpus, doc_ids = data
    options = {"num_topics": 3, "seed": 1, **FAST[engine], **kw}
    return engines.train(engine=engine, dictionary=dictionary, corpus=corpus,
                         doc_ids=doc_ids, **options)


@pytest.fixture(scope="module")
def outputs(data):
    return {engine: _train(data, engine) for engine in ENGINES}


def _group_of_topic(output, topic):
    top = [output.vocab[i] for i in np.argsort(-output.topic_word[topic])[:10]]
    return {w[0] for w in top}


@pytest.mark.parametrize("engine", ENGINES)
def test_recovers_the_word_groups(outputs, engine):
    out = outputs[engine]
    groups = [_group_of_topic(out, k) for k in range(3)]
    assert sorted(g.pop() for g in groups if len(g) == 1) == ["a", "b", "c"]
    main = np.argmax(out.doc_topic[:N_DOCS], axis=1)
    for first in range(3):  # every document of a group has the same main topic
        assert len(set(main[first::3])) == 1
    assert len(set(main[:3])) == 3


@pytest.mark.parametrize("engine", ENGINES)
def test_shapes_row_sums_and_alignment(data, outputs, engine):
    texts, dictionary, corpus, doc_ids = data
    out = outputs[engine]
    V = len(dictionary)
    assert out.topic_word.shape == (3, V) and out.doc_topic.shape == (len(texts), 3)
    np.testing.assert_allclose(out.topic_word.sum(axis=1), 1.0)
    np.testing.assert_allclose(out.doc_topic.sum(axis=1), 1.0)
    assert out.vocab == tuple(dictionary[i] for i in range(V))
    assert out.doc_ids == doc_ids
    counts = Counter(w for t in texts for w in t)
    assert out.term_frequency.tolist() == [counts[w] for w in out.vocab]
    assert out.doc_lengths.tolist() == [len(t) for t in texts]
    unseen = out.vocab.index("unseen")
    assert np.all(out.topic_word[:, unseen] > 0)
    assert np.all(out.topic_word[:, unseen] < out.topic_word.max(axis=1) / 100)
    assert out.topic_names is None and out.native is not None


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_document_gets_the_uniform_row(outputs, engine):
    np.testing.assert_allclose(outputs[engine].doc_topic[-1], [1 / 3] * 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_same_seed_same_model(data, outputs, engine):
    again = _train(data, engine)
    assert again == outputs[engine]
    assert np.array_equal(again.doc_topic, outputs[engine].doc_topic)



@pytest.mark.parametrize("engine", ENGINES)
def test_other_seed_other_model(engine):
    # words drawn from all groups at once: no clear optimum, so the seed shows
    rng = np.random.default_rng(5)
    words = [w for group in GROUPS.values() for w in group]
    texts = [list(rng.choice(words, 20)) for _ in range(60)]
    dictionary = Dictionary(texts)
    data = (texts, dictionary, [dictionary.doc2bow(t) for t in texts], range(60))
    one, two = _train(data, engine, seed=1), _train(data, engine, seed=2)
    assert not np.allclose(one.topic_word, two.topic_word)


@pytest.mark.parametrize("engine", ENGINES)
def test_guided_prior_anchors_a_topic(data, engine):
    _, dictionary, _, _ = data
    prior = np.full((3, len(dictionary)), 0.01)
    seeds = [dictionary.token2id[w] for w in ("b1", "b2", "b3")]
    prior[:, seeds] = 1e-4
    prior[2, seeds] = 200.0  # gensim's VB needs pseudo-counts comparable to word counts
    out = _train(data, engine, prior=prior, topic_names=(None, None, "bees"))
    assert _group_of_topic(out, 2) == {"b"}
    assert out.topic_names == (None, None, "bees")
    assert out.params["eta"] == "prior"


@pytest.mark.parametrize("engine", ENGINES)
def test_save_load_round_trip_and_infer(tmp_path, data, outputs, engine):
    _, dictionary, corpus, _ = data
    out = outputs[engine]
    engines.save_model(out, tmp_path / "m")
    engines.save_model(out, tmp_path / "m")  # replacing an existing folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]
    back = engines.load_model(tmp_path / "m")
    assert back == out and back.params == out.params
    fresh = [dictionary.doc2bow(t) for t in _texts(6, seed=9)] + [[]]
    rows = engines.infer(out, fresh)
    assert rows.shape == (7, 3)
    np.testing.assert_allclose(rows.sum(axis=1), 1.0)
    np.testing.assert_allclose(rows[-1], [1 / 3] * 3)
    np.testing.assert_array_equal(rows, engines.infer(out, fresh))
    np.testing.assert_allclose(engines.infer(back, fresh), rows, atol=1e-6)
    trained_main = np.argmax(out.doc_topic[:3], axis=1)  # docs 0, 1, 2: groups a, b, c
    assert np.argmax(rows[:6], axis=1).tolist() == trained_main.tolist() * 2


def test_load_without_native_and_damaged_folder(tmp_path, outputs):
    out = outputs["tomotopy"]
    engines.save_model(out, tmp_path / "m")
    light = engines.load_model(tmp_path / "m", native=False)
    assert light == out and light.native is None
    (tmp_path / "m" / "topic_word.npy").unlink()
    from topics.errors import StoreError
    with pytest.raises(StoreError, match="topic_word"):
        engines.load_model(tmp_path / "m")


def test_infer_rejects_a_word_id_outside_the_dictionary(outputs):
    with pytest.raises(InputError) as err:
        engines.infer(outputs["gensim"], [[(0, 1)], [(10_000, 1)]])
    assert err.value.row == 1 and "10000" in err.value.message


def test_tomotopy_rejects_fractional_counts(data):
    _, dictionary, _, _ = data
    with pytest.raises(InputError) as err:
        engines.train(engine="tomotopy", dictionary=dictionary, corpus=[[(0, 1.5)]],
                      doc_ids=["x"], num_topics=2, seed=0, iterations=5)
    assert err.value.row == 0


def test_model_output_is_read_only_and_has_a_short_repr(outputs):
    out = outputs["gensim"]
    with pytest.raises(ValueError):
        out.topic_word[0, 0] = 1.0
    assert len(repr(out)) < 400 and "K=3" in repr(out)
    with pytest.raises(TypeError):
        hash(out)


def test_workers_above_one_train_both_engines(data):
    for engine in ENGINES:
        out = _train(data, engine, workers=2, alpha="symmetric")
        np.testing.assert_allclose(out.topic_word.sum(axis=1), 1.0)
        assert out.params["workers"] == 2


def test_topic_word_columns_agree_with_the_engines_own_top_words(outputs):
    # tomotopy normalises over the words it saw, we over the dictionary (one unseen word
    # more), hence the tolerance
    for engine, native_top in (
            ("gensim", lambda m, k: m.show_topic(k, topn=5)),
            ("tomotopy", lambda m, k: m.get_topic_words(k, top_n=5))):
        out = outputs[engine]
        index = {w: i for i, w in enumerate(out.vocab)}
        for k in range(3):
            for word, p in native_top(out.native, k):
                assert out.topic_word[k, index[word]] == pytest.approx(p, rel=1e-3)
