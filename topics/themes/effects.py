"""Theme prevalence against a metadata field, pooled over runs with its uncertainty.

For each theme, the documents' theme lifts are regressed (ordinary least squares,
statsmodels) on a design built from the field:

* categorical (source, party, label): one mean per level, no intercept, so a level's
  estimate is the expected lift of its documents (1.0 = the corpus average);
* time as periods: the same with one level per period (``period="10Y"`` for decades);
* time as a smooth trend: a B-spline of the decimal year (patsy ``bs``, ``df`` degrees of
  freedom) with an intercept, predicted on a grid of years.

Uncertainty follows STM's ``estimateEffect`` (method of composition): for every run and each
of ``sims`` simulations, the documents' lifts are drawn from the run's Beta posterior of
their rates (:func:`~topics.themes.scores.rate_posterior`), the regression is fitted to that
draw, and one coefficient vector is drawn from its sampling distribution (normal, with the
fit's heteroskedasticity-robust HC1 covariance: a group whose documents vary a lot must not
widen the interval of a group whose documents agree).  The pooled draws over runs and
simulations carry the within-document, the within-run (regression) and the between-run
uncertainty; ``low`` and ``high`` are their
quantiles.  ``estimate`` is the regression on each run's point lifts, averaged over runs (the
mean of the pooled draws, up to simulation error).  Where a theme is all but absent from a
level, the posterior of its lift is very skewed (a few documents, rates near 0): the mean can
then lie at the edge of the interval, and a normal draw of the coefficients can dip just
below 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from topics.errors import ConfigError
from topics.themes.pooled import LEVEL, run_lifts

SIMS = 20
COV_TYPE = "HC1"  # heteroskedasticity-robust: groups and periods differ in spread
COLUMNS = ["theme", "level", "estimate", "low", "high", "n_docs", "n_runs"]


@dataclass(frozen=True)
class Design:
    """A regression design: ``fit`` (documents x parameters, rows of the documents kept),
    ``keep`` (a boolean mask over all documents), ``predict`` (levels x parameters), the
    ``levels`` they stand for and the number of documents behind each (``n_docs``)."""

    fit: np.ndarray
    keep: np.ndarray
    predict: np.ndarray
    levels: list
    n_docs: list


def categorical_design(values: pd.Series) -> Design:
    """One indicator per level (levels in sorted order); missing values are left out."""
    keep = values.notna().to_numpy() & (values.astype(str).str.strip() != "").to_numpy()
    text = values[keep].astype(str)
    levels = sorted(text.unique())
    if len(levels) < 1:
        raise ConfigError("field", "no document has a value for it")
    fit = (text.to_numpy()[:, None] == np.array(levels)[None, :]).astype(float)
    return Design(fit, keep, np.eye(len(levels)), levels, [int(c) for c in fit.sum(axis=0)])


def decimal_years(dates: pd.Series) -> pd.Series:
    """Dates (ISO 8601, as the readers store them; or bare years) as decimal years; anything
    else ("1-04-12", "12 Apr") is NaN, never guessed."""
    years = pd.to_numeric(dates, errors="coerce")
    parsed = pd.to_datetime(dates.astype("string"), errors="coerce", format="ISO8601", utc=True)
    frac = parsed.dt.year + (parsed.dt.day_of_year - 1) / 365.25
    bare = years.notna() & years.between(1, 9999) & (years % 1 == 0)
    return pd.Series(np.where(bare, years, frac), index=dates.index, dtype=float)


def period_design(years: pd.Series, width: int) -> Design:
    """Periods of ``width`` years (1 = years, 10 = decades), labelled by their first year."""
    if not isinstance(width, int) or isinstance(width, bool) or width < 1:
        raise ConfigError("period", f"expected a number of years >= 1, got {width!r}")
    start = (np.floor(years / width) * width).astype("Int64")
    design = categorical_design(start.astype(object).where(start.notna(), None))
    return Design(design.fit, design.keep, design.predict, [int(v) for v in design.levels],
                  design.n_docs)


def trend_design(years: pd.Series, df: int, points: int = 40) -> Design:
    """A B-spline trend of the decimal year with an intercept, predicted on ``points`` years."""
    from patsy import build_design_matrices, dmatrix

    if not isinstance(df, int) or isinstance(df, bool) or df < 1:
        raise ConfigError("df", f"expected an integer >= 1, got {df!r}")
    keep = years.notna().to_numpy()
    t = years[keep].to_numpy(dtype=float)
    if len(np.unique(t)) < 2:
        raise ConfigError("field", "a trend needs documents at two dates or more")
    df = min(df, len(np.unique(t)) - 1)
    formula = f"bs(t, df={df}, degree={min(3, df)})" if df >= 2 else "t"
    fit = dmatrix(formula, {"t": t}, return_type="matrix")
    grid = np.linspace(t.min(), t.max(), points)
    predict = build_design_matrices([fit.design_info], {"t": grid})[0]
    near = np.abs(t[None, :] - grid[:, None]) <= (grid[1] - grid[0]) / 2
    return Design(np.asarray(fit), keep, np.asarray(predict), [float(g) for g in grid],
                  [int(n) for n in near.sum(axis=1)])


def pooled_effects(posteriors: Mapping[str, tuple[np.ndarray, np.ndarray]], design: Design,
                   themes, *, sims: int = SIMS, level: float = LEVEL,
                   seed: int = 0) -> pd.DataFrame:
    """One row per (theme, level) pooled over runs (see the module doc).

    ``posteriors``: run id -> ``(a, b)``, D x T Beta parameters (all documents, in the order
    ``design.keep`` refers to), columns ``themes``.
    """
    import statsmodels.api as sm

    if not isinstance(sims, int) or isinstance(sims, bool) or sims < 1:
        raise ConfigError("sims", f"expected an integer >= 1, got {sims!r}")
    x = design.fit
    if x.shape[0] <= x.shape[1]:
        raise ConfigError("field", f"{x.shape[0]} documents for {x.shape[1]} parameters: "
                                   "too few to estimate an effect")
    rng = np.random.default_rng(seed)
    points = np.zeros((len(themes), len(design.levels)))
    draws: list[list[np.ndarray]] = [[] for _ in themes]
    for _, (a, b) in sorted(posteriors.items()):  # by run id: the same draws in any order
        lifts, scale = run_lifts(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
        scale = np.where(scale > 0, scale, 1.0)  # the corpus mean over every document
        a, b, lifts = (np.asarray(v)[design.keep] for v in (a, b, lifts))
        for t in range(len(themes)):
            points[t] += design.predict @ sm.OLS(lifts[:, t], x).fit().params
        for _ in range(sims):
            y = rng.beta(a, b) / scale
            for t in range(len(themes)):
                fit = sm.OLS(y[:, t], x).fit(cov_type=COV_TYPE)
                coef = rng.multivariate_normal(fit.params, fit.cov_params(), method="eigh")
                draws[t].append(design.predict @ coef)
    tail = (1 - level) / 2
    rows = []
    for t, theme in enumerate(themes):
        pooled = np.array(draws[t])
        low, high = np.quantile(pooled, [tail, 1 - tail], axis=0)
        for i, lev in enumerate(design.levels):
            rows.append((theme, lev, points[t, i] / len(posteriors), low[i], high[i],
                         design.n_docs[i], len(posteriors)))
    return pd.DataFrame(rows, columns=COLUMNS)
