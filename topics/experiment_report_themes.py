"""The themes part of ``report.html``: the section the page opens with (themes pooled over
every completed run, their heatmap, effects over time and by field), the themes table (every
token each theme used, with its corpus count, and the seeds that matched nothing), and the
evidence per theme.

Which runs are pooled: every completed run.  A theme score rests mostly on the documents' own
theme words (see :mod:`topics.themes.scores`); what the runs change is the topic model's
smoothing, so no single run (one engine, K and seed) should decide what the report says the
documents are about.  The page states the runs and their settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from topics import themes as th
from topics.errors import ConfigError
from topics.experiment import Experiment
from topics.experiment_passages import highlight
from topics.experiment_themes import scored_documents, select_runs
from topics.themes_page import PAGE_NAME, write_themes_page

log = logging.getLogger(__name__)

FIGURES_DIR = "figures"

#: ``output.period`` names -> the period alias of :func:`topics.viz.theme_over_time`
PERIODS = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "decade"}
LABELS = {alias: name for name, alias in PERIODS.items()}


def period(dates: pd.Series, chosen: str = "auto") -> str:
    """The period alias of ``chosen`` (``output.period``); for ``auto``, one giving a readable
    number of periods for the dates' span (decades beyond 80 years)."""
    if chosen != "auto":
        return PERIODS[chosen]
    span = (dates.max() - dates.min()).days
    return ("W" if span <= 120 else "M" if span <= 4 * 365 else "Q" if span <= 10 * 365
            else "Y" if span <= 80 * 365 else "decade")


FIELDS = ("source", "label")
TIME_FIELDS = ("date", "year")
TOP_DOCUMENTS = 10
MIN_SHARE = 0.05
SIMS = 10  # effect simulations per run in the report (the API's default is 20)
SNIPPET = 240
PASSAGES = 5
READ_PER_THEME = 3
READ_DOCUMENTS = 30


def pooled_runs_note(exp: Experiment, runs: list[str]) -> str:
    """Which runs are pooled and why, in one paragraph."""
    done = exp.results.set_index("run_id").loc[runs]
    parts = []
    for column, name in (("engine", "engines"), ("num_topics", "K"), ("seed", "seeds")):
        if column in done.columns:
            parts.append(f"{name} {', '.join(str(v) for v in sorted(done[column].unique()))}")
    if "guided" in done.columns and done["guided"].nunique() > 1:
        parts.append("free and guided")
    return (f"Pooled over all {len(runs)} completed runs ({'; '.join(parts)}). A score is a "
            "theme's lift: the share of a document's tokens that are the theme's words (its own "
            "use of them, smoothed toward the topic model's prediction), over the corpus average "
            "(1.0). The runs differ only in how the model smooths, so every run is a witness and "
            "none decides alone; intervals are 90% (the mixture over runs of each run's "
            "posterior), top share is the share of runs in which the theme ranks first for the "
            "document.")


def lead_section(exp: Experiment, add: Callable) -> dict | None:
    """The report's opening section (``write_report(lead=...)``) with its figures drawn
    through ``add``; None without themes or completed runs."""
    if not exp.config.get("themes"):
        return None
    try:
        runs = select_runs(exp)
    except Exception:  # noqa: BLE001 - no completed run: nothing to pool
        return None
    summary = exp.theme_summary(runs)
    meta = scored_documents(exp).reindex(pd.Index(summary["doc_id"].unique()))
    figures: dict = {}
    collect = _into(add, figures)
    order, labels = heatmap_rows(meta)
    mean = summary.pivot(index="doc_id", columns="theme", values="mean").loc[order]
    neutral = ~th.interval_excludes_neutral(summary)
    marked = summary.assign(m=neutral).pivot(index="doc_id", columns="theme",
                                             values="m").loc[order]
    themes = list(exp.config["themes"])
    collect("doc_theme_heatmap", "Theme lift per document, pooled over the runs (hatched: the "
            "90% interval contains 1.0)", _heatmap, mean[themes], labels, marked[themes])
    effects_figures(exp, runs, meta, collect, mean[themes])
    lead = {"notes": [pooled_runs_note(exp, runs)], "table": pooled_table(summary, meta),
            "figures": figures}
    try:
        reading_page(exp, summary, meta)
        lead["links"] = {"Read the themes: strongest passages and texts with the theme words "
                         "highlighted (themes.html)": PAGE_NAME}
    except Exception as err:  # noqa: BLE001 - the texts may be gone; the report goes on
        log.warning("report: left out themes.html: %s: %s", type(err).__name__, err)
    return lead


