"""Topic names: automatic labels for every topic of every run, names a user gives
(exp.name_topics), and both shown in tables, figures, pyLDAvis pages and the report."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from topics.config import validate
from topics.errors import ConfigError
from topics.experiment import load_experiment
from topics.topic_labels import label_candidates, topic_labels
from topics.workflow import run_experiment, write_experiment_report

GROUPS = ("goal match player team league striker coach referee",
          "market stock bank price trade investor profit dividend",
          "planet star galaxy orbit moon comet rocket telescope")
PHRASES = ("world cup", "interest rate", "space station")  # one per group, always together


def write_texts(rng: random.Random, n_docs: int = 30) -> list[list[str]]:
    texts = []
    for i in range(n_docs):
        words = [rng.choice(GROUPS[i % 3].split()) for _ in range(20)]
        words[5:5] = PHRASES[i % 3].split()
        texts.append(words)
    return texts


def test_labels_name_each_group_with_its_own_words():
    texts = write_texts(random.Random(0))
    vocab = sorted({w for t in texts for w in t})
    index = {w: i for i, w in enumerate(vocab)}
    phi = np.full((3, len(vocab)), 1e-6)
    for g, group in enumerate(GROUPS):
        for w in group.split() + PHRASES[g].split():
            phi[g, index[w]] = 1.0
    phi /= phi.sum(axis=1, keepdims=True)
    theta = np.eye(3)[[i % 3 for i in range(len(texts))]]
    candidates = label_candidates(texts, vocab)
    labels = topic_labels(phi, theta, vocab, candidates=candidates)
    assert labels == topic_labels(phi, theta, vocab, candidates=candidates)  # repeatable
    for g, label in enumerate(labels):
        own = set(GROUPS[g].split()) | set(PHRASES[g].split())
        assert set(label.replace(",", " ").split()) <= own, (g, label)
    # the phrase that marks every document of a group is the first part of its label
    assert [label.split(",")[0] for label in labels] == list(PHRASES)
    with pytest.raises(ConfigError, match="doc_topic"):
        topic_labels(phi, theta[:5], vocab, candidates=candidates)


def labelled_config(tmp_path):
    rng = random.Random(4)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, words in enumerate(write_texts(rng, 24)):
        (corpus / f"{i:02d}.txt").write_text(" ".join(words), encoding="utf-8")
    return validate({
        "name": "names", "corpus": {"path": str(corpus)},
        "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
        "grid": {"engine": ["tomotopy", "nmf"], "num_topics": 3, "iterations": 100,
                 "seeds": [0]},
        "scoring": {"measures": ["c_npmi"]}, "runner": {"n_jobs": 1},
        "output": {"ldavis": True, "report": True, "dir": str(tmp_path / "exp")}})


def test_runs_get_labels_and_user_names_show_everywhere(tmp_path):
    summary = run_experiment(labelled_config(tmp_path))
    assert summary.done == 2, summary.errors
    exp = load_experiment(summary.folder)
    for run_id in exp.results["run_id"]:
        labels = json.loads((summary.folder / "models" / run_id / "labels.json").read_text())
        assert len(labels) == 3 and all(labels)
        assert exp.topic_names(run_id) == labels
        assert exp.topics(run_id)["name"].notna().all()
        page = (summary.folder / "ldavis" / f"{run_id}.html").read_text(encoding="utf-8")
        assert all(label in page for label in labels)
    run_id = exp.results["run_id"][0]
    auto = exp.topic_names(run_id)
    assert exp.name_topics(run_id, {1: "  the   markets "}) == [auto[0], "the markets", auto[2]]
    stored = json.loads((summary.folder / "topic_names.json").read_text(encoding="utf-8"))
    assert stored == {run_id: {"1": "the markets"}}
    again = load_experiment(summary.folder)  # kept in the folder
    assert again.topic_names(run_id)[1] == "the markets"
    assert "1: the markets" in again.doc_topics(run_id).columns
    assert set(again.topics(run_id).query("topic == 1")["name"]) == {"the markets"}
    for bad in ({3: "x"}, {-1: "x"}, {1: ""}, {1: 5}, {"1": "x"}):
        with pytest.raises(ConfigError, match="names"):
            again.name_topics(run_id, bad)
    report = write_experiment_report(summary.folder).read_text(encoding="utf-8")
    page = (summary.folder / "ldavis" / f"{run_id}.html").read_text(encoding="utf-8")
    assert "the markets" in page
    best = again.best("c_npmi")["run_id"][0]
    shown = again.topic_names(best)
    assert all(name in report for name in shown)  # the report's topics table
    assert again.name_topics(run_id, {1: None})[1] == auto[1]  # None removes the name


def _reference_candidates(texts, vocab, *, min_df, max_candidates):
    """The candidates counted the plain way: a Counter per n-gram, per document."""
    import math
    from collections import Counter

    unigrams, grams, grams_df = Counter(), Counter(), Counter()
    for tokens in texts:
        tokens = [t for t in tokens if t in vocab]
        unigrams.update(tokens)
        seen = set()
        for n in (2, 3):
            for gram in zip(*(tokens[i:] for i in range(n))):
                if len(set(gram)) == n:
                    grams[gram] += 1
                    seen.add(gram)
        grams_df.update(seen)
    total = max(1, sum(unigrams.values()))

    def pmi(a, b):
        return math.log(grams[(a, b)] * total / (unigrams[a] * unigrams[b]))

    scored = sorted(((pmi(*g) if len(g) == 2 else (pmi(*g[:2]) + pmi(*g[1:])) / 2, g)
                     for g, df in grams_df.items() if df >= min_df), key=lambda x: (-x[0], x[1]))
    phrases = [(w,) for w in sorted(vocab) if "_" in w and unigrams[w] >= min_df]
    return phrases + [g for value, g in scored if value > 0][:max_candidates]


@pytest.mark.parametrize("seed", [0, 1])
def test_candidates_counted_with_numpy_match_a_plain_count(seed):
    from topics.topic_labels import _candidates, _token_ids

    rng = random.Random(seed)
    words = ["a", "b", "c", "d", "e", "f_g", "h", "out"]
    vocab = set(words) - {"out"}  # "out" is not in the vocabulary: it joins its neighbours
    texts = [[rng.choice(words[:rng.randint(2, 8)]) for _ in range(rng.randint(0, 30))]
             for _ in range(60)]
    texts += [[], ["a"], ["a", "a", "a"], ["b", "a", "b", "a"]]
    ordered = sorted(vocab)
    ids, doc, _ = _token_ids(texts, {w: i for i, w in enumerate(ordered)})
    for min_df, top in ((1, 2000), (3, 2000), (2, 7)):
        got = _candidates(ids, doc, ordered, min_df=min_df, max_candidates=top)
        assert got == _reference_candidates(texts, vocab, min_df=min_df, max_candidates=top)
        assert len(got) > 3
    # which documents hold each candidate: consecutive tokens, "out" breaking a gram
    candidates = label_candidates(texts, sorted(vocab), min_df=1)
    held = candidates.held.toarray()
    assert held.shape == (len(texts), len(candidates.items))
    for d, tokens in enumerate(texts):
        grams = {tuple(tokens[i:i + n]) for n in (1, 2, 3) for i in range(len(tokens) - n + 1)}
        assert held[d].tolist() == [float(item in grams) for item in candidates.items]
