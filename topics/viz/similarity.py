"""Matched topics between two models: similarity heatmap with the best matching on the diagonal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

from topics.errors import ConfigError
from topics.viz._common import new_figure, plain_figure, shorten, weight_matrix

ARRAY_METRICS = ("cosine", "jensen_shannon")
WORD_METRICS = ("jaccard",)


def topic_similarity_matrix(a: Any, b: Any, *, metric: str | None = None) -> np.ndarray:
    """Similarity of every topic of ``a`` (rows) with every topic of ``b`` (columns), in [0, 1].

    ``a`` and ``b`` are either topic-word matrices over the same vocabulary (K x V arrays;
    ``metric`` ``"cosine"``, the default, or ``"jensen_shannon"``: 1 - the base-2
    Jensen-Shannon distance of the normalised rows) or lists of top-word lists (``metric``
    ``"jaccard"``: shared words / all words).
    """
    if _is_word_lists(a) and _is_word_lists(b):
        metric = metric or "jaccard"
        if metric not in WORD_METRICS:
            raise ConfigError("metric", f"{metric!r} does not apply to top-word lists; use 'jaccard'")
        sets_a, sets_b = [set(map(str, t)) for t in a], [set(map(str, t)) for t in b]
        return np.array([[len(x & y) / max(len(x | y), 1) for y in sets_b] for x in sets_a])
    what = "a K x V matrix of weights or a list of top-word lists"
    mat_a = weight_matrix(a, "topic_word_a", what=what, rows_positive=True)
    mat_b = weight_matrix(b, "topic_word_b", what=what, rows_positive=True)
    if mat_a.shape[1] != mat_b.shape[1]:
        raise ConfigError("topic_word_b", f"has {mat_b.shape[1]} words but topic_word_a has "
                          f"{mat_a.shape[1]}; both must share one vocabulary")
    metric = metric or "cosine"
    if metric == "cosine":
        return np.clip(1.0 - cdist(mat_a, mat_b, "cosine"), 0.0, 1.0)
    if metric == "jensen_shannon":
        pa = mat_a / mat_a.sum(axis=1, keepdims=True)
        pb = mat_b / mat_b.sum(axis=1, keepdims=True)
        base2 = cdist(pa, pb, "jensenshannon") / np.sqrt(np.log(2.0))  # natural log -> base 2
        return np.clip(1.0 - base2, 0.0, 1.0)
    raise ConfigError("metric", f"{metric!r} is not one of {', '.join(ARRAY_METRICS)} for matrices")


def match_topics(similarity: np.ndarray) -> list[tuple[int, int]]:
    """The one-to-one pairing (row, column) maximising total similarity (Hungarian method),
    ordered by decreasing similarity. With unequal sizes the extra topics stay unmatched."""
    sim = np.asarray(similarity, dtype="float64")
    if sim.ndim != 2 or 0 in sim.shape:
        raise ConfigError("similarity", f"expected a non-empty 2-D matrix, got shape {sim.shape}")
    rows, cols = linear_sum_assignment(sim, maximize=True)
    pairs = sorted(zip(rows.tolist(), cols.tolist()), key=lambda rc: (-sim[rc], rc))
    return pairs


@plain_figure
def topic_similarity(
    topic_word_a: Any,
    topic_word_b: Any,
    *,
    metric: str | None = None,
    names_a: Sequence[str] | None = None,
    names_b: Sequence[str] | None = None,
    label_a: str = "model A",
    label_b: str = "model B",
    title: str | None = None,
) -> Figure:
    """Heatmap of :func:`topic_similarity_matrix`, rows and columns reordered so that the
    Hungarian matching (:func:`match_topics`) lies on the diagonal (best match first, matched
    cells outlined); unmatched topics come last. Tick labels are ``"<id>: <name>"``, ids being
    the topics' positions in their own model."""
    sim = topic_similarity_matrix(topic_word_a, topic_word_b, metric=metric)
    pairs = match_topics(sim)
    matched_rows, matched_cols = {r for r, _ in pairs}, {c for _, c in pairs}
    rows = [r for r, _ in pairs] + [r for r in range(sim.shape[0]) if r not in matched_rows]
    cols = [c for _, c in pairs] + [c for c in range(sim.shape[1]) if c not in matched_cols]
    ordered = sim[np.ix_(rows, cols)]
    labels_a = _labels(names_a, sim.shape[0], "names_a")
    labels_b = _labels(names_b, sim.shape[1], "names_b")

    n_r, n_c = ordered.shape
    fig = new_figure(min(3.5 + 0.6 * n_c, 22.0), min(2.8 + 0.42 * n_r, 22.0))
    ax = fig.add_subplot()
    image = ax.imshow(ordered, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    long_ticks = max(len(s) for s in labels_b) > 3
    ax.set_xticks(np.arange(n_c), [labels_b[c] for c in cols], rotation=40 if long_ticks else 0,
                  ha="right" if long_ticks else "center")
    ax.set_yticks(np.arange(n_r), [labels_a[r] for r in rows])
    ax.set_xlabel(f"{label_b} topics")
    ax.set_ylabel(f"{label_a} topics")
    used = metric or ("jaccard" if _is_word_lists(topic_word_a) else "cosine")
    mean = float(np.mean([sim[p] for p in pairs]))
    ax.set_title(title or f"Matched topics ({used} similarity; mean over matches {mean:.2f})")
    for k in range(len(pairs)):
        ax.add_patch(Rectangle((k - 0.5, k - 0.5), 1, 1, fill=False, edgecolor="#d62728", lw=1.5))
    if n_r * n_c <= 400:
        for (r, c), value in np.ndenumerate(ordered):
            ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=7 if n_c > 12 else 8,
                    color="white" if value > 0.6 else "black")
    fig.colorbar(image, ax=ax, label=f"{used} similarity")
    return fig


def _is_word_lists(x: Any) -> bool:
    if isinstance(x, np.ndarray) or not isinstance(x, Sequence) or not x:
        return False
    return all(isinstance(t, Sequence) and not isinstance(t, str) and all(isinstance(w, str) for w in t)
               for t in x)


def _labels(names: Sequence[str] | None, n: int, param: str) -> list[str]:
    if names is None:
        return [str(i) for i in range(n)]
    if isinstance(names, str) or len(names) != n:
        raise ConfigError(param, f"expected {n} names, got {names!r:.60}")
    return [shorten(f"{i}: {name}", 28) for i, name in enumerate(names)]
