"""Run a grid on a Dask distributed cluster, with or without a disk shared with the workers.

``shared_disk`` says how runs reach the workers and come back:

* **shared** (``true``): every worker opens the corpus from the experiment's cache folder and
  writes the model folder and pyLDAvis page into the experiment folder itself, as the local
  pool does.  Nothing is shipped: the fastest way when the folder is on a shared file system
  (and always for a ``LocalCluster`` on this machine).
* **shipped** (``false``): the client sends the preprocessed corpus files to every worker once
  (``client.scatter(..., broadcast=True)``); each worker unpacks them into a local temporary
  folder (once per worker process), trains there, and returns the run's files (the model's
  matrices and native model, the pyLDAvis page) with its result; the client writes them into
  the experiment folder atomically.  For clusters without a shared file system (cloud,
  Kubernetes): workers need ``topics`` installed, nothing else.
* ``auto`` (the default): shared for a ``LocalCluster``; with an ``address``, the client
  writes a probe file into the experiment folder and asks every connected worker to read it:
  shared if all of them can, shipped otherwise.

Either way the client records a run only when its result arrives, once: a worker that dies
mid-run makes Dask rerun that run on another worker (up to the scheduler's
``allowed-failures``), and a run that keeps killing its workers is recorded as failed with
Dask's error (``KilledWorker``).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Iterator

from topics.atomic import atomic_folder, write_atomic
from topics.runner import RunResult, RunTask, run_one

log = logging.getLogger(__name__)

SHARED_DISK = ("auto", True, False)


@dataclass(frozen=True)
class CorpusPack:
    """A saved corpus folder as bytes, to ship to workers: ``key`` is a hash of its files."""

    key: str
    files: tuple[tuple[str, bytes], ...]


def pack_corpus(corpus_dir: str | os.PathLike) -> CorpusPack:
    """Every file of a saved corpus folder (relative names, sorted) and their hash."""
    root = Path(corpus_dir)
    files = tuple((p.relative_to(root).as_posix(), p.read_bytes())
                  for p in sorted(root.rglob("*")) if p.is_file())
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return CorpusPack(digest.hexdigest()[:24], files)


_UNPACKED: dict[str, str] = {}  # corpus key -> its local folder, per worker process


def _unpack_corpus(pack: CorpusPack) -> str:
    folder = _UNPACKED.get(pack.key)
    if folder is not None and os.path.isdir(folder):
        return folder
    folder = tempfile.mkdtemp(prefix=f"topics-corpus-{pack.key}-")
    atexit.register(shutil.rmtree, folder, True)
    for name, data in pack.files:
        path = Path(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    _UNPACKED[pack.key] = folder
    return folder


def run_shipped(task: RunTask, pack: CorpusPack) -> RunResult:
    """On a worker: ``run_one`` over the shipped corpus in a scratch folder; the result
    carries the run's files (relative to the experiment folder)."""
    corpus_dir = _unpack_corpus(pack)
    with tempfile.TemporaryDirectory(prefix="topics-run-") as scratch:
        result = run_one(replace(task, corpus_dir=corpus_dir, experiment_dir=scratch))
        files = tuple((p.relative_to(scratch).as_posix(), p.read_bytes())
                      for p in sorted(Path(scratch).rglob("*")) if p.is_file())
    return replace(result, files=files)


def write_shipped(result: RunResult, folder: str | os.PathLike) -> RunResult:
    """On the client: write a shipped run's model folder (atomically, whole) and pages into
    the experiment folder; the result without its files.  Only ``models/<run_id>/...`` and
    ``ldavis/<run_id>.html`` are accepted.  A write that fails fails the run."""
    folder = Path(folder)
    model: dict[str, bytes] = {}
    pages: dict[str, bytes] = {}
    try:
        for name, data in result.files:
            parts = PurePosixPath(name).parts
            if len(parts) > 2 and parts[:2] == ("models", result.run_id) and ".." not in parts:
                model["/".join(parts[2:])] = data
            elif parts == ("ldavis", f"{result.run_id}.html"):
                pages[name] = data
            else:
                raise ValueError(f"unexpected file {name!r} from the worker")
        if model:
            with atomic_folder(folder / "models" / result.run_id) as staged:
                for name, data in model.items():
                    (staged / name).parent.mkdir(parents=True, exist_ok=True)
                    (staged / name).write_bytes(data)
        for name, data in pages.items():
            write_atomic(folder / name, data)
    except (OSError, ValueError) as err:
        message = f"writing the shipped run: {type(err).__name__}: {err}".splitlines()[0][:500]
        return replace(result, status="failed", error=message, model_dir=None, files=())
    return replace(result, files=())


