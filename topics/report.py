"""``report.html``: one self-contained page per experiment, everything HTML-escaped.

The page (template ``topics/templates/report.html``, filled with :class:`string.Template`)
holds, in this order, the results table (sorted by clicking its headers, with a few lines of
inline JavaScript), the figures, links to the pyLDAvis pages, the themes and their evidence,
then the corpus statistics (counts, top terms and phrases, skipped and repaired entries,
preprocessing options folded away) and the manifest (package versions, config folded away). It loads nothing from the network: images and pages are linked by
paths relative to the report's folder, so the folder can be moved or opened from ``file://``.

Every value that comes from the corpus, the model or the user (titles, words, theme names,
metadata, paths) goes through :func:`html.escape` before it reaches the page.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import math
import os
import string
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from topics.errors import ConfigError
from topics.atomic import atomic_file

log = logging.getLogger(__name__)

REPORT_NAME = "report.html"
IMAGE_PREFERENCE = (".svg", ".png")


def write_report(
    folder: str | os.PathLike,
    *,
    title: str = "Topic modelling report",
    results: pd.DataFrame,
    results_note: str | None = None,
    figures: Mapping[str, Any] | None = None,
    ldavis_pages: Mapping[str, str | os.PathLike] | None = None,
    themes: pd.DataFrame | None = None,
    evidence: pd.DataFrame | Mapping[str, Any] | None = None,
    corpus_stats: Mapping[str, Any] | None = None,
    manifest: Mapping[str, Any] | None = None,
    lead: Mapping[str, Any] | None = None,
    topics: pd.DataFrame | None = None,
    topics_note: str | None = None,
) -> Path:
    """Write ``folder/report.html`` (atomically) and return its path.

    ``results``: one row per run; shown as a sortable table, after ``results_note`` (text,
    e.g. the settings every run shares). ``figures``: caption -> image
    path, or -> the list :func:`topics.viz.save_figure` returns (the SVG is shown, every
    format linked). ``ldavis_pages``: name -> page path. Paths are relative to ``folder``
    (absolute paths inside ``folder`` are made relative; others are refused). ``themes``: a
    table (list cells are joined with commas). ``evidence``: a table, or theme -> table, list
    of strings or string. ``corpus_stats`` and ``manifest``: JSON-like dicts. ``lead``: the
    section the page opens with (the themes pooled over runs): ``notes`` (paragraphs of
    text), ``table`` (a DataFrame), ``figures`` (as ``figures``), ``links`` (text -> path).
    ``topics``: a table of topics (names, top words), after ``topics_note``.
    """
    folder = Path(folder)
    if not isinstance(results, pd.DataFrame):
        raise ConfigError("results", f"expected a pandas DataFrame, got {type(results).__name__}")
    for name, value in (("corpus_stats", corpus_stats), ("manifest", manifest),
                        ("figures", figures), ("ldavis_pages", ldavis_pages), ("lead", lead)):
        if value is not None and not isinstance(value, Mapping):
            raise ConfigError(name, f"expected a mapping, got {type(value).__name__}")
    if themes is not None and not isinstance(themes, pd.DataFrame):
        raise ConfigError("themes", f"expected a pandas DataFrame or None, got {type(themes).__name__}")
    page = _template().substitute(
        title=_esc(title),
        corpus_stats=_stats_html(corpus_stats or {}),
        results=_table(results, sortable=True, empty="No runs yet."),
        results_note=f"<p>{_esc(results_note)}</p>" if results_note else "",
        figures=_figures_html(figures or {}, folder),
        ldavis_pages=_ldavis_html(ldavis_pages or {}, folder),
        themes=_table(themes, empty="No themes.") if themes is not None else _empty("No themes."),
        evidence=_evidence_html(evidence),
        lead=_lead_html(lead, folder),
        topics=(f"<p>{_esc(topics_note)}</p>" if topics_note else "")
        + _table(topics, empty="No completed run."),
        manifest=_manifest_html(manifest or {}),
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / REPORT_NAME
    with atomic_file(target, text=True) as handle:
        handle.write(page)
    log.info("wrote report %s", target)
    return target


@functools.lru_cache(maxsize=1)
def _template() -> string.Template:
    text = resources.files("topics").joinpath("templates", "report.html").read_text(encoding="utf-8")
    return string.Template(text)


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _empty(message: str) -> str:
    return f'<p class="empty">{_esc(message)}</p>'


def _cell(value: Any) -> str:
    """One ``<td>``: numbers right-aligned with a ``data-sort`` key, text escaped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "<td></td>"
    if isinstance(value, (bool, np.bool_)):
        return f"<td>{_esc(bool(value))}</td>"
    if isinstance(value, (int, np.integer)):
        return f'<td class="num" data-sort="{int(value)}">{int(value)}</td>'
    if isinstance(value, (float, np.floating)):
        number = float(value)
        text = f"{number:.4g}" if math.isfinite(number) else str(number)
        return f'<td class="num" data-sort="{_esc(repr(number))}">{_esc(text)}</td>'
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return f"<td>{_esc(', '.join(map(str, value)))}</td>"
    if isinstance(value, Mapping):
        return f"<td>{_esc(json.dumps(value, default=str, ensure_ascii=False))}</td>"
    return f"<td>{_esc(value)}</td>"


