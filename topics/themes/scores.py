"""Document theme scores: topic-theme affinity, model mass, observed counts, the theme rate.

**What a score means.**  A document's *theme rate* is the share of its tokens that are the
theme's words, estimated from two sources of evidence:

* the document's own use of the theme's words, ``n[d, t]`` of its ``N[d]`` tokens, and
* the topic model's prediction ``M[d, t] = sum_k theta[d, k] * A[k, t]``, where the topic's
  *affinity* ``A[k, t] = sum_{w in t} phi[k, w]`` is the probability mass of the theme's
  words in topic ``k``: the probability that a word drawn from the document's fitted mixture
  is a theme word.

``rate[d, t] = (n[d, t] + s * M[d, t]) / (N[d] + s)``: the observed share, smoothed toward the
model's prediction with the weight of ``s`` tokens (``smoothing``, default
:data:`SMOOTHING`).  This is the posterior mean of the rate under a Beta prior centred on the
model (strength ``s``), i.e. the Dirichlet-smoothed document model of information retrieval
with the document's own topic mixture as background (Wei and Croft 2006).  So a long document
is scored mostly by what it says; a short one borrows from its topics; two themes whose words
share a topic get different scores as soon as the documents use their words differently
(the topic-level mass alone cannot tell them apart).  A document that never uses a theme's
words gets only the model's part, ``s * M / (N + s)``, and the evidence
(:func:`theme_evidence`) says so (``in the document: none``, model share 100%).

The reported *score* is the *lift* of the rate, ``rate[d, t] / mean_d rate[d, t]``: 1.0 is the
corpus average for that theme, 2.0 twice it, so themes with many or frequent words are not
favoured for that alone and lifts of different themes are comparable.  ``scale="mass"`` of
:func:`document_theme_scores` keeps the model-only mass, :func:`document_theme_counts` the
observed share with no model.

Paragraph chunks: fold counts, lengths and masses into the parent documents first
(:func:`~topics.themes.chunks.fold_chunks` for masses, sums for counts and lengths), then
take rates and lifts over the parents, so 1.0 is the average *document*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from topics.errors import ConfigError
from topics.themes.lexicon import ResolvedThemes

SCALES = ("lift", "mass")
SMOOTHING = 50.0


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
                          doc_ids: Sequence[str] | None = None,
                          share: bool = True) -> pd.DataFrame:
    """D x themes: the share of each document's tokens that are theme words, no model involved
    (with ``share=False`` the plain counts of theme tokens).

    ``bow`` holds one gensim bag of words ``[(word id, count), ...]`` per document.  This is
    the observed counterpart of ``document_theme_scores(..., scale="mass")``: put the two
    side by side (or take :func:`lift` of both) to see what the topics smoothed away.  An
    empty document scores 0.
    """
    names = list(resolved.word_ids)
    owners = _owners(resolved)
    rows = []
    for doc in bow:
        counts = [0.0] * len(names)
        total = 0.0
        for word_id, count in doc:
            total += count
            for t in owners.get(word_id, ()):
                counts[t] += count
        rows.append([c / total if total else 0.0 for c in counts] if share else counts)
    index = pd.Index(_labels("doc_ids", doc_ids, len(rows)), name="doc_id")
    return pd.DataFrame(np.array(rows, dtype=float).reshape(len(rows), len(names)), index=index,
                        columns=pd.Index(names, name="theme"))


def _owners(resolved: ResolvedThemes) -> dict[int, tuple[int, ...]]:
    """Word id -> the positions of the themes holding it (each theme once), so that a
    document's tokens are looked up once, not once per theme."""
    owners: dict[int, list[int]] = {}
    for t, ids in enumerate(resolved.word_ids.values()):
        for word_id in dict.fromkeys(ids):
            owners.setdefault(word_id, []).append(t)
    return {word_id: tuple(ts) for word_id, ts in owners.items()}


