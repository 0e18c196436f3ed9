"""scoring.reference: coherence probabilities estimated on another (larger) corpus."""

from __future__ import annotations

import json
import random

from topics.config import validate
from topics.scoring import coherence
from topics.store import Store
from topics.workflow import load_corpus_for, run_experiment

GROUPS = [["apple", "banana", "cherry", "grape", "melon", "peach"],
          ["engine", "wheel", "brake", "clutch", "piston", "gearbox"]]


def _write(path, n, seed, mix):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        words = [rng.choice(GROUPS[i % 2] if rng.random() > mix else GROUPS[1 - i % 2])
                 for _ in range(20)]
        rows.append(json.dumps({"id": f"d{i}", "text": " ".join(words)}))
    path.write_text("\n".join(rows) + "\n")


def test_a_reference_corpus_replaces_the_training_texts_for_coherence(tmp_path):
    _write(tmp_path / "train.jsonl", 30, 0, mix=0.0)
    _write(tmp_path / "reference.jsonl", 80, 1, mix=0.4)  # the groups mix in the reference
    raw = {"corpus": {"path": "train.jsonl"},
           "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
           "grid": {"engine": "gensim", "num_topics": 2, "passes": 5},
           "scoring": {"measures": ["c_npmi", "u_mass"], "topn": 5},
           "output": {"ldavis": False, "report": False}}
    plain = validate(raw, source=tmp_path / "c.yaml")
    referenced = validate({**raw, "scoring": {**raw["scoring"], "reference": "reference.jsonl"}},
                          source=tmp_path / "c.yaml")
    run_experiment(plain, out=tmp_path / "a")
    run_experiment(referenced, out=tmp_path / "b")
    corpus = load_corpus_for(referenced, out=tmp_path / "b")
    reference_texts = [corpus.transform_text(line) for line in
                       (json.loads(x)["text"] for x in
                        (tmp_path / "reference.jsonl").read_text().splitlines())]
    for folder, texts in ((tmp_path / "a", list(corpus.texts)), (tmp_path / "b", reference_texts)):
        with Store(folder, create=False) as store:
            (run,) = store.runs()
        tops = json.loads((folder / run.model_dir / "top_words.json").read_text())
        expected = coherence([[t[:5] for t in tops]], texts, measures=("c_npmi", "u_mass"),
                             topn=5)
        assert abs(run.metrics["c_npmi"] - expected["c_npmi"].mean()) < 1e-12
        assert abs(run.metrics["u_mass"] - expected["u_mass"].mean()) < 1e-12
    with Store(tmp_path / "a", create=False) as a, Store(tmp_path / "b", create=False) as b:
        assert a.runs()[0].metrics["c_npmi"] > b.runs()[0].metrics["c_npmi"]  # mixing hurts
