"""``report.html`` of an experiment folder: its results, figures, pyLDAvis pages and themes.

:func:`build_report` reads the folder back (:func:`topics.experiment.load_experiment`), draws
the figures into ``figures/`` (PNG and SVG) and writes the page with
:func:`topics.report.write_report`.  It runs at the end of every ``topics run``.  The page
opens with the themes pooled over every completed run (:mod:`topics.experiment_report_themes`:
per document the themes above average with their intervals, the pooled heatmap, effects over
time and by source/label); the single-run figures are those of the best run by c_npmi and the
best run of each engine.  Every figure the experiment has no data for is skipped: no
completed run, no ``themes:`` section, no dates, no ``source``/``label`` metadata, a single
engine.

A figure that cannot be drawn (a damaged model folder, a missing corpus cache) is left out
with a warning in the log; the rest of the report is still written.  Nothing is unpickled:
the figures read each run's saved matrices (:meth:`Experiment.output`), never the engine's
native model, so a report of a folder from an untrusted source runs no code from it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from topics import experiment_report_themes as rt
from topics.experiment_report_themes import FIGURES_DIR, LABELS, PERIODS, period  # noqa: F401
from topics import themes as th
from topics.experiment import Experiment, load_experiment
from topics.grid import run_label
from topics.results import comparable_runs
from topics.report import write_report
from topics.report_families import family_figures
from topics.viz import coherence_vs_k, save_figure, topic_similarity, topic_top_words

log = logging.getLogger(__name__)

PRIMARY = "c_npmi"
FORMATS = ("png", "svg")  # the page shows the SVG and links both (PNG for slides, papers)
IDENTITY = ("run_id", "engine", "guided", "num_topics", "seed")
KEPT = ("run_id", "engine", "num_topics", "seed")  # columns shown even when constant
MEASURES = ("c_npmi", "c_v", "c_uci", "u_mass", "diversity", "stability", "perplexity",
            "nmi", "ari", "purity")


def build_report(folder: Path) -> Path:
    """(Re)write ``folder/report.html`` and the figures under ``folder/figures``; its path."""
    exp = load_experiment(folder)
    results = exp.results
    done = comparable_runs(results, exp.scored_with)  # scored under the same settings
    measures = list(exp.config["scoring"]["measures"] or [PRIMARY])
    measure = primary_measure(done, measures)
    best = best_run(done, measure)
    figures: dict[str, list[Path]] = {}
    add = _collector(figures, exp.folder / FIGURES_DIR)
    for m in [*measures, "diversity"]:
        add(f"coherence_{m}", f"{m} against K", coherence_figure, done, m)
    if best is not None:
        add("top_words_best", f"Top words of the best run by {measure} ({best})",
            top_words_figure, exp, best)
    lead = _attempt("themes pooled over runs", rt.lead_section, exp, add)
    theme_part = _attempt("themes", theme_section, exp, theme_run(done, measure))
    theme_table, evidence = theme_part or (None, None)
    family_figures(exp, done, lambda rows: best_run(rows, measure),
                   lambda run_id: topic_names(exp, run_id), add)
    pair = best_per_engine(done, measure)
    if len(pair) == 2:
        add("topic_similarity_engines", f"Topic similarity: best gensim vs best tomotopy run "
            f"by {measure}", similarity_figure, exp, pair["gensim"], pair["tomotopy"])
    _attempt("pyLDAvis pages with the names given", named_ldavis_pages, exp, results)
    table = results_table(results)
    shared = shared_settings(table)
    return write_report(
        exp.folder, title=f"Topic modelling report: {exp.config.get('name', exp.folder.name)}",
        results=table.drop(columns=list(shared)), results_note=settings_note(shared),
        figures=figures,
        ldavis_pages=ldavis_pages(exp.folder, results), themes=theme_table, evidence=evidence,
        corpus_stats=exp.manifest.get("corpus_stats") or {}, manifest=exp.manifest, lead=lead,
        topics=_attempt("topics table", topics_table, exp, best) if best else None,
        topics_note=(f"The topics of the best run by {measure} ({best}): the name given with "
                     "exp.name_topics, else the guided theme, else the automatic label."
                     if best else None))


# ---------------------------------------------------------------- choosing runs
def completed(results: pd.DataFrame) -> pd.DataFrame:
    """The completed runs of a results table (empty when there are none)."""
    if results.empty or "status" not in results.columns:
        return results.iloc[0:0]
    return results[results["status"] == "done"]


def primary_measure(done: pd.DataFrame, measures: list[str]) -> str | None:
    """c_npmi when scored, else the first configured measure with values, else None."""
    for m in [PRIMARY, *measures]:
        if m in done.columns and pd.to_numeric(done[m], errors="coerce").notna().any():
            return m
    return None


def best_run(done: pd.DataFrame, measure: str | None) -> str | None:
    """The run id with the highest ``measure`` (the first completed run without one)."""
    if done.empty:
        return None
    if measure is None:
        return str(done["run_id"].iloc[0])
    values = pd.to_numeric(done[measure], errors="coerce")
    return str(done.loc[values.idxmax(), "run_id"])


def theme_run(done: pd.DataFrame, measure: str | None) -> str | None:
    """The run the themes are shown for: the best run by ``measure`` of the engine whose
    runs score best on average.  One lucky run of an engine that is worse over its seeds
    should not decide what the report says the documents are about."""
    if done.empty or measure is None or "engine" not in done.columns:
        return best_run(done, measure)
    values = pd.to_numeric(done[measure], errors="coerce")
    means = values.groupby(done["engine"]).mean().dropna()
    if means.empty:
        return best_run(done, measure)
    return best_run(done[done["engine"] == means.idxmax()], measure)


def best_per_engine(done: pd.DataFrame, measure: str | None) -> dict[str, str]:
    """Engine -> its best run by ``measure``, for the gensim and tomotopy runs present."""
    if done.empty or "engine" not in done.columns:
        return {}
    out = {}
    for engine in ("gensim", "tomotopy"):
        run = best_run(done[done["engine"] == engine], measure)
        if run is not None:
            out[engine] = run
    return out


# ---------------------------------------------------------------- tables and links
def results_table(results: pd.DataFrame) -> pd.DataFrame:
    """All runs sorted by engine, K and seed: the run id, engine, guided, K and seed first,
    then the quality measures, then every other column; empty columns dropped."""
    if results.empty:
        return results
    keys = [c for c in ("engine", "num_topics", "seed") if c in results.columns]
    table = results.sort_values(keys, kind="stable") if keys else results
    table = table.dropna(axis=1, how="all").reset_index(drop=True)
    first = [c for c in (*IDENTITY, *MEASURES) if c in table.columns]
    return table[first + [c for c in table.columns if c not in first]]


def shared_settings(table: pd.DataFrame) -> dict[str, Any]:
    """The columns with one value in every row of a table of two or more runs: column -> that
    value.  The run id, engine, K, seed and the measures are never among them."""
    if len(table) < 2:
        return {}
    return {c: table[c].iloc[0] for c in table.columns
            if c not in KEPT and c not in MEASURES and table[c].notna().all()
            and table[c].astype(str).nunique() == 1}


def settings_note(shared: dict[str, Any]) -> str | None:
    """``Same for every run: alpha = auto, workers = 1.`` (None when nothing is shared)."""
    if not shared:
        return None
    return "Same for every run: " + ", ".join(f"{k} = {_plain(v)}" for k, v in shared.items()) + "."


def _plain(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def ldavis_pages(folder: Path, results: pd.DataFrame) -> dict[str, Path]:
    """Every ``ldavis/*.html`` page, named by its run's parameters, in results order."""
    pages = {p.stem: p for p in sorted((folder / "ldavis").glob("*.html"))}
    rows = {r["run_id"]: r for _, r in results_table(results).iterrows()} if len(results) else {}
    order = [rid for rid in rows if rid in pages] + sorted(set(pages) - set(rows))
    return {(run_label(rows[rid]) if rid in rows else rid): Path("ldavis") / pages[rid].name
            for rid in order}


def topics_table(exp: Experiment, run_id: str) -> pd.DataFrame:
    """One row per topic of ``run_id``: its number, name and top words."""
    top = exp.topics(run_id)
    return pd.DataFrame([{"topic": k, "name": g["name"].iloc[0],
                          "top words": ", ".join(g["word"])}
                         for k, g in top.groupby("topic", sort=True)])


def named_ldavis_pages(exp: Experiment, results: pd.DataFrame) -> None:
    """Rewrite the pyLDAvis page of every run whose topics a user named
    (:meth:`~topics.experiment.Experiment.name_topics`), so that the page shows the names."""
    from topics.experiment_names import user_names
    from topics.viz import ldavis_page

    rows = {r["run_id"]: r for _, r in results.iterrows()} if len(results) else {}
    for run_id in user_names(exp.folder):
        page = exp.folder / "ldavis" / f"{run_id}.html"
        if run_id not in rows or not page.exists():
            continue
        out = exp.output(run_id)
        ldavis_page(topic_word=out.topic_word, doc_topic=out.doc_topic,
                    doc_lengths=out.doc_lengths, vocab=out.vocab,
                    term_frequency=out.term_frequency, topic_names=out.topic_names,
                    path=page, title=f"{run_label(rows[run_id])} (run {run_id})",
                    lambda_start=_ldavis_lambda(exp))


def _ldavis_lambda(exp: Experiment) -> float:
    """The relevance the pyLDAvis pages open at: the config's top words (1.0: probability)."""
    tw = exp.config.get("topwords") or {}
    return float(tw.get("lambda", 0.6)) if tw.get("method") == "relevance" else 1.0


# ---------------------------------------------------------------- figures
def coherence_figure(done: pd.DataFrame, measure: str) -> Any:
    """``measure`` against K per engine (guided runs as their own line); None without values."""
    if measure not in done.columns or not pd.to_numeric(done[measure], errors="coerce").notna().any():
        return None
    data = done.copy()
    if "guided" in data.columns:
        guided = data["guided"].eq(True)
        data.loc[guided, "engine"] = data.loc[guided, "engine"].astype(str) + " guided"
    return coherence_vs_k(data, measure)


def top_words_figure(exp: Experiment, run_id: str) -> Any:
    """The run's top words (ranked as the config's ``topwords`` says), bars of p(word|topic)."""
    out = exp.output(run_id)
    index = {w: i for i, w in enumerate(out.vocab)}
    ranked = exp.topics(run_id)
    entries = {k: [(w, float(out.topic_word[k, index[w]])) for w in group["word"]]
               for k, group in ranked.groupby("topic", sort=True)}
    method = exp.config["topwords"]["method"]
    fig = topic_top_words(entries, topic_names=list(out.topic_names or []) or None,
                          title=f"Top words of run {run_id} (chosen by {method})",
                          weight_label="p(word | topic)")
    return fig


def similarity_figure(exp: Experiment, run_a: str, run_b: str) -> Any:
    """Cosine similarity of two runs' topics, matched one to one (best matches first)."""
    a, b = exp.output(run_a), exp.output(run_b)
    return topic_similarity(a.topic_word, b.topic_word, metric="cosine",
                            names_a=topic_names(exp, run_a), names_b=topic_names(exp, run_b),
                            label_a=f"{a.engine} {run_a}", label_b=f"{b.engine} {run_b}")


def topic_names(exp: Experiment, run_id: str, *, words: int = 3) -> list[str]:
    """Each topic's name (guided topics), else its first ``words`` top words."""
    top = exp.topics(run_id, topn=words)
    return [str(g["name"].iloc[0]) if g["name"].notna().any() else " ".join(g["word"])
            for _, g in top.groupby("topic", sort=True)]


# ---------------------------------------------------------------- themes
def theme_section(exp: Experiment, run_id: str | None):
    """(themes table, evidence per theme): every token each theme used with its corpus count
    and the seeds that matched nothing; per theme its top documents pooled over the runs, with
    the topics of ``run_id`` that carried them.  None without ``themes:``."""
    lexicon = exp.config.get("themes") or {}
    if not lexicon:
        return None
    # quiet: `topics run` has logged the missing seeds once; the report's table lists them
    resolved = th.resolve_themes(lexicon, transform=exp.corpus.transform_text,
                                 vocab=exp.corpus.vocab, strict=False, quiet=True)
    frequency = np.zeros(len(exp.corpus.vocab))
    for word_id, count in exp.corpus.dictionary.cfs.items():
        frequency[word_id] = count
    if run_id is None:
        return rt.themes_table(lexicon, resolved, frequency, None), None
    table = rt.themes_table(lexicon, resolved, frequency, exp.themes(run_id).affinity)
    summary = exp.theme_summary()
    return table, rt.theme_evidence_tables(exp, run_id, summary, _snippets(exp))


def _snippets(exp: Experiment) -> dict | None:
    texts = getattr(exp, "document_texts", None)
    return _attempt("text snippets", texts) if callable(texts) else None


# ---------------------------------------------------------------- helpers
def _attempt(what: str, draw: Callable, *args: Any, **kwargs: Any) -> Any:
    """``draw(*args, **kwargs)``, or None with a warning when it fails (the report goes on)."""
    try:
        return draw(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - one missing figure must not lose the report
        log.warning("report: left out %s: %s: %s", what, type(err).__name__, err)
        return None


def _collector(figures: dict[str, list[Path]], fig_dir: Path) -> Callable:
    """``add(name, caption, draw, *args, target=None)``: draw a figure, save it as
    ``fig_dir/name`` and record it under ``caption`` (in ``target``, default ``figures``); a
    figure that fails or is None is left out."""
    def add(name: str, caption: str, draw: Callable, *args: Any,
            target: dict | None = None, **kwargs: Any) -> None:
        fig = _attempt(caption, draw, *args, **kwargs)
        paths = _attempt(caption, save_figure, fig, fig_dir / name, formats=FORMATS) if fig else None
        if paths:
            (figures if target is None else target)[caption] = paths
    return add
