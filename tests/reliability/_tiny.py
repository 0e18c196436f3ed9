"""A tiny experiment for the tests about damaged and untrusted folders: three word groups
that share no word, 30 short documents, fast gensim runs.  Everything is built in the test's
own folder."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

from topics.config import validate
from topics.store import Store

GROUPS = (
    "football goal match player team league striker coach stadium referee penalty season",
    "market stock bank price investor profit economy inflation trade share dividend currency",
    "planet star galaxy telescope orbit comet rocket astronaut moon nebula cosmos asteroid",
)
THEMES = {"sport": ["football", "goal", "striker"], "money": ["market", "stock", "bank"]}
#: Lemmas off (no WordNet needed); phrases on, so the cache holds a phrase model.
PREPROCESS = {"lemmatize": False, "phrases": True, "phrase_min_count": 2, "no_below": 1,
              "no_above": 1.0}


def write_corpus(folder: Path, *, per_group: int = 10, words: int = 40) -> Path:
    """``per_group`` .txt files per word group, each ``words`` words drawn from its group
    ("regime change" recurs in the money group, so a phrase is learned)."""
    rng = random.Random(7)
    folder.mkdir(parents=True)
    for g, group in enumerate(GROUPS):
        vocab = group.split()
        for i in range(per_group):
            text = " ".join(rng.choice(vocab) for _ in range(words))
            if g == 1:
                text += " regime change"
            (folder / f"g{g}_{i:02d}.txt").write_text(text + ".\n", encoding="utf-8")
    return folder


def raw_config(corpus: Path, **sections: Any) -> dict:
    """A config dict: two gensim seeds of K=3, c_npmi and c_v, no pyLDAvis, no report;
    ``sections`` are merged into it (a dict section key by key)."""
    raw: dict[str, Any] = {
        "name": "tiny", "corpus": {"path": str(corpus)}, "preprocess": dict(PREPROCESS),
        "grid": {"engine": "gensim", "num_topics": 3, "passes": 2, "iterations": 20,
                 "seeds": [0, 1]},
        "scoring": {"measures": ["c_npmi", "c_v"]}, "runner": {"n_jobs": 1},
        "output": {"ldavis": False, "report": False}}
    for name, values in sections.items():
        raw[name] = {**raw.get(name, {}), **values} if isinstance(values, dict) else values
    return raw


def config_of(root: Path, **sections: Any):
    """The validated config of ``raw_config(root / "corpus", **sections)``."""
    return validate(raw_config(root / "corpus", **sections), source=root / "c.yaml")


def done_metrics(folder: Path) -> dict[str, dict]:
    """run_id -> metrics of every completed run."""
    with Store(folder, create=False) as store:
        return {r.run_id: r.metrics for r in store.runs(status="done")}


def build_experiment(root: Path) -> tuple[Path, dict]:
    """A finished tiny experiment in ``root / "exp"`` (its corpus in ``root / "corpus"``) and
    its metrics."""
    from topics.workflow import run_experiment

    write_corpus(root / "corpus")
    run_experiment(config_of(root), out=root / "exp")
    return root / "exp", done_metrics(root / "exp")


def copy_experiment(folder: Path, into: Path) -> Path:
    """A copy of the experiment ``folder`` and of the corpus beside it, in ``into``."""
    shutil.copytree(folder, into / "exp")
    shutil.copytree(folder.parent / "corpus", into / "corpus")
    return into / "exp"


def rerun(folder: Path):
    """``run_experiment`` again on the experiment ``folder`` (a copy made by
    :func:`copy_experiment` reads the corpus beside it)."""
    from topics.workflow import run_experiment

    return run_experiment(config_of(folder.parent), out=folder)