def reading_page(exp: Experiment, summary: pd.DataFrame, meta: pd.DataFrame):
    """Write ``themes.html``: per theme its strongest passages, per document (the top
    documents of every theme) its text with the theme words highlighted."""
    themes = list(exp.config["themes"])
    resolved = exp.run_themes(select_runs(exp)[0]).resolved
    words = {t: set(resolved[t].words) for t in themes}
    titles = meta["title"] if "title" in meta.columns else pd.Series(dtype=object)
    passages = {}
    for theme in themes:
        rows = exp.passages(theme, n=PASSAGES)
        rows["title"] = [_text(titles.get(d)) for d in rows["document"]]
        rows["spans"] = [highlight(exp, t, {theme: words[theme]}) for t in rows["text"]]
        passages[theme] = rows
    table = pooled_table(summary, meta).set_index("document")
    texts = exp.document_texts()
    docs = []
    for doc in _reading_documents(summary):
        docs.append({"id": str(doc), "title": _text(titles.get(doc)),
                     "themes": table.loc[str(doc)].iloc[1] if str(doc) in table.index else "",
                     "spans": highlight(exp, texts.get(doc, ""), words)})
    return write_themes_page(exp.folder, title=f"Themes: {exp.config.get('name', '')}",
                             themes=themes, passages=passages, documents=docs, notes=[
                                 "Passages are paragraph chunks (sentences of unchunked "
                                 "documents) ranked by the lift of their theme rate, pooled "
                                 "over the runs; highlighted words are the themes' tokens as "
                                 "the corpus's preprocessing finds them."])


def _reading_documents(summary: pd.DataFrame) -> list:
    """The top documents of every theme by pooled lift (interval above 1.0), at most
    ``READ_DOCUMENTS``, in corpus order."""
    order = list(dict.fromkeys(summary["doc_id"]))
    above = summary[summary["low"] > th.NEUTRAL].sort_values("mean", ascending=False)
    top = set(above.groupby("theme", sort=False).head(READ_PER_THEME)["doc_id"])
    return [d for d in order if d in top][:READ_DOCUMENTS]


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _into(add: Callable, figures: dict) -> Callable:
    def collect(name, caption, draw, *args, **kwargs):
        add(name, caption, draw, *args, target=figures, **kwargs)
    return collect


def _heatmap(mean, labels, marked):
    from topics.viz import doc_theme_heatmap

    return doc_theme_heatmap(mean, labels, center=1.0, marked=marked,
                             marked_label="hatched: 90% interval contains 1.0",
                             title="Theme lift per document (mean over runs)")


def heatmap_rows(meta: pd.DataFrame) -> tuple[list, list[str]]:
    """Document order (grouped by the first of source/label present, then by id) and labels
    (``field: title``)."""
    titles = meta["title"] if "title" in meta.columns else pd.Series(meta.index, index=meta.index)
    titles = titles.where(titles.notna() & (titles.astype(str) != ""), meta.index.to_series())
    field = next((f for f in FIELDS if f in meta.columns and meta[f].nunique() > 1), None)
    if field is None:
        return list(meta.index), [str(t) for t in titles]
    key = meta[field].map(lambda v: "(missing)" if pd.isna(v) else str(v))
    order = sorted(meta.index, key=lambda d: (key[d], str(d)))
    return order, [f"{key[d]}: {titles[d]}" for d in order]


