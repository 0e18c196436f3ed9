"""Untrusted experiment folders: reading one back never unpickles anything.

Every pickle an experiment folder holds (gensim's native model and its side files, the
Matrix Market index, and whatever else starts like a pickle) is replaced by a pickle whose
``__reduce__`` creates a marker file when it is loaded.  The report, ``load_experiment``,
``results``, ``best``, ``topics``, ``doc_topics``, ``themes``, ``compare`` and the documents
must not create it; ``exp.model(run_id)`` (which loads the native model, documented to
unpickle) does, which shows the planted pickles are live.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

import topics
from topics.errors import StoreError
from topics.workflow import run_experiment

from ._cli import run_topics
from ._tiny import THEMES, config_of, write_corpus

PICKLE_NAMES = (".gensim", ".index", ".pkl", ".pickle", ".state", ".id2word")


class Planted:
    """Unpickling this creates ``marker`` (``open(marker, "w")``)."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def plant(folder: Path, marker: Path) -> list[Path]:
    """Replace every pickle under ``folder`` by a planted one; the files replaced."""
    payload = pickle.dumps(Planted(marker), protocol=4)
    replaced = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        with open(path, "rb") as f:
            head = f.read(1)
        if head == b"\x80" or path.name.endswith(PICKLE_NAMES):
            path.write_bytes(payload)
            replaced.append(path)
    return replaced


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A finished tiny experiment: two gensim runs, phrases, themes."""
    root = tmp_path_factory.mktemp("untrusted")
    write_corpus(root / "corpus")
    run_experiment(config_of(root, themes=THEMES), out=root / "exp")
    return root / "exp"


@pytest.fixture
def planted(built, tmp_path) -> tuple[Path, Path]:
    """A copy of the experiment with every pickle planted; (folder, marker)."""
    folder = tmp_path / "exp"
    shutil.copytree(built, folder)
    marker = tmp_path / "MARKER"
    replaced = plant(folder, marker)
    assert any(p.name == "model.gensim" for p in replaced), replaced
    return folder, marker


def test_reading_a_folder_never_unpickles(planted):
    folder, marker = planted
    exp = topics.load_experiment(folder)
    run_a, run_b = list(exp.results["run_id"])
    assert exp.best("c_npmi")["run_id"][0] in (run_a, run_b)
    assert exp.topics(run_a, topn=5).shape[0] == 15
    assert exp.doc_topics(run_a).shape[0] == 30
    assert set(exp.themes(run_a).scores.columns) == set(THEMES)
    assert len(exp.compare(run_a, run_b)) == 3
    assert len(exp.documents()) == 30
    assert "run_id" in exp._repr_html_()
    assert not marker.exists()
    exp.corpus.transform_text("regime change in the market")
    assert not marker.exists()
    # The native model is the one thing that may unpickle: the plant is live.
    with pytest.raises(StoreError):
        exp.model(run_a)
    assert marker.exists()


def test_the_report_of_a_planted_folder_never_unpickles(planted):
    folder, marker = planted
    result = run_topics("report", folder)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not marker.exists()
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "Top words of the best run" in page and "Theme lift per document" in page


def test_a_pickled_matrix_is_refused_not_loaded(built, tmp_path):
    folder = tmp_path / "exp"
    shutil.copytree(built, folder)
    marker = tmp_path / "MARKER"
    run = sorted(p.name for p in (folder / "models").iterdir())[0]
    np.save(folder / "models" / run / "doc_topic.npy",
            np.array([Planted(marker)], dtype=object), allow_pickle=True)
    exp = topics.load_experiment(folder)
    with pytest.raises(StoreError, match="not a readable model folder"):
        exp.doc_topics(run)
    assert not marker.exists()


def test_the_cache_holds_no_pickle_the_reader_opens(built):
    """The dictionary and the phrase models are JSON: only bow.mm.index (gensim's Matrix
    Market index, opened by training workers on large corpora) is still a pickle."""
    cache = next((built / "cache").iterdir())
    pickles = []
    for path in cache.rglob("*"):
        if path.is_file():
            with open(path, "rb") as f:
                if f.read(1) == b"\x80":
                    pickles.append(path.name)
    assert pickles == ["bow.mm.index"]
    assert (cache / "corpus" / "dictionary.json").exists()
    assert sorted(p.name for p in (cache / "preprocessor").iterdir()) == [
        "phrases_0.json", "preprocessor.json"]
