"""The whole flow for one config: read -> preprocess -> grid -> train -> score -> store -> report.

These are the functions the CLI and the notebook API share.  Each step is a call into the
module that owns it; this module only puts them in order and keeps the bookkeeping
(experiment folder, lock, manifest, resume, progress).
"""

from __future__ import annotations

import functools
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from topics.config import Config
from topics.errors import ConfigError
from topics.grid import RunSpec, expand_grid, seed_groups
from topics.rerun import (clear_stamp, fresh_summary, mark_report, report_is_current,
                          report_key, write_stamp)
from topics.rescoring import (make_scorer, refresh_runs, runs_intact, score_words,
                              scoring_settings)
from topics.results import best_runs, results_frame
from topics.runner import RunResult, RunTask, execute
from topics.atomic import write_atomic
from topics.store import (RunRecord, Store, experiment_lock, remove_staging, write_json,
                          write_manifest)

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What ``run_experiment`` did: the folder, the grid and how its runs ended."""

    folder: Path
    total: int
    skipped: int
    rescored: int = 0  # completed runs re-scored under changed scoring settings
    done: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    best: dict[str, tuple[str, float]] = field(default_factory=dict)  # measure -> (run, value)
    report: Path | None = None
    ldavis: list[Path] = field(default_factory=list)


def experiment_folder(config: Config, out: str | Path | None = None) -> Path:
    """``--out``, else ``output.dir``, else ``runs/<name>`` in the current folder."""
    return Path(out or config.output["dir"] or Path("runs") / config.name).resolve()


def read_corpus_documents(config: Config, *, stream: bool = False):
    """Read the config's corpus (a file or folder, or a named dataset): (documents, ReadReport).
    With ``stream`` a file or folder is not held: ``topics.io.stream_documents`` reads it
    again on each pass (the report filled by the first), so a large corpus is never whole
    in memory; otherwise the documents are a list."""
    from topics.io import read_documents, stream_documents

    c = config.corpus
    if c.get("dataset"):
        from topics.datasets import read_dataset

        return read_dataset(c["dataset"])
    read = stream_documents if stream else read_documents
    return read(c["path"], format=c["format"], text_column=c["text_column"],
                id_column=c["id_column"], title_column=c["title_column"],
                date_column=c["date_column"], metadata=c["metadata"],
                metadata_key=c["metadata_key"], encoding_errors=c["encoding_errors"])


def load_corpus_for(config: Config, *, out: str | Path | None = None):
    """Read and preprocess the config's corpus, through the experiment's cache."""
    from topics.preprocess import prepare_corpus

    documents, report = read_corpus_documents(config, stream=True)
    options = dict(config.preprocess)
    use_cache = options.pop("cache")
    cache_dir = experiment_folder(config, out) / "cache"
    return prepare_corpus(documents, report, cache_dir=cache_dir, use_cache=use_cache, **options)


def _check_grid(specs: list[RunSpec], corpus, config: Config) -> None:
    """Everything about the grid that would fail each run, checked before anything trains:
    one ``ConfigError`` naming the key."""
    _check_training_documents(specs, corpus, config.scoring["held_out_split"])
    from topics.engines import resolve_params

    seeds = config.grid["seeds"]
    for s in specs:  # engine parameters are checked before anything trains
        try:
            resolve_params(engine=s.engine, num_topics=s.num_topics, seed=s.seed, **s.params)
        except ConfigError as err:
            key = err.key if err.key != "seed" else (
                f"seeds[{seeds.index(s.seed)}]" if s.seed in seeds else "seeds")
            raise ConfigError(f"grid.{key}", f"{err.message} (engine {s.engine})") from None
    _check_fields(specs, corpus)
    field = config.scoring.get("labels")
    if field is not None and not any(m.get(field) not in (None, "") for m in corpus.meta):
        raise ConfigError("scoring.labels", f"no document has a {field!r} field to score "
                          "label agreement against")
    n_themes = len(config.themes)
    for s in specs:
        if s.guided and s.engine not in ("gensim", "tomotopy", "dmm"):
            raise ConfigError("grid.guided", f"guided runs need engine gensim, tomotopy or dmm, "
                              f"not {s.engine!r}")
        if s.guided and s.num_topics < n_themes:
            raise ConfigError("grid.num_topics", f"guided runs need at least one topic per "
                              f"theme ({n_themes} themes), got {s.num_topics}")


def _check_fields(specs: list[RunSpec], corpus) -> None:
    """Engines that read a document field (dmr: ``covariate``, dtm: ``date``) need it on
    every document: one line naming the field, before anything trains."""
    for s in specs:
        if s.engine == "dmr":
            key, name = "grid.covariate", s.params["covariate"]
        elif s.engine == "dtm":
            key, name = "grid.engine", "date"
        else:
            continue
        missing = [d for d, m in zip(corpus.doc_ids, corpus.meta) if m.get(name) in (None, "")]
        if missing:
            raise ConfigError(key, f"engine {s.engine} needs the {name!r} field on every "
                              f"document; {len(missing)} of {len(corpus.doc_ids)} have none "
                              f"(e.g. {missing[0]!r})")


def _check_training_documents(specs: list[RunSpec], corpus, split: str | None) -> None:
    """A held-out split some but not all documents have; no more topics than the documents
    the models train on (the held-out ones do not count)."""
    from topics.runner import split_documents

    n_docs = len(corpus.doc_ids)
    train, test = split_documents(corpus, split)
    if split is not None and not test:
        raise ConfigError("scoring.held_out_split", f"no document has split {split!r} "
                          "(the `split` metadata column, e.g. OCTIS's train/val/test)")
    if split is not None and not train:
        raise ConfigError("scoring.held_out_split", f"every document has split {split!r} "
                          f"(all {n_docs} documents): nothing is left to train on")
    what = (f"{len(train)} training documents ({len(test)} held out as {split!r})"
            if test else f"{n_docs} documents")
    for k in sorted({s.num_topics for s in specs}):
        if k > len(train):
            raise ConfigError("grid.num_topics", f"{k} topics for a corpus of {what}; use "
                              "fewer topics or segment the documents "
                              "(preprocess.segment: paragraph)")


def _tasks(specs: list[RunSpec], corpus, folder: Path, config: Config,
           prior_words: tuple) -> list[RunTask]:
    return [RunTask(spec=s, corpus_dir=str(corpus.path), experiment_dir=str(folder),
                    topn=config.scoring["topn"], diversity_topn=config.scoring["diversity_topn"],
                    topwords_method=config.topwords["method"],
                    topwords_lambda=config.topwords["lambda"], ldavis=config.output["ldavis"],
                    prior_words=prior_words if s.guided else (),
                    held_out_split=config.scoring["held_out_split"])
            for s in specs]


def labels_field(config: Config, corpus) -> str | None:
    """The metadata field runs are scored against (NMI, ARI, purity): ``scoring.labels``,
    else ``label`` when some document has one, else None."""
    field = config.scoring.get("labels")
    if field is not None:
        return field
    return "label" if any(m.get("label") not in (None, "") for m in corpus.meta) else None


def _resolved_theme_ids(config: Config, corpus) -> tuple:
    """Theme -> word ids in the corpus dictionary (for guided priors and post-hoc scores)."""
    if not config.themes:
        return ()
    from topics.themes import resolve_themes

    resolved = resolve_themes(config.themes, transform=corpus.transform_text,
                              vocab=corpus.vocab)
    return tuple((name, tuple(ids)) for name, ids in resolved.word_ids.items())


def run_experiment(config: Config, *, out: str | Path | None = None,
                   progress: bool = False) -> RunSummary:
    """Run the config's grid in its experiment folder, skipping runs already completed.

    Completed runs scored under other scoring settings (or with ``top_words.json`` missing)
    are re-scored from their saved matrices; damaged ones train again (topics.rescoring).
    Resuming in an existing folder may unpickle what is in it (gensim's Matrix Market index
    for corpora too large for memory): run only in folders you trust."""
    folder = experiment_folder(config, out)
    with experiment_lock(folder):
        for path in remove_staging(folder):
            log.info("removed %s, left by an interrupted run", path)
        stamp = fresh_summary(folder, config)
        if stamp is not None and runs_intact(folder, stamp["runs"]):
            runs = len(stamp["runs"])
            log.info("grid: %d runs (%d already completed, 0 to run) in %s", runs, runs, folder)
            log.info("nothing to do: all %d runs of %s are complete and its config, input "
                     "files and package versions are unchanged", runs, folder)
            summary = RunSummary(folder=folder, total=runs, skipped=runs, best=stamp["best"])
        else:
            clear_stamp(folder)
            summary = _run_all(config, folder, progress=progress)
    summary.ldavis = sorted((folder / "ldavis").glob("*.html"))
    if config.output["report"]:
        summary.report = _report_if_changed(folder, config)
    return summary


def _run_all(config: Config, folder: Path, *, progress: bool) -> RunSummary:
    """Preprocess (through the cache), expand and check the grid, re-score and run what is
    missing, record stability and results.csv; stamp the folder when every run is complete."""
    corpus = load_corpus_for(config, out=folder)
    settings = scoring_settings(config, labels_field(config, corpus))
    write_manifest(folder, config=config.resolved(), corpus_key=corpus.key,
                   corpus_hash=corpus.content_hash, corpus_stats=corpus.stats,
                   scoring=settings)
    from topics.engines import ENGINE_PARAMS

    specs = expand_grid(config.grid, corpus_key=corpus.key, engine_params=ENGINE_PARAMS,
                        themes=config.themes, held_out_split=config.scoring["held_out_split"])
    _check_grid(specs, corpus, config)
    with Store(folder) as store:
        for _, problem in store.drop_damaged():
            log.warning("%s: dropped; the run trains again if it is in the grid", problem)
        scorer = functools.cache(lambda: make_scorer(config, corpus))
        rescored = refresh_runs(store, corpus=corpus, folder=folder, config=config,
                                settings=settings, scorer=scorer)
        summary = _run_grid(store, specs, corpus, folder, config, scorer=scorer,
                            settings=settings, progress=progress)
        summary.rescored = rescored
        _record_stability(store, specs, folder, config)
        _export_csv(store, folder, corpus.key)
        summary.best = best_runs(store, corpus.key, config.scoring["measures"], settings)
        complete = {s.run_id for s in specs} <= store.completed_ids()
    if complete and not summary.failed:
        write_stamp(folder, config, run_ids=[s.run_id for s in specs], best=summary.best,
                    corpus_key=corpus.key)
    return summary


def _report_if_changed(folder: Path, config: Config) -> Path:
    """``report.html``, rewritten only when what it shows may have changed (the results
    table, the config or the package versions): a rerun with nothing to do draws nothing."""
    key = report_key(folder, config)
    if report_is_current(folder, key):
        log.info("report unchanged: %s", folder / "report.html")
        return folder / "report.html"
    report = write_experiment_report(folder)
    mark_report(folder, key)
    return report


def _run_grid(store: Store, specs: list[RunSpec], corpus, folder: Path, config: Config, *,
              scorer, settings: dict[str, Any], progress: bool) -> RunSummary:
    done = store.completed_ids()
    todo = [s for s in specs if s.run_id not in done]
    summary = RunSummary(folder=folder, total=len(specs), skipped=len(specs) - len(todo))
    log.info("grid: %d runs (%d already completed, %d to run) in %s",
             len(specs), summary.skipped, len(todo), folder)
    if not todo:
        return summary
    by_id = {s.run_id: s for s in todo}
    if config.scoring["reference"]:  # read (and a bad one reported) before any training;
        scorer()  # else the scorer is built while the first runs train
    # Largest models first: the long runs start early and the short ones fill the gaps, so
    # the workers finish together instead of one training the biggest model alone at the end.
    todo = sorted(todo, key=lambda s: -s.num_topics)
    tasks = _tasks(todo, corpus, folder, config, _resolved_theme_ids(config, corpus))
    results = _execute(tasks, config)
    for result in _progress(results, total=len(todo), enabled=progress):
        _record(store, by_id[result.run_id], result, scorer(), config, folder, corpus,
                settings)
        _export_csv(store, folder, specs[0].corpus_key)
        if result.status == "done":
            summary.done += 1
        else:
            summary.failed += 1
            summary.errors.append((result.run_id, result.error or ""))
            log.warning("run %s failed: %s", result.run_id, result.error)
    return summary


def _execute(tasks: list[RunTask], config: Config) -> Iterator[RunResult]:
    runner = config.runner
    if runner["executor"] != "dask" or not tasks:
        return execute(tasks, n_jobs=runner["n_jobs"])
    from topics.runner_dask import iter_dask

    return iter_dask(tasks, address=runner["address"], shared_disk=runner["shared_disk"],
                     n_jobs=runner["n_jobs"] or os.cpu_count() or 1)


def _progress(results: Iterable[RunResult], *, total: int, enabled: bool) -> Iterator[RunResult]:
    """A progress bar (runs done, failed, ETA) on a terminal; plain log lines otherwise."""
    from tqdm import tqdm

    failed = 0
    start = time.monotonic()
    with tqdm(total=total, unit="run", disable=not enabled, dynamic_ncols=True) as bar:
        for n, result in enumerate(results, 1):
            failed += result.status != "done"
            bar.set_postfix(failed=failed)
            bar.update()
            if not enabled:
                eta = (time.monotonic() - start) / n * (total - n)
                log.info("run %d/%d %s %s (failed %d, eta %.0fs)", n, total, result.run_id,
                         result.status, failed, eta)
            yield result


def _score(result: RunResult, scorer, config: Config) -> dict[str, Any]:
    """Coherence means and diversity of a finished run (as re-scoring computes them)."""
    return score_words(result.run_id, [list(t) for t in result.top_words],
                       [list(t) for t in result.diversity_words], scorer, config)


def _engine_metrics(result: RunResult, corpus, folder: Path, config: Config) -> dict[str, Any]:
    """Held-out perplexity from the worker's log-likelihood, and NMI/ARI/purity of the
    training documents' main topics against the labels field (read from the saved model)."""
    from topics.scoring import label_agreement, perplexity

    extra = dict(result.extra)
    log_likelihood = extra.pop("held_out_log_likelihood", None)
    if log_likelihood is not None and extra.get("held_out_tokens"):
        extra["perplexity"] = perplexity(log_likelihood=log_likelihood,
                                         num_tokens=extra["held_out_tokens"])
    field = labels_field(config, corpus)
    if field is not None and result.model_dir is not None:
        from topics.engines import load_model
        from topics.runner import split_documents

        output = load_model(folder / result.model_dir, native=False)
        train, _ = split_documents(corpus, config.scoring["held_out_split"])
        extra.update(label_agreement(output.doc_topic, [corpus.meta[i].get(field) for i in train]))
    return extra


