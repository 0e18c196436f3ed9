"""Coherence of many models from one shared count of the reference texts.

:class:`CoherenceScorer` keeps the counts of every word it has met in a topic, per window
size, and counts only the new words when models are added.  :func:`coherence` is the
one-call version for a notebook.

The values are those of gensim's ``CoherenceModel(topics=..., texts=..., dictionary=...,
coherence=..., topn=...)``, with gensim's choices made explicit:

* topic words that are not in the dictionary (by default: that never occur in the texts) are
  skipped, and a topic's first ``topn`` remaining words are scored (gensim drops them too);
* a topic left with no word at all scores NaN for every measure, with a warning (gensim raises
  ValueError for the whole model);
* words in the dictionary that never occur in the texts give gensim's values: +inf for c_uci
  and c_npmi, NaN for c_v, and their u_mass pairs count 0 when they are the condition;
* each topic is cut to its own first ``topn`` words (gensim cuts all topics only when the
  first topic, after skipping unknown words, is longer than ``topn``).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from topics.errors import ConfigError
from topics.scoring.counting import CHUNK_TOKENS, Counts, count_cooccurrences, index_texts
from topics.scoring.inputs import (Topics, check_measures, check_positive_int,
                                   check_topic_sets, check_topics, vocabulary_of)
from topics.scoring.measures import MEASURES, topic_coherence

log = logging.getLogger(__name__)

DEFAULT_MEASURES = ("c_v", "c_npmi")


class CoherenceScorer:
    """Coherence accumulator shared by the models of a grid.

    ``texts`` (token lists) is the reference corpus the probabilities are estimated on: the
    training texts, or any other corpus.  ``dictionary`` (a gensim ``Dictionary``, a mapping
    from words or a collection of words) says which topic words are known; by default, the
    words of ``texts``.  ``measures`` and ``topn`` are the defaults of :meth:`add_models` and
    :meth:`score`; counting happens in :meth:`add_models` (for all added models at once) and
    otherwise when a score needs words or a window size not counted yet.
    """

    def __init__(self, texts: Iterable[Sequence[str]], *, dictionary: Any = None,
                 measures: str | Iterable[str] = DEFAULT_MEASURES, topn: int = 10,
                 chunk_tokens: int = CHUNK_TOKENS):
        self.measures = check_measures(measures, MEASURES)
        self.topn = check_positive_int(topn, "topn")
        self._chunk_tokens = check_positive_int(chunk_tokens, "chunk_tokens")
        self._index = index_texts(texts)
        self._vocabulary = vocabulary_of(dictionary)
        self._columns: dict[str, int] = {}
        self._counts: dict[int | None, Counts] = {}
        self._models: dict[Hashable, Topics] = {}

    @property
    def models(self) -> tuple[Hashable, ...]:
        """The ids of the models added, in order."""
        return tuple(self._models)

    @property
    def num_words(self) -> int:
        """How many distinct topic words have been met (the counts' size)."""
        return len(self._columns)

    def add_models(self, topic_sets: Any) -> None:
        """Add models (``{model_id: topics}`` or a list, ids 0, 1, ...; each topic a list of
        words) and count their new words for the window sizes of ``self.measures``."""
        sets = check_topic_sets(topic_sets)
        for model_id, topics in sets.items():
            if self._models.get(model_id, topics) != topics:
                raise ConfigError(f"topic_sets[{model_id!r}]",
                                  "a model with this id was already added with other topics")
        self._models.update(sets)
        for model_id, topics in sets.items():
            self._topic_columns(topics, self.topn, model_id)
        for window in dict.fromkeys(MEASURES[name].window for name in self.measures):
            self._counted(window)

    def score(self, model: Any, *, measures: str | Iterable[str] | None = None,
              topn: int | None = None) -> pd.DataFrame:
        """One row per topic: ``model``, ``topic`` (its number) and one column per measure.

        ``model`` is the id of an added model, or a list of topics (then ``model`` is None in
        the result).
        """
        measures = self.measures if measures is None else check_measures(measures, MEASURES)
        topn = self.topn if topn is None else check_positive_int(topn, "topn")
        model_id, topics = self._resolve(model)
        columns = self._topic_columns(topics, topn, model_id)
        rows: dict[str, list] = {"model": [model_id] * len(topics),
                                 "topic": list(range(len(topics)))}
        for name in measures:
            measure = MEASURES[name]
            counts = self._counted(measure.window)
            rows[name] = [float("nan") if cols is None else
                          topic_coherence(measure, counts, cols) for cols in columns]
        return pd.DataFrame(rows)

    def score_models(self, models: Iterable[Hashable] | None = None, *,
                     measures: str | Iterable[str] | None = None,
                     topn: int | None = None) -> pd.DataFrame:
        """:meth:`score` of several added models (default: all), one frame."""
        ids = self.models if models is None else list(models)
        frames = [self.score(model_id, measures=measures, topn=topn) for model_id in ids]
        return pd.concat(frames, ignore_index=True)

    def _resolve(self, model: Any) -> tuple[Hashable, Topics]:
        try:
            if model in self._models:
                return model, self._models[model]
        except TypeError:  # unhashable: a list of topics
            pass
        if isinstance(model, Sequence) and not isinstance(model, str):
            return None, check_topics(model, "model")
        raise ConfigError("model", f"no model {model!r} was added "
                                   f"(added: {', '.join(map(repr, self._models)) or 'none'})")

    def _known(self, word: str) -> bool:
        return word in (self._index.words if self._vocabulary is None else self._vocabulary)

    def _topic_columns(self, topics: Topics, topn: int,
                       model_id: Hashable) -> list[np.ndarray | None]:
        """Each topic's first ``topn`` known words as count columns (None: no known word),
        registering words met for the first time."""
        out: list[np.ndarray | None] = []
        skipped = 0
        for number, topic in enumerate(topics):
            known = [word for word in topic if self._known(word)]
            skipped += len(topic) - len(known)
            if not known:
                log.warning("model %r, topic %d: no word in the dictionary, coherence is NaN",
                            model_id, number)
                out.append(None)
                continue
            out.append(np.array([self._columns.setdefault(w, len(self._columns))
                                 for w in known[:topn]]))
        if skipped:
            log.warning("model %r: skipped %d topic words that are not in the dictionary",
                        model_id, skipped)
        return out

    def _counted(self, window: int | None) -> Counts:
        """The counts for ``window``, extended to every word met so far."""
        counts = self._counts.get(window)
        if counts is None or counts.size < len(self._columns):
            codes = self._index.codes_of(list(self._columns))
            counts = count_cooccurrences(self._index, codes, window=window, counts=counts,
                                         chunk_tokens=self._chunk_tokens)
            self._counts[window] = counts
        return counts


def coherence(topic_sets: Any, texts: Iterable[Sequence[str]], *,
              measures: str | Iterable[str] = DEFAULT_MEASURES, topn: int = 10,
              dictionary: Any = None) -> pd.DataFrame:
    """Coherence of every topic of every model, one row per model and topic.

    ``topic_sets`` is ``{model_id: topics}`` or a list of models' topics (ids 0, 1, ...),
    each topic a list of words in rank order; ``texts`` the reference token lists.  Columns:
    ``model``, ``topic`` and one per measure (``c_v``, ``c_npmi``, ``c_uci``, ``u_mass``).
    See :class:`CoherenceScorer` for ``dictionary`` and the module docs for gensim's rules.
    """
    scorer = CoherenceScorer(texts, dictionary=dictionary, measures=measures, topn=topn)
    scorer.add_models(topic_sets)
    return scorer.score_models()


def coherence_means(frame: pd.DataFrame, *, skipna: bool = False) -> pd.DataFrame:
    """Per-model mean of each measure column of a :func:`coherence` frame (index: model).

    With ``skipna=False`` (gensim's ``get_coherence``) a NaN topic makes the mean NaN.
    """
    if not isinstance(skipna, bool):
        raise ConfigError("skipna", f"expected True or False, got {skipna!r}")
    missing = {"model", "topic"} - set(frame.columns)
    if missing:
        raise ConfigError("frame", f"not a coherence frame: no {', '.join(sorted(missing))} "
                                   f"column")
    names = [column for column in frame.columns if column in MEASURES]
    grouped = frame.groupby("model", sort=False, dropna=False)[names]
    return grouped.agg(lambda values: values.mean(skipna=skipna))
