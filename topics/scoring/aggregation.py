"""Aggregation stage: one coherence value per topic from its segments' confirmations."""

from __future__ import annotations

import numpy as np


def arithmetic_mean(values: np.ndarray) -> float:
    """The mean of the segment values, as gensim's ``aggregation.arithmetic_mean``; NaN for a
    topic without segments (a one-word topic under a pairwise segmentation), and NaN or inf
    propagate as in numpy."""
    values = np.asarray(values, dtype=float)
    return float(values.mean()) if values.size else float("nan")