def pooled_table(summary: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """Per document: its themes whose interval lies above 1.0 (strongest first) with mean,
    interval and top share, and the theme ranked first in most runs."""
    rows = []
    for doc, group in summary.groupby("doc_id", sort=False):
        above = group[group["low"] > th.NEUTRAL].sort_values("mean", ascending=False)
        top = group.loc[group["top_share"].idxmax()]
        title = meta["title"].get(doc, "") if "title" in meta.columns else ""
        rows.append({
            "document": str(doc), "title": "" if pd.isna(title) else str(title),
            "themes above average (lift, 90% interval, top share)": "; ".join(
                f"{r.theme} {r.mean:.2f} [{r.low:.2f}-{r.high:.2f}], first in {r.top_share:.0%}"
                for r in above.itertuples()) or "none",
            "first in most runs": f"{top.theme} ({top.top_share:.0%} of runs)"})
    return pd.DataFrame(rows)


def effects_figures(exp: Experiment, runs: list[str], meta: pd.DataFrame,
                    collect: Callable, mean: pd.DataFrame | None = None) -> None:
    """Prevalence over time (a trend with its band; and, given the pooled ``mean`` lifts,
    the mean of each period's documents above their number) and by each of the config's
    ``output.by_fields`` (default source/label: dots and whiskers)."""
    from topics.viz import theme_by_field, theme_effect_dots, theme_effect_trend

    output = exp.config.get("output") or {}
    time = next((f for f in TIME_FIELDS if f in meta.columns and meta[f].notna().any()), None)
    years = _period_years(meta[time], output.get("period", "auto")) if time else None
    if time is not None and years is None:
        collect("theme_over_time", "Theme prevalence over time, pooled over the runs (band: 90% "
                "interval)", lambda: theme_effect_trend(
                    exp.theme_effects(time, runs, sims=SIMS),
                    note="B-spline trend of the theme lift; 1.0 = corpus average"))
    elif time is not None:
        # Long spans: one level per decade (the mean lift of its documents), not a smooth
        # trend, which flattens short-lived themes and bends at the ends.
        label = "decade"
        collect("theme_over_time", f"Theme prevalence by {label}, pooled over the runs (band: "
                "90% interval)", lambda: theme_effect_trend(
                    exp.theme_effects(time, runs, period=years, sims=SIMS),
                    title=f"Theme prevalence by {label}", xlabel=f"{label} (its first year)",
                    note=f"the mean theme lift of each {label}'s documents; 1.0 = corpus "
                         "average"))
    if mean is not None and time is not None:
        period_figure(exp, meta[time], mean, output.get("period", "auto"), collect)
    for field in output.get("by_fields", FIELDS):
        if field in meta.columns and meta[field].nunique() > 1:
            try:
                effects = exp.theme_effects(field, runs, sims=SIMS)
            except ConfigError as err:  # too few documents per level for a regression
                log.info("report: theme effects by %s: %s; showing the mean lifts", field, err)
                if mean is not None:
                    collect(f"theme_by_{field}", f"Mean theme lift by {field}, pooled over the "
                            "runs (too few documents for intervals)", theme_by_field,
                            mean, meta[field].reindex(mean.index), field)
                continue
            collect(f"theme_by_{field}", f"Theme prevalence by {field}, pooled over the runs "
                    "(whiskers: 90% interval)", theme_effect_dots, effects, field)


def _period_years(values: pd.Series, chosen: str) -> int | None:
    """10 when the over-time figures go by decade (``output.period``, or auto for a span over
    80 years), else None (a smooth trend)."""
    parsed = pd.to_datetime(values.astype("string"), errors="coerce", format="ISO8601")
    if not parsed.notna().any():
        return None
    return 10 if period(parsed[parsed.notna()], chosen) == "decade" else None


def period_figure(exp: Experiment, dates: pd.Series, mean: pd.DataFrame, chosen: str,
                  collect: Callable) -> None:
    """Themes by period (``output.period``; auto: by the span of the dates, decades beyond
    80 years): each point the mean pooled lift of the period's documents, each document
    counted once, above the number of documents per period.  Its data go to
    ``figures/theme_by_period.csv`` (period, documents, one column per theme)."""
    from topics.atomic import write_atomic
    from topics.viz import theme_by_period, theme_over_time

    dates = dates.reindex(mean.index)
    parsed = pd.to_datetime(dates.astype("string"), errors="coerce", format="ISO8601")
    if not parsed.notna().any():
        return
    freq = period(parsed[parsed.notna()], chosen)
    label = LABELS.get(freq, freq)
    collect("theme_by_period", f"Themes over time by {label}: the mean lift (pooled over the "
            f"runs) of each {label}'s documents, 1.0 = the corpus average; below, the number "
            f"of documents per {label}", theme_over_time, mean, dates, freq,
            title=f"Theme lift by {label}, pooled over the runs", reference=1.0)
    table = theme_by_period(mean, dates, freq).table()
    folder = exp.folder / FIGURES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "theme_by_period.csv", table.to_csv(index=False, float_format="%.6g"))


