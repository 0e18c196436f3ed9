"""The grid runner end to end: resume after SIGKILL, failing runs, the lock, corpus keys,
determinism.  Tiny corpora are written in tmp_path: three word groups that share no word."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from _pauses import KILLED, Pauses
from topics.config import validate
from topics.engines import load_model
from topics.errors import ConfigError
from topics.workflow import run_experiment

PROJECT = Path(__file__).resolve().parents[1]
GROUPS = (
    "football goal match player team league striker coach stadium referee penalty season",
    "market stock bank price investor profit economy inflation trade share dividend currency",
    "planet star galaxy telescope orbit comet rocket astronaut moon nebula cosmos asteroid",
)
FAST = {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0}
DOOMED = 25  # tomotopy sweeps of the runs whose worker a test kills as it starts training
THEMES = {"sport": ["football", "goal", "striker"], "money": ["market", "stock", "bank"]}


def write_corpus(folder: Path, *, per_group: int = 10, words: int = 60) -> Path:
    """``per_group`` .txt files per word group, each ``words`` words drawn from its group."""
    rng = random.Random(7)
    folder.mkdir(parents=True)
    for g, group in enumerate(GROUPS):
        vocab = group.split()
        for i in range(per_group):
            text = " ".join(rng.choice(vocab) for _ in range(words))
            (folder / f"g{g}_{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def raw_config(corpus: Path, **sections) -> dict:
    raw = {"name": "t", "corpus": {"path": str(corpus)}, "preprocess": dict(FAST),
           "grid": {"engine": "gensim", "num_topics": [3, 4], "passes": 2, "iterations": 20,
                    "seeds": [0, 1]},
           "scoring": {"measures": ["c_npmi"]}, "runner": {"n_jobs": 1},
           "output": {"ldavis": False, "report": False}}
    for name, values in sections.items():
        raw[name] = {**raw.get(name, {}), **values} if isinstance(values, dict) else values
    return raw


def config_of(tmp_path: Path, **sections):
    return validate(raw_config(tmp_path / "corpus", **sections), source=tmp_path / "c.yaml")


def write_config(tmp_path: Path, name: str = "c.yaml", **sections) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw_config(tmp_path / "corpus", **sections)),
                    encoding="utf-8")
    return path


def topics_cmd(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "topics.cli", *map(str, args)]


def run_cli(*args: str | Path, timeout: float = 120,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(topics_cmd(*args), capture_output=True, text=True, cwd=PROJECT,
                          timeout=timeout, env=env)


def stored_rows(folder: Path) -> list[dict]:
    """The runs table, read through a read-only connection (safe beside a writer)."""
    path = folder / "results.sqlite"
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM runs ORDER BY run_id")]
    except sqlite3.OperationalError:  # the writer has not created the table yet
        return []
    finally:
        db.close()


def csv_run_ids(folder: Path) -> set[str]:
    with open(folder / "results.csv", encoding="utf-8", newline="") as handle:
        return {row["run_id"] for row in csv.DictReader(handle)}


def summary_counts(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("runs: "))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


#: Eight gensim runs, which the tests hold at a pause point to kill them or to run a second
#: process beside them (tests/_pauses.py).
EIGHT_RUNS = {"engine": "gensim", "num_topics": [3, 4], "passes": 2, "iterations": 20,
              "seeds": [0, 1, 2, 3]}


# ------------------------------------------------------------------ kill and resume
@pytest.mark.slow
def test_sigkill_mid_grid_keeps_finished_runs_and_the_rerun_trains_only_the_rest(
        tmp_path, corpus):
    cfg = write_config(tmp_path, grid=EIGHT_RUNS, runner={"n_jobs": 2})
    out = tmp_path / "exp"
    pauses = Pauses(tmp_path / "pauses", "run-train")  # each run waits for the test
    proc = subprocess.Popen(topics_cmd("run", cfg, "--out", out), cwd=PROJECT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, env=pauses.environ())
    try:
        for _ in range(2):  # let two runs train; the next ones are held before training
            pauses.answer(pauses.wait(proc), kill=False)
        deadline = time.monotonic() + 600  # a safety net: this takes seconds
        while len(stored_rows(out)) < 2:  # until the two are recorded
            assert proc.poll() is None, "topics run ended before it could be killed"
            assert time.monotonic() < deadline, "the two runs let go were never recorded"
            time.sleep(0.05)
        in_flight = [pauses.wait(proc) for _ in range(2)]  # both workers hold their next run
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its pool workers, mid-grid
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    first = {r["run_id"]: r for r in stored_rows(out)}
    assert len(first) == 2 and not {p.details["run_id"] for p in in_flight} & set(first)
    for row in first.values():
        assert row["status"] == "done"
        model = load_model(out / row["model_dir"])
        assert model.topic_word.shape[0] == model.params["num_topics"]
        np.testing.assert_allclose(model.topic_word.sum(axis=1), 1.0)

    rerun = run_cli("run", cfg, "--out", out)
    assert rerun.returncode == 0, rerun.stderr
    assert summary_counts(rerun.stdout) == (
        f"runs: 8 in the grid, {len(first)} already completed, {8 - len(first)} done now, "
        "0 failed")
    final = {r["run_id"]: r for r in stored_rows(out)}
    assert len(final) == 8 and all(r["status"] == "done" for r in final.values())
    for run_id, row in first.items():  # not retrained: the first invocation's row is kept
        assert final[run_id]["started"] == row["started"]
    models = {p.name for p in (out / "models").iterdir() if not p.name.startswith(".")}
    assert models == set(final)
    assert csv_run_ids(out) == set(final)


# ------------------------------------------------------------------ failing runs
def test_a_run_that_raises_is_recorded_failed_and_the_others_complete(tmp_path, corpus):
    # alpha=1e10 is in the accepted range, but tomotopy's alpha optimisation starting there
    # turns it into NaN on this corpus: those runs raise at train time (a model holding
    # NaN is never saved as done).
    config = config_of(tmp_path, grid={"engine": "tomotopy", "alpha": [0.1, 1e10],
                                       "optim_interval": 5, "num_topics": 3})
    summary = run_experiment(config, out=tmp_path / "exp")
    assert (summary.total, summary.done, summary.failed) == (4, 2, 2)
    rows = stored_rows(tmp_path / "exp")
    failed = [r for r in rows if r["status"] == "failed"]
    assert sorted(r["run_id"] for r in failed) == sorted(run for run, _ in summary.errors)
    assert all(json.loads(r["params"])["alpha"] == 1e10 for r in failed)
    assert all("NaN or infinity" in r["error"] and "'tomotopy'" in r["error"]
               and r["model_dir"] is None for r in failed)
    done = [r for r in rows if r["status"] == "done"]
    assert len(done) == 2 and all(json.loads(r["params"])["alpha"] == 0.1 for r in done)
    assert csv_run_ids(tmp_path / "exp") == {r["run_id"] for r in rows}
    assert {p.name for p in (tmp_path / "exp" / "models").iterdir()
            if not p.name.startswith(".")} == {r["run_id"] for r in done}


@pytest.mark.parametrize("name, value", [("alpha", 1e-50), ("eta", 1e308)])
def test_a_prior_tomotopy_cannot_compute_stops_the_grid_before_any_training(
        tmp_path, corpus, name, value):
    # 1e-50 is 0 in float32 (tomotopy aborts the process), 1e308 is infinite there
    config = config_of(tmp_path, grid={"engine": "tomotopy", "num_topics": 3,
                                       name: [0.1, value]})
    with pytest.raises(ConfigError) as err:
        run_experiment(config, out=tmp_path / "exp")
    assert err.value.key == f"grid.{name}"
    assert repr(value) in err.value.message and "between 1e-30 and 1e+30" in err.value.message
    assert stored_rows(tmp_path / "exp") == []


@pytest.mark.slow
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_run_that_kills_its_worker_fails_alone(tmp_path, corpus, n_jobs, monkeypatch):
    # The worker of each run with DOOMED sweeps is killed (SIGKILL) as it starts training,
    # every time (in the pool, then alone); the other runs are let go.
    grid = {"engine": "tomotopy", "num_topics": 3, "iterations": [30, DOOMED], "seeds": [0, 1]}
    pauses = Pauses(tmp_path / "pauses", "run-train")
    pauses.apply(monkeypatch)
    with pauses.serve(kill=lambda paused: paused.details["iterations"] == DOOMED):
        summary = run_experiment(config_of(tmp_path, grid=grid, runner={"n_jobs": n_jobs}),
                                 out=tmp_path / "exp")
    rows = stored_rows(tmp_path / "exp")
    by_iterations = {n: sorted(r["status"] for r in rows
                               if json.loads(r["params"])["iterations"] == n)
                     for n in (DOOMED, 30)}
    assert by_iterations == {DOOMED: ["failed"] * 2, 30: ["done"] * 2}
    assert all(r["error"] == KILLED for r in rows if r["status"] == "failed")
    assert (summary.done, summary.failed) == (2, 2)


@pytest.mark.slow
def test_cli_exit_code_and_summary_name_the_failed_runs(tmp_path, corpus):
    grid = {"engine": "tomotopy", "num_topics": 3, "iterations": [30, DOOMED], "seeds": [0]}
    pauses = Pauses(tmp_path / "pauses", "run-train")  # held, then killed or let go
    with pauses.serve(kill=lambda paused: paused.details["iterations"] == DOOMED):
        result = run_cli("run", write_config(tmp_path, grid=grid), "--out", tmp_path / "exp",
                         env=pauses.environ())
    assert result.returncode == 1, result.stderr
    assert summary_counts(result.stdout) == (
        "runs: 2 in the grid, 0 already completed, 1 done now, 1 failed")
    failed = [r for r in stored_rows(tmp_path / "exp") if r["status"] == "failed"]
    assert len(failed) == 1
    assert f"  failed {failed[0]['run_id']}: {KILLED}" in result.stdout.splitlines()


# ------------------------------------------------------------------ the lock
@pytest.mark.slow
def test_a_second_run_on_the_same_folder_is_refused_while_the_first_completes(
        tmp_path, corpus):
    cfg = write_config(tmp_path, grid=EIGHT_RUNS, runner={"n_jobs": 2})
    out = tmp_path / "exp"
    pauses = Pauses(tmp_path / "pauses", "run-train")  # the first holds its first run
    first = subprocess.Popen(topics_cmd("run", cfg, "--out", out), cwd=PROJECT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=pauses.environ())
    try:
        held = pauses.wait(first)
        assert (out / ".lock").read_text().startswith(f"pid {first.pid} ")
        second = run_cli("run", cfg, "--out", out)
        held.release()
        with pauses.serve():  # the other runs go on unheld
            stdout, stderr = first.communicate(timeout=600)
    finally:
        first.kill()
    assert first.poll() is not None
    assert second.returncode == 2 and second.stdout == ""
    assert second.stderr.splitlines() == [
        f"topics: error: {out}: experiment is in use by pid {first.pid} on "
        f"{socket.gethostname()}; wait for it to finish or write to another folder (--out)"]
    assert first.returncode == 0, stderr
    assert summary_counts(stdout) == (
        "runs: 8 in the grid, 0 already completed, 8 done now, 0 failed")
    db = sqlite3.connect(out / "results.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    rows = stored_rows(out)
    assert len(rows) == 8 and {r["status"] for r in rows} == {"done"}


# ------------------------------------------------------------------ corpus keys
def test_new_preprocessing_makes_a_new_cache_entry_and_its_own_runs(tmp_path, corpus):
    out = tmp_path / "exp"
    first = run_experiment(config_of(tmp_path), out=out)
    ids_first = csv_run_ids(out)
    second = run_experiment(config_of(tmp_path, preprocess={"extra_stopwords": ["goal"]}),
                            out=out)
    ids_second = csv_run_ids(out)
    assert (first.done, second.done, second.skipped) == (4, 4, 0)
    assert len(ids_first) == len(ids_second) == 4 and not ids_first & ids_second
    keys = sorted(p.name for p in (out / "cache").iterdir() if not p.name.startswith("."))
    rows = stored_rows(out)
    assert len(keys) == 2 and len(rows) == 8
    by_key = {k: {r["run_id"] for r in rows if r["corpus_key"] == k} for k in keys}
    assert sorted(map(frozenset, by_key.values()), key=sorted) == sorted(
        [frozenset(ids_first), frozenset(ids_second)], key=sorted)
    for row in rows:  # each run was trained on its own corpus: "goal" only in the first
        vocab = load_model(out / row["model_dir"], native=False).vocab
        assert ("goal" in vocab) == (row["run_id"] in ids_first)


def test_changed_preprocessing_does_not_resume_from_the_other_corpus(tmp_path, corpus):
    out = tmp_path / "exp"
    run_experiment(config_of(tmp_path), out=out)
    again = run_experiment(config_of(tmp_path), out=out)
    assert (again.skipped, again.done) == (4, 0)
    other = run_experiment(config_of(tmp_path, preprocess={"min_length": 5}), out=out)
    assert (other.skipped, other.done) == (0, 4)


def test_changed_themes_retrain_the_guided_runs(tmp_path, corpus):
    out = tmp_path / "exp"
    grid = {"guided": [False, True], "num_topics": 3, "seeds": [0]}
    run_experiment(config_of(tmp_path, themes=THEMES, grid=grid), out=out)
    themes = {"sport": ["coach", "referee"], "space": ["planet", "moon"]}
    again = run_experiment(config_of(tmp_path, themes=themes, grid=grid), out=out)
    assert (again.skipped, again.done) == (1, 1)


# ------------------------------------------------------------------ determinism
def test_the_same_config_and_seeds_give_the_same_ids_and_topics(tmp_path, corpus):
    grid = {"engine": ["gensim", "tomotopy"], "num_topics": 3, "passes": 2, "iterations": 20,
            "seeds": [0, 1]}
    config = config_of(tmp_path, grid=grid, runner={"n_jobs": 2})
    runs = []
    for name in ("a", "b"):
        run_experiment(config, out=tmp_path / name)
        rows = stored_rows(tmp_path / name)
        runs.append({r["run_id"]: load_model(tmp_path / name / r["model_dir"], native=False)
                     for r in rows})
    a, b = runs
    assert len(a) == 4 and set(a) == set(b)
    for run_id in a:
        assert np.array_equal(a[run_id].topic_word, b[run_id].topic_word), run_id
        assert np.array_equal(a[run_id].doc_topic, b[run_id].doc_topic), run_id
    for engine in ("gensim", "tomotopy"):  # the seed matters: seeds 0 and 1 differ
        pair = [m for m in a.values() if m.engine == engine]
        assert not np.array_equal(pair[0].topic_word, pair[1].topic_word)
