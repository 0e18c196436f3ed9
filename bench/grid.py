"""Benchmark: the toolkit's grid runner on 2 workers against a plain sequential gensim loop.

The grid is BBC's 12 runs, K in {5, 10, 15, 20} x seeds {0, 1, 2}, gensim ``LdaModel`` with
passes=10 (and the engine's other defaults: alpha and eta ``auto``, iterations 400,
chunksize 2000).  Both sides train on the same preprocessed corpus (the toolkit's, built
once before any timing, config as configs/bbc.yaml).

- toolkit: ``run_experiment`` with ``runner.n_jobs: 2`` (the local process pool), in a fresh
  experiment folder whose corpus cache is already warm.  Switched off: pyLDAvis pages and
  report.html.  Scoring cannot be switched off; it is reduced to ``u_mass`` (plus diversity
  and stability, which come with it).  The timing includes everything else the toolkit does
  per run: reading the raw files and loading the cached corpus, starting the pool, the
  document-topic inference pass, automatic topic labels, saving each model, top words,
  scoring, the store and results.csv.  Runs go to the pool largest K first.
- baseline: one process, a loop of ``LdaModel(...)`` over the same bag-of-words list.

The ratio is not parallelism alone: the toolkit's gensim engine trains with gensim's own
arithmetic but converts each document's word ids and counts once instead of on every pass
(``topics.engines.gensim_estep``) and skips the M-step's logging-only work
(``topics.engines.gensim_lda``), so one of its runs takes less CPU than one ``LdaModel``;
the CPU seconds printed for both sides show how much.  Both must give the same topics for
the same seed (topic-word matrices equal to 1e-9 and the same top 10 words; in fact they
are bitwise equal).  The timeline printed gives each run's start and end in the pool
(from the store), to see idle workers.

On a machine shared with other jobs, time only when it is quiet: with the kernel's
autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``) ``nice`` does not make
other sessions' jobs yield, and then the pool's two processes get the same share of the
machine as the baseline's one.  Run it in a session of its own (``setsid -w``).  The last
line printed is one JSON object: ``{"baseline_s": ..., "toolkit_s": ..., "ratio": ...,
"same_topics": true, "baseline_cpu_s": ..., "toolkit_cpu_s": ...}`` (toolkit CPU: this
process and its pool workers).

    .venv/bin/python bench/grid.py [--corpus ../shared/corpora/bbc]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
from gensim.models import LdaModel

from topics.config import validate
from topics.engines import load_model
from topics.store import Store
from topics.workflow import load_corpus_for, run_experiment

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc"
KS = (5, 10, 15, 20)
SEEDS = (0, 1, 2)
PASSES = 10
GENSIM = {"alpha": "auto", "eta": "auto", "iterations": 400, "chunksize": 2000}
TOPN = 10


def make_config(corpus: Path, out: Path):
    raw = {"name": "bench-grid", "corpus": {"path": str(corpus)},
           "preprocess": {"no_below": 5, "no_above": 0.5},
           "grid": {"engine": "gensim", "num_topics": list(KS), "passes": PASSES,
                    "seeds": list(SEEDS), **GENSIM},
           "scoring": {"measures": ["u_mass"]}, "runner": {"executor": "local", "n_jobs": 2},
           "output": {"dir": str(out), "ldavis": False, "report": False}}
    return validate(raw)


def normalised(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    return matrix / matrix.sum(axis=1, keepdims=True)


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the pool workers)."""
    own, children = (resource.getrusage(who) for who in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def baseline(corpus) -> tuple[float, dict[tuple[int, int], np.ndarray]]:
    """The plain loop: every (K, seed) trained one after the other in this process."""
    bow = list(corpus.bow)
    start = time.perf_counter()
    topics = {}
    for k in KS:
        for seed in SEEDS:
            model = LdaModel(corpus=bow, id2word=corpus.dictionary, num_topics=k,
                             passes=PASSES, random_state=seed, eval_every=None, **GENSIM)
            topics[k, seed] = normalised(model.get_topics())
    return time.perf_counter() - start, topics


def toolkit(config, folder: Path) -> tuple[float, dict[tuple[int, int], np.ndarray], float]:
    """``run_experiment`` timed; returns wall seconds, topic-word matrices, summed train_s.
    Prints the pool's timeline: each run's start and end, seconds after the call."""
    start, wall_start = time.perf_counter(), time.time()
    summary = run_experiment(config, out=folder)
    elapsed = time.perf_counter() - start
    if summary.failed or summary.done != len(KS) * len(SEEDS):
        raise SystemExit(f"toolkit grid did not complete: {summary}")
    topics, train_s = {}, 0.0
    with Store(folder, create=False) as store:
        for run in sorted(store.runs(status="done"), key=lambda r: r.started):
            model = load_model(folder / run.model_dir, native=False)
            expected = {**GENSIM, "passes": PASSES, "workers": 1}
            if any(model.params[key] != value for key, value in expected.items()):
                raise SystemExit(f"toolkit ran other parameters: {model.params}")
            topics[model.params["num_topics"], model.params["seed"]] = model.topic_word
            train_s += run.train_s
            print(f"  run K={model.params['num_topics']:>2} seed={model.params['seed']}: "
                  f"{run.started - wall_start:6.1f} s -> {run.finished - wall_start:6.1f} s "
                  f"(training {run.train_s:.1f} s)")
    return elapsed, topics, train_s


def compare(ours: dict, theirs: dict, vocab: tuple[str, ...]) -> tuple[bool, float]:
    worst, same = 0.0, set(ours) == set(theirs)
    for key, matrix in theirs.items():
        mine = ours[key]
        worst = max(worst, float(np.max(np.abs(mine - matrix))))
        for a, b in zip(mine, matrix):
            top_a = [vocab[i] for i in np.argsort(-a, kind="stable")[:TOPN]]
            top_b = [vocab[i] for i in np.argsort(-b, kind="stable")[:TOPN]]
            same &= top_a == top_b
    return same and worst <= 1e-9, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-grid-") as tmp:
        folder = Path(tmp) / "experiment"
        config = make_config(args.corpus, folder)
        corpus = load_corpus_for(config, out=folder)  # warm cache: not timed on either side
        print(f"corpus: {len(corpus.doc_ids)} documents, {len(corpus.dictionary)} words")
        before = cpu_seconds()
        toolkit_s, ours, train_s = toolkit(config, folder)
        middle = cpu_seconds()
        print(f"toolkit (2 workers): {toolkit_s:.1f} s wall, {middle - before:.1f} s CPU, "
              f"{train_s:.1f} s of training summed over runs")
        baseline_s, theirs = baseline(corpus)
        baseline_cpu = cpu_seconds() - middle
        print(f"baseline (sequential): {baseline_s:.1f} s wall, {baseline_cpu:.1f} s CPU")
    same, worst = compare(ours, theirs, tuple(corpus.dictionary[i]
                                              for i in range(len(corpus.dictionary))))
    print(f"same topics: {same} (max |difference| of topic-word probabilities {worst:.2e})")
    print(json.dumps({"baseline_s": round(baseline_s, 1), "toolkit_s": round(toolkit_s, 1),
                      "ratio": round(baseline_s / toolkit_s, 2), "same_topics": same,
                      "baseline_cpu_s": round(baseline_cpu, 1),
                      "toolkit_cpu_s": round(middle - before, 1)}))


if __name__ == "__main__":
    main()
