"""Damage to an experiment folder: a missing top_words.json, unreadable matrices, a manifest that is not a JSON object, a ``params`` cell that is not
JSON.  The next ``topics run`` repairs what it can (rebuilds, re-scores or re-runs, with a
warning) and a reader stops with one line naming the file; never a traceback."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

import topics
from topics.errors import StoreError
from topics.store import read_json

from ._cli import assert_user_error, run_topics, write_config
from ._tiny import build_experiment, copy_experiment, done_metrics, raw_config, rerun


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    """A finished tiny experiment and its metrics."""
    return build_experiment(tmp_path_factory.mktemp("damaged"))


@pytest.fixture
def copy(built, tmp_path) -> Path:
    """A copy of the experiment (its config reads the corpus of the module's folder)."""
    return copy_experiment(built[0], tmp_path)


@pytest.fixture
def stamped(copy) -> Path:
    """The copy after one more run in place: complete and stamped, so that the next run with
    nothing to do takes the fast path (topics.rerun) unless it sees the damage."""
    summary = rerun(copy)
    assert (summary.skipped, summary.done) == (2, 0)
    assert (copy / ".rerun-stamp.json").exists()
    return copy


# ------------------------------------------------------------------ run files
def test_a_missing_top_words_file_is_regenerated_from_the_matrices(stamped, built, caplog):
    copy = stamped
    run_id = sorted(built[1])[0]
    path = copy / "models" / run_id / "top_words.json"
    before = read_json(path)
    path.unlink()
    with caplog.at_level(logging.WARNING):
        summary = rerun(copy)
    assert run_id in caplog.text and "top_words.json" in caplog.text
    assert (summary.skipped, summary.done, summary.failed) == (2, 0, 0)
    assert read_json(path) == before
    assert done_metrics(copy) == built[1]
    assert topics.load_experiment(copy).best("stability")["stability"][0] > 0


def test_unreadable_matrices_make_the_run_train_again(stamped, built, caplog):
    copy = stamped
    run_id = sorted(built[1])[0]
    (copy / "models" / run_id / "topic_word.npy").write_bytes(b"not numpy")
    with caplog.at_level(logging.WARNING):
        summary = rerun(copy)
    assert run_id in caplog.text and "train" in caplog.text
    assert (summary.skipped, summary.done, summary.failed) == (1, 1, 0)
    assert done_metrics(copy) == built[1]  # the same seed trains the same model


@pytest.mark.parametrize("manifest", ["[]", "5", '"text"', "null"])
def test_a_manifest_that_is_not_an_object_is_named_by_readers_and_replaced_by_a_run(
        stamped, manifest, caplog):
    copy = stamped
    (copy / "manifest.json").write_text(manifest)
    with pytest.raises(StoreError, match=r"manifest\.json: not a JSON object"):
        topics.load_experiment(copy)
    assert_user_error(run_topics("report", copy), "manifest.json", "not a JSON object")
    with caplog.at_level(logging.WARNING):
        summary = rerun(copy)
    assert "manifest.json" in caplog.text
    assert summary.skipped == 2
    assert isinstance(read_json(copy / "manifest.json"), dict)
    assert len(topics.load_experiment(copy).results) == 2


@pytest.mark.parametrize("column,value", [("params", "{not json"), ("params", "[1, 2]"),
                                          ("metrics", "nan{"), ("metrics", "7")])
def test_a_damaged_cell_is_named_by_readers_and_the_run_trains_again(copy, built, column,
                                                                     value, caplog):
    run_id = sorted(built[1])[0]
    db = sqlite3.connect(copy / "results.sqlite")
    with db:
        db.execute(f"UPDATE runs SET {column}=? WHERE run_id=?", (value, run_id))
    db.close()
    with pytest.raises(StoreError, match=rf"results\.sqlite: run {run_id}: damaged {column}"):
        topics.load_experiment(copy).results
    assert_user_error(run_topics("report", copy), "results.sqlite", run_id, column)
    config = write_config(copy.parent / "c.yaml", raw_config(copy.parent / "corpus"))
    result = run_topics("run", config, "--out", copy)
    assert result.returncode == 0, result.stderr[-3000:]
    assert run_id in result.stderr and "train" in result.stderr
    assert "1 already completed, 1 done now, 0 failed" in result.stdout
    assert done_metrics(copy) == built[1]


def test_a_model_dir_outside_the_folder_is_neither_read_nor_written(copy, built, caplog):
    run_id = sorted(built[1])[0]
    outside = copy.parent / "elsewhere"
    shutil.copytree(copy / "models" / run_id, outside)
    (outside / "top_words.json").unlink()
    db = sqlite3.connect(copy / "results.sqlite")
    with db:
        db.execute("UPDATE runs SET model_dir=? WHERE run_id=?", (str(outside), run_id))
    db.close()
    with caplog.at_level(logging.WARNING):
        summary = rerun(copy)
    assert "outside the experiment folder" in caplog.text
    assert (summary.skipped, summary.done, summary.failed) == (1, 1, 0)
    assert not (outside / "top_words.json").exists()
    assert done_metrics(copy) == built[1]
