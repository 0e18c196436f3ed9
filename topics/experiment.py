"""``Experiment``: an experiment folder read back for notebooks and reports.

>>> exp = topics.load_experiment("runs/seeds")          # doctest: +SKIP
>>> exp.results                                        # one row per run, every metric
>>> exp.best("c_npmi", by="num_topics")                # the best seed per K
>>> exp.topics(run_id), exp.doc_topics(run_id), exp.themes(run_id), exp.compare(a, b)

Everything here reads; nothing writes.  Model files are opened only from the folder's own
``models/`` as recorded in its results store.  Nothing here unpickles but :meth:`model` and
:meth:`infer`, which load the engine's native model (gensim's is a pickle): results, topics,
documents, themes and comparisons read only JSON, SQLite and ``.npy`` files (numpy with
``allow_pickle=False``), so they are safe on a folder from an untrusted source; the native
model of such a folder is not.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from topics.config import with_defaults
from topics.errors import ConfigError, StoreError
from topics.experiment_view import LdavisPage, compare_runs, ldavis_page, summary_html
from topics.results import results_frame
from topics.store import DB_NAME, MANIFEST_NAME, Store, read_manifest


@dataclass(frozen=True)
class ThemeScores:
    """One run's document theme scores (lift of the theme rate: 1.0 is the corpus average,
    see :mod:`topics.themes.scores`), the evidence behind them, the seeds missing from the
    vocabulary, each topic's affinity to each theme, and (``words``) the theme words each
    document uses with their counts, (``model_share``) the share of each rate the topic model
    contributed, and (``tokens``) every vocabulary token each theme uses with its count."""

    scores: pd.DataFrame
    evidence: pd.DataFrame
    missing: dict[str, tuple[str, ...]]
    affinity: pd.DataFrame
    words: pd.DataFrame | None = None
    model_share: pd.DataFrame | None = None
    tokens: pd.DataFrame | None = None

    def _repr_html_(self) -> str:
        return self.scores.round(2)._repr_html_()


def _sortable(value: Any) -> tuple:
    """A sort key for values of mixed kinds: None/NaN, then numbers, then strings."""
    if value is None or (isinstance(value, float) and value != value):
        return (0, 0.0, "")
    if isinstance(value, (bool, int, float, np.integer, np.floating)):
        return (1, float(value), "")
    return (2, 0.0, str(value))


class Experiment:
    """The results, models, corpus and themes of one experiment folder."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).resolve()
        for name in (MANIFEST_NAME, DB_NAME):
            if not (self.folder / name).exists():
                raise StoreError(f"{self.folder / name}: missing; is {self.folder} an "
                                 "experiment folder written by `topics run`?")
        self.manifest: dict[str, Any] = read_manifest(self.folder)
        for key in ("config", "corpus_key"):
            if key not in self.manifest:
                raise StoreError(f"{self.folder / MANIFEST_NAME}: has no {key!r} (written by "
                                 "an older or newer version of topics?)")
        if not isinstance(self.manifest["config"], dict) or not isinstance(
                self.manifest["corpus_key"], str) or not isinstance(
                self.manifest.get("scoring") or {}, dict):
            raise StoreError(f"{self.folder / MANIFEST_NAME}: damaged ('config' or 'scoring' "
                             "is not a JSON object, or 'corpus_key' not a string); "
                             "`topics run` on this folder writes a new one")
        self.config: dict[str, Any] = with_defaults(self.manifest["config"])
        self.corpus_key: str = self.manifest["corpus_key"]
        self._models: dict[str, Any] = {}
        self._outputs: dict[str, Any] = {}
        self._given: dict[str, tuple] = {}  # run -> names given (user, guided), no labels
        self._themes: dict[tuple, Any] = {}

    def __repr__(self) -> str:
        return f"Experiment({str(self.folder)!r}, runs={len(self.results)})"

    # ------------------------------------------------------------------ results
    @property
    def results(self) -> pd.DataFrame:
        """One row per run of the current corpus: parameters, status, metrics, timings."""
        with Store(self.folder, create=False) as store:
            return results_frame(store, self.corpus_key)

    @property
    def scored_with(self) -> str | None:
        """The digest of the scoring settings of the folder's last ``topics run`` (the
        ``scored_with`` column of :attr:`results`); None for folders written before."""
        from topics.results import fingerprint

        return fingerprint(self.manifest.get("scoring"))

    def best(self, metric: str, by: str | list[str] | None = None, *,
             lowest: bool = False) -> pd.DataFrame:
        """The best completed run by ``metric`` overall, or per value of ``by``, among the
        runs scored under the current scoring settings (:attr:`scored_with`): scores
        computed under other settings are never compared."""
        from topics.results import comparable_runs

        frame = self.results
        if metric not in frame.columns:
            known = [c for c in frame.columns if frame[c].dtype.kind == "f"]
            raise KeyError(f"no metric {metric!r}; known: {', '.join(known)}")
        frame = comparable_runs(frame, self.scored_with)
        frame = frame[frame[metric].notna()]
        frame = frame.sort_values(metric, ascending=lowest, kind="stable")
        if by is None:
            return frame.head(1).reset_index(drop=True)
        best = frame.groupby(by, sort=False).head(1)
        # a grid axis may mix named priors and numbers (alpha: [auto, 0.1]): sort by kind
        return best.sort_values(by, key=lambda column: column.map(_sortable),
                                kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------------ models
    def _run_dir(self, run_id: str) -> Path:
        with Store(self.folder, create=False) as store:
            runs = {r.run_id: r for r in store.runs(status="done")}
        if run_id not in runs:
            raise KeyError(f"no completed run {run_id!r} in {self.folder}")
        path = (self.folder / (runs[run_id].model_dir or f"models/{run_id}")).resolve()
        if self.folder not in path.parents:
            raise StoreError(f"{path}: outside the experiment folder; refusing to load it")
        if not path.exists():
            raise StoreError(f"{path}: model folder missing (run {run_id})")
        return path

    def model(self, run_id: str):
        """The run's :class:`~topics.engines.ModelOutput`, with its native model behind it.

        This unpickles the engine's saved model (gensim's format is a pickle, which can run
        code): call it only on experiment folders you trust.  :meth:`output` gives the same
        matrices without the native model, and unpickles nothing."""
        from topics.engines import load_model

        if run_id not in self._models:
            self._models[run_id] = self._named(run_id, load_model(self._run_dir(run_id)))
        return self._models[run_id]

    def output(self, run_id: str):
        """The run's :class:`~topics.engines.ModelOutput` without its native model
        (``native`` is None): JSON and ``.npy`` files only, nothing unpickled."""
        from topics.engines import load_model

        if run_id in self._models:
            return self._models[run_id]
        if run_id not in self._outputs:
            self._outputs[run_id] = self._named(
                run_id, load_model(self._run_dir(run_id), native=False))
        return self._outputs[run_id]

    # ------------------------------------------------------------------ names
    def _named(self, run_id: str, out):
        """``out`` with ``topic_names`` set to :meth:`topic_names`."""
        from topics.experiment_names import named_output

        out, self._given[run_id] = named_output(out, self.folder, run_id, self._run_dir(run_id))
        return out

    def _columns(self, run_id: str) -> list[str]:
        """Topic column keys of :meth:`doc_topics` and :meth:`infer`: ``3: trade`` for a
        topic with a given or guided name, else ``topic 3`` (automatic labels change with
        the model, so they are not made column keys)."""
        out = self.output(run_id)
        given = self._given.get(run_id) or (None,) * out.num_topics
        return [f"{k}: {n}" if n else f"topic {k}" for k, n in enumerate(given)]

    def topic_names(self, run_id: str) -> list[str | None]:
        """Each topic's name: the one given with :meth:`name_topics`, else the guided theme
        it was anchored to, else its automatic label (``models/<run>/labels.json``)."""
        out = self.output(run_id)
        return list(out.topic_names or (None,) * out.num_topics)

    def name_topics(self, run_id: str, names: dict[int, str | None]) -> list[str | None]:
        """Give topics of a run names (``{3: "trade"}``; None removes a name), kept in the
        experiment folder (``topic_names.json``); tables and figures from this object show
        them at once, the pyLDAvis pages and report.html after ``topics report``.  Returns
        the run's names after the change."""
        from topics.experiment_names import name_topics

        name_topics(self.folder, run_id, names, num_topics=self.output(run_id).num_topics)
        self._outputs.pop(run_id, None)
        self._models.pop(run_id, None)
        self._themes.clear()
        return self.topic_names(run_id)

    def topics(self, run_id: str, topn: int | None = None) -> pd.DataFrame:
        """Top words per topic, ranked as the config's ``topwords`` says; ``weight`` is
        p(word | topic), and with ``method: relevance`` a ``relevance`` column gives the
        score the words are ranked by."""
        from topics.topwords import top_words_weighted

        out = self.output(run_id)
        tw = self.config["topwords"]
        method = tw["method"]
        ranked = top_words_weighted(
            out.topic_word, out.vocab, topn=topn or tw["topn"], method=method,
            lam=tw["lambda"], term_frequency=out.term_frequency)
        names = out.topic_names or (None,) * out.num_topics
        index = {w: i for i, w in enumerate(out.vocab)}
        rows = []
        for k, words in enumerate(ranked):
            for r, (w, score) in enumerate(words):
                row = {"topic": k, "name": names[k], "rank": r, "word": w,
                       "weight": float(out.topic_word[k, index[w]])}
                if method == "relevance":
                    row["relevance"] = float(score)
                rows.append(row)
        return pd.DataFrame(rows)

    @functools.cached_property
    def corpus(self):
        """The preprocessed corpus the runs were trained on, with its fitted preprocessor."""
        from topics.preprocess import load_prepared

        path = self.folder / "cache" / self.corpus_key
        if not path.exists():
            raise StoreError(f"{path}: corpus cache missing; rerun `topics run` to rebuild it")
        return load_prepared(path)

    def documents(self) -> pd.DataFrame:
        """Documents (or chunks) with their metadata, indexed by id."""
        return pd.DataFrame(list(self.corpus.meta), index=pd.Index(self.corpus.doc_ids, name="id"))

    def doc_topics(self, run_id: str) -> pd.DataFrame:
        """Documents (with their metadata) by topics: one row per document, one column per topic."""
        out = self.output(run_id)
        topics = pd.DataFrame(out.doc_topic, index=pd.Index(out.doc_ids, name="id"),
                              columns=self._columns(run_id))
        return self.documents().join(topics, how="right")

    def infer(self, run_id: str, texts: Sequence[str], *,
              metadata: Sequence[dict] | None = None) -> pd.DataFrame:
        """Topic mixtures of new raw texts under the run's model: each text goes through the
        corpus's fitted preprocessing and dictionary, then the engine's inference (repeatable:
        seeded by the run's seed).  One row per text, in order; columns as in
        :meth:`doc_topics`.  A text with no dictionary word gets the uniform row.  This loads
        the native model (see :meth:`model`: it unpickles; trusted folders only).
        ``metadata`` (one mapping per text) gives a ``dmr`` run each text's covariate level
        (required there) and a ``dtm`` run its ``date`` (else the last time slice)."""
        from topics.engines import infer

        if isinstance(texts, (str, bytes)):
            raise ConfigError("texts", f"expected a list of strings, got {_show(texts)}")
        texts = list(texts)
        bad = [t for t in texts if not isinstance(t, str)]
        if bad:
            raise ConfigError("texts", f"expected a list of strings, got {_show(bad[0])}")
        out = self.model(run_id)
        corpus = self.corpus
        bows = [corpus.dictionary.doc2bow(corpus.transform_text(t)) for t in texts]
        theta = (infer(out, bows, metadata=metadata) if bows
                 else np.empty((0, out.num_topics)))
        return pd.DataFrame(theta, columns=self._columns(run_id),
                            index=pd.RangeIndex(len(bows), name="text"))

    # ------------------------------------------------------------------ themes
    def themes(self, run_id: str, *, fold: bool = True,
               smoothing: float | None = None) -> ThemeScores:
        """One run's document theme scores (lift of the theme rate) with their evidence; with
        ``fold``, paragraph chunks are folded into their parent documents first.
        ``smoothing``: the model's weight in tokens (default ``topics.themes.SMOOTHING``)."""
        from topics import themes as th

        runs = self.run_themes(run_id, fold=fold, smoothing=smoothing)
        out = self.output(run_id)
        evidence = th.theme_evidence(runs.theta.to_numpy(), out.topic_word, runs.resolved,
                                     doc_ids=list(runs.theta.index),
                                     topic_names=list(runs.affinity.index))
        return ThemeScores(scores=th.lift(runs.rates), evidence=evidence,
                           missing=runs.resolved.missing, affinity=runs.affinity,
                           words=runs.words, model_share=runs.model_share,
                           tokens=th.theme_tokens(runs.resolved, out.term_frequency))

    def run_themes(self, run_id: str, *, fold: bool = True, smoothing: float | None = None):
        """The run's theme inputs per document (:class:`topics.experiment_themes.RunThemes`:
        counts, lengths, model mass, rates, posteriors), computed once per run."""
        from topics import experiment_themes as et
        from topics.themes import SMOOTHING

        key = (run_id, fold, SMOOTHING if smoothing is None else smoothing)
        if key not in self._themes:
            self._themes[key] = et.run_themes(self, run_id, fold=fold, smoothing=key[2],
                                              cache=self._themes)
        return self._themes[key]

    def theme_summary(self, runs: Any = None, *, level: float = 0.9,
                      smoothing: float | None = None) -> pd.DataFrame:
        """Theme scores pooled over runs: one row per document and theme with ``mean``, ``low``,
        ``high`` (a ``level`` interval), ``top_share`` and ``n_runs`` (see
        :mod:`topics.themes.pooled`).  ``runs``: None (every completed run), run ids, or a
        filter such as ``{"engine": "tomotopy", "num_topics": [8, 12], "guided": False}``."""
        from topics import experiment_themes as et
        from topics.themes import SMOOTHING

        return et.theme_summary(self, runs, level=level,
                                smoothing=SMOOTHING if smoothing is None else smoothing)

    def theme_effects(self, field: str, runs: Any = None, *, period: int | None = None,
                      df: int = 4, level: float = 0.9, sims: int = 20,
                      smoothing: float | None = None) -> pd.DataFrame:
        """Theme prevalence (lift) against a metadata field, pooled over ``runs``: one row per
        theme and level (a category, a period's first year, or a year of a smooth trend) with
        ``estimate``, ``low``, ``high`` (a ``level`` interval), ``n_docs`` and ``n_runs``.
        ``date``/``year`` fields are time: a B-spline trend (``df``) or periods of
        ``period`` years.  See :mod:`topics.themes.effects` for the method."""
        from topics import experiment_themes as et
        from topics.themes import SMOOTHING

        return et.theme_effects(self, field, runs, period=period, df=df, level=level, sims=sims,
                                smoothing=SMOOTHING if smoothing is None else smoothing)

    def document_texts(self) -> dict[str, str]:
        """Document (and chunk) id -> the text the corpus was built from, read again from the
        configured corpus (debris removed and segmented as the corpus was), read once."""
        from topics.experiment_passages import read_texts

        if "texts" not in self._themes:
            self._themes["texts"] = read_texts(self)
        return self._themes["texts"]

    def passages(self, theme: str, document: Any = None, n: int = 5, *, runs: Any = None,
                 smoothing: float | None = None) -> pd.DataFrame:
        """The ``n`` passages (paragraph chunks, or sentences of unchunked documents) that
        carry ``theme`` most, pooled over ``runs``: ``document, passage, score`` (lift of the
        passage's theme rate), ``count``, ``words`` (the evidence) and ``text``; ``document``
        limits them to one document.  See :mod:`topics.experiment_passages`."""
        from topics.experiment_passages import passages
        from topics.themes import SMOOTHING

        return passages(self, theme, document=document, n=n, runs=runs,
                        smoothing=SMOOTHING if smoothing is None else smoothing)

    # ------------------------------------------------------------------ comparing
    def compare(self, run_a: str, run_b: str, *, topn: int = 10) -> pd.DataFrame:
        """Topics of two runs matched one to one (Hungarian) by cosine similarity of their
        word distributions; one row per matched pair, best matches first."""
        return compare_runs(self, run_a, run_b, topn=topn)

    def ldavis(self, run_id: str) -> LdavisPage:
        """The run's pyLDAvis page: a notebook shows it inline (the offline page in an
        iframe); ``.path`` is the page on disk, ``.data`` the HTML that embeds it."""
        return ldavis_page(self.folder, run_id)

    def _repr_html_(self) -> str:
        return summary_html(self)


def _show(value: Any, limit: int = 60) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else shown[:limit - 3] + "..."


def load_experiment(path: str | Path) -> Experiment:
    """Open an experiment folder written by ``topics run`` (or :func:`topics.run`)."""
    return Experiment(path)