def _table(frame: pd.DataFrame, *, sortable: bool = False, empty: str = "Nothing to show.") -> str:
    if frame is None or frame.empty:
        return _empty(empty)
    named_index = any(n is not None for n in frame.index.names)
    data = frame.reset_index() if named_index else frame
    head = "".join(f"<th>{_esc(c)}</th>" for c in data.columns)
    rows = "\n".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>"
                     for row in data.itertuples(index=False, name=None))
    cls = ' class="sortable"' if sortable else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>\n{rows}\n</tbody></table>"


#: Corpus statistics shown as counts, in this order, with a label a reader understands.
STAT_LABELS = {
    "documents_read": "documents read (files or rows)",
    "documents_in": "documents preprocessed (after segmentation)",
    "documents_out": "documents modelled (not left empty)",
    "skipped": "entries skipped while reading",
    "repaired": "entries repaired while reading",
    "emptied_by_preprocessing": "documents emptied by preprocessing",
    "emptied_by_filters": "documents emptied by the vocabulary filters",
    "tokens_before_filters": "tokens before the vocabulary filters",
    "tokens_after_filters": "tokens after the vocabulary filters",
    "vocabulary_before_filters": "vocabulary before the filters",
    "vocabulary_after_filters": "vocabulary after the filters",
    "phrases_learned": "phrases learned",
    "stopwords": "stopword list",
    "pipeline_version": "preprocessing pipeline version",
}
WORD_LISTS = {"top_terms": "Most frequent terms", "top_phrases": "Most frequent phrases"}
ENTRY_LISTS = {"skipped": "Skipped while reading", "repaired": "Repaired while reading"}


def _stats_html(stats: Mapping[str, Any]) -> str:
    """Counts as a two-column table, top terms/phrases as ``word (count)`` lists, skipped and
    repaired entries as small tables, the preprocessing options folded away."""
    if not stats:
        return _empty("No corpus statistics.")
    rows = [_stat_row(STAT_LABELS.get(key, key), value) for key, value in _stat_items(stats)]
    parts = ['<table class="stats">\n' + "\n".join(rows) + "\n</table>"]
    for key, heading in ENTRY_LISTS.items():
        if stats.get(key):
            parts.append(f"<h3>{_esc(heading)}</h3>\n{_entries_table(stats[key])}")
    for key, heading in WORD_LISTS.items():
        if key in stats:
            parts.append(f"<h3>{_esc(heading)}</h3>\n{_word_counts(stats[key])}")
    if stats.get("emptied_ids"):
        parts.append("<h3>Documents left empty</h3>\n" + _inline(stats["emptied_ids"]))
    if "options" in stats:
        parts.append(_details("Preprocessing options", _mapping_table(stats["options"])))
    return "\n".join(parts)


