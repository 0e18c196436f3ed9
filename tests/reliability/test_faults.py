"""Faults: SIGKILL while preprocessing and while models are written, worker processes that
die, a full disk.  After each fault nothing half-written is read back as valid, and the next
invocation finishes only what is missing.

``topics`` runs in a child process of its own session.  Kills hit the whole process group
(the CLI and its pool workers, as a crash of the machine or ``kill -9 -PGID`` would) unless
a test says otherwise, and are aimed with pause points (``topics.testhooks``, driven by
``tests/_pauses.py``): the process stops at the named moment, e.g. with a model's hidden
staging folder (``.<name>...tmp``) half written, and is killed there.  A full disk is simulated
with ``RLIMIT_FSIZE`` in the child: a write past the limit fails with EFBIG (SIGXFSZ is
ignored, as CPython does by default).
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from _pauses import KILLED, Pauses
from topics.config import load_config
from topics.engines import load_model
from topics.preprocess.cache import load_prepared
from topics.store import Store, read_json
from topics.workflow import load_corpus_for, run_experiment

from ._cli import PROJECT, error_lines, write_config
from .test_determinism import write_corpus

KEY = re.compile(r"[0-9a-f]{24}")
DOOMED = 25  # tomotopy sweeps of the runs whose worker a test kills as it starts training
LIGHT = {"lemmatize": False, "no_above": 0.9}
QUIET = {"ldavis": False, "report": False}
SUMMARY = re.compile(r"runs: (\d+) in the grid, (\d+) already completed, (\d+) done now, "
                     r"(\d+) failed")


# ------------------------------------------------------------------ processes
def _file_size_limit(nbytes: int) -> Callable[[], None]:
    def limit() -> None:  # in the child, before exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return limit


def start(*args: str | Path, logs: Path, pauses: Pauses) -> subprocess.Popen:
    """``topics ARGS`` in a new session, stopping at ``pauses``' points; stdout and stderr
    go to ``logs``.out/.err."""
    with open(logs.with_suffix(".out"), "w") as out, open(logs.with_suffix(".err"), "w") as err:
        return subprocess.Popen([sys.executable, "-m", "topics.cli", *map(str, args)],
                                cwd=PROJECT, stdout=out, stderr=err, start_new_session=True,
                                env=pauses.environ())


def finish(*args: str | Path, limit: int | None = None) -> subprocess.CompletedProcess:
    """``topics ARGS`` to its end (files limited to ``limit`` bytes if given)."""
    return subprocess.run([sys.executable, "-m", "topics.cli", *map(str, args)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=600,
                          preexec_fn=None if limit is None else _file_size_limit(limit))


def wait_until(proc: subprocess.Popen, condition: Callable[[], bool], *,
               timeout: float = 600) -> None:
    """Poll ``condition`` until it holds; fails if ``proc`` ends first.  For states that
    last (a log line written), never for a moment that could pass unseen."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"the process ended (exit {proc.returncode}) first"
        assert time.monotonic() < deadline, "the awaited state never came"
        time.sleep(0.01)


def kill_group(proc: subprocess.Popen) -> bool:
    """SIGKILL ``proc``'s process group; True if that is what ended ``proc``."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return proc.returncode == -signal.SIGKILL


def processes(*, parent: int | None = None, group: int | None = None) -> list[int]:
    """Living (not zombie) processes with that parent pid or process group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        state, ppid, pgrp = fields[0], int(fields[1]), int(fields[2])
        if state != "Z" and (ppid == parent or pgrp == group):
            found.append(int(stat.parent.name))
    return found


def workers(proc: subprocess.Popen) -> list[int]:
    """``proc``'s forked pool workers (children running the same command line)."""
    def cmdline(pid: int) -> bytes:
        with contextlib.suppress(OSError):
            return Path(f"/proc/{pid}/cmdline").read_bytes()
        return b""
    return [pid for pid in processes(parent=proc.pid) if cmdline(pid) == cmdline(proc.pid)]


