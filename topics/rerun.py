"""A rerun with nothing to do, answered from the store without preprocessing or drawing.

After a ``topics run`` that left every run of its grid completed, :func:`write_stamp` records
a key of what decided the results (the resolved config, the names, sizes and modification
times of the input files it names, the package versions) and of the folder's state (the
results table as stored, the manifest, and the size and modification time of every file of
the runs' model folders and of the corpus cache entry), with the run ids and best runs.
The next ``topics run`` on that folder computes both again (``stat`` calls and one query, no
tokenising or model loading); when they are the same, :func:`fresh_summary` answers from
the stamp and the work is skipped.  Anything a full run would repair (a removed, cut short
or rewritten file, a changed row, a damaged manifest) changes the state, and a full run
follows.  ``report.html`` likewise carries a key of the results table, config and versions
it was drawn from (:func:`report_key`): it is redrawn only when that key changes.  Any change of config,
input file or package version, or a run missing from the store, means a full run.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from topics.atomic import write_atomic
from topics.store import Store, StoreError, package_versions

STAMP = ".rerun-stamp.json"
REPORT_KEY = ".report-key"


def _input_paths(config) -> list[str] | None:
    """The input files and folders the config names; None when one is not a plain path
    (a named dataset, a missing file): then no stamp is used."""
    paths = [config.corpus.get("path"), config.corpus.get("metadata"),
             config.scoring.get("reference")]
    paths = [p for p in paths if p]
    if not paths or not all(isinstance(p, str) and os.path.exists(p) for p in paths):
        return None
    return paths


def _signature(path: str) -> list:
    """(relative name, size, mtime in ns) of a file or of every file under a folder."""
    if not os.path.isdir(path):
        st = os.stat(path)
        return [[path, st.st_size, st.st_mtime_ns]]
    rows = []
    for root, dirs, files in os.walk(path, followlinks=True):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            try:
                st = os.stat(full)
            except OSError:
                continue
            rows.append([os.path.relpath(full, path), st.st_size, st.st_mtime_ns])
    return [[path, rows]]


def rerun_key(config) -> str | None:
    """The key of what decided a run's results, or None when it cannot be computed."""
    paths = _input_paths(config)
    if paths is None:
        return None
    parts = [config.resolved(), [_signature(p) for p in paths], package_versions()]
    blob = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def folder_state(folder: Path, run_ids: list[str], corpus_key: str) -> str | None:
    """A digest of what a finished folder holds (None if it cannot be read): the results
    table as stored, the manifest, and the size and modification time of every file of the
    runs' model folders and of the corpus cache entry.  Damage found by a full run (a file
    removed, cut short or rewritten, a changed row) changes it."""
    parts: list = []
    try:
        with Store(folder, create=False) as store:
            parts.append(store.digest())
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            return None
        parts.append(manifest)
        for sub in [*(f"models/{run_id}" for run_id in sorted(run_ids)), f"cache/{corpus_key}"]:
            if not (folder / sub).is_dir():
                return None
            parts.append(_signature(str(folder / sub)))
    except (OSError, ValueError, StoreError):
        return None
    digest = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(digest.replace(str(folder).encode("utf-8"), b"")).hexdigest()


def write_stamp(folder: Path, config, *, run_ids: list[str], best: dict,
                corpus_key: str) -> None:
    """Record that every run of this config's grid is complete (see the module)."""
    key = rerun_key(config)
    state = folder_state(folder, run_ids, corpus_key)
    if key is not None and state is not None:
        write_atomic(folder / STAMP, json.dumps({
            "key": key, "state": state, "runs": sorted(run_ids), "corpus_key": corpus_key,
            "best": list(best.items())}))


def clear_stamp(folder: Path) -> None:
    """Forget the stamp (a run is about to change the folder)."""
    (folder / STAMP).unlink(missing_ok=True)


def fresh_summary(folder: Path, config) -> dict[str, Any] | None:
    """The stamp's runs and best runs when nothing changed since it was written, else None."""
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        if stamp.get("key") != rerun_key(config):
            return None
        if stamp["state"] != folder_state(folder, stamp["runs"], stamp["corpus_key"]):
            return None
        stamp["best"] = {measure: tuple(best) for measure, best in stamp["best"]}
    except (OSError, KeyError, TypeError, ValueError):  # no stamp, or another format
        return None
    return stamp


def report_key(folder: Path, config) -> str:
    """A key of what ``report.html`` shows: the results table, the config, the versions."""
    digest = hashlib.sha256((folder / "results.csv").read_bytes())
    digest.update(json.dumps([config.resolved(), package_versions()], sort_keys=True,
                             default=str).encode("utf-8"))
    return digest.hexdigest()


def report_is_current(folder: Path, key: str) -> bool:
    """Whether ``report.html`` exists and was written for ``key``; if not, the old key is
    forgotten (the report is about to be rewritten)."""
    path = folder / REPORT_KEY
    try:
        if (folder / "report.html").exists() and path.read_text(encoding="utf-8") == key:
            return True
    except OSError:
        pass
    path.unlink(missing_ok=True)
    return False


def mark_report(folder: Path, key: str) -> None:
    """Record that ``report.html`` was written for ``key``."""
    write_atomic(folder / REPORT_KEY, key)
