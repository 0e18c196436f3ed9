"""Themes across documents: seed lexicons, topic-theme affinity, document scores, guided priors.

A *theme* is a name and a list of seed words or phrases (the config's ``themes:`` section),
e.g. ``regime_change: [regime change, ouster, no-confidence, lawfare, colour revolution]``.

Resolving seeds (:func:`resolve_themes`).  Each seed goes through ``transform``, the same
preprocessing as the corpus (a fitted preprocessor's ``transform_text``), so "regime change"
becomes ``regime_change`` when the phrase model learned that pair.  The seed's words (its
tokens split at the phrase delimiter ``_``) then match:

1. every vocabulary word that holds them as a run of its parts: the seed itself ("lawfare"),
   its joined form even if ``transform`` did not join it ("regime change" -> regime_change),
   and the longer phrases the phrase model built around it ("no-confidence" ->
   no-confidence_vote, "trade" -> trade_deal), since those tokens replaced its occurrences;
2. failing that (a phrase the corpus never holds joined, or whose joined token was filtered
   out), each of its words that is a vocabulary word by itself ("colour revolution" ->
   colour, revolution).  So a phrase the phrase model did not join still counts through its
   words; pick phrases whose words are telling on their own.

A seed that matches nothing (after preprocessing) is *missing*: it is logged and returned in
:attr:`ResolvedThemes.missing` for the report and CLI.  A theme with no word at all in the
vocabulary is a :class:`~topics.errors.ConfigError` naming ``themes.<name>``.

Post-hoc scores.  A topic's *affinity* to a theme is the probability mass of the theme's words
in the topic, ``A[k, t] = sum_{w in t} phi[k, w]``.  A document's theme *mass* is
``M[d, t] = sum_k theta[d, k] * A[k, t]``: the probability that a word drawn from the
document's fitted mixture is a theme word.  Mass grows with the number and frequency of a
theme's words, so it cannot compare themes.  The default score is therefore the *lift*
``M[d, t] / mean_d M[d, t]``: 1.0 is the corpus average for that theme, 2.0 twice it; a theme
with many words is not favoured for that alone, and lifts of different themes are comparable.
The absolute mass stays available (``scale="mass"``).

Paragraph chunks: score them with ``scale="mass"``, fold the masses into their parent
documents (:func:`fold_chunks`, a length-weighted mean, i.e. the parent's token-weighted
mixture) and then take :func:`lift` over the parents, so 1.0 is the average *document*.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from topics.errors import ConfigError

log = logging.getLogger(__name__)

SCALES = ("lift", "mass")


@dataclass(frozen=True)
class SeedMatch:
    """One seed word or phrase: its tokens after preprocessing, and the vocabulary words used."""

    seed: str
    tokens: tuple[str, ...]
    matched: tuple[str, ...]

    @property
    def missing(self) -> bool:
        return not self.matched


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its distinct vocabulary words (and their ids) and every seed's match."""

    name: str
    words: tuple[str, ...]
    word_ids: tuple[int, ...]
    seeds: tuple[SeedMatch, ...]

    @property
    def missing_seeds(self) -> tuple[str, ...]:
        return tuple(s.seed for s in self.seeds if s.missing)


@dataclass(frozen=True)
class ResolvedThemes:
    """Themes resolved against one vocabulary of ``vocab_size`` words, in config order."""

    themes: tuple[Theme, ...]
    vocab_size: int

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.themes)

    @property
    def word_ids(self) -> dict[str, tuple[int, ...]]:
        """Theme name -> its vocabulary ids (what guided runs need, see :func:`guided_prior`)."""
        return {t.name: t.word_ids for t in self.themes}

    @property
    def missing(self) -> dict[str, tuple[str, ...]]:
        """Theme name -> seeds not in the vocabulary (only themes with some missing)."""
        return {t.name: t.missing_seeds for t in self.themes if t.missing_seeds}

    def __getitem__(self, name: str) -> Theme:
        for theme in self.themes:
            if theme.name == name:
                return theme
        raise KeyError(name)

    def as_dict(self) -> dict:
        """JSON-able summary for the report and the CLI."""
        return {t.name: {"words": list(t.words),
                         "seeds": [{"seed": s.seed, "tokens": list(s.tokens),
                                    "matched": list(s.matched)} for s in t.seeds],
                         "missing": list(t.missing_seeds)} for t in self.themes}


