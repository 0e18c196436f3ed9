"""Theme scores of an experiment's runs: one run (:func:`run_themes`) and pooled over runs
(:func:`theme_summary`, :func:`select_runs`).  ``Experiment`` methods call these.

For each run, per document (paragraph chunks folded into their parent documents): the theme
tokens it holds (``counts``), its length in tokens, the model's theme mass, hence the theme
rate, its Beta posterior and its lift (see :mod:`topics.themes.scores`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from topics import themes as th
from topics.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from topics.experiment import Experiment

RUN_FILTERS = ("engine", "num_topics", "guided", "seed", "alpha", "eta")


@dataclass(frozen=True)
class RunThemes:
    """One run's theme inputs per scored document (rows) and theme (columns)."""

    run_id: str
    resolved: th.ResolvedThemes
    counts: pd.DataFrame      # theme tokens in the document
    lengths: pd.Series        # tokens in the document
    mass: pd.DataFrame        # the model's theme mass
    theta: pd.DataFrame       # the (folded) topic mixture
    affinity: pd.DataFrame    # topic x theme word mass
    words: pd.DataFrame       # th.document_theme_words, per scored document
    smoothing: float

    @property
    def rates(self) -> pd.DataFrame:
        return th.theme_rates(self.counts, self.lengths, self.mass, smoothing=self.smoothing)

    @property
    def posterior(self) -> tuple[np.ndarray, np.ndarray]:
        return th.rate_posterior(self.counts, self.lengths, self.mass, smoothing=self.smoothing)

    @property
    def model_share(self) -> pd.DataFrame:
        """The share of each rate that comes from the model (``s*M / (n + s*M)``)."""
        model = self.smoothing * self.mass
        total = (self.counts + model).to_numpy()
        out = np.divide(model.to_numpy(), total, out=np.zeros_like(total), where=total > 0)
        return pd.DataFrame(out, index=self.counts.index, columns=self.counts.columns)


def lexicon(exp: Experiment) -> dict:
    themes = exp.config.get("themes") or {}
    if not themes:
        raise KeyError("this experiment's config has no themes: section")
    return themes


def run_themes(exp: Experiment, run_id: str, *, fold: bool = True,
               smoothing: float = th.SMOOTHING, cache: dict | None = None) -> RunThemes:
    """The theme inputs of one run (chunks folded into their parents with ``fold``).
    ``cache`` (a dict the caller keeps) shares the observed theme tokens between runs."""
    out = exp.output(run_id)
    labels = [f"{k}: {n}" if n else f"topic {k}"
              for k, n in enumerate(out.topic_names or (None,) * out.num_topics)]
    resolved = th.resolve_themes(lexicon(exp), transform=exp.corpus.transform_text,
                                 vocab=out.vocab, quiet=True)
    affinity = th.topic_theme_affinity(out.topic_word, resolved, topic_names=labels)
    doc_ids = list(out.doc_ids)
    counts, words = _observed(exp, resolved, doc_ids, vocab=tuple(out.vocab),
                              cache={} if cache is None else cache)
    lengths = pd.Series(np.asarray(out.doc_lengths, dtype=float), index=doc_ids)
    theta = pd.DataFrame(np.asarray(out.doc_topic), index=pd.Index(doc_ids), columns=labels)
    meta = exp.documents()
    if fold and "parent_id" in meta.columns:
        parents = meta.loc[doc_ids, "parent_id"].to_numpy()
        theta = th.fold_chunks(theta, parents, lengths.to_numpy())
        counts = counts.groupby(parents, sort=False).sum().reindex(theta.index)
        words = _fold_words(words, dict(zip(doc_ids, parents)))
        lengths = lengths.groupby(parents, sort=False).sum().reindex(theta.index)
    mass = th.document_theme_scores(theta.to_numpy(), affinity, doc_ids=list(theta.index),
                                    scale="mass")
    counts.index.name = lengths.index.name = theta.index.name = "doc_id"
    return RunThemes(run_id, resolved, counts, lengths, mass, theta, affinity, words,
                     float(smoothing))


