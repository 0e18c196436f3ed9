"""Execute a grid of runs on a local process pool or a Dask cluster, and record each one.

Each worker opens the preprocessed corpus from the experiment's cache folder (gensim's
dictionary and Matrix Market files), trains one model, saves it, writes its pyLDAvis page and
returns its top words.  The parent process scores each finished run with one shared
coherence accumulator and records its row in the store in one transaction, so a grid killed
half-way keeps every run that had finished, and the next invocation runs only the rest.
A run that raises is recorded as failed with its error and does not stop the others.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from topics.grid import RunSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run: plain data and paths, no corpus pickles."""

    spec: RunSpec
    corpus_dir: str
    experiment_dir: str
    topn: int
    diversity_topn: int
    topwords_method: str
    topwords_lambda: float
    ldavis: bool
    prior_words: tuple[tuple[str, tuple[int, ...]], ...] = ()  # guided: theme -> word ids


@dataclass(frozen=True)
class RunResult:
    """What a worker sends back: status, timings and top words (never the model itself)."""

    run_id: str
    status: str
    error: str | None
    started: float
    finished: float
    train_s: float | None
    model_dir: str | None
    top_words: tuple[tuple[str, ...], ...] = ()
    diversity_words: tuple[tuple[str, ...], ...] = ()
    host: str = ""
    extra: tuple[tuple[str, Any], ...] = ()  # engine-side metrics, e.g. log-likelihood


@functools.lru_cache(maxsize=2)
def _open_corpus(corpus_dir: str):
    from topics.corpus import load_corpus

    return load_corpus(corpus_dir)


def run_one(task: RunTask) -> RunResult:
    """Train, save and describe one run.  Never raises: failures come back as results."""
    started = time.time()
    spec = task.spec
    try:
        from topics import engines, topwords

        corpus = _open_corpus(task.corpus_dir)
        prior, names = _guided_prior(task, corpus) if spec.guided else (None, None)
        t0 = time.perf_counter()
        output = engines.train(
            engine=spec.engine, dictionary=corpus.dictionary, corpus=corpus.bow,
            doc_ids=corpus.doc_ids, num_topics=spec.num_topics, seed=spec.seed,
            prior=prior, topic_names=names, **dict(spec.params))
        train_s = time.perf_counter() - t0
        model_dir = Path("models") / spec.run_id
        engines.save_model(output, Path(task.experiment_dir) / model_dir)
        words = _top(output, task, task.topn)
        diverse = _top(output, task, task.diversity_topn)
        if task.ldavis:
            _write_ldavis(output, Path(task.experiment_dir) / "ldavis" / f"{spec.run_id}.html")
        return RunResult(spec.run_id, "done", None, started, time.time(), train_s,
                         model_dir.as_posix(), words, diverse, socket.gethostname())
    except Exception as err:  # noqa: BLE001 - a failing run is data, not a crash
        log.debug("run %s failed:\n%s", spec.run_id, traceback.format_exc())
        message = f"{type(err).__name__}: {err}".splitlines()[0][:500]
        return RunResult(spec.run_id, "failed", message, started, time.time(), None, None,
                         host=socket.gethostname())


def _top(output, task: RunTask, topn: int) -> tuple[tuple[str, ...], ...]:
    from topics import topwords

    words = topwords.top_words(output.topic_word, output.vocab, topn=topn,
                               method=task.topwords_method, lam=task.topwords_lambda,
                               term_frequency=output.term_frequency)
    return tuple(tuple(t) for t in words)


def _guided_prior(task: RunTask, corpus):
    from topics.themes import guided_prior_from_ids

    return guided_prior_from_ids(dict(task.prior_words), num_topics=task.spec.num_topics,
                                 vocab_size=len(corpus.dictionary),
                                 boost=task.spec.guided_boost)


def _write_ldavis(output, path: Path) -> None:
    from topics.viz.ldavis import ldavis_page

    ldavis_page(topic_word=output.topic_word, doc_topic=output.doc_topic,
                doc_lengths=output.doc_lengths, vocab=output.vocab,
                term_frequency=output.term_frequency, topic_names=output.topic_names,
                path=path)


# ------------------------------------------------------------------ executors
def iter_local(tasks: list[RunTask], n_jobs: int) -> Iterator[RunResult]:
    """Run tasks on a process pool, yielding results as they finish.

    A worker that dies (killed, out of memory) breaks the pool: its in-flight runs are
    reported as failed and the remaining ones go on in a fresh pool.
    """
    pending = list(tasks)
    while pending:
        with ProcessPoolExecutor(max_workers=max(1, n_jobs)) as pool:
            futures: dict[Future, RunTask] = {pool.submit(run_one, t): t for t in pending}
            pending = []
            broken = False
            while futures:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    task = futures.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        pending.append(task)
            if broken:
                yield from _fail_one(pending)
                pending = pending[1:]


def _fail_one(pending: list[RunTask]) -> Iterator[RunResult]:
    """After a worker died, blame the first of its in-flight runs so a crashing run cannot
    loop forever; the others are retried."""
    if pending:
        now = time.time()
        yield RunResult(pending[0].spec.run_id, "failed", "worker process died during the run",
                        now, now, None, None, host=socket.gethostname())


def iter_dask(tasks: list[RunTask], *, address: str | None, n_jobs: int) -> Iterator[RunResult]:
    """Run tasks on a Dask distributed cluster: ``address`` or a LocalCluster here.

    Workers must see the experiment folder at the same path (a shared file system).
    """
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if address is None:
        cluster = LocalCluster(n_workers=max(1, n_jobs), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
    try:
        with Client(address or cluster) as client:
            futures = [client.submit(run_one, t, key=f"run-{t.spec.run_id}", pure=False)
                       for t in tasks]
            for future in as_completed(futures):
                yield future.result()
    finally:
        if cluster is not None:
            cluster.close()


def execute(tasks: list[RunTask], *, executor: str = "local", n_jobs: int | None = None,
            address: str | None = None) -> Iterator[RunResult]:
    """Yield a result per task as runs finish, in completion order."""
    n_jobs = n_jobs or os.cpu_count() or 1
    if not tasks:
        return iter(())
    if executor == "dask":
        return iter_dask(tasks, address=address, n_jobs=n_jobs)
    if n_jobs == 1 or len(tasks) == 1:
        return (run_one(t) for t in tasks)
    return iter_local(tasks, n_jobs)