def _record(store: Store, spec: RunSpec, result: RunResult, scorer, config: Config,
            folder: Path, corpus, settings: dict[str, Any]) -> None:
    metrics: dict[str, Any] = {}
    score_s = None
    error = result.error
    status = result.status
    if status == "done":
        t0 = time.perf_counter()
        try:
            metrics = {**_score(result, scorer, config),
                       **_engine_metrics(result, corpus, folder, config)}
        except Exception as err:  # noqa: BLE001 - a scoring failure fails this run only
            status, error = "failed", f"scoring: {type(err).__name__}: {err}"
        score_s = time.perf_counter() - t0
        write_json(folder / "models" / spec.run_id / "top_words.json",
                   [list(t) for t in result.diversity_words])
    store.record(RunRecord(
        run_id=spec.run_id, corpus_key=spec.corpus_key, params=spec.as_dict(), status=status,
        metrics=metrics, error=error, started=result.started, finished=result.finished,
        train_s=result.train_s, score_s=score_s, host=result.host, model_dir=result.model_dir,
        scoring=settings if status == "done" else None))


def _record_stability(store: Store, specs: list[RunSpec], folder: Path, config: Config) -> None:
    """Stability across seeds for every grid point with two or more completed seeds."""
    from topics.scoring import stability
    from topics.store import read_json

    done = store.completed_ids()
    for group in seed_groups(specs).values():
        runs = [s for s in group if s.run_id in done]
        if len(runs) < 2:
            continue
        tops = [read_json(folder / "models" / s.run_id / "top_words.json") for s in runs]
        value = float(stability(tops, topn=config.scoring["topn"]))
        for s in runs:
            store.update_metrics(s.run_id, {"stability": value})


