"""Theme scores pooled over runs: one row per document and theme, with an interval.

Every run gives each document's theme rate a Beta posterior (:func:`~topics.themes.scores.
rate_posterior`: the model's prediction as the prior, the document's own theme tokens as the
data) and a lift, the rate over that run's corpus mean rate.  Pooling follows the method of
composition: the pooled distribution of a document's lift is the equal mixture, over runs,
of each run's posterior of its lift.  So the interval widens with the spread *between* runs
(different engines, K and seeds smooth differently) and with the evidence *within* the
document (a short document that uses a theme's word once is less certain than a long one that
uses it fifty times).  The quantiles are those of that mixture, computed exactly (bisection
on the mixture's distribution function), not sampled, so they are reproducible.

* ``mean``: the mean over runs of the run's lift (the mixture's mean);
* ``low``, ``high``: the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles (90% by default);
* ``top_share``: the share of runs in which the theme has the document's highest lift;
* ``n_runs``: the number of runs pooled.

A lift interval that contains 1.0 (the corpus average) is no evidence either way.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.special import betainc

from topics.errors import ConfigError

LEVEL = 0.9
NEUTRAL = 1.0
COLUMNS = ["doc_id", "theme", "mean", "low", "high", "top_share", "n_runs"]


def run_lifts(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The point lifts (D x T) of one run's Beta posteriors and the corpus mean rate (T,)."""
    rate = a / (a + b)
    mean = rate.mean(axis=0)
    return np.divide(rate, mean, out=np.zeros_like(rate), where=mean > 0), mean


def mixture_quantiles(a: np.ndarray, b: np.ndarray, scale: np.ndarray, probs,
                      *, iterations: int = 60) -> np.ndarray:
    """Quantiles of the equal mixture over runs of ``Beta(a[r], b[r]) / scale[r]``.

    ``a``, ``b``: R x D x T; ``scale``: R x T (each run's corpus mean rate).  Returns
    len(probs) x D x T.  Bisection on the mixture's distribution function: each step halves
    the bracket ``[0, max_r 1 / scale[r]]``, so 60 steps are exact to float precision.
    """
    safe = np.where(scale > 0, scale, np.inf)[:, None, :]
    upper = np.max(np.where(scale > 0, 1.0 / np.where(scale > 0, scale, 1.0), 0.0), axis=0)
    out = []
    for p in np.atleast_1d(probs):
        lo = np.zeros(a.shape[1:])
        hi = np.broadcast_to(upper, a.shape[1:]).astype(float).copy()
        for _ in range(iterations):
            mid = (lo + hi) / 2
            cdf = betainc(a, b, np.clip(mid[None] * safe, 0.0, 1.0)).mean(axis=0)
            below = cdf < p
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
        out.append((lo + hi) / 2)
    return np.array(out)


def pool_runs(posteriors: Mapping[str, tuple[np.ndarray, np.ndarray]], *, doc_ids,
              themes, level: float = LEVEL) -> pd.DataFrame:
    """One row per (document, theme) pooled over runs (see the module doc).

    ``posteriors`` maps a run id to its ``(a, b)`` Beta parameters, D x T arrays whose rows
    are ``doc_ids`` and columns ``themes`` (the same in every run).
    """
    if not isinstance(level, float) or not 0 < level < 1:
        raise ConfigError("level", f"expected a number between 0 and 1, got {level!r}")
    if not posteriors:
        raise ConfigError("runs", "no completed run to pool")
    a = np.stack([np.asarray(p[0], dtype=float) for p in posteriors.values()])
    b = np.stack([np.asarray(p[1], dtype=float) for p in posteriors.values()])
    if a.shape[1:] != (len(doc_ids), len(themes)) or b.shape != a.shape:
        raise ValueError(f"posteriors of shape {a.shape[1:]} do not match {len(doc_ids)} "
                         f"documents x {len(themes)} themes")
    lifts, scales = zip(*(run_lifts(a[r], b[r]) for r in range(len(a))))
    lifts, scales = np.stack(lifts), np.stack(scales)
    tail = (1 - level) / 2
    low, high = mixture_quantiles(a, b, scales, [tail, 1 - tail])
    top = lifts.argmax(axis=2)  # R x D
    share = np.stack([(top == t).mean(axis=0) for t in range(len(themes))], axis=1)
    d, t = np.meshgrid(np.arange(len(doc_ids)), np.arange(len(themes)), indexing="ij")
    return pd.DataFrame({
        "doc_id": np.asarray(list(doc_ids), dtype=object)[d.ravel()],
        "theme": np.asarray(list(themes), dtype=object)[t.ravel()],
        "mean": lifts.mean(axis=0).ravel(), "low": low.ravel(), "high": high.ravel(),
        "top_share": share.ravel(), "n_runs": len(a)}, columns=COLUMNS)


def interval_excludes_neutral(summary: pd.DataFrame) -> pd.Series:
    """True where the interval lies wholly above or below the neutral lift 1.0."""
    return (summary["low"] > NEUTRAL) | (summary["high"] < NEUTRAL)
