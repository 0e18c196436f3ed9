"""Argument checks shared by the figure modules and the pyLDAvis pages (no matplotlib:
a worker writing pyLDAvis pages imports this, not the plotting helpers)."""

from __future__ import annotations

from typing import Any

import numpy as np

from topics.errors import ConfigError


def weight_matrix(x: Any, name: str, *, what: str = "a 2-D numeric array",
                  rows_positive: bool = False) -> np.ndarray:
    """``x`` as a non-empty 2-D float array of finite, non-negative weights (and, with
    ``rows_positive``, no all-zero row); otherwise ConfigError naming ``name``."""
    try:
        mat = np.array(x, dtype="float64")
    except (TypeError, ValueError):
        raise ConfigError(name, f"expected {what}") from None
    if mat.ndim != 2 or 0 in mat.shape:
        raise ConfigError(name, f"expected a non-empty 2-D array, got shape {mat.shape}")
    if not np.isfinite(mat).all() or (mat < 0).any():
        raise ConfigError(name, "values must be finite and non-negative")
    if rows_positive and (mat.sum(axis=1) <= 0).any():
        raise ConfigError(name, "every row needs a positive weight (no all-zero row)")
    return mat


def check_positive_int(value: Any, name: str, *, minimum: int = 1) -> int:
    """``value`` if it is an int >= ``minimum``, else ConfigError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ConfigError(name, f"must be an integer >= {minimum}, got {value!r}")
    return int(value)