# ------------------------------------------------------------------ what a reader sees
def staging(folder: Path, inner: str = "") -> list[str]:
    """Hidden staging folders being written in ``folder`` (holding ``inner`` if given)."""
    if not folder.is_dir():
        return []
    return [p.name for p in folder.iterdir()
            if p.name.startswith(".") and ".tmp" in p.name and (not inner or (p / inner).exists())]


def cache_entries(cache: Path) -> dict:
    """Every cache entry a later run would use (the non-hidden folders), loaded: a partial
    entry raises StoreError here."""
    if not cache.is_dir():
        return {}
    names = [p.name for p in cache.iterdir() if not p.name.startswith(".")]
    assert all(KEY.fullmatch(name) for name in names), names
    return {name: load_prepared(cache / name) for name in names}


def check_model(path: Path) -> None:
    model = load_model(path)  # StoreError if damaged; the native model is loaded too
    k = model.params["num_topics"]
    assert model.topic_word.shape == (k, len(model.vocab))
    assert model.doc_topic.shape == (len(model.doc_ids), k)
    np.testing.assert_allclose(model.topic_word.sum(axis=1), 1.0, rtol=1e-5)


def check_experiment(folder: Path) -> dict[str, str]:
    """Every model a reader could open is whole: the store's done runs (with their top
    words) and every non-hidden folder under models/.  Returns run_id -> status."""
    status = {}
    if (folder / "results.sqlite").exists():
        with Store(folder, create=False) as store:
            for run in store.runs():
                status[run.run_id] = run.status
                if run.status == "done":
                    assert not Path(run.model_dir).name.startswith(".")
                    check_model(folder / run.model_dir)
                    tops = read_json(folder / run.model_dir / "top_words.json")
                    assert len(tops) == run.params["num_topics"]
    models = folder / "models"
    for path in sorted(models.iterdir()) if models.is_dir() else []:
        if not path.name.startswith("."):
            check_model(path)
    return status


def summary(stdout: str) -> tuple[int, ...]:
    """(grid size, already completed, done now, failed) from the CLI's summary line."""
    match = SUMMARY.search(stdout)
    assert match, stdout
    return tuple(map(int, match.groups()))


def experiment(tmp_path: Path, *, n_docs: int = 200, **grid) -> tuple[Path, Path]:
    """A generated corpus and a config running ``grid`` on it: (config, experiment folder)."""
    corpus = write_corpus(tmp_path / "corpus", n_docs=n_docs, n_words=60)
    config = write_config(tmp_path / "config.yaml", {
        "name": "faults", "corpus": {"path": str(corpus)}, "preprocess": LIGHT,
        "grid": {"engine": "tomotopy", "iterations": 50, **grid},
        "scoring": {"measures": ["c_npmi"]}, "runner": {"n_jobs": 2}, "output": QUIET})
    return config, tmp_path / "exp"


# ------------------------------------------------------------------ SIGKILL
@pytest.mark.slow
def test_sigkill_while_preprocessing_leaves_no_partial_cache_entry(tmp_path):
    config, out = experiment(tmp_path, n_docs=2000, num_topics=3, seeds=[0])
    cache = out / "cache"
    for moment in ("preprocessing", "writing the entry"):
        logs = tmp_path / moment.replace(" ", "_")
        # Either way the process cannot finish the entry: it is held before that.
        pauses = Pauses(tmp_path / f"pauses-{logs.name}", "cache-entry-write")
        proc = start("preprocess", config, "--out", out, logs=logs, pauses=pauses)
        if moment == "preprocessing":  # once read: tokenising, or held before the entry
            wait_until(proc, lambda: "read 2000 documents" in
                       logs.with_suffix(".err").read_text())
        else:  # held with the entry half written: corpus/bow.mm in its staging folder
            pauses.wait(proc)
            assert staging(cache, "corpus/bow.mm")
        assert kill_group(proc), f"the kill did not end topics while {moment}"
        assert cache_entries(cache) == {}  # a killed write leaves no entry a run would use

    result = finish("preprocess", config, "--out", out)
    assert result.returncode == 0, result.stderr[-3000:]
    final = cache_entries(cache)
    assert len(final) == 1 and len(next(iter(final.values()))) == 2000


