"""The runner: local process pool (crash isolation, early stop), Dask (LocalCluster on the
loopback, an explicit scheduler address, lost workers), and grid ids of guided runs."""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from _pauses import KILLED, Pauses
from topics.config import validate
from topics.documents import Document
from topics.engines import ENGINE_PARAMS, load_model
from topics.grid import expand_grid
from topics.preprocess import prepare_corpus
from topics.runner import RunTask, execute
from topics.store import Store
from topics.workflow import run_experiment

GROUPS = (
    "football goal match player team league striker coach stadium referee penalty season",
    "market stock bank price investor profit economy inflation trade share dividend currency",
    "planet star galaxy telescope orbit comet rocket astronaut moon nebula cosmos asteroid",
)
DOOMED = 25  # tomotopy sweeps of the runs whose worker a test kills as it starts training
FAST = {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0}


def documents(per_group: int = 10, words: int = 60) -> list[Document]:
    rng = random.Random(3)
    return [Document(id=f"g{g}_{i}", text=" ".join(rng.choice(group.split())
                                                   for _ in range(words)))
            for g, group in enumerate(GROUPS) for i in range(per_group)]


def grid(**axes) -> dict:
    out = {"engine": ["gensim"], "num_topics": [3], "guided": [False], "guided_boost": [100.0],
           "passes": [2], "iterations": [20], "alpha": [None], "seeds": [0]}
    out.update(axes)
    return out


def tasks_for(tmp_path: Path, **axes) -> list[RunTask]:
    corpus = prepare_corpus(documents(), cache_dir=tmp_path / "cache", **FAST)
    specs = expand_grid(grid(**axes), corpus_key=corpus.key, engine_params=ENGINE_PARAMS)
    return [RunTask(spec=s, corpus_dir=str(corpus.path), experiment_dir=str(tmp_path),
                    topn=5, diversity_topn=10, topwords_method="probability",
                    topwords_lambda=0.6, ldavis=False) for s in specs]


# ------------------------------------------------------------------ local pool
def test_one_result_per_task_and_the_same_topics_whatever_the_pool_size(tmp_path):
    tasks = tasks_for(tmp_path / "a", num_topics=[3, 4], seeds=[0, 1])
    results = {n: {r.run_id: r for r in execute(tasks, n_jobs=n)} for n in (1, 2)}
    assert set(results[1]) == set(results[2]) == {t.spec.run_id for t in tasks}
    assert len(tasks) == 4
    for run_id, result in results[1].items():
        assert result.status == "done" and result.error is None
        assert result.top_words == results[2][run_id].top_words
        assert len(result.top_words) == next(t.spec.num_topics for t in tasks
                                             if t.spec.run_id == run_id)
    # the three word groups come out as three topics: each topic's top words share a group
    for result in results[1].values():
        if len(result.top_words) == 3:
            groups = {next(g for g, words in enumerate(GROUPS) if w in words.split())
                      for w in result.top_words[0]}
            assert len(groups) == 1


def test_a_crashing_run_is_failed_with_its_signal_and_innocent_runs_are_not(
        tmp_path, monkeypatch):
    # The worker of the run with DOOMED sweeps is killed (SIGKILL) as it starts training, in
    # the pool and again when that run is retried alone: the other run is let go.
    tasks = tasks_for(tmp_path, engine=["tomotopy"], iterations=[DOOMED, 20], seeds=[0])
    pauses = Pauses(tmp_path / "pauses", "run-train")
    pauses.apply(monkeypatch)
    with pauses.serve(kill=lambda paused: paused.details["iterations"] == DOOMED):
        results = list(execute(tasks, n_jobs=2))
    assert len(pauses.killed) == 2  # the pool's attempt and the isolated retry
    assert sorted(r.run_id for r in results) == sorted(t.spec.run_id for t in tasks)
    status = {t.spec.params["iterations"]: set() for t in tasks}
    by_id = {r.run_id: r for r in results}
    for task in tasks:
        status[task.spec.params["iterations"]].add((by_id[task.spec.run_id].status,
                                                    by_id[task.spec.run_id].error))
    assert status == {DOOMED: {("failed", KILLED)}, 20: {("done", None)}}


def test_closing_the_results_early_cancels_the_runs_not_started(tmp_path):
    tasks = tasks_for(tmp_path, num_topics=[3], seeds=list(range(8)))
    results = execute(tasks, n_jobs=1)
    first = next(results)
    results.close()  # e.g. Ctrl-C in the consumer: the queued runs must not go on
    trained = [p for p in (tmp_path / "models").iterdir() if not p.name.startswith(".")]
    assert first.status == "done"
    # Past the first run, at most three more can no longer be cancelled: the one in the
    # worker and the n_jobs + 1 already handed to the executor's call queue.
    assert 1 <= len(trained) <= 4 < len(tasks)


