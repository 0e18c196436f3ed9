"""Execute a grid of runs on a local process pool (Dask clusters: ``topics.runner_dask``).

Each worker opens the preprocessed corpus from the experiment's cache folder once (its
dictionary and token lists; bags of words in memory, or streamed from the Matrix Market file
above ``topics.corpus.IN_MEMORY_TOKENS``), trains one model, saves it, writes its pyLDAvis
page and returns its top words.  The parent process scores each finished run with one shared
coherence accumulator and records its row in the store in one transaction, so a grid killed
half-way keeps every run that had finished, and the next invocation runs only the rest.
A run that raises, or whose worker process dies, is recorded as failed with its error and
does not stop the others.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import signal
import socket
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generator, Iterator

from topics import testhooks
from topics.grid import RunSpec, run_label

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
    held_out_split: str | None = None  # documents with this `split` are kept out, scored


@dataclass(frozen=True)
class RunResult:
    """What a worker sends back: status, timings and top words; the model itself only as the
    ``files`` of a run shipped from a worker without the experiment folder."""

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
    files: tuple[tuple[str, bytes], ...] = ()  # shipped runs (no shared disk): path, bytes


@functools.lru_cache(maxsize=2)
def _open_corpus(corpus_dir: str):
    """The corpus and its training bags of words, opened once per worker process."""
    from topics.corpus import load_corpus, training_bows

    corpus = load_corpus(corpus_dir)
    return corpus, training_bows(corpus)


def run_one(task: RunTask) -> RunResult:
    """Train, save and describe one run.  Never raises: failures come back as results."""
    started = time.time()
    spec = task.spec
    try:
        from topics import engines

        corpus, bows = _open_corpus(task.corpus_dir)
        prior, names = _guided_prior(task, corpus) if spec.guided else (None, None)
        train, test = split_documents(corpus, task.held_out_split)
        testhooks.pause("run-train", run_id=spec.run_id, **spec.as_dict())
        t0 = time.perf_counter()
        output = engines.train(
            engine=spec.engine, dictionary=corpus.dictionary,
            corpus=bows if not test else [bows[i] for i in train],
            doc_ids=corpus.doc_ids if not test else [corpus.doc_ids[i] for i in train],
            num_topics=spec.num_topics, seed=spec.seed, prior=prior, topic_names=names,
            metadata=corpus.meta if not test else [corpus.meta[i] for i in train],
            **dict(spec.params))
        train_s = time.perf_counter() - t0
        extra = tuple(engines.engine_metrics(output).items())
        if test and spec.engine in engines.PERPLEXITY_ENGINES:
            extra += _held_out(output, [bows[i] for i in test])
        model_dir = Path("models") / spec.run_id
        labels = _auto_labels(output, task.corpus_dir, train)
        engines.save_model(output, Path(task.experiment_dir) / model_dir)
        if labels is not None:
            from topics.store import write_json

            write_json(Path(task.experiment_dir) / model_dir / "labels.json", labels)
        words = _top(output, task, task.topn)
        diverse = _top(output, task, task.diversity_topn)
        if task.ldavis:
            _write_ldavis(output, Path(task.experiment_dir) / "ldavis" / f"{spec.run_id}.html",
                          title=run_label(spec), labels=labels,
                          lam=task.topwords_lambda if task.topwords_method == "relevance" else 1.0)
        return RunResult(spec.run_id, "done", None, started, time.time(), train_s,
                         model_dir.as_posix(), words, diverse, socket.gethostname(), extra)
    except Exception as err:  # noqa: BLE001 - a failing run is data, not a crash
        log.debug("run %s failed:\n%s", spec.run_id, traceback.format_exc())
        message = f"{type(err).__name__}: {err}".splitlines()[0][:500]
        return RunResult(spec.run_id, "failed", message, started, time.time(), None, None,
                         host=socket.gethostname())


def split_documents(corpus, held_out_split: str | None) -> tuple[list[int], list[int]]:
    """Indices of the training documents and of the held-out ones (``meta["split"]`` equal
    to ``held_out_split``); no held-out documents when it is None."""
    if held_out_split is None:
        return list(range(len(corpus.doc_ids))), []
    test = [i for i, meta in enumerate(corpus.meta) if meta.get("split") == held_out_split]
    held = set(test)
    return [i for i in range(len(corpus.doc_ids)) if i not in held], test


def _held_out(output, bows: list) -> tuple[tuple[str, Any], ...]:
    """The held-out log-likelihood (natural log; see topics.engines.heldout for what each
    engine's likelihood is) and the number of held-out tokens; the parent turns them into
    a perplexity when it scores the run."""
    from topics.engines import held_out_bound

    log_likelihood, tokens = held_out_bound(output, bows)
    return (("held_out_log_likelihood", float(log_likelihood)), ("held_out_tokens", tokens))


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


@functools.lru_cache(maxsize=2)
def _label_candidates(corpus_dir: str):
    """The corpus's topic-label candidates, built once per worker (one pass over the texts)."""
    from topics.topic_labels import label_candidates

    corpus, _ = _open_corpus(corpus_dir)
    return label_candidates(corpus.texts, corpus.vocab)


def _auto_labels(output, corpus_dir: str, train: list[int]) -> list[str] | None:
    """The run's automatic topic labels (topics.topic_labels); None, with a warning, if they
    cannot be computed (the run itself is fine without them)."""
    from topics.topic_labels import topic_labels

    try:
        return topic_labels(output.topic_word, output.doc_topic, output.vocab,
                            candidates=_label_candidates(corpus_dir), rows=train)
    except Exception as err:  # noqa: BLE001 - labels are a convenience, not the result
        log.warning("no automatic topic labels: %s: %s", type(err).__name__, err)
        return None


def _write_ldavis(output, path: Path, *, title: str, labels: list[str] | None = None,
                  lam: float = 1.0) -> None:
    """The run's pyLDAvis page; topics named by their guided theme, else their label; it
    opens at relevance ``lam`` (the config's top words: lambda, or 1.0 for probability)."""
    from topics.viz.ldavis import ldavis_page

    guided = output.topic_names or (None,) * output.num_topics
    names = [g if g is not None else (labels[k] if labels else None)
             for k, g in enumerate(guided)]
    ldavis_page(topic_word=output.topic_word, doc_topic=output.doc_topic,
                doc_lengths=output.doc_lengths, vocab=output.vocab,
                term_frequency=output.term_frequency, topic_names=names,
                path=path, title=title, lambda_start=lam)


# ------------------------------------------------------------------ executors
def iter_local(tasks: list[RunTask], n_jobs: int) -> Iterator[RunResult]:
    """Run tasks on a process pool, yielding results as they finish.

    Every run trains in a worker process, so an engine that crashes the interpreter (a C++
    abort, a segfault, the out-of-memory killer) fails its run and nothing else.  A dying
    worker breaks the whole pool: the runs that had started then are rerun one at a time in
    a process of their own (the one that dies again is recorded as failed, with its exit
    signal), and the runs that had not started go on in a fresh pool.
    """
    pending = list(tasks)
    with tempfile.TemporaryDirectory(prefix="topics-started-") as marks:
        while pending:
            unfinished = yield from _pool_round(pending, n_jobs, marks)
            started = {t.spec.run_id for t in unfinished if Path(marks, t.spec.run_id).exists()}
            started = started or {t.spec.run_id for t in unfinished}
            for task in unfinished:
                if task.spec.run_id in started:
                    yield _isolated(task)
            pending = [t for t in unfinished if t.spec.run_id not in started]


def _die_with_parent(parent_pid: int) -> None:
    """Pool initializer: the kernel kills this worker when the ``topics run`` process that
    started it dies, even by SIGKILL (Linux ``PR_SET_PDEATHSIG``), so no orphan goes on
    training or keeps the experiment's lock (inherited through fork) held."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: nothing to arm
        return
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)


def _run_marked(task: RunTask, marks: str) -> RunResult:
    """``run_one`` in a pool worker, leaving a mark that the run has started."""
    Path(marks, task.spec.run_id).touch()
    return run_one(task)


def _pool_round(tasks: list[RunTask], n_jobs: int,
                marks: str) -> Generator[RunResult, None, list[RunTask]]:
    """Yield the results of one pool; return the tasks left unfinished by a broken pool."""
    broken: set[str] = set()
    pool = ProcessPoolExecutor(max_workers=max(1, min(n_jobs, len(tasks))),
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        futures = {pool.submit(_run_marked, t, marks): t for t in tasks}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                broken.add(futures[future].spec.run_id)
                continue
            yield result
    finally:  # stopped early (an exception, a closed generator): drop the queued runs
        pool.shutdown(wait=True, cancel_futures=True)
    return [t for t in tasks if t.spec.run_id in broken]


def _isolated(task: RunTask) -> RunResult:
    """Run one task alone in a child process; its death becomes a failed result."""
    context = multiprocessing.get_context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_send_result, args=(task, send))  # not daemonic:
    # LdaMulticore (gensim, workers > 1) starts processes of its own
    process.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = None
    finally:
        receive.close()
        process.join()
    if result is not None:
        return result
    now = time.time()
    return RunResult(task.spec.run_id, "failed",
                     f"worker process died during the run ({_exit_reason(process.exitcode)})",
                     now, now, None, None, host=socket.gethostname())


def _send_result(task: RunTask, send) -> None:
    send.send(run_one(task))
    send.close()


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def execute(tasks: list[RunTask], *, n_jobs: int | None = None) -> Iterator[RunResult]:
    """Yield a result per task as runs finish, in completion order, from a local process
    pool of ``n_jobs`` workers (default: the number of cores; every run trains in a worker,
    also with ``n_jobs=1``).  Dask clusters: :func:`topics.runner_dask.iter_dask`."""
    n_jobs = n_jobs or os.cpu_count() or 1
    if not tasks:
        return iter(())
    return iter_local(tasks, n_jobs)
