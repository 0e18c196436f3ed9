"""A Dask cluster whose workers cannot see the experiment folder (no shared disk).

Real ``dask scheduler`` and ``dask worker`` processes on loopback; each worker runs in a
mount namespace of its own (``unshare --mount``) with an empty tmpfs over the experiment
folder's parent, so the folder does not exist for it.  ``runner.shared_disk: auto`` must find
that out, ship the corpus, and get every run's files back.  One worker is killed while it
trains (held at the ``run-train`` pause point, so the kill lands mid-run, no timing): Dask
reruns that run elsewhere and it is recorded once.  Needs root (mount namespaces), as CI has.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from _pauses import Pauses
from topics.config import validate
from topics.engines import load_model
from topics.store import Store
from topics.workflow import run_experiment

TEXTS = {
    "sport": "the team won the match after the coach changed the players goal season league",
    "money": "the bank raised interest rates while markets fell and investors sold shares",
    "music": "the band played a new album on tour and the singer wrote every song lyric",
}
START_TIMEOUT_S = 120  # safety net only: the test waits for states, not for time


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for topic, text in TEXTS.items():
        for i in range(8):
            words = text.split()
            rotated = words[i % len(words):] + words[:i % len(words)]
            (folder / f"{topic}{i}.txt").write_text(" ".join(rotated * 3), encoding="utf-8")
    return folder


def _config(tmp_path: Path, **runner):
    raw = {"name": "noshare", "corpus": {"path": str(_corpus(tmp_path / "corpus"))},
           "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
           "grid": {"engine": "gensim", "num_topics": 3, "passes": 2, "iterations": 20,
                    "seeds": [0, 1, 2, 3]},
           "scoring": {"measures": ["c_npmi"]}, "runner": runner,
           "output": {"ldavis": True, "report": False}}
    return validate(raw, source=tmp_path / "c.yaml")


def _dask_cli() -> str:
    dask = Path(sys.executable).with_name("dask")
    if os.geteuid() != 0 or shutil.which("unshare") is None or not dask.exists():
        pytest.skip("needs root, unshare and the dask command (mount namespaces per worker)")
    return str(dask)


def _wait_for(condition, what: str):
    deadline = time.monotonic() + START_TIMEOUT_S
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return value


class _Cluster:
    """A scheduler and isolated workers, each in its own process group (stopped by id)."""

    def __init__(self, tmp_path: Path, hidden: Path, env: dict[str, str], workers: int):
        dask = _dask_cli()
        self.file = tmp_path / "scheduler.json"
        self.procs = [subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(self.file)],
            env=env, start_new_session=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)]
        _wait_for(self.file.exists, "the scheduler file")
        for i in range(workers):  # mount an empty tmpfs over `hidden`, then exec the worker
            self.procs.append(subprocess.Popen(
                ["unshare", "--mount", "sh", "-c", 'mount -t tmpfs tmpfs "$0" && exec "$@"',
                 str(hidden), dask, "worker", "--scheduler-file", str(self.file),
                 "--nthreads", "1", "--no-dashboard", "--local-directory",
                 str(tmp_path / f"worker{i}")],
                env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.mark.slow
def test_a_grid_on_workers_without_the_experiment_folder_survives_a_killed_worker(tmp_path, caplog):
    distributed = pytest.importorskip("distributed")
    hidden = tmp_path / "hidden"  # the experiment folder's parent: empty tmpfs for workers
    out = hidden / "exp"
    out.mkdir(parents=True)
    config = _config(tmp_path, executor="dask", shared_disk="auto")
    pauses = Pauses(tmp_path / "pauses", "run-train")
    project = str(Path(__file__).resolve().parents[1])
    env = {**pauses.environ(), "PYTHONPATH": os.pathsep.join(
        [project, *filter(None, [os.environ.get("PYTHONPATH")])])}
    cluster = _Cluster(tmp_path, hidden, env, workers=2)
    try:
        with distributed.Client(scheduler_file=str(cluster.file)) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT_S)
            seen = client.run(os.path.exists, str(out))
            address = client.scheduler.address
        assert list(seen.values()) == [False, False]  # the workers really cannot see it
        runner = {**config.runner, "address": address}
        caplog.set_level(logging.INFO, logger="topics.runner_dask")
        with pauses.serve(kill=lambda paused: not pauses.killed):  # kill the first run once
            summary = run_experiment(replace(config, runner=runner), out=out)
    finally:
        cluster.close()
    assert (summary.total, summary.done, summary.failed) == (4, 4, 0), summary.errors
    assert any("no shared disk: the corpus is shipped" in m for m in caplog.messages)
    killed = pauses.killed[0].details["run_id"]
    assert killed in {p.details["run_id"] for p in pauses.released}  # rerun elsewhere
    with Store(out, create=False) as store:
        runs = store.runs()
    assert len(runs) == 4 and {r.status for r in runs} == {"done"}
    assert sorted(p.name for p in (out / "models").iterdir()) == sorted(r.run_id for r in runs)
    assert sorted(p.stem for p in (out / "ldavis").iterdir()) == sorted(r.run_id for r in runs)
    # The shipped models are the models a local pool trains from the same config.
    (tmp_path / "l").mkdir()
    local = run_experiment(_config(tmp_path / "l", executor="local", n_jobs=2),
                           out=tmp_path / "local")
    assert local.done == 4
    for run in runs:
        a = load_model(out / run.model_dir)
        b = load_model(tmp_path / "local" / "models" / run.run_id)
        assert np.array_equal(a.topic_word, b.topic_word) and a.native is not None


def test_shipped_files_are_written_whole_and_only_where_a_run_may_write(tmp_path):
    from topics.runner import RunResult
    from topics.runner_dask import write_shipped

    def result(*files):
        return RunResult("abc", "done", None, 0.0, 1.0, 0.5, "models/abc", files=files)

    written = write_shipped(result(("models/abc/output.json", b"{}"),
                                   ("models/abc/native/m", b"x"),
                                   ("ldavis/abc.html", b"<html>")), tmp_path)
    assert written.status == "done" and written.files == ()
    assert (tmp_path / "models/abc/native/m").read_bytes() == b"x"
    assert (tmp_path / "ldavis/abc.html").read_bytes() == b"<html>"
    for bad in ("models/other/x", "../escape", "models/abc/../../x", "report.html"):
        failed = write_shipped(result((bad, b"!")), tmp_path / "second")
        assert failed.status == "failed" and "unexpected file" in failed.error, bad
        assert failed.model_dir is None
    assert not (tmp_path / "second").exists() or not any((tmp_path / "second").rglob("x"))