def test_a_python_error_in_a_run_comes_back_as_a_failed_result(tmp_path):
    tasks = tasks_for(tmp_path, seeds=[0, 1])
    broken = RunTask(**{**tasks[0].__dict__, "corpus_dir": str(tmp_path / "no-corpus")})
    results = {r.run_id: r for r in execute([broken, tasks[1]], n_jobs=2)}
    failed = results[broken.spec.run_id]
    assert failed.status == "failed" and failed.model_dir is None
    assert failed.error.startswith("StoreError: ") and "no-corpus" in failed.error
    assert results[tasks[1].spec.run_id].status == "done"


# ------------------------------------------------------------------ grid ids
def test_guided_run_ids_depend_on_the_themes_and_unguided_ones_do_not():
    def ids(themes):
        specs = expand_grid(grid(guided=[False, True]), corpus_key="k",
                            engine_params=ENGINE_PARAMS, themes=themes)
        return {s.guided: s.run_id for s in specs}

    a = ids({"sport": ["goal"], "money": ["bank"]})
    b = ids({"sport": ["goal", "coach"], "money": ["bank"]})
    assert a[False] == b[False] == ids(None)[False]
    assert a[True] != b[True]
    assert a == ids({"sport": ["goal"], "money": ["bank"]})


# ------------------------------------------------------------------ dask
def _config(tmp_path: Path, **runner):
    folder = tmp_path / "corpus"
    if not folder.exists():
        folder.mkdir()
        for doc in documents():
            (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    raw = {"name": "t", "corpus": {"path": str(folder)}, "preprocess": FAST,
           "grid": {"engine": ["gensim", "tomotopy"], "num_topics": 3, "passes": 2,
                    "iterations": 20, "seeds": [0, 1]},
           "scoring": {"measures": ["c_npmi"]}, "runner": runner,
           "output": {"ldavis": False, "report": False}}
    return validate(raw, source=tmp_path / "c.yaml")


def _models(folder: Path) -> dict:
    with Store(folder, create=False) as store:
        return {r.run_id: load_model(folder / r.model_dir, native=False)
                for r in store.runs(status="done")}


class _Messages(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.mark.slow
def test_dask_without_address_runs_a_loopback_local_cluster_with_the_local_topics(tmp_path):
    pytest.importorskip("distributed")
    local = run_experiment(_config(tmp_path, executor="local", n_jobs=2), out=tmp_path / "l")
    messages = _Messages()
    scheduler_log = logging.getLogger("distributed.scheduler")  # does not propagate
    scheduler_log.addHandler(messages)
    try:
        dask = run_experiment(_config(tmp_path, executor="dask", n_jobs=2),
                              out=tmp_path / "d")
    finally:
        scheduler_log.removeHandler(messages)
    addresses = [m.split("Scheduler at:")[1].strip() for m in messages.messages
                 if "Scheduler at:" in m]
    assert len(addresses) == 1 and addresses[0].startswith("tcp://127.0.0.1:")
    assert (local.done, dask.done, dask.failed) == (4, 4, 0)
    a, b = _models(tmp_path / "l"), _models(tmp_path / "d")
    assert len(a) == 4 and set(a) == set(b)
    for run_id in a:
        assert np.array_equal(a[run_id].topic_word, b[run_id].topic_word), run_id


@pytest.mark.slow
def test_dask_at_an_explicit_address_and_a_run_that_kills_its_worker(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    config = _config(tmp_path, executor="dask")
    # The Dask worker process is killed (SIGKILL) when it starts training a gensim run.  Those
    # runs sort first, so they are submitted first and the worker dies before it holds
    # finished results (Dask recomputes those when it loses them).  The worker processes
    # inherit the pause settings from this process's environment.
    grid_ = {**config.grid, "engine": ["gensim", "tomotopy"]}
    pauses = Pauses(tmp_path / "pauses", "run-train")
    pauses.apply(monkeypatch)
    with pauses.serve(kill=lambda paused: paused.details["engine"] == "gensim"), \
            distributed.LocalCluster(
                n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, scheduler_kwargs={"allowed_failures": 0}) as cluster:
        runner = {**config.runner, "address": cluster.scheduler_address}
        summary = run_experiment(replace(config, runner=runner, grid=grid_),
                                 out=tmp_path / "e")
        keys = {t.key for t in cluster.scheduler.transition_log}
    assert (summary.done, summary.failed) == (2, 2), summary.errors
    with Store(tmp_path / "e", create=False) as store:
        runs = store.runs()
    assert {f"run-{r.run_id}" for r in runs} <= keys  # every run went through that cluster
    for run in runs:
        if run.params["engine"] == "tomotopy":
            assert run.status == "done"
        else:
            assert run.status == "failed" and run.error.startswith("dask: KilledWorker")