# ---------------------------------------------------------------- themes table and evidence
def themes_table(lexicon: dict, resolved: th.ResolvedThemes, term_frequency,
                 affinity: pd.DataFrame | None) -> pd.DataFrame:
    """One row per theme: its seeds, every token it used with its corpus count, the seeds
    that matched nothing (with the phrases holding them: a hint for ``seed*``), and (given
    the affinity) the topics carrying most of its words."""
    tokens = th.theme_tokens(resolved, term_frequency)
    rows = []
    for theme in resolved.themes:
        used = tokens[tokens["theme"] == theme.name]
        missing = [s.seed + (f" (phrases: {', '.join(s.phrases[:4])})" if s.phrases else "")
                   for s in theme.seeds if s.missing]
        row = {"theme": theme.name, "seeds": list(lexicon.get(theme.name, [])),
               "tokens used (corpus count)": [f"{r.token} ({r.count})"
                                              for r in used.itertuples()],
               "missing seeds": missing}
        if affinity is not None:
            strongest = affinity[theme.name].sort_values(ascending=False, kind="stable").head(3)
            row["main topics (theme word mass)"] = [f"{t} ({v:.3f})" for t, v in strongest.items()]
        rows.append(row)
    return pd.DataFrame(rows)


def theme_evidence_tables(exp: Experiment, run_id: str, summary: pd.DataFrame,
                          snippets: dict | None = None) -> dict[str, pd.DataFrame]:
    """Per theme, its top documents by pooled lift (interval above or containing 1.0): the
    theme words they use, the share the model contributed (in ``run_id``), the topics that
    carried it there, and a text snippet."""
    scores = exp.themes(run_id)
    meta = scored_documents(exp)
    words = scores.words.set_index(["doc_id", "theme"])["words"] if len(scores.words) else {}
    ev = scores.evidence[scores.evidence["share"] >= MIN_SHARE]
    carried = {key: "; ".join(f"{r.topic} ({r.share:.0%}): {', '.join(r.words)}"
                              for r in group.itertuples())
               for key, group in ev.groupby(["doc_id", "theme"], sort=False)}
    out = {}
    for theme, group in summary.groupby("theme", sort=False):
        top = group[group["high"] >= th.NEUTRAL].sort_values("mean", ascending=False)
        rows = []
        for r in top.head(TOP_DOCUMENTS).itertuples():
            used = words.get((r.doc_id, theme), ()) if len(scores.words) else ()
            title = _text(meta["title"].get(r.doc_id)) if "title" in meta.columns else ""
            rows.append({
                "document": str(r.doc_id), **({"title": title} if title else {}),
                "text": _snippet(r.doc_id, meta, snippets),
                "lift (mean over runs)": r.mean, "low": r.low, "high": r.high,
                "theme words in the document": ", ".join(f"{w} x{c}" for w, c in used) or "none",
                "from the model": float(scores.model_share.loc[r.doc_id, theme]),
                f"topics of run {run_id} (share): words": carried.get((r.doc_id, theme), "")})
        out[theme] = pd.DataFrame(rows)
    return out


def _snippet(doc, meta: pd.DataFrame, snippets: dict | None) -> str:
    text = (snippets or {}).get(doc)
    if not text and "title" in meta.columns:
        title = meta["title"].get(doc)
        text = "" if title is None or (isinstance(title, float) and np.isnan(title)) else title
    text = " ".join(str(text or "").split())
    return text if len(text) <= SNIPPET else text[:SNIPPET - 1].rsplit(" ", 1)[0] + "…"