@pytest.mark.slow
def test_sigkill_while_models_are_written_leaves_only_whole_models(tmp_path):
    config, out = experiment(tmp_path, num_topics=[3, 4, 5, 6], seeds=[0, 1, 2])
    load_corpus_for(load_config(config), out=out)  # the cache, made here to save time
    for n, writes in enumerate((0, 2)):  # two kills: at the first write, then at the third
        pauses = Pauses(tmp_path / f"pauses{n}", "model-write")
        proc = start("run", config, "--out", out, logs=tmp_path / f"attempt{n}", pauses=pauses)
        for _ in range(writes):  # these models are written whole
            pauses.answer(pauses.wait(proc), kill=False)
        held = pauses.wait(proc)  # this one is half written: matrices, no native model
        assert held.details["folder"] in {str(out / "models" / name)
                                          for name in staging(out / "models")}
        assert kill_group(proc), "the kill did not end topics while a model was written"
        status = check_experiment(out)
        assert set(status.values()) <= {"done"}
        assert len(status) <= writes
    result = finish("run", config, "--out", out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert summary(result.stdout) == (12, len(status), 12 - len(status), 0)
    final = check_experiment(out)
    assert len(final) == 12 and set(final.values()) == {"done"}
    with open(out / "results.csv", encoding="utf-8", newline="") as f:
        assert sorted(row["run_id"] for row in csv.DictReader(f)) == sorted(final)


@pytest.mark.slow
def test_sigkill_of_the_cli_alone_does_not_keep_the_experiment_locked(tmp_path):
    config, out = experiment(tmp_path, num_topics=[3, 4, 5, 6], seeds=[0, 1, 2])
    pauses = Pauses(tmp_path / "pauses", "run-train")
    proc = start("run", config, "--out", out, logs=tmp_path / "first", pauses=pauses)
    try:
        held = pauses.wait(proc)  # a worker holds a run, and the experiment's lock
        assert held.pid in workers(proc)
        os.kill(proc.pid, signal.SIGKILL)  # the CLI only, as `kill -9 PID` does
        proc.wait(timeout=60)
        deadline = time.monotonic() + 60  # a safety net: the kernel ends them at once
        while processes(group=proc.pid):  # the orphaned workers (PR_SET_PDEATHSIG)
            assert time.monotonic() < deadline, "the CLI's workers outlived it"
            time.sleep(0.01)
        again = finish("run", config, "--out", out)
        assert again.returncode == 0, again.stderr[-2000:]
        assert not processes(group=proc.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


# ------------------------------------------------------------------ dying workers
@pytest.mark.slow
def test_a_worker_killed_from_outside_costs_no_run(tmp_path):
    """The out-of-memory killer takes a worker mid-grid: its run is retried and the grid
    completes, each run recorded once."""
    config, out = experiment(tmp_path, num_topics=[3, 4], seeds=[0, 1, 2])
    logs = tmp_path / "run"
    pauses = Pauses(tmp_path / "pauses", "run-train")
    proc = start("run", config, "--out", out, logs=logs, pauses=pauses)
    try:
        victim = pauses.wait(proc)  # a worker about to train a run
        assert victim.pid in workers(proc)
        pauses.answer(victim, kill=True)
        with pauses.serve():  # the rest, and the killed run's retry, go on
            proc.wait(timeout=600)
    finally:
        kill_group(proc)
    stderr = logs.with_suffix(".err").read_text()
    assert proc.returncode == 0 and "Traceback" not in stderr, stderr[-3000:]
    assert summary(logs.with_suffix(".out").read_text()) == (6, 0, 6, 0)
    status = check_experiment(out)
    assert len(status) == 6 and set(status.values()) == {"done"}


@pytest.mark.slow
def test_a_run_that_kills_its_worker_fails_alone_on_every_attempt(tmp_path, monkeypatch):
    # The worker of each run with DOOMED sweeps is killed (SIGKILL) as it starts training,
    # every time: in the pool, alone, and again in the next invocation.
    config_path, out = experiment(tmp_path, n_docs=60, num_topics=3, seeds=[0, 1],
                                  iterations=[20, DOOMED])
    config = load_config(config_path)
    pauses = Pauses(tmp_path / "pauses", "run-train")
    pauses.apply(monkeypatch)
    with pauses.serve(kill=lambda paused: paused.details["iterations"] == DOOMED):
        first = run_experiment(config, out=out)
        assert (first.total, first.done, first.failed) == (4, 2, 2)
        second = run_experiment(config, out=out)  # retries only the failed runs
    assert (second.skipped, second.done, second.failed) == (2, 0, 2)
    assert {run for run, _ in second.errors} == {run for run, _ in first.errors}
    with Store(out, create=False) as store:
        runs = store.runs()
    assert len(runs) == 4 and len({r.run_id for r in runs}) == 4
    for run in runs:
        dead = run.params["iterations"] == DOOMED
        assert run.status == ("failed" if dead else "done")
        assert (run.error or "") == (KILLED if dead else "")
    check_experiment(out)


# ------------------------------------------------------------------ full disk
@pytest.fixture(scope="module")
def disk_full_while_caching(tmp_path_factory):
    """A first ``topics run`` whose files may not exceed 32 KiB: the corpus cache does."""
    config, out = experiment(tmp_path_factory.mktemp("caching"), num_topics=3, seeds=[0, 1])
    return config, out, finish("run", config, "--out", out, limit=32 * 1024)


@pytest.mark.slow
def test_full_disk_while_caching_leaves_nothing_and_the_next_run_completes(
        disk_full_while_caching):
    config, out, failed = disk_full_while_caching
    assert failed.returncode in (1, 2)
    assert cache_entries(out / "cache") == {} and not staging(out / "cache")
    assert check_experiment(out) == {}
    result = finish("run", config, "--out", out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert summary(result.stdout) == (2, 0, 2, 0)
    assert len(cache_entries(out / "cache")) == 1


@pytest.mark.slow
def test_full_disk_while_caching_is_one_line_without_traceback(disk_full_while_caching):
    _, _, failed = disk_full_while_caching
    assert failed.returncode in (1, 2)
    assert "Traceback" not in failed.stderr, failed.stderr[-3000:]
    lines = error_lines(failed)
    assert len(lines) == 1 and "File too large" in lines[0], failed.stderr[-3000:]


@pytest.fixture(scope="module")
def disk_full_while_saving_models(tmp_path_factory):
    """A grid of small (K=2) and large (K=150) models run with files limited to 128 KiB,
    the corpus cache made beforehand: the large models cannot be saved.  Returns the config,
    the folder, the CLI's result and the runs recorded then."""
    config, out = experiment(tmp_path_factory.mktemp("models"), num_topics=[2, 150],
                             seeds=[0, 1], iterations=20)
    load_corpus_for(load_config(config), out=out)
    result = finish("run", config, "--out", out, limit=128 * 1024)
    with Store(out, create=False) as store:
        return config, out, result, store.runs()


@pytest.mark.slow
def test_full_disk_while_saving_models_names_the_model_folder(disk_full_while_saving_models):
    *_, runs = disk_full_while_saving_models
    failed = [run for run in runs if run.status == "failed"]
    assert failed
    for run in failed:
        assert run.run_id in run.error and "models" in run.error, run.error


@pytest.mark.slow
def test_full_disk_while_saving_models_fails_those_runs_and_the_next_run_ends_them(
        disk_full_while_saving_models):
    config, out, failed, runs = disk_full_while_saving_models
    assert failed.returncode in (1, 2) and "Traceback" not in failed.stderr, failed.stderr
    other = [line for line in failed.stderr.splitlines()
             if not line.startswith(("INFO ", "WARNING "))]
    assert other == error_lines(failed) and len(other) <= 1, failed.stderr[-3000:]
    assert all(r.status == "failed" for r in runs if r.params["num_topics"] == 150)
    status = check_experiment(out)  # whole models only, staging folders cleaned up
    assert not staging(out / "models")
    done = [run for run, state in status.items() if state == "done"]

    result = finish("run", config, "--out", out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert summary(result.stdout) == (4, len(done), 4 - len(done), 0)
    final = check_experiment(out)
    assert len(final) == 4 and set(final.values()) == {"done"}
