"""Folding paragraph chunks back into their parent documents."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

log = logging.getLogger("topics.themes")


def fold_chunks(scores: pd.DataFrame, parent_ids, lengths) -> pd.DataFrame:
    """Fold chunk rows into their parent documents by length-weighted mean.

    ``scores`` is indexed by chunk id; ``parent_ids`` and ``lengths`` (tokens per chunk) are
    either aligned with its rows or pandas Series indexed by chunk id.  A parent whose chunks
    all have length 0 gets their plain mean.  Parents keep their first-appearance order; the
    result is indexed by parent id (named ``doc_id``).
    """
    parents = _aligned("parent_ids", parent_ids, scores.index)
    weights = _aligned("lengths", lengths, scores.index).astype(float)
    if not np.isfinite(weights).all() or (weights < 0).any():
        raise ValueError("lengths: expected finite non-negative numbers")
    totals = pd.Series(weights).groupby(parents, sort=False).transform("sum").to_numpy()
    if (totals == 0).any():
        log.warning("fold_chunks: %d chunks belong to parents with no tokens; using plain means",
                    int((totals == 0).sum()))
        weights = np.where(totals == 0, 1.0, weights)
        totals = pd.Series(weights).groupby(parents, sort=False).transform("sum").to_numpy()
    folded = scores.mul(weights / totals, axis=0).groupby(parents, sort=False).sum()
    folded.index.name = "doc_id"
    return folded


def _aligned(name: str, values, index: pd.Index) -> np.ndarray:
    if isinstance(values, pd.Series):
        missing = index.difference(values.index)
        if len(missing):
            raise ValueError(f"{name}: no entry for chunks {list(missing[:5])}")
        return values.reindex(index).to_numpy()
    arr = np.asarray(values)
    if arr.shape != (len(index),):
        raise ValueError(f"{name}: expected {len(index)} values, got shape {arr.shape}")
    return arr
