"""``report.html`` of an experiment folder: its results, figures, pyLDAvis pages and themes.

:func:`build_report` reads the folder back (:func:`topics.experiment.load_experiment`), draws
the figures into ``figures/`` (PNG and SVG) and writes the page with
:func:`topics.report.write_report`.  It runs at the end of every ``topics run``, so it loads
only the models it draws (the best run by c_npmi, and the best run of each engine) and skips
every figure the experiment has no data for: no completed run, no ``themes:`` section, no
dates, no ``source``/``label`` metadata, a single engine.

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

import pandas as pd
from matplotlib.figure import Figure

from topics import themes as th
from topics.experiment import Experiment, load_experiment
from topics.rescoring import comparable_runs
from topics.report import write_report
from topics.viz import (coherence_vs_k, doc_theme_heatmap, save_figure, theme_by_field,
                        theme_over_time, topic_similarity, topic_top_words)

log = logging.getLogger(__name__)

FIGURES_DIR = "figures"
PRIMARY = "c_npmi"
FIELDS = ("source", "label")
FORMATS = ("png", "svg")  # the page shows the SVG and links both (PNG for slides, papers)
TOP_DOCUMENTS = 10
MIN_SHARE = 0.05
IDENTITY = ("run_id", "engine", "guided", "num_topics", "seed")
KEPT = ("run_id", "engine", "num_topics", "seed")  # columns shown even when constant
MEASURES = ("c_npmi", "c_v", "c_uci", "u_mass", "diversity", "stability", "perplexity",
            "nmi", "ari", "purity")


def build_report(folder: Path) -> Path:
    """(Re)write ``folder/report.html`` and the figures under ``folder/figures``; its path."""
    exp = load_experiment(folder)
    results = exp.results
    done = comparable_runs(results, exp.scored_with)  # scored under the same settings
    measures = list(exp.config.get("scoring", {}).get("measures") or [PRIMARY])
    measure = primary_measure(done, measures)
    best = best_run(done, measure)
    figures: dict[str, list[Path]] = {}
    add = _collector(figures, exp.folder / FIGURES_DIR)
    for m in [*measures, "diversity"]:
        add(f"coherence_{m}", f"{m} against K", coherence_figure, done, m)
    if best is not None:
        add("top_words_best", f"Top words of the best run by {measure} ({best})",
            top_words_figure, exp, best)
    theme_part = _attempt("themes", theme_section, exp, theme_run(done, measure), add)
    theme_table, evidence = theme_part or (None, None)
    pair = best_per_engine(done, measure)
    if len(pair) == 2:
        add("topic_similarity_engines", f"Topic similarity: best gensim vs best tomotopy run "
            f"by {measure}", similarity_figure, exp, pair["gensim"], pair["tomotopy"])
    table = results_table(results)
    shared = shared_settings(table)
    return write_report(
        exp.folder, title=f"Topic modelling report: {exp.config.get('name', exp.folder.name)}",
        results=table.drop(columns=list(shared)), results_note=settings_note(shared),
        figures=figures,
        ldavis_pages=ldavis_pages(exp.folder, results), themes=theme_table, evidence=evidence,
        corpus_stats=exp.manifest.get("corpus_stats") or {}, manifest=exp.manifest)


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


def run_label(row: pd.Series) -> str:
    """``tomotopy K=6 seed=0 (guided)`` for a results row."""
    label = f"{row.get('engine', '?')} K={row.get('num_topics', '?')} seed={row.get('seed', '?')}"
    return label + (" (guided)" if row.get("guided") is True else "")


def ldavis_pages(folder: Path, results: pd.DataFrame) -> dict[str, Path]:
    """Every ``ldavis/*.html`` page, named by its run's parameters, in results order."""
    pages = {p.stem: p for p in sorted((folder / "ldavis").glob("*.html"))}
    rows = {r["run_id"]: r for _, r in results_table(results).iterrows()} if len(results) else {}
    order = [rid for rid in rows if rid in pages] + sorted(set(pages) - set(rows))
    return {(f"{run_label(rows[rid])}: {rid}" if rid in rows else rid): Path("ldavis") / pages[rid].name
            for rid in order}


# ---------------------------------------------------------------- figures
def coherence_figure(done: pd.DataFrame, measure: str) -> Figure | None:
    """``measure`` against K per engine (guided runs as their own line); None without values."""
    if measure not in done.columns or not pd.to_numeric(done[measure], errors="coerce").notna().any():
        return None
    data = done.copy()
    if "guided" in data.columns:
        guided = data["guided"].eq(True)
        data.loc[guided, "engine"] = data.loc[guided, "engine"].astype(str) + " guided"
    return coherence_vs_k(data, measure)


def top_words_figure(exp: Experiment, run_id: str) -> Figure:
    """The run's top words (ranked as the config's ``topwords`` says), bars of p(word|topic)."""
    out = exp.output(run_id)
    index = {w: i for i, w in enumerate(out.vocab)}
    ranked = exp.topics(run_id)
    entries = {k: [(w, float(out.topic_word[k, index[w]])) for w in group["word"]]
               for k, group in ranked.groupby("topic", sort=True)}
    method = exp.config.get("topwords", {}).get("method", "probability")
    fig = topic_top_words(entries, topic_names=list(out.topic_names or []) or None,
                          title=f"Top words of run {run_id} (chosen by {method})",
                          weight_label="p(word | topic)")
    return fig


def similarity_figure(exp: Experiment, run_a: str, run_b: str) -> Figure:
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
def parent_documents(exp: Experiment) -> pd.DataFrame:
    """Metadata of the documents themes are scored on: parents when the corpus is chunked."""
    docs = exp.documents()
    if "parent_id" not in docs.columns:
        return docs
    parents = docs.groupby("parent_id", sort=False).first()
    parents.index.name = "id"
    return parents.drop(columns=[c for c in ("chunk",) if c in parents.columns])


def theme_section(exp: Experiment, run_id: str | None, add: Callable):
    """(themes table, evidence per theme) for ``run_id``, its figures passed to ``add``;
    None without ``themes:``.  Without a completed run: the themes and their missing seeds."""
    lexicon = exp.config.get("themes") or {}
    if not lexicon:
        return None
    resolved = th.resolve_themes(lexicon, transform=exp.corpus.transform_text,
                                 vocab=exp.corpus.vocab)
    if run_id is None:
        return themes_table(lexicon, resolved, None), None
    scores = exp.themes(run_id)
    meta = parent_documents(exp).reindex(scores.scores.index)
    theme_figures(scores.scores, meta, run_id, add)
    table = themes_table(lexicon, resolved, scores.affinity)
    titles = meta["title"] if "title" in meta.columns else pd.Series(dtype=object)
    evidence = {theme: theme_top_documents(theme, scores.scores, scores.evidence, titles)
                for theme in scores.scores.columns}
    return table, evidence


def theme_figures(scores: pd.DataFrame, meta: pd.DataFrame, run_id: str, add: Callable) -> None:
    """Document x theme heatmap, theme over time (dated documents), theme share by field."""
    titles = meta["title"] if "title" in meta.columns else None
    add("doc_theme_heatmap", f"Theme scores (lift) per document, run {run_id}",
        doc_theme_heatmap, scores, titles, title=f"Theme lift per document (run {run_id})")
    dates = _dates(meta)
    if dates is not None:
        add("theme_over_time", f"Themes over time, run {run_id}", theme_over_time, scores,
            dates, period(dates))
    for name in FIELDS:
        if name in meta.columns and meta[name].notna().any():
            add(f"theme_by_{name}", f"Theme share by {name}, run {run_id}", theme_by_field,
                scores, meta[name], name)


def _dates(meta: pd.DataFrame) -> pd.Series | None:
    if "date" not in meta.columns:
        return None
    # Stored dates are ISO YYYY-MM-DD (topics.io): read as ISO only, never guessed.
    dates = pd.to_datetime(meta["date"].astype("string"), errors="coerce", format="ISO8601")
    return dates if dates.notna().any() else None


def period(dates: pd.Series) -> str:
    """A period alias giving a readable number of periods for the dates' span."""
    span = (dates.max() - dates.min()).days
    return "W" if span <= 120 else "M" if span <= 4 * 365 else "Q" if span <= 10 * 365 else "Y"


def themes_table(lexicon: dict, resolved: th.ResolvedThemes,
                 affinity: pd.DataFrame | None) -> pd.DataFrame:
    """One row per theme: its seeds, the vocabulary words they matched, the seeds missing
    from the vocabulary, and (given the affinity) the topics carrying most of its words."""
    rows = []
    for theme in resolved.themes:
        row = {"theme": theme.name, "seeds": list(lexicon.get(theme.name, [])),
               "vocabulary words": list(theme.words), "missing seeds": list(theme.missing_seeds)}
        if affinity is not None:
            strongest = affinity[theme.name].sort_values(ascending=False, kind="stable").head(3)
            row["main topics (theme word mass)"] = [f"{t} ({v:.3f})" for t, v in strongest.items()]
        rows.append(row)
    return pd.DataFrame(rows)


def theme_top_documents(theme: str, scores: pd.DataFrame, evidence: pd.DataFrame,
                        titles: pd.Series) -> pd.DataFrame:
    """The theme's top documents by lift among those above the corpus average (lift >= 1),
    each with the topics carrying at least ``MIN_SHARE`` of its theme mass (their share of it)
    and the theme's most probable words in those topics."""
    top = scores[theme].sort_values(ascending=False, kind="stable")
    top = top[top >= 1.0].head(TOP_DOCUMENTS)
    rows = evidence[(evidence["theme"] == theme) & (evidence["share"] >= MIN_SHARE)]
    carried = {doc: "; ".join(f"{r.topic} ({r.share:.0%}): {', '.join(r.words)}"
                              for r in group.itertuples())
               for doc, group in rows.groupby("doc_id", sort=False)}
    return pd.DataFrame({"document": top.index.astype(str),
                         "title": [titles.get(d, "") for d in top.index],
                         "lift": top.to_numpy(),
                         "topics (share of the theme mass): theme words":
                             [carried.get(d, "") for d in top.index]})


# ---------------------------------------------------------------- helpers
def _attempt(what: str, draw: Callable, *args: Any, **kwargs: Any) -> Any:
    """``draw(*args, **kwargs)``, or None with a warning when it fails (the report goes on)."""
    try:
        return draw(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - one missing figure must not lose the report
        log.warning("report: left out %s: %s: %s", what, type(err).__name__, err)
        return None


def _collector(figures: dict[str, list[Path]], fig_dir: Path) -> Callable:
    """``add(name, caption, draw, *args)``: draw a figure, save it as ``fig_dir/name`` and
    record it under ``caption``; a figure that fails or is None is left out."""
    def add(name: str, caption: str, draw: Callable, *args: Any, **kwargs: Any) -> None:
        fig = _attempt(caption, draw, *args, **kwargs)
        paths = _attempt(caption, save_figure, fig, fig_dir / name, formats=FORMATS) if fig else None
        if paths:
            figures[caption] = paths
    return add
