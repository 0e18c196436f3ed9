"""A damaged or outdated cached corpus: the dictionary is JSON (never a pickle); a damaged
one (empty, truncated, garbage) and an entry of an older format are rebuilt with a warning,
and the runs trained on it are kept (the rebuilt corpus has the same key)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

import topics
from topics.corpus import FORMAT as CORPUS_FORMAT

from ._tiny import build_experiment, copy_experiment, done_metrics, rerun


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    """A finished tiny experiment and its metrics."""
    return build_experiment(tmp_path_factory.mktemp("damaged_cache"))


@pytest.fixture
def copy(built, tmp_path) -> Path:
    """A copy of the experiment and of its corpus."""
    return copy_experiment(built[0], tmp_path)


def cache_entry(folder: Path) -> Path:
    (entry,) = [p for p in (folder / "cache").iterdir() if not p.name.startswith(".")]
    return entry


def assert_rebuilt_keeping_runs(copy: Path, built, caplog) -> None:
    """A rerun warns of the damaged cache entry, rebuilds it and keeps (skips) both runs."""
    with caplog.at_level(logging.WARNING):
        summary = rerun(copy)
    assert "damaged cache entry" in caplog.text
    assert (summary.skipped, summary.done, summary.failed) == (2, 0, 0)
    assert done_metrics(copy) == built[1]
    assert len(topics.load_experiment(copy).documents()) == 30


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage"])
def test_a_damaged_cached_dictionary_is_rebuilt_with_a_warning(copy, built, damage, caplog):
    (path,) = (cache_entry(copy) / "corpus").glob("dictionary.*")
    data = path.read_bytes()
    path.write_bytes({"empty": b"", "truncated": data[:len(data) // 2],
                      "garbage": b"\x80\x04garbage"}[damage])
    assert_rebuilt_keeping_runs(copy, built, caplog)


def test_a_cache_entry_of_an_older_format_is_rebuilt_and_keeps_the_runs(copy, built, caplog):
    head_path = cache_entry(copy) / "corpus" / "corpus.json"
    head = json.loads(head_path.read_text())
    head_path.write_text(json.dumps({**head, "format": CORPUS_FORMAT - 1}))
    with caplog.at_level(logging.WARNING):
        summary = rerun(copy)
    assert "format" in caplog.text
    assert (summary.skipped, summary.done) == (2, 0)
    assert json.loads(head_path.read_text())["format"] == CORPUS_FORMAT
    assert done_metrics(copy) == built[1]


def test_the_dictionary_file_round_trips_everything(tmp_path):
    from topics.corpus import make_dictionary
    from topics.corpus_texts import load_dictionary, save_dictionary

    texts = [["tab\there", "new\nline", "é", "a"], ["a", "a", "\ud800lone", "b"], ["b"]]
    dictionary = make_dictionary(texts)
    save_dictionary(dictionary, tmp_path / "d.json")
    loaded = load_dictionary(tmp_path / "d.json")
    assert loaded.token2id == dictionary.token2id
    assert loaded.dfs == dictionary.dfs and loaded.cfs == dictionary.cfs
    assert (loaded.num_docs, loaded.num_pos, loaded.num_nnz) == (3, 9, 8)
    assert [loaded[i] for i in range(len(loaded))] == [dictionary[i] for i in range(6)]
    assert loaded.doc2bow(["a", "a", "b"]) == dictionary.doc2bow(["a", "a", "b"])


def test_a_damaged_dictionary_in_a_complete_folder_is_rebuilt_by_the_next_run(copy, built,
                                                                               caplog):
    """A rerun with nothing to do (the folder stamped complete) still sees the damage."""
    assert rerun(copy).skipped == 2  # in place: stamps the folder as complete
    (cache_entry(copy) / "corpus" / "dictionary.json").write_bytes(b"")
    assert_rebuilt_keeping_runs(copy, built, caplog)