def _reads(path: str, token: str) -> bool:
    try:
        return Path(path).read_text(encoding="utf-8") == token
    except OSError:
        return False


def shares_disk(client, folder: str | os.PathLike) -> bool:
    """Whether every worker connected to ``client`` reads a probe file written into
    ``folder`` (then they see the experiment folder at the same path)."""
    token = secrets.token_hex(16)
    probe = Path(folder) / f".shared-disk-probe.{token}.tmp"
    write_atomic(probe, token)
    try:
        answers = client.run(_reads, str(probe), token)
    finally:
        probe.unlink(missing_ok=True)
    return bool(answers) and all(answers.values())


def iter_dask(tasks: list[RunTask], *, address: str | None, n_jobs: int,
              shared_disk: str | bool = "auto") -> Iterator[RunResult]:
    """Run tasks on Dask (``address``, or a LocalCluster on 127.0.0.1), yielding results as
    runs finish; see the module for ``shared_disk``."""
    from distributed import Client, LocalCluster, as_completed as dask_completed

    if shared_disk not in SHARED_DISK:
        raise ValueError(f"shared_disk: expected auto, true or false, got {shared_disk!r}")
    folder = Path(tasks[0].experiment_dir)
    cluster = None
    if address is None:
        cluster = LocalCluster(n_workers=max(1, min(n_jobs, len(tasks))), threads_per_worker=1,
                               processes=True, host="127.0.0.1", dashboard_address=None)
    try:
        with Client(address or cluster) as client:
            shared = shared_disk if shared_disk != "auto" else (
                cluster is not None or shares_disk(client, folder))
            log.info("dask: %s", "workers share the experiment folder" if shared else
                     "no shared disk: the corpus is shipped to the workers, runs come back")
            futures = _submit(client, tasks, shared)
            for future in dask_completed(list(futures)):
                task = futures.pop(future)
                try:
                    result = future.result()
                except Exception as err:  # noqa: BLE001 - a lost run is data, not a crash
                    result = _dask_failure(task, err)
                # Release the finished task, so a worker dying later does not make Dask
                # recompute it (a rerun would overwrite a run already recorded).
                future.release()
                yield write_shipped(result, folder) if result.files else result
    finally:
        if cluster is not None:
            cluster.close()


def _submit(client, tasks: list[RunTask], shared: bool) -> dict:
    if shared:
        return {client.submit(run_one, t, key=f"run-{t.spec.run_id}", pure=False): t
                for t in tasks}
    packs = {}
    for corpus_dir in sorted({t.corpus_dir for t in tasks}):
        t0 = time.perf_counter()
        pack = pack_corpus(corpus_dir)
        packs[corpus_dir] = client.scatter(pack, broadcast=True, hash=False)
        log.info("dask: shipped the corpus (%.1f MB) to the workers in %.1fs",
                 sum(len(d) for _, d in pack.files) / 1e6, time.perf_counter() - t0)
    return {client.submit(run_shipped, t, packs[t.corpus_dir], key=f"run-{t.spec.run_id}",
                          pure=False): t for t in tasks}


def _dask_failure(task: RunTask, err: Exception) -> RunResult:
    now = time.time()
    message = f"dask: {type(err).__name__}: {err}".splitlines()[0][:500]
    return RunResult(task.spec.run_id, "failed", message, now, now, None, None)
