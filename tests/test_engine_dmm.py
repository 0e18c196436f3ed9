"""The ``dmm`` engine (Dirichlet-multinomial mixture, GSDMM): one topic per document, on
tiny self-built corpora whose classes share no word."""

from __future__ import annotations

import random

import numpy as np
import pytest
from gensim.corpora import Dictionary

from topics import engines
from topics.errors import ConfigError, InputError
from topics.scoring.labels import label_agreement

CLASSES = ("football goal match player team league", "market stock bank price trade share")


def short_texts(n_per_class: int = 15, words: int = 4, seed: int = 0):
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(2 * n_per_class):
        texts.append([rng.choice(CLASSES[i % 2].split()) for _ in range(words)])
        labels.append(str(i % 2))
    dictionary = Dictionary(texts)
    return dictionary, [dictionary.doc2bow(t) for t in texts], labels


def train(dictionary, bows, *, seed=0, **params):
    return engines.train(engine="dmm", dictionary=dictionary, corpus=bows,
                         doc_ids=list(range(len(bows))), num_topics=2, seed=seed, **params)


def test_two_separated_classes_are_recovered_exactly():
    dictionary, bows, labels = short_texts()
    out = train(dictionary, bows)
    assert label_agreement(out.doc_topic, labels) == {"nmi": 1.0, "ari": 1.0, "purity": 1.0}
    assert engines.engine_metrics(out) == {"k_used": 2}
    assert out.extras["doc_counts"].tolist() == [15, 15]
    # each topic's words are one class's words
    for k in range(2):
        top = {out.vocab[i] for i in np.argsort(-out.topic_word[k])[:6]}
        assert top in (set(CLASSES[0].split()), set(CLASSES[1].split()))


def test_same_seed_same_topics_and_the_seed_decides_the_start():
    dictionary, bows, _ = short_texts()
    assert train(dictionary, bows, seed=3) == train(dictionary, bows, seed=3)
    one = train(dictionary, bows, seed=0, iterations=1)
    other = train(dictionary, bows, seed=1, iterations=1)
    assert not np.array_equal(one.topic_word, other.topic_word)


def test_posterior_rows_sum_to_one_and_empty_documents_are_uniform():
    dictionary, bows, _ = short_texts()
    out = engines.train(engine="dmm", dictionary=dictionary, corpus=bows + [[]],
                        doc_ids=list(range(len(bows) + 1)), num_topics=3, seed=0)
    assert np.allclose(out.doc_topic.sum(axis=1), 1)
    assert np.allclose(out.doc_topic[-1], 1 / 3)
    assert out.extras["doc_counts"].sum() == len(bows)  # the empty one is in no topic
    assert np.allclose(out.topic_word.sum(axis=1), 1)


def test_inference_on_new_documents_and_after_save_load(tmp_path):
    dictionary, bows, labels = short_texts()
    out = train(dictionary, bows)
    new = [dictionary.doc2bow(["goal", "team"]), dictionary.doc2bow(["bank"]), []]
    rows = engines.infer(out, new)
    football = int(out.doc_topic[0].argmax())  # document 0 is of the football class
    assert rows[0].argmax() == football and rows[1].argmax() == 1 - football
    assert rows[0, football] > 0.99 and np.allclose(rows[2], 0.5)
    engines.save_model(out, tmp_path / "m")
    back = engines.load_model(tmp_path / "m")
    assert back == out and np.array_equal(engines.infer(back, new), rows)
    assert not list((tmp_path / "m").rglob("*.pkl"))


def test_a_long_document_corpus_with_repeated_words():
    rng = random.Random(2)
    texts = [[rng.choice(CLASSES[i % 2].split()) for _ in range(200)] for i in range(12)]
    dictionary = Dictionary(texts)
    out = train(dictionary, [dictionary.doc2bow(t) for t in texts], iterations=30)
    assert label_agreement(out.doc_topic, [i % 2 for i in range(12)])["nmi"] == 1.0