def _export_csv(store: Store, folder: Path, corpus_key: str) -> None:
    write_atomic(folder / "results.csv", results_frame(store, corpus_key).to_csv(index=False))


def format_summary(summary: RunSummary) -> str:
    lines = [f"experiment: {summary.folder}",
             f"runs: {summary.total} in the grid, {summary.skipped} already completed, "
             f"{summary.done} done now, {summary.failed} failed"]
    if summary.rescored:
        lines.append(f"  {summary.rescored} re-scored from their saved matrices under the "
                     "current scoring settings")
    lines += [f"  failed {run}: {err}" for run, err in summary.errors]
    for measure, (run, value) in summary.best.items():
        lines.append(f"best by {measure}: {run} ({value:.4f})")
    if summary.ldavis:
        lines.append(f"pyLDAvis pages: {summary.folder / 'ldavis'} ({len(summary.ldavis)} pages)")
    if summary.report:
        lines.append(f"report: {summary.report}")
    return "\n".join(lines)


def format_stats(stats: dict[str, Any]) -> str:
    """Corpus statistics as readable lines for ``topics preprocess``."""
    lines = []
    for key, value in stats.items():
        if isinstance(value, list) and value and isinstance(value[0], (list, tuple)):
            shown = ", ".join(f"{a} ({b})" for a, b in value[:20])
            lines.append(f"{key}: {shown}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}: {len(value)}")
            lines += [f"  {', '.join(f'{k}={v}' for k, v in item.items())}" for item in value[:50]]
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines)


def write_experiment_report(folder: str | Path) -> Path:
    """(Re)write ``report.html`` of an experiment folder from its store and models."""
    from topics.experiment_report import build_report

    return build_report(Path(folder))
