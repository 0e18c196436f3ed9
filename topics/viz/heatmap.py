"""Document x theme heatmap: one row per document, labelled with its (shortened) title."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from topics.errors import ConfigError

from topics.viz._common import (aligned, check_positive_int, check_scores, new_figure,
                                plain_figure, shorten)

log = logging.getLogger(__name__)


@plain_figure
def doc_theme_heatmap(
    scores: pd.DataFrame,
    labels: Any = None,
    *,
    max_label_chars: int = 45,
    max_labelled_rows: int = 80,
    annotate: bool | None = None,
    title: str = "Theme scores per document",
    cmap: str = "viridis",
    center: float | None = None,
    marked: Any = None,
    marked_label: str = "hatched: no evidence either way",
) -> Figure:
    """Heatmap of ``scores`` (rows: documents, columns: themes).

    ``labels`` names the rows: a sequence aligned with the rows, or a Series/mapping keyed by
    the row index (e.g. document titles by id); rows without a label show their id. Labels
    longer than ``max_label_chars`` are cut at a word boundary. Beyond ``max_labelled_rows``
    rows the row labels are left out (they could not be read) and the axis says how many
    documents there are. ``annotate`` writes each value in its cell (default: when the table
    is small enough for the numbers to fit). ``center`` (e.g. 1.0 for lifts) centres a
    diverging colour scale on that value (red above, blue below). ``marked``: a boolean
    DataFrame like ``scores`` (or array); its True cells are hatched and ``marked_label`` says
    what that means (e.g. a pooled interval containing the neutral value).
    """
    values = check_scores(scores)
    max_label_chars = check_positive_int(max_label_chars, "max_label_chars", minimum=4)
    max_labelled_rows = check_positive_int(max_labelled_rows, "max_labelled_rows")
    n_docs, n_themes = values.shape
    row_labels = _row_labels(values.index, labels, max_label_chars)
    if annotate is None:
        annotate = n_docs <= 30 and n_themes <= 12
    show_rows = n_docs <= max_labelled_rows

    label_width = 0.075 * max(len(s) for s in row_labels) if show_rows else 0.6
    width = min(4.0 + label_width + 0.75 * n_themes, 22.0)
    height = min(2.4 + (0.3 * n_docs if show_rows else 6.0), 30.0)
    fig = new_figure(width, height)
    ax = fig.add_subplot()
    image = _image(ax, values.to_numpy(), cmap, center)
    hatched = _marked(marked, values)
    ax.set_xticks(np.arange(n_themes), [shorten(c, 24) for c in values.columns],
                  rotation=35 if n_themes > 3 else 0, ha="right" if n_themes > 3 else "center")
    if show_rows:
        ax.set_yticks(np.arange(n_docs), row_labels)
        ax.set_ylabel("document")
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"documents (n={n_docs}, labels omitted)")
    ax.set_xlabel("theme" + (f" ({marked_label})" if hatched.any() else ""))
    for r, c in zip(*np.nonzero(hatched)):
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, hatch="///",
                               edgecolor="#555555", linewidth=0))
    ax.set_title(title)
    if annotate:
        _annotate(ax, values.to_numpy(), image, dark_low=center is None)
    fig.colorbar(image, ax=ax, label="score", shrink=0.9 if n_docs <= 20 else 0.5)
    return fig


def _row_labels(index: pd.Index, labels: Any, max_chars: int) -> list[str]:
    if labels is None:
        return [shorten(i, max_chars) for i in index]
    series = aligned(labels, index, "labels")
    out = []
    for doc_id, label in zip(index, series):
        missing = label is None or (isinstance(label, float) and np.isnan(label)) or label == ""
        out.append(shorten(doc_id if missing else label, max_chars))
    return out


def _image(ax, matrix: np.ndarray, cmap: str, center: float | None):
    """The heatmap image; with ``center``, a diverging scale centred on it (red above)."""
    norm = None
    if center is not None:
        from matplotlib.colors import TwoSlopeNorm

        low, high = float(matrix.min()), float(matrix.max())
        norm = TwoSlopeNorm(vcenter=center, vmin=min(low, center - 1e-6),
                            vmax=max(high, center + 1e-6))
        cmap = "RdBu_r" if cmap == "viridis" else cmap
    return ax.imshow(matrix, aspect="auto", cmap=cmap, interpolation="nearest", norm=norm)


def _marked(marked: Any, values: pd.DataFrame) -> np.ndarray:
    if marked is None:
        return np.zeros(values.shape, dtype=bool)
    if isinstance(marked, pd.DataFrame):
        marked = marked.reindex(index=values.index, columns=values.columns).fillna(False)
    mask = np.asarray(marked, dtype=bool)
    if mask.shape != values.shape:
        raise ConfigError("marked", f"expected shape {values.shape}, got {mask.shape}")
    return mask


def _annotate(ax, matrix: np.ndarray, image, *, dark_low: bool = True) -> None:
    norm = image.norm
    for (r, c), value in np.ndenumerate(matrix):
        level = norm(value)
        dark = level < 0.6 if dark_low else abs(level - 0.5) > 0.3
        ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=8,
                color="white" if dark else "black")