def theme_rates(counts: pd.DataFrame, lengths, mass: pd.DataFrame, *,
                smoothing: float = SMOOTHING) -> pd.DataFrame:
    """D x themes: ``(counts + smoothing * mass) / (lengths + smoothing)`` (see the module doc).

    ``counts`` holds the theme tokens per document (``document_theme_counts(..., share=False)``),
    ``lengths`` the documents' token counts (aligned with its rows), ``mass`` the model's
    theme mass (``document_theme_scores(..., scale="mass")``) with the same rows and columns.
    """
    n, length, m = _rate_inputs(counts, lengths, mass, smoothing)
    rates = (n + smoothing * m) / (length + smoothing)[:, None]
    return pd.DataFrame(rates, index=counts.index, columns=counts.columns)


def rate_posterior(counts: pd.DataFrame, lengths, mass: pd.DataFrame, *,
                   smoothing: float = SMOOTHING) -> tuple[np.ndarray, np.ndarray]:
    """The Beta posterior ``(a, b)`` of each rate (D x themes arrays): a prior centred on the
    model's mass with the weight of ``smoothing`` tokens, updated with the observed counts.
    Its mean is :func:`theme_rates`.  Tokens are treated as independent draws, so the spread
    is a lower bound (words come in bursts)."""
    n, length, m = _rate_inputs(counts, lengths, mass, smoothing)
    a = n + smoothing * m
    b = (length[:, None] - n) + smoothing * (1.0 - m)
    return np.maximum(a, 1e-9), np.maximum(b, 1e-9)


def _rate_inputs(counts, lengths, mass, smoothing):
    if not isinstance(smoothing, (int, float)) or isinstance(smoothing, bool) or not (
            np.isfinite(smoothing) and smoothing > 0):
        raise ConfigError("smoothing", f"expected a finite number > 0, got {smoothing!r}")
    n = _matrix("counts", counts, cols=counts.shape[1])
    m = _matrix("mass", mass, cols=n.shape[1])
    length = np.asarray(lengths, dtype=float).reshape(-1)
    if m.shape != n.shape or length.shape != (n.shape[0],):
        raise ValueError(f"counts {n.shape}, mass {m.shape} and lengths {length.shape} "
                         "do not align")
    if (n > length[:, None] + 1e-9).any() or (m > 1 + 1e-9).any():
        raise ValueError("counts: more theme tokens than document tokens, or mass above 1")
    return n, length, np.minimum(m, 1.0)


def lift(mass: pd.DataFrame) -> pd.DataFrame:
    """Each theme column divided by its mean over the rows (0 where the mean is 0)."""
    values = mass.to_numpy(dtype=float)
    mean = values.mean(axis=0)
    out = np.divide(values, mean, out=np.zeros_like(values), where=mean > 0)
    return pd.DataFrame(out, index=mass.index, columns=mass.columns)


def document_theme_words(bow: Iterable[Iterable[tuple[int, float]]], resolved: ResolvedThemes, *,
                         doc_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The theme words each document uses, with their counts: one row per (document, theme)
    with ``doc_id, theme, count`` and ``words`` (a tuple of ``(word, count)``, most frequent
    first).  Documents that use none of a theme's words get no row for it."""
    themes = [dict(zip(t.word_ids, t.words)) for t in resolved.themes]
    rank = [{i: r for r, i in enumerate(words)} for words in themes]  # ties keep lexicon order
    owners = _owners(resolved)
    rows = []
    for doc, counts in zip(_labels("doc_ids", doc_ids, len(bow)) if doc_ids is not None
                           else range(len(bow)), bow):
        hits: dict[int, dict[int, int]] = {}
        for word_id, count in counts:
            if count:
                for t in owners.get(word_id, ()):
                    hits.setdefault(t, {})[word_id] = int(count)
        for t in sorted(hits):
            used = sorted(hits[t].items(), key=lambda p: (-p[1], rank[t][p[0]]))
            words = tuple((themes[t][i], c) for i, c in used)
            rows.append((doc, resolved.themes[t].name, sum(c for _, c in words), words))
    return pd.DataFrame(rows, columns=["doc_id", "theme", "count", "words"])


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


