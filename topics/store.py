"""The experiment folder: SQLite results, manifest, per-run files, a lock; all writes atomic.

Layout of an experiment folder::

    manifest.json        resolved config, package versions, corpus hash, host, start time
    results.sqlite       one row per run: parameters, status, metrics, timings, error
    results.csv          the same table, exported after every run for spreadsheets
    cache/<key>/         the preprocessed corpus (dictionary, Matrix Market, tokens)
    models/<run_id>/     each run's model in its engine's own format (+ matrices)
    ldavis/<run_id>.html one offline pyLDAvis page per run
    figures/, report.html

A run's row is written in one transaction when the run ends, so a run killed with SIGKILL
loses at most the runs still in flight.  Models use pickle underneath (gensim, tomotopy):
never open experiment folders from untrusted sources.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from topics.atomic import write_atomic
from topics.errors import StoreError

SCHEMA_VERSION = 1
DB_NAME = "results.sqlite"
MANIFEST_NAME = "manifest.json"
LOCK_NAME = ".lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    corpus_key TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    metrics TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    started REAL,
    finished REAL,
    train_s REAL,
    score_s REAL,
    host TEXT,
    model_dir TEXT
);
"""


@dataclass(frozen=True)
class RunRecord:
    """One row of the results table."""

    run_id: str
    corpus_key: str
    params: dict[str, Any]
    status: str
    metrics: dict[str, Any]
    error: str | None = None
    started: float | None = None
    finished: float | None = None
    train_s: float | None = None
    score_s: float | None = None
    host: str | None = None
    model_dir: str | None = None


def write_json(path: str | Path, value: Any) -> Path:
    return write_atomic(path, json.dumps(value, indent=2, sort_keys=True, default=str) + "\n")


def read_json(path: str | Path) -> Any:
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise StoreError(f"{path}: damaged or unreadable ({err})") from None


@contextlib.contextmanager
def experiment_lock(folder: str | Path, *, wait: float = 0.0) -> Iterator[Path]:
    """Hold the experiment folder's lock; another holder makes this raise :class:`StoreError`.

    ``wait`` seconds are spent retrying before giving up.  The lock is an ``flock`` on
    ``.lock``: the kernel releases it when the holder dies, even by SIGKILL.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    handle = open(path, "a+", encoding="utf-8")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise StoreError(
                        f"{folder}: experiment is in use by {holder}; wait for it to finish "
                        "or write to another folder (--out)") from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
        handle.flush()
        yield path
    finally:
        handle.close()


class Store:
    """The SQLite results table of one experiment folder."""

    def __init__(self, folder: str | Path, *, create: bool = True):
        self.folder = Path(folder)
        self.path = self.folder / DB_NAME
        if not self.path.exists() and not create:
            raise StoreError(f"{self.path}: missing (is {self.folder} an experiment folder?)")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: written by a newer version of topics (store schema "
                    f"{row[0]}, this version reads up to {SCHEMA_VERSION}); upgrade topics")
            return db
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: not a readable results store ({err}); "
                             "move it away to start afresh") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, run: RunRecord) -> None:
        """Insert or replace one run's row in a single transaction."""
        row = (run.run_id, run.corpus_key, json.dumps(run.params, sort_keys=True), run.status,
               json.dumps(run.metrics, sort_keys=True), run.error, run.started, run.finished,
               run.train_s, run.score_s, run.host, run.model_dir)
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", row)

    def update_metrics(self, run_id: str, metrics: dict[str, Any]) -> None:
        """Merge ``metrics`` into a run's stored metrics (e.g. stability, known after a group)."""
        with self._transaction():
            row = self._db.execute("SELECT metrics FROM runs WHERE run_id=?", (run_id,)).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: no run {run_id}")
            merged = {**json.loads(row[0]), **metrics}
            self._db.execute("UPDATE runs SET metrics=? WHERE run_id=?",
                             (json.dumps(merged, sort_keys=True), run_id))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: write failed ({err})") from None

    def runs(self, *, status: str | None = None) -> list[RunRecord]:
        query = "SELECT * FROM runs" + (" WHERE status=?" if status else "") + " ORDER BY run_id"
        try:
            rows = self._db.execute(query, (status,) if status else ()).fetchall()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: not a readable results store ({err})") from None
        return [RunRecord(r[0], r[1], json.loads(r[2]), r[3], json.loads(r[4]), *r[5:])
                for r in rows]

    def completed_ids(self) -> set[str]:
        """Runs recorded as done whose model folder still exists."""
        return {r.run_id for r in self.runs(status="done")
                if r.model_dir is None or (self.folder / r.model_dir).exists()}


def remove_staging(folder: str | Path) -> list[Path]:
    """Remove the hidden staging folders and files (``.name.tmp...``, ``.name...old``) that
    a killed writer left in ``models/``, ``cache/`` and the folder itself.  Call it only while
    holding :func:`experiment_lock`: then no writer can be using them."""
    folder = Path(folder)
    removed = []
    for parent in (folder, *(folder / name for name in ("models", "cache", "ldavis", "figures"))):
        if not parent.is_dir():
            continue
        for path in parent.iterdir():
            if path.name.startswith(".") and (".tmp" in path.name or ".old" in path.name):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        path.unlink()
                removed.append(path)
    return removed


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages a result depends on."""
    import platform
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for name in ("topics", "gensim", "tomotopy", "nltk", "numpy", "scipy", "pandas",
                 "pyLDAvis", "matplotlib", "PyYAML", "distributed"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def write_manifest(folder: str | Path, *, config: dict, corpus_key: str, corpus_hash: str,
                   corpus_stats: dict | None = None) -> dict:
    """Record what this invocation ran on; earlier invocations are kept under ``history``."""
    path = Path(folder) / MANIFEST_NAME
    history: list = []
    if path.exists():
        previous = read_json(path)
        history = previous.pop("history", [])
        history.append(previous)
    manifest = {
        "config": config,
        "corpus_key": corpus_key,
        "corpus_hash": corpus_hash,
        "corpus_stats": corpus_stats or {},
        "versions": package_versions(),
        "host": socket.gethostname(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "history": history[-20:],
    }
    write_json(path, manifest)
    return manifest
