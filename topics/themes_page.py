"""``themes.html``: a reading page beside ``report.html``, everything HTML-escaped.

For every theme its strongest passages (with their document, score and evidence words), then
per document its text with every theme's words highlighted (one colour per theme).  The page
is self-contained (inline CSS, no script, nothing loaded from the network).  Highlighting is
given as spans: ``[(text, theme or None), ...]`` per passage or document, built by the
caller from the corpus's own preprocessing; this module only escapes and lays them out.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from topics.atomic import atomic_file

PAGE_NAME = "themes.html"
COLOURS = ("#ffd166", "#a0e7a0", "#9ecbff", "#ffadad", "#d7b5ff", "#ffc8a2", "#b5ead7",
           "#f1c0e8", "#cfd8dc", "#fff59d")
Spans = Sequence[tuple[str, "str | None"]]


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _marked(spans: Spans, themes: Sequence[str]) -> str:
    out = []
    for text, theme in spans:
        if theme is None:
            out.append(_esc(text))
        else:
            i = list(themes).index(theme) if theme in themes else 0
            out.append(f'<mark class="t{i % len(COLOURS)}" title="{_esc(theme)}">'
                       f"{_esc(text)}</mark>")
    return "".join(out)


def _style(themes: Sequence[str]) -> str:
    marks = "\n".join(f"mark.t{i} {{ background: {c}; }}" for i, c in enumerate(COLOURS))
    return ("body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; "
            "padding: 1em 2em; color: #222; line-height: 1.5; }\n"
            "blockquote { margin: 0.6em 0; padding: 0.4em 0.9em; border-left: 4px solid #ccc; "
            "background: #fafafa; }\n.meta { color: #555; font-size: 13px; }\n"
            "article { border-top: 1px solid #ddd; margin-top: 1.5em; }\n"
            ".legend mark { margin-right: 0.8em; }\n"
            "article div, blockquote { white-space: pre-wrap; }\n" + marks)


def write_themes_page(folder: str | Path, *, title: str, themes: Sequence[str],
                      passages: Mapping[str, pd.DataFrame],
                      documents: Sequence[Mapping], notes: Sequence[str] = ()) -> Path:
    """Write ``folder/themes.html`` atomically and return its path.

    ``passages``: theme -> rows with ``document``, ``title``, ``score``, ``words`` (text) and
    ``spans`` (the passage as highlight spans).  ``documents``: dicts with ``id``, ``title``,
    ``themes`` (text: the document's pooled themes) and ``spans`` (its whole text).
    """
    themes = list(themes)
    legend = " ".join(_marked([(t, t)], themes) for t in themes)
    parts = [f"<h1>{_esc(title)}</h1>", '<p><a href="report.html">Back to the report</a></p>']
    parts += [f"<p>{_esc(n)}</p>" for n in notes]
    parts.append(f'<p class="legend">Theme words: {legend}</p>')
    nav = " ".join(f'<a href="#theme-{i}">{_esc(t)}</a>' for i, t in enumerate(themes))
    parts.append(f"<nav>{nav} <a href=\"#documents\">documents</a></nav>")
    for i, theme in enumerate(themes):
        parts.append(f'<section id="theme-{i}"><h2>{_esc(theme)}: strongest passages</h2>')
        rows = passages.get(theme)
        if rows is None or rows.empty:
            parts.append('<p class="meta">No passage uses this theme\'s words.</p>')
        else:
            for r in rows.itertuples():
                parts.append(f"<blockquote>{_marked(r.spans, themes)}</blockquote>"
                             f'<p class="meta">{_esc(r.title or r.document)} '
                             f"({_esc(r.document)}): lift {r.score:.2f}; words: "
                             f"{_esc(r.words)}</p>")
        parts.append("</section>")
    parts.append('<section id="documents"><h2>Documents</h2>')
    for doc in documents:
        parts.append(f"<article><h3>{_esc(doc.get('title') or doc['id'])}</h3>"
                     f'<p class="meta">{_esc(doc["id"])}; {_esc(doc.get("themes", ""))}</p>'
                     f"<div>{_marked(doc['spans'], themes)}</div></article>")
    parts.append("</section>")
    page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_esc(title)}</title>\n<style>\n{_style(themes)}\n</style>\n</head>\n"
            f"<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n")
    target = Path(folder) / PAGE_NAME
    with atomic_file(target, text=True) as handle:
        handle.write(page)
    return target
