"""A lexicon check on a corpus, before any model: ``topics themes CONFIG``.

Per theme (documents are whole documents: paragraph chunks count with their parent): how
many of its seeds are in the vocabulary (the rest are listed), each token's
corpus frequency, the share of the theme's token mass carried by its most frequent token
(``top_share``: one word carrying most of a theme makes it a one-word theme), and the
coherence of its tokens on the corpus, NPMI over documents: the mean over token pairs of
``log(p(a, b) / (p(a) p(b))) / -log p(a, b)`` with ``p`` the share of documents holding the
tokens (-1 for a pair never seen together, 0 for independence, 1 for words always together).
Warnings: a theme with no seed in the vocabulary, one token above :data:`DOMINANT` of the
mass, or tokens that do not co-occur (NPMI below :data:`MIN_NPMI`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from topics.themes.lexicon import ResolvedThemes

DOMINANT = 0.5
MIN_NPMI = 0.0
COLUMNS = ["theme", "seeds", "found", "missing", "tokens", "top_token", "top_share", "npmi",
           "warnings"]


def npmi(doc_sets: Sequence[frozenset], ids: Sequence[int]) -> float:
    """Mean pairwise NPMI of ``ids`` over documents (each a set of word ids); NaN for < 2."""
    n = len(doc_sets)
    if len(ids) < 2 or n == 0:
        return float("nan")
    has = np.array([[i in d for i in ids] for d in doc_sets], dtype=bool)
    p = has.mean(axis=0)
    values = []
    for a, b in combinations(range(len(ids)), 2):
        joint = (has[:, a] & has[:, b]).mean()
        if joint == 0 or p[a] == 0 or p[b] == 0:
            values.append(-1.0)
        elif joint == 1.0:
            values.append(1.0)
        else:
            values.append(float(np.log(joint / (p[a] * p[b])) / -np.log(joint)))
    return float(np.mean(values))


def check_lexicon(resolved: ResolvedThemes, bow: Iterable[Iterable[tuple[int, float]]], *,
                  lexicon: dict | None = None, groups: Sequence | None = None) -> pd.DataFrame:
    """One row per theme (see the module doc); ``bow`` holds the corpus's documents as
    ``[(word id, count), ...]``, ``lexicon`` the seeds as written (for the seed counts).
    ``groups`` (one key per document, e.g. the parent of each paragraph chunk) makes the
    co-occurrence unit the group rather than the document."""
    wanted = {i for t in resolved.themes for i in t.word_ids}
    freq: dict[int, float] = dict.fromkeys(wanted, 0.0)
    doc_sets = []
    for doc in bow:
        present = set()
        for word_id, count in doc:
            if word_id in wanted:
                freq[word_id] += count
                present.add(word_id)
        doc_sets.append(frozenset(present))
    if groups is not None:
        merged: dict = {}
        for key, present in zip(groups, doc_sets):
            merged[key] = merged.get(key, frozenset()) | present
        doc_sets = list(merged.values())
    rows = []
    for theme in resolved.themes:
        counts = sorted(((w, int(freq[i])) for w, i in zip(theme.words, theme.word_ids)),
                        key=lambda p: -p[1])
        total = sum(c for _, c in counts)
        top_share = counts[0][1] / total if total else float("nan")
        score = npmi(doc_sets, [i for i in theme.word_ids if freq[i] > 0])
        seeds = (lexicon or {}).get(theme.name, [s.seed for s in theme.seeds])
        rows.append({"theme": theme.name, "seeds": len(seeds),
                     "found": len(theme.seeds) - len(theme.missing_seeds),
                     "missing": list(theme.missing_seeds), "tokens": counts,
                     "top_token": counts[0][0] if counts else "", "top_share": top_share,
                     "npmi": score, "warnings": _warnings(counts, top_share, score)})
    return pd.DataFrame(rows, columns=COLUMNS)


def _warnings(counts, top_share: float, score: float) -> list[str]:
    if not counts or not sum(c for _, c in counts):
        return ["no seed is in the vocabulary"]
    out = []
    if top_share > DOMINANT and len(counts) > 1:
        out.append(f"{counts[0][0]!r} carries {top_share:.0%} of the theme's tokens")
    if not np.isnan(score) and score < MIN_NPMI:
        out.append(f"its tokens do not co-occur (NPMI {score:.2f})")
    return out


def format_check(frame: pd.DataFrame, *, tokens: int = 8) -> str:
    """The check as text lines, one block per theme."""
    lines = []
    for row in frame.itertuples():
        shown = ", ".join(f"{w} ({c})" for w, c in row.tokens[:tokens])
        more = f", ... ({len(row.tokens) - tokens} more)" if len(row.tokens) > tokens else ""
        npmi_text = "n/a" if np.isnan(row.npmi) else f"{row.npmi:.2f}"
        share = "n/a" if np.isnan(row.top_share) else f"{row.top_share:.0%}"
        lines.append(f"{row.theme}: {row.found} of {row.seeds} seeds found; top token "
                     f"{row.top_token or '-'} ({share}); NPMI {npmi_text}")
        lines.append(f"  tokens: {shown or '-'}{more}")
        if row.missing:
            more = f" ... and {len(row.missing) - tokens} more" if len(row.missing) > tokens else ""
            lines.append(f"  not in the vocabulary: {', '.join(row.missing[:tokens])}{more}")
        lines += [f"  WARNING: {w}" for w in row.warnings]
    return "\n".join(lines)