def _observed(exp: Experiment, resolved: th.ResolvedThemes, doc_ids: list, *, vocab: tuple,
              cache: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The theme tokens each document holds (counts and words): they depend on the documents,
    the vocabulary and the lexicon, not on the run, so runs over one corpus share them."""
    key = ("observed", tuple(doc_ids), vocab, tuple(resolved.word_ids.items()))
    if key not in cache:
        position = {d: i for i, d in enumerate(exp.corpus.doc_ids)}
        bow = [exp.corpus.bow[position[d]] for d in doc_ids]
        cache[key] = (th.document_theme_counts(bow, resolved, doc_ids=doc_ids, share=False),
                      th.document_theme_words(bow, resolved, doc_ids=doc_ids))
    counts, words = cache[key]
    return counts.copy(), words.copy()


def _fold_words(words: pd.DataFrame, parent: dict) -> pd.DataFrame:
    rows = []
    for (doc, theme), group in words.groupby([words["doc_id"].map(parent), "theme"],
                                             sort=False):
        total: dict[str, int] = {}
        for used in group["words"]:
            for w, c in used:
                total[w] = total.get(w, 0) + c
        rows.append((doc, theme, sum(total.values()),
                     tuple(sorted(total.items(), key=lambda p: -p[1]))))
    return pd.DataFrame(rows, columns=["doc_id", "theme", "count", "words"])


# ---------------------------------------------------------------- choosing runs
def select_runs(exp: Experiment, runs: Any = None) -> list[str]:
    """Completed run ids: all (``None``), the ids given, or those matching a filter dict
    (``{"engine": "tomotopy", "num_topics": [8, 12], "guided": False}``: a value or a list)."""
    done = exp.results
    done = done[done["status"] == "done"] if "status" in done.columns else done.iloc[0:0]
    if runs is None:
        chosen = list(done["run_id"])
    elif isinstance(runs, Mapping):
        chosen = list(done[_matches(done, runs)]["run_id"])
    elif isinstance(runs, Sequence) and not isinstance(runs, (str, bytes)):
        unknown = [r for r in runs if r not in set(done["run_id"])]
        if unknown:
            raise ConfigError("runs", f"no completed run {unknown[0]!r} in {exp.folder}")
        chosen = list(dict.fromkeys(runs))
    else:
        raise ConfigError("runs", f"expected run ids or a filter dict, got {runs!r}")
    if not chosen:
        raise ConfigError("runs", f"no completed run matches {runs!r}")
    return chosen


def _matches(done: pd.DataFrame, where: Mapping) -> pd.Series:
    keep = pd.Series(True, index=done.index)
    for key, value in where.items():
        if key not in RUN_FILTERS or key not in done.columns:
            raise ConfigError(f"runs.{key}", f"expected one of {', '.join(RUN_FILTERS)}")
        values = list(value) if isinstance(value, (list, tuple, set)) else [value]
        keep &= done[key].isin(values)
    return keep


# ---------------------------------------------------------------- pooled
def theme_summary(exp: Experiment, runs: Any = None, *, level: float = th.LEVEL,
                  smoothing: float = th.SMOOTHING) -> pd.DataFrame:
    """One row per document and theme pooled over ``runs`` (see :mod:`topics.themes.pooled`)."""
    per_run = [exp.run_themes(r, smoothing=smoothing) for r in select_runs(exp, runs)]
    first = per_run[0]
    return th.pool_runs({r.run_id: r.posterior for r in per_run},
                               doc_ids=list(first.counts.index),
                               themes=list(first.counts.columns), level=level)


# ---------------------------------------------------------------- effects of metadata
TIME_FIELDS = ("date", "year")


def scored_documents(exp: Experiment) -> pd.DataFrame:
    """Metadata of the documents themes are scored on: parents when the corpus is chunked."""
    docs = exp.documents()
    if "parent_id" not in docs.columns:
        return docs
    parents = docs.groupby("parent_id", sort=False).first()
    parents.index.name = "id"
    return parents.drop(columns=[c for c in ("chunk",) if c in parents.columns])


def theme_effects(exp: Experiment, field: str, runs: Any = None, *, period: int | None = None,
                  df: int = 4, level: float = th.LEVEL, sims: int = th.effects.SIMS,
                  smoothing: float = th.SMOOTHING) -> pd.DataFrame:
    """Theme prevalence against ``field`` pooled over ``runs`` (see
    :mod:`topics.themes.effects`).  ``date``/``year`` (or any field whose values all read as
    dates) is time: a smooth trend with ``df`` degrees of freedom, or periods of ``period``
    years; any other field is categorical."""
    per_run = [exp.run_themes(r, smoothing=smoothing) for r in select_runs(exp, runs)]
    index = per_run[0].counts.index
    meta = scored_documents(exp)
    if not isinstance(field, str) or field not in meta.columns:
        known = ", ".join(str(c) for c in meta.columns)
        raise ConfigError("field", f"no metadata field {field!r}; known: {known}")
    values = meta[field].reindex(index)
    design = _design(field, values, period, df)
    return th.effects.pooled_effects({r.run_id: r.posterior for r in per_run}, design,
                                     list(per_run[0].counts.columns), sims=sims, level=level)


def _design(field: str, values: pd.Series, period: int | None, df: int):
    years = th.effects.decimal_years(values) if _is_time(field, values) else None
    if years is None:
        if period is not None:
            raise ConfigError("period", f"{field!r} is not a date field")
        return th.effects.categorical_design(values)
    if period is not None:
        return th.effects.period_design(years, period)
    return th.effects.trend_design(years, df)


def _is_time(field: str, values: pd.Series) -> bool:
    present = values.dropna()
    if field in TIME_FIELDS:
        return True
    if present.empty or pd.api.types.is_numeric_dtype(present):
        return False
    parsed = pd.to_datetime(present.astype("string"), errors="coerce", format="ISO8601")
    return bool(parsed.notna().all())
