"""The experiment folder: SQLite results, manifest, per-run files, a lock; all writes atomic.

Layout of an experiment folder::

    manifest.json        resolved config, package versions, corpus hash, host, start time
    results.sqlite       one row per run: parameters, status, metrics, timings, error, and
                         the scoring settings its metrics were computed under
    results.csv          the same table, exported after every run for spreadsheets
    cache/<key>/         the preprocessed corpus (dictionary, Matrix Market, tokens: JSON)
    models/<run_id>/     each run's matrices (.npy), top words, and native model
    ldavis/<run_id>.html one offline pyLDAvis page per run
    figures/, report.html

A run's row is written in one transaction when the run ends, so a run killed with SIGKILL
loses at most the runs still in flight.  Nothing here unpickles: the native models under
``models/`` (gensim's are pickles) are opened only by ``topics.engines.load_model``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
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

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: the ``scoring`` column (the settings a run's metrics were computed under)
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
    model_dir TEXT,
    scoring TEXT
);
"""
_COLUMNS = ("run_id", "corpus_key", "params", "status", "metrics", "error", "started",
            "finished", "train_s", "score_s", "host", "model_dir", "scoring")
_JSON_COLUMNS = ("params", "metrics", "scoring")


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
    scoring: dict[str, Any] | None = None  # the scoring settings of ``metrics``


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
            if row is not None and int(row[0]) > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: written by a newer version of topics (store schema "
                    f"{row[0]}, this version reads up to {SCHEMA_VERSION}); upgrade topics")
            columns = {r[1] for r in db.execute("PRAGMA table_info(runs)")}
            if "scoring" not in columns:  # schema 1: its runs are re-scored by `topics run`
                db.execute("ALTER TABLE runs ADD COLUMN scoring TEXT")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                       (str(SCHEMA_VERSION),))
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
        row = [getattr(run, c) for c in _COLUMNS]
        for i, column in enumerate(_COLUMNS):
            if column in _JSON_COLUMNS and row[i] is not None:
                row[i] = json.dumps(row[i], sort_keys=True)
        with self._transaction():
            self._db.execute(f"INSERT OR REPLACE INTO runs ({', '.join(_COLUMNS)}) "
                             f"VALUES ({', '.join('?' * len(_COLUMNS))})", row)

    def rescore(self, run_id: str, *, metrics: dict[str, Any], scoring: dict[str, Any],
                score_s: float | None) -> None:
        """Replace a run's metrics and the scoring settings they were computed under."""
        with self._transaction():
            self._db.execute("UPDATE runs SET metrics=?, scoring=?, score_s=? WHERE run_id=?",
                             (json.dumps(metrics, sort_keys=True),
                              json.dumps(scoring, sort_keys=True), score_s, run_id))

    def mark_failed(self, run_id: str, error: str) -> None:
        """Record a completed run as failed (its files are damaged): it trains again."""
        with self._transaction():
            self._db.execute("UPDATE runs SET status='failed', error=? WHERE run_id=?",
                             (error, run_id))

    def drop_damaged(self) -> list[tuple[str, str]]:
        """Delete the rows whose JSON cells cannot be read; (run id, what was wrong) each."""
        damaged = []
        for row in self._select("", ()):
            try:
                self._decode(row)
            except StoreError as err:
                damaged.append((row[0], str(err)))
        if damaged:
            with self._transaction():
                self._db.executemany("DELETE FROM runs WHERE run_id=?",
                                     [(run_id,) for run_id, _ in damaged])
        return damaged

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
        """The rows (of one status), by run id; StoreError naming the run and the column
        when a cell is damaged (``topics run`` drops such rows: the run trains again)."""
        rows = self._select(" WHERE status=?" if status else "", (status,) if status else ())
        return [self._decode(r) for r in rows]

    def digest(self) -> str:
        """A sha256 of every row as stored (no decoding): equal digests, equal tables."""
        import hashlib

        return hashlib.sha256(repr(self._select("", ())).encode("utf-8")).hexdigest()

    def _select(self, where: str, args: tuple) -> list[tuple]:
        query = f"SELECT {', '.join(_COLUMNS)} FROM runs{where} ORDER BY run_id"
        try:
            return self._db.execute(query, args).fetchall()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: not a readable results store ({err})") from None

    def _decode(self, row: tuple) -> RunRecord:
        values = dict(zip(_COLUMNS, row))
        for column in _JSON_COLUMNS:
            if column == "scoring" and values[column] is None:
                continue  # scored before settings were recorded
            try:
                value = json.loads(values[column])
            except (TypeError, ValueError) as err:
                value = err
            if not isinstance(value, dict):
                raise StoreError(f"{self.path}: run {values['run_id']}: damaged {column} "
                                 f"(not a JSON object: {str(values[column])[:60]!r}); "
                                 "`topics run` on this folder trains the run again")
            values[column] = value
        return RunRecord(**values)

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


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The folder's manifest; StoreError naming the file when it is missing, damaged or not
    a JSON object."""
    path = Path(folder) / MANIFEST_NAME
    manifest = read_json(path)
    if not isinstance(manifest, dict):
        raise StoreError(f"{path}: not a JSON object (a {type(manifest).__name__}); "
                         "`topics run` on this folder writes a new one")
    return manifest


def write_manifest(folder: str | Path, *, config: dict, corpus_key: str, corpus_hash: str,
                   corpus_stats: dict | None = None, scoring: dict | None = None) -> dict:
    """Record what this invocation ran on (``scoring``: the scoring settings every run is
    scored under); earlier invocations are kept under ``history``.  A damaged manifest is
    replaced with a warning (its history is lost)."""
    path = Path(folder) / MANIFEST_NAME
    history: list = []
    if path.exists():
        try:
            previous = read_manifest(folder)
        except StoreError as err:
            log.warning("%s; writing a new manifest (the history of earlier runs is lost)", err)
            previous = {}
        history = previous.pop("history", [])
        history = (history if isinstance(history, list) else []) + ([previous] if previous else [])
    manifest = {
        "config": config,
        "corpus_key": corpus_key,
        "corpus_hash": corpus_hash,
        "corpus_stats": corpus_stats or {},
        "versions": package_versions(),
        "host": socket.gethostname(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "scoring": scoring,
        "history": history[-20:],
    }
    write_json(path, manifest)
    return manifest
