"""The results store: transactions, resume bookkeeping, locks, schema and damage checks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from topics.errors import StoreError
from topics.store import (SCHEMA_VERSION, RunRecord, Store, experiment_lock, read_json,
                          write_atomic, write_manifest)


def _run(run_id, status="done", **metrics):
    return RunRecord(run_id=run_id, corpus_key="k", params={"num_topics": 5}, status=status,
                     metrics=metrics, error=None if status == "done" else "boom")


def test_records_round_trip_and_update(tmp_path):
    with Store(tmp_path) as store:
        store.record(_run("a", c_v=0.5))
        store.record(_run("b", status="failed"))
        store.update_metrics("a", {"stability": 0.9})
    with Store(tmp_path, create=False) as store:
        runs = {r.run_id: r for r in store.runs()}
        assert runs["a"].metrics == {"c_v": 0.5, "stability": 0.9}
        assert runs["b"].status == "failed" and runs["b"].error == "boom"
        assert store.completed_ids() == {"a"}


def test_completed_runs_whose_model_folder_vanished_are_redone(tmp_path):
    (tmp_path / "models" / "a").mkdir(parents=True)
    with Store(tmp_path) as store:
        store.record(RunRecord("a", "k", {}, "done", {}, model_dir="models/a"))
        store.record(RunRecord("b", "k", {}, "done", {}, model_dir="models/b"))
        assert store.completed_ids() == {"a"}


def test_a_newer_schema_is_refused_not_overwritten(tmp_path):
    Store(tmp_path).close()
    db = sqlite3.connect(tmp_path / "results.sqlite")
    db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer version of topics"):
        Store(tmp_path)


def test_a_corrupt_store_is_reported(tmp_path):
    (tmp_path / "results.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a readable results store"):
        Store(tmp_path)
    with pytest.raises(StoreError, match="missing"):
        Store(tmp_path / "nowhere", create=False)


def test_a_second_process_is_refused_the_lock_with_a_clear_message(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from topics.store import experiment_lock
        with experiment_lock({str(tmp_path)!r}):
            print("locked", flush=True)
            time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match=r"experiment is in use by pid \d+"):
            with experiment_lock(tmp_path):
                pass
    finally:
        holder.kill()
        holder.wait()
    with experiment_lock(tmp_path):  # the kernel released the dead holder's lock
        pass


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    write_atomic(tmp_path / "a.txt", "one")
    write_atomic(tmp_path / "a.txt", "two")
    assert (tmp_path / "a.txt").read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_manifest_records_versions_and_keeps_history(tmp_path):
    write_manifest(tmp_path, config={"name": "x"}, corpus_key="k1", corpus_hash="h1")
    second = write_manifest(tmp_path, config={"name": "x"}, corpus_key="k2", corpus_hash="h2")
    assert second["versions"]["gensim"] != "absent"
    saved = read_json(tmp_path / "manifest.json")
    assert saved["corpus_key"] == "k2" and saved["history"][0]["corpus_key"] == "k1"
    (tmp_path / "manifest.json").write_text("{broken")
    with pytest.raises(StoreError, match="manifest.json: damaged"):
        read_json(tmp_path / "manifest.json")


def test_staging_left_by_a_killed_writer_is_removed_and_nothing_else(tmp_path):
    from topics.store import remove_staging

    (tmp_path / "models" / "abc").mkdir(parents=True)
    (tmp_path / "models" / ".abc.x1.tmp").mkdir()
    (tmp_path / "models" / ".abc.x2.old").mkdir()
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / ".key.tmp-123").mkdir()
    (tmp_path / ".results.csv.x.tmp").write_text("half")
    (tmp_path / ".lock").write_text("")
    removed = remove_staging(tmp_path)
    assert sorted(p.name for p in removed) == sorted(
        [".abc.x1.tmp", ".abc.x2.old", ".key.tmp-123", ".results.csv.x.tmp"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "cache", "models"]
    assert [p.name for p in (tmp_path / "models").iterdir()] == ["abc"]