# ---------------------------------------------------------------- resolving seeds
def _vocab_index(vocab: Sequence[str] | Mapping[str, int]) -> dict[str, int]:
    if isinstance(vocab, Mapping):
        return {str(w): int(i) for w, i in vocab.items()}
    if isinstance(vocab, str) or not isinstance(vocab, Sequence):
        raise ConfigError("vocab", f"expected a sequence of words or a word->id mapping, "
                                   f"got {type(vocab).__name__}")
    return {w: i for i, w in enumerate(vocab)}


def _phrase_index(index: Mapping[str, int], delimiter: str) -> dict[str, list[tuple]]:
    """Part -> the vocabulary words (and their parts) holding it: vote -> no-confidence_vote."""
    by_part: dict[str, list[tuple]] = {}
    for word in index:
        parts = tuple(word.split(delimiter))
        for part in set(parts):
            by_part.setdefault(part, []).append((word, parts))
    return by_part


def _holds(parts: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(parts[i:i + n] == run for i in range(len(parts) - n + 1))


def _match_seed(seed: str, tokens: list[str], index: Mapping[str, int],
                by_part: Mapping[str, list[tuple]], delimiter: str) -> SeedMatch:
    run = tuple(p for token in tokens for p in token.split(delimiter) if p)
    if not run:
        return SeedMatch(seed, tuple(tokens), ())
    found = [word for word, parts in by_part.get(run[0], ()) if _holds(parts, run)]
    if not found:  # a phrase the corpus never holds joined: count its words
        found = [part for part in run if part in index]
    found = sorted(dict.fromkeys(found), key=lambda w: (w.split(delimiter) != list(run), index[w]))
    return SeedMatch(seed, tuple(tokens), tuple(found))


def _check_themes(themes: Mapping[str, Sequence[str]]) -> None:
    if not isinstance(themes, Mapping) or not themes:
        raise ConfigError("themes", f"expected a non-empty mapping of theme name to seed words, "
                                    f"got {themes!r}")
    for name, seeds in themes.items():
        if not isinstance(name, str) or not name.strip():
            raise ConfigError("themes", f"expected a theme name, got {name!r}")
        if isinstance(seeds, str) or not isinstance(seeds, Sequence) or not seeds or not all(
                isinstance(s, str) and s.strip() for s in seeds):
            raise ConfigError(f"themes.{name}",
                              f"expected a non-empty list of seed words, got {seeds!r}")


def resolve_themes(themes: Mapping[str, Sequence[str]], *,
                   transform: Callable[[str], list[str]],
                   vocab: Sequence[str] | Mapping[str, int],
                   delimiter: str = "_") -> ResolvedThemes:
    """Match each theme's seeds to vocabulary words through ``transform`` (see module doc).

    ``vocab`` is the model's vocabulary, a tuple of words by id or a word -> id mapping;
    ``delimiter`` joins phrase tokens (gensim Phrases' default ``_``).  A theme's words are
    the union of its seeds' matches, in seed order, each once.  Seeds not found are
    logged and listed in the result; a theme with no word found raises ``ConfigError``.
    """
    _check_themes(themes)
    if not callable(transform):
        raise ConfigError("transform", f"expected a callable str -> list[str], got {transform!r}")
    index = _vocab_index(vocab)
    by_part = _phrase_index(index, delimiter)
    resolved = []
    for name, seeds in themes.items():
        matches = tuple(_match_seed(s, list(transform(s)), index, by_part, delimiter)
                        for s in seeds)
        words = tuple(dict.fromkeys(w for m in matches for w in m.matched))
        if not words:
            shown = "; ".join(f"{m.seed!r} -> {list(m.tokens)}" for m in matches)
            raise ConfigError(f"themes.{name}",
                              f"none of its seeds is in the vocabulary (after preprocessing: "
                              f"{shown})")
        theme = Theme(name, words, tuple(index[w] for w in words), matches)
        if theme.missing_seeds:
            log.warning("theme %s: seeds not in the vocabulary: %s", name,
                        ", ".join(theme.missing_seeds))
        resolved.append(theme)
    return ResolvedThemes(tuple(resolved), max(index.values(), default=-1) + 1)


# ---------------------------------------------------------------- post-hoc scores
def _matrix(name: str, value, *, cols: int) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != cols:
        raise ValueError(f"{name}: expected a 2-d array with {cols} columns, got shape {arr.shape}")
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError(f"{name}: expected finite non-negative values")
    return arr


def _labels(name: str, labels: Sequence | None, n: int) -> list:
    if labels is None:
        return list(range(n))
    labels = list(labels)
    if len(labels) != n:
        raise ValueError(f"{name}: expected {n} labels, got {len(labels)}")
    return labels


def topic_theme_affinity(topic_word, resolved: ResolvedThemes, *,
                         topic_names: Sequence[str] | None = None) -> pd.DataFrame:
    """K x themes: the probability mass of each theme's words in each topic.

    ``topic_word`` is K x V with rows summing to 1 (``ModelOutput.topic_word``).  The index is
    ``topic_names`` when given, else the topic numbers; it is named ``topic``.
    """
    phi = _matrix("topic_word", topic_word, cols=resolved.vocab_size)
    data = {t.name: phi[:, list(t.word_ids)].sum(axis=1) for t in resolved.themes}
    index = pd.Index(_labels("topic_names", topic_names, phi.shape[0]), name="topic")
    return pd.DataFrame(data, index=index)


def document_theme_scores(doc_topic, affinity: pd.DataFrame, *,
                          doc_ids: Sequence[str] | None = None,
                          scale: str = "lift") -> pd.DataFrame:
    """D x themes: each document's theme mass ``doc_topic @ affinity``, as lift or raw mass.

    ``scale="lift"`` (default) divides each theme column by its mean over the documents given,
    so 1.0 is the corpus average for that theme (a theme with zero mass everywhere scores 0);
    ``scale="mass"`` keeps the absolute probability mass.  See the module doc for why.
    """
    if scale not in SCALES:
        raise ConfigError("scale", f"expected one of {', '.join(SCALES)}, got {scale!r}")
    theta = _matrix("doc_topic", doc_topic, cols=len(affinity.index))
    index = pd.Index(_labels("doc_ids", doc_ids, theta.shape[0]), name="doc_id")
    mass = pd.DataFrame(theta @ affinity.to_numpy(dtype=float), index=index,
                        columns=pd.Index(affinity.columns, name="theme"))
    return lift(mass) if scale == "lift" else mass


def document_theme_counts(bow: Iterable[Iterable[tuple[int, float]]], resolved: ResolvedThemes, *,
                          doc_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """D x themes: the share of each document's tokens that are theme words, no model involved.

    ``bow`` holds one gensim bag of words ``[(word id, count), ...]`` per document.  This is
    the observed counterpart of ``document_theme_scores(..., scale="mass")``: put the two
    side by side (or take :func:`lift` of both) to see what the topics smoothed away.  An
    empty document scores 0.
    """
    member = {name: frozenset(ids) for name, ids in resolved.word_ids.items()}
    rows = []
    for doc in bow:
        counts = dict.fromkeys(member, 0.0)
        total = 0.0
        for word_id, count in doc:
            total += count
            for name, ids in member.items():
                if word_id in ids:
                    counts[name] += count
        rows.append([c / total if total else 0.0 for c in counts.values()])
    index = pd.Index(_labels("doc_ids", doc_ids, len(rows)), name="doc_id")
    return pd.DataFrame(np.array(rows, dtype=float).reshape(len(rows), len(member)), index=index,
                        columns=pd.Index(list(member), name="theme"))


def lift(mass: pd.DataFrame) -> pd.DataFrame:
    """Each theme column divided by its mean over the rows (0 where the mean is 0)."""
    values = mass.to_numpy(dtype=float)
    mean = values.mean(axis=0)
    out = np.divide(values, mean, out=np.zeros_like(values), where=mean > 0)
    return pd.DataFrame(out, index=mass.index, columns=mass.columns)


def theme_evidence(doc_topic, topic_word, resolved: ResolvedThemes, *,
                   doc_ids: Sequence[str] | None = None,
                   topic_names: Sequence[str] | None = None,
                   top_topics: int = 3, top_words: int = 5) -> pd.DataFrame:
    """What carried each document's theme score: its topics and their theme words.

    One row per (document, theme, topic) for the ``top_topics`` topics contributing most to
    the document's theme mass (``theta[d, k] * A[k, t]``, zero contributions left out), with
    columns ``doc_id, theme, topic, topic_weight`` (``theta[d, k]``), ``share`` (the topic's
    share of the document's theme mass) and ``words`` (the theme's ``top_words`` most probable
    words in that topic, as a tuple: the topic's words, which the document need not contain).
    For paragraph chunks pass the folded mixture (:func:`fold_chunks` of ``doc_topic``) to get
    the evidence per parent document.
    """
    for param, value in (("top_topics", top_topics), ("top_words", top_words)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(param, f"expected an integer >= 1, got {value!r}")
    phi = _matrix("topic_word", topic_word, cols=resolved.vocab_size)
    theta = _matrix("doc_topic", doc_topic, cols=phi.shape[0])
    docs = _labels("doc_ids", doc_ids, theta.shape[0])
    topics = _labels("topic_names", topic_names, phi.shape[0])
    rows = []
    for theme in resolved.themes:
        ids = np.array(theme.word_ids)
        sub = phi[:, ids]
        contrib = theta * sub.sum(axis=1)  # D x K
        for d, doc in enumerate(docs):
            total = contrib[d].sum()
            for k in np.argsort(-contrib[d], kind="stable")[:top_topics]:
                if contrib[d, k] <= 0:
                    break
                order = np.argsort(-sub[k], kind="stable")[:top_words]
                rows.append((doc, theme.name, topics[k], float(theta[d, k]),
                             float(contrib[d, k] / total),
                             tuple(theme.words[i] for i in order if sub[k, i] > 0)))
    return pd.DataFrame(rows, columns=["doc_id", "theme", "topic", "topic_weight", "share",
                                       "words"])


# ---------------------------------------------------------------- guided mode
def _positive(param: str, value) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value <= 0:
        raise ConfigError(param, f"expected a finite number > 0, got {value!r}")
    return float(value)


def guided_prior(resolved: ResolvedThemes, *, num_topics: int, vocab_size: int,
                 base: float = 0.01, boost: float = 100.0) -> tuple[np.ndarray, tuple[str, ...]]:
    """A K x V topic-word prior anchoring topic i to theme i, and the topic names.

    Every entry is ``base`` except theme i's words in topic i, which get ``base * boost``;
    the topics after the themes stay free (all ``base``) and are named ``topic_<k>``.  The
    engines pass the matrix as gensim's ``eta`` or, word by word (its columns), to tomotopy's
    ``set_word_prior``.  ``num_topics`` must be at least the number of themes.

    An anchored topic's weight in a document is not that theme's score: the topic also takes
    the words that co-occur with its seeds (a rare theme's topic fills up with others).  Read
    themes with the post-hoc scores, which count only theme words; on a guided model those
    include the boosted prior's pseudo-counts in the anchored topic.
    """
    if vocab_size != resolved.vocab_size:
        raise ConfigError("vocab_size", f"expected the themes' vocabulary size "
                                        f"{resolved.vocab_size}, got {vocab_size!r}")
    return guided_prior_from_ids(resolved.word_ids, num_topics=num_topics,
                                 vocab_size=vocab_size, base=base, boost=boost)


def guided_prior_from_ids(word_ids: Mapping[str, Sequence[int]], *, num_topics: int,
                          vocab_size: int, base: float = 0.01,
                          boost: float = 100.0) -> tuple[np.ndarray, tuple[str, ...]]:
    """:func:`guided_prior` from ``{theme name: word ids}`` (``ResolvedThemes.word_ids``),
    for workers that receive ids rather than the resolved themes."""
    if not isinstance(num_topics, int) or isinstance(num_topics, bool) or num_topics < len(
            word_ids):
        raise ConfigError("num_topics", f"expected an integer >= the number of themes "
                                        f"({len(word_ids)}), got {num_topics!r}")
    if not isinstance(vocab_size, int) or isinstance(vocab_size, bool) or vocab_size < 1:
        raise ConfigError("vocab_size", f"expected an integer >= 1, got {vocab_size!r}")
    base = _positive("base", base)
    if _positive("boost", boost) <= 1:
        raise ConfigError("boost", f"expected a multiplier > 1, got {boost!r}")
    prior = np.full((num_topics, vocab_size), base)
    for i, ids in enumerate(word_ids.values()):
        ids = list(ids)
        if ids and (min(ids) < 0 or max(ids) >= vocab_size):
            raise ConfigError("vocab_size", f"theme {i} has word ids outside 0..{vocab_size - 1}")
        prior[i, ids] = base * boost
    names = tuple(word_ids) + tuple(f"topic_{k}" for k in range(len(word_ids), num_topics))
    return prior, names


# ---------------------------------------------------------------- chunks
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