def _stat_items(stats: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The rows of the counts table: known keys in order, then any other scalar or mapping."""
    shown = set(WORD_LISTS) | {"emptied_ids", "options"}
    known = [(k, stats[k]) for k in STAT_LABELS if k in stats]
    other = [(k, v) for k, v in stats.items() if k not in STAT_LABELS and k not in shown]
    return known + other


def _stat_row(label: str, value: Any) -> str:
    if isinstance(value, (list, tuple)) and all(isinstance(v, (Mapping, list, tuple)) for v in value):
        value = len(value)  # a list of entries is counted here and listed below
    elif isinstance(value, Mapping):
        return f"<tr><th>{_esc(label)}</th><td>{_mapping_table(value)}</td></tr>"
    return f"<tr><th>{_esc(label)}</th>{_cell(value)}</tr>"


def _word_counts(pairs: Any) -> str:
    """``[[word, count], ...]`` as an inline list ``word (count)``."""
    if not isinstance(pairs, (list, tuple)) or not pairs:
        return _empty("None.")
    items = []
    for pair in pairs:
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            items.append(f"<li>{_esc(pair[0])} <span class=\"count\">({_esc(pair[1])})</span></li>")
        else:
            items.append(f"<li>{_esc(pair)}</li>")
    return '<ol class="inline">' + "".join(items) + "</ol>"


def _inline(values: Any) -> str:
    items = values if isinstance(values, (list, tuple)) else [values]
    return '<ul class="inline">' + "".join(f"<li>{_esc(v)}</li>" for v in items) + "</ul>"


def _entries_table(entries: Sequence[Any]) -> str:
    """Skipped or repaired entries (``{"name", "reason"|"what"}`` or ``[name, reason]``)."""
    rows = []
    for entry in entries:
        if isinstance(entry, Mapping):
            name = entry.get("name", "")
            reason = "; ".join(str(v) for k, v in entry.items() if k != "name")
        elif isinstance(entry, (list, tuple)) and entry:
            name, reason = entry[0], "; ".join(map(str, entry[1:]))
        else:
            name, reason = entry, ""
        rows.append(f"<tr><td>{_esc(name)}</td><td>{_esc(reason)}</td></tr>")
    return ("<table><thead><tr><th>name</th><th>reason</th></tr></thead><tbody>\n"
            + "\n".join(rows) + "\n</tbody></table>")


def _mapping_table(mapping: Any) -> str:
    """A flat key/value table; list values joined with commas (``(none)`` when empty),
    nested mappings as compact JSON."""
    if not isinstance(mapping, Mapping):
        return f"<p>{_esc(mapping)}</p>"
    rows = []
    for key, value in mapping.items():
        if isinstance(value, (list, tuple)):
            shown = ", ".join(map(str, value)) or "(none)"
        elif isinstance(value, Mapping):
            shown = json.dumps(value, default=str, ensure_ascii=False)
        else:
            shown = "" if value is None else str(value)
        rows.append(f"<tr><th>{_esc(key)}</th><td><code>{_esc(shown)}</code></td></tr>")
    return '<table class="kv">\n' + "\n".join(rows) + "\n</table>"


def _details(summary: str, body: str, *, open_: bool = False) -> str:
    return f"<details{' open' if open_ else ''}><summary>{_esc(summary)}</summary>\n{body}\n</details>"


def _manifest_html(manifest: Mapping[str, Any]) -> str:
    """Where and when the run was made, package versions as a small table, and the config,
    earlier invocations and the full manifest folded away (corpus statistics are above)."""
    if not manifest:
        return _empty("No manifest.")
    skip = {"config", "versions", "history", "corpus_stats"}
    about = {k: v for k, v in manifest.items() if k not in skip}
    parts = [_mapping_table(about)] if about else []
    versions = manifest.get("versions")
    if isinstance(versions, Mapping) and versions:
        parts.append("<h3>Package versions</h3>\n" + _versions_table(versions))
    if "config" in manifest:
        parts.append(_details("Configuration", _json_block(manifest["config"])))
    if manifest.get("history"):
        parts.append(_details(f"Earlier invocations ({len(manifest['history'])})",
                              _json_block(manifest["history"])))
    parts.append(_details("manifest.json", _json_block(manifest)))
    return "\n".join(parts)


def _versions_table(versions: Mapping[str, Any]) -> str:
    head = "".join(f"<th>{_esc(k)}</th>" for k in versions)
    body = "".join(f"<td>{_esc(v)}</td>" for v in versions.values())
    return f'<table class="versions"><thead><tr>{head}</tr></thead><tbody><tr>{body}</tr></tbody></table>'


def _json_block(value: Any) -> str:
    text = json.dumps(value, indent=2, default=str, ensure_ascii=False, sort_keys=True)
    return f"<pre>{_esc(text)}</pre>"


def _href(path: Any, folder: Path, param: str) -> str:
    """``path`` as an escaped, URL-quoted link relative to ``folder``."""
    if not isinstance(path, (str, os.PathLike)):
        raise ConfigError(param, f"expected a path, got {type(path).__name__}")
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(folder.resolve())
        except ValueError:
            raise ConfigError(param, f"{str(path)!r} is not inside the report folder {str(folder)!r}; "
                              "pass paths relative to it") from None
    if not (folder / p).exists():
        log.warning("report links to %s, which does not exist (yet)", folder / p)
    return _esc(quote(p.as_posix(), safe="/"))


def _figures_html(figures: Mapping[str, Any], folder: Path) -> str:
    if not figures:
        return _empty("No figures.")
    out = []
    for caption, value in figures.items():
        paths = list(value) if isinstance(value, Sequence) and not isinstance(value, str) else [value]
        if not paths:
            raise ConfigError(f"figures[{caption!r}]", "has no path")
        paths.sort(key=lambda p: _rank(Path(p).suffix.lower()))
        shown = _href(paths[0], folder, f"figures[{caption!r}]")
        links = "".join(f'<a href="{_href(p, folder, f"figures[{caption!r}]")}">'
                        f"{_esc(Path(p).suffix.lstrip('.').upper() or 'file')}</a>"
                        for p in paths)
        out.append(f'<figure><img src="{shown}" alt="{_esc(caption)}">'
                   f"<figcaption>{_esc(caption)}{links}</figcaption></figure>")
    return "\n".join(out)


def _rank(suffix: str) -> int:
    return IMAGE_PREFERENCE.index(suffix) if suffix in IMAGE_PREFERENCE else len(IMAGE_PREFERENCE)


def _ldavis_html(pages: Mapping[str, Any], folder: Path) -> str:
    if not pages:
        return _empty("No pyLDAvis pages.")
    items = "\n".join(f'<li><a href="{_href(path, folder, f"ldavis_pages[{name!r}]")}">{_esc(name)}</a></li>'
                      for name, path in pages.items())
    return f"<p>Interactive topic maps, one per model (they work offline).</p>\n<ul>\n{items}\n</ul>"


def _lead_html(lead: Mapping[str, Any] | None, folder: Path) -> str:
    if not lead:
        return _empty("No themes pooled over runs.")
    parts = [f"<p>{_esc(note)}</p>" for note in lead.get("notes") or ()]
    links = lead.get("links") or {}
    if links:
        parts.append("<p>" + " ".join(f'<a href="{_href(path, folder, f"lead.links[{text!r}]")}">'
                                      f"{_esc(text)}</a>" for text, path in links.items()) + "</p>")
    table = lead.get("table")
    if table is not None:
        parts.append(f'<div class="scroll">{_table(table, empty="No theme above average.")}</div>')
    if lead.get("figures"):
        parts.append(f'<div class="gallery">{_figures_html(lead["figures"], folder)}</div>')
    return "\n".join(parts)


def _evidence_html(evidence: Any) -> str:
    if evidence is None:
        return _empty("No evidence.")
    if isinstance(evidence, pd.DataFrame):
        return _table(evidence, empty="No evidence.")
    if not isinstance(evidence, Mapping):
        raise ConfigError("evidence", f"expected a DataFrame or a mapping, got {type(evidence).__name__}")
    if not evidence:
        return _empty("No evidence.")
    parts = []
    for theme, items in evidence.items():
        parts.append(f"<h3>{_esc(theme)}</h3>")
        if isinstance(items, pd.DataFrame):
            parts.append(_table(items, empty="No evidence for this theme."))
        elif isinstance(items, str):
            parts.append(f"<p>{_esc(items)}</p>")
        elif isinstance(items, Sequence) and items:
            parts.append("<ul>" + "".join(f"<li>{_esc(i)}</li>" for i in items) + "</ul>")
        else:
            parts.append(_empty("No evidence for this theme."))
    return "\n".join(parts)