@pytest.mark.parametrize("params,key,shown", [
    ({"alpha": "auto"}, "alpha", "'auto'"), ({"alpha": 0.0}, "alpha", "0.0"),
    ({"eta": -1.0}, "eta", "-1.0"), ({"iterations": 0}, "iterations", "0"),
    ({"init": "random"}, "init", "init"), ({"restarts": 0}, "restarts", "0"),
])
def test_bad_parameters_name_the_parameter_and_value(params, key, shown):
    with pytest.raises(ConfigError) as err:
        engines.resolve_params(engine="dmm", num_topics=3, seed=0, **params)
    assert err.value.key == key and shown in str(err.value)


def test_a_corpus_without_words_and_fractional_counts_are_refused():
    dictionary, _, _ = short_texts()
    with pytest.raises(InputError, match="no document"):
        train(dictionary, [[], []])
    with pytest.raises(InputError, match="whole number"):
        train(dictionary, [[(0, 1.5)]])


def test_a_guided_prior_anchors_its_topic_to_the_theme_words():
    from topics.themes import guided_prior_from_ids

    dictionary, bows, labels = short_texts()
    ids = {"markets": [dictionary.token2id[w] for w in ("market", "stock", "bank")]}
    prior, names = guided_prior_from_ids(ids, num_topics=2, vocab_size=len(dictionary))
    for seed in (0, 1, 2):
        out = engines.train(engine="dmm", dictionary=dictionary, corpus=bows,
                            doc_ids=list(range(len(bows))), num_topics=2, seed=seed,
                            prior=prior, topic_names=names)
        assert out.params["eta"] == "prior" and out.topic_names[0] == "markets"
        topics = out.doc_topic.argmax(axis=1)
        assert topics.tolist() == [0 if label == "1" else 1 for label in labels]


def labelled_csv(path, n_per_class: int = 20):
    import csv

    rng = random.Random(4)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label"])
        for i in range(2 * n_per_class):
            words = CLASSES[i % 2].split()
            writer.writerow([f"d{i}", " ".join(rng.choice(words) for _ in range(5)),
                             "sport" if i % 2 == 0 else "finance"])


def test_the_default_config_and_the_starter_config_recover_two_classes(tmp_path):
    import yaml

    import topics
    from topics.starter import write_starter

    labelled_csv(tmp_path / "short.csv")
    quiet = {"output": {"ldavis": False, "report": False}}
    exp = topics.run({"corpus": {"path": str(tmp_path / "short.csv")},
                      "grid": {"num_topics": 2}, "output": {
                          "ldavis": False, "report": False, "dir": str(tmp_path / "a")}})
    row = exp.results.iloc[0]
    assert row["engine"] == "dmm" and row["status"] == "done"
    assert (row["nmi"], row["ari"], row["purity"]) == (1.0, 1.0, 1.0)
    config_path, _ = write_starter(tmp_path / "short.csv")
    assert yaml.safe_load(config_path.read_text(encoding="utf-8"))["grid"]["engine"] == "dmm"
    exp = topics.run(str(config_path), grid={"num_topics": 2}, **quiet,
                     **{"output.dir": str(tmp_path / "b")})
    assert exp.results["nmi"].tolist() == [1.0]


def test_restarts_keep_the_most_likely_chain():
    from topics.engines.dmm import log_likelihood

    dictionary, bows, _ = short_texts(words=3)
    out = train(dictionary, bows, iterations=2, restarts=5)
    scores = out.extras["log_likelihood"]
    assert len(scores) == 5 and out.params["restarts"] == 5
    kept = log_likelihood(out.native.doc_counts, out.native.word_counts, alpha=0.1,
                          eta=np.full(out.topic_word.shape, 0.2))
    assert kept == pytest.approx(max(scores), abs=1e-9)
    # the first chain of five is the only chain of one (the chains share one generator)
    one = train(dictionary, bows, iterations=2, restarts=1)
    assert one.extras["log_likelihood"].tolist() == [scores[0]]
