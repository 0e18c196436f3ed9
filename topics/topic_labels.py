"""Automatic topic labels: n-gram candidates ranked by how well they mark each topic's
documents.

Like tomotopy's ``label`` module, candidates are PMI-ranked n-grams; the ranking differs,
and works for every engine (tomotopy's labeler needs a tomotopy model holding its training
documents, which gensim and nmf runs do not have):

1. Candidates: the vocabulary's phrases (``regime_change``) and the word pairs and triples
   that follow each other in the documents, found in at least ``min_df`` documents, ranked
   by pointwise mutual information of their words (``log c(ab) N / (c(a) c(b))``, token
   counts; a triple by its two pairs' mean); the best ``max_candidates`` of them, plus the
   topics' ``top_words`` most probable words.
2. Score of candidate ``l`` for topic ``k``: ``p(l|k) log(p(l|k) / p(l))``, where ``p(l)``
   is the share of documents holding ``l`` and ``p(l|k)`` that share weighted by the
   documents' weight of topic ``k`` (``sum_d theta_dk [l in d] / sum_d theta_dk``): a
   label must be frequent in the topic's documents and rarer elsewhere.
3. Each topic is named by its best ``parts`` candidates that share no word (``law, court``;
   phrases written with spaces); no two topics get the same first candidate (topics in
   order of their best score).

Measured on BBC (tomotopy, K=10, 300 sweeps): the labels were ``law, court``-like pairs of
the topic's own vocabulary; tomotopy's ``FoRelevance`` over ``PMIExtractor`` candidates
gave labels such as ``law law law``, ``without without without`` and ``athlete`` for the
music topic (see the README, Topic names, for the comparison).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse

from topics.errors import ConfigError


def _grams(ids: np.ndarray, doc: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray,
                                                                np.ndarray]:
    """The n-grams of ``n`` different words within one document (rows of word ids, sorted),
    the number of times each occurs and the number of documents holding it."""
    cols = [ids[i:len(ids) - n + 1 + i] for i in range(n)]
    keep = doc[:len(doc) - n + 1] == doc[n - 1:]
    for i in range(n):
        for j in range(i + 1, n):
            keep &= cols[i] != cols[j]
    cols, docs = [c[keep] for c in cols], doc[:len(doc) - n + 1][keep]
    order = np.lexsort((docs, *cols[::-1]))
    cols, docs = [c[order] for c in cols], docs[order]
    first = np.ones(len(docs), dtype=bool)
    for c in cols:
        first[1:] &= c[1:] == c[:-1]
    first = ~first
    first[:1] = True  # a new n-gram starts here
    new_doc = first.copy()
    new_doc[1:] |= docs[1:] != docs[:-1]
    starts = np.flatnonzero(first)
    count = np.diff(np.append(starts, len(docs)))
    df = np.add.reduceat(new_doc.astype(np.int64), starts) if len(starts) else count
    return np.stack([c[starts] for c in cols], axis=1), count, df


def _token_ids(texts: Iterable[Sequence[str]],
               index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, int]:
    """Every token of every document as its word id (-1: not a vocabulary word), the
    document of each token, and the number of documents."""
    per_doc = [[index.get(t, -1) for t in tokens] for tokens in texts]
    lengths = np.fromiter(map(len, per_doc), dtype=np.int64, count=len(per_doc))
    ids = np.fromiter(itertools.chain.from_iterable(per_doc), dtype=np.int64,
                      count=int(lengths.sum()))
    return ids, np.repeat(np.arange(len(per_doc), dtype=np.int64), lengths), len(per_doc)


def _candidates(all_ids: np.ndarray, all_doc: np.ndarray, words: list[str], *, min_df: int,
                max_candidates: int) -> list[tuple[str, ...]]:
    """Phrases of the vocabulary and frequent, cohesive word pairs and triples (counted with
    NumPy over word ids, the other tokens left out; the scores are computed in Python)."""
    known = all_ids >= 0
    ids, doc = all_ids[known], all_doc[known]
    unigrams = np.bincount(ids, minlength=len(words)).tolist()
    total = max(1, len(ids))
    pairs, pair_count, pair_df = _grams(ids, doc, 2)
    pair_key = pairs[:, 0] * len(words) + pairs[:, 1]  # sorted: pairs are in sorted order

    def pmi(a: int, b: int) -> float:
        pair = int(pair_count[np.searchsorted(pair_key, a * len(words) + b)])
        return math.log(pair * total / (unigrams[a] * unigrams[b]))

    scored = []
    triples, _, triple_df = _grams(ids, doc, 3)
    for rows, df in ((pairs, pair_df), (triples, triple_df)):
        for gram in rows[df >= min_df].tolist():
            value = (pmi(*gram) if len(gram) == 2 else
                     (pmi(gram[0], gram[1]) + pmi(gram[1], gram[2])) / 2)
            if value > 0:
                scored.append((value, tuple(words[i] for i in gram)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    phrases = [(w,) for i, w in enumerate(words) if "_" in w and unigrams[i] >= min_df]
    return phrases + [gram for _, gram in scored[:max_candidates]]


def _held_pairs(ids: np.ndarray, doc: np.ndarray, grams: np.ndarray,
                columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(document, column) of every occurrence of an n-gram of ``grams`` (rows of word ids,
    all of length n) as consecutive tokens of one document; ``columns`` are their columns."""
    n = grams.shape[1]
    used, compact = np.unique(grams, return_inverse=True)  # small ids: keys fit in int64
    compact = compact.reshape(grams.shape)
    width = len(used) + 1
    token = np.full(len(ids), -1, dtype=np.int64)
    known = ids >= 0
    where = np.searchsorted(used, ids[known])
    hit = where < len(used)
    hit[hit] = used[where[hit]] == ids[known][hit]
    token[np.flatnonzero(known)[hit]] = where[hit]
    starts = len(ids) - n + 1
    if starts <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ok = doc[:starts] == doc[n - 1:]
    key = np.zeros(starts, dtype=np.int64)
    for j in range(n):
        part = token[j:j + starts]
        ok &= part >= 0
        key = key * width + part
    item_key = np.zeros(len(grams), dtype=np.int64)
    for j in range(n):
        item_key = item_key * width + compact[:, j]
    order = np.argsort(item_key, kind="stable")
    item_key = item_key[order]
    found = np.minimum(np.searchsorted(item_key, key), len(item_key) - 1)
    ok &= item_key[found] == key
    return doc[:starts][ok], columns[order][found[ok]]


def _doc_matrix(ids: np.ndarray, doc: np.ndarray, n_docs: int, index: dict[str, int],
                items: list[tuple[str, ...]]) -> sparse.csc_matrix:
    """Documents x items, 1 where the document holds the item (a word or an n-gram) as
    consecutive tokens; ``ids``/``doc``: every token's word id and document."""
    rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    by_length: dict[int, list[int]] = {}
    for c, item in enumerate(items):
        if all(word in index for word in item):  # other items are in no document
            by_length.setdefault(len(item), []).append(c)
    for n, columns in sorted(by_length.items()):
        grams = np.array([[index[w] for w in items[c]] for c in columns], dtype=np.int64)
        held_docs, held_cols = _held_pairs(ids, doc, grams.reshape(len(columns), n),
                                           np.asarray(columns, dtype=np.int64))
        rows.append(held_docs)
        cols.append(held_cols)
    width = max(1, len(items))
    pairs = np.sort(np.concatenate(rows) * width + np.concatenate(cols))
    pairs = pairs[np.append(True, pairs[1:] != pairs[:-1])] if len(pairs) else pairs
    return sparse.csc_matrix((np.ones(len(pairs)), (pairs // width, pairs % width)),
                             shape=(n_docs, len(items)))


@dataclass(frozen=True)
class LabelCandidates:
    """The candidates of one corpus: n-grams (tuples of tokens; every vocabulary word is a
    one-word candidate) and which documents hold each (documents x candidates, 0/1)."""

    items: tuple[tuple[str, ...], ...]
    held: sparse.csr_matrix
    is_word: np.ndarray  # True for one-word candidates that are not phrases


def label_candidates(texts: Iterable[Sequence[str]], vocab: Sequence[str], *,
                     min_df: int | None = None,
                     max_candidates: int = 2000) -> LabelCandidates:
    """Candidates for :func:`topic_labels`, built once per corpus (the slow part: one pass
    over the token lists).  ``min_df`` None: 0.2% of the documents, at least 3 (2 below 200
    documents)."""
    words = sorted(set(vocab))
    index = {w: i for i, w in enumerate(words)}
    ids, doc, n_docs = _token_ids(texts, index)
    if min_df is None:
        min_df = 2 if n_docs < 200 else max(3, n_docs // 500)
    grams = _candidates(ids, doc, words, min_df=min_df, max_candidates=max_candidates)
    items = list(dict.fromkeys(grams + [(w,) for w in vocab]))
    is_word = np.array([len(item) == 1 and "_" not in item[0] for item in items])
    return LabelCandidates(items=tuple(items),
                           held=_doc_matrix(ids, doc, n_docs, index, items).tocsr(),
                           is_word=is_word)


def topic_labels(topic_word: np.ndarray, doc_topic: np.ndarray, vocab: Sequence[str], *,
                 candidates: LabelCandidates, rows: Sequence[int] | None = None,
                 top_words: int = 30, parts: int = 2) -> list[str]:
    """One label per topic (see the module docstring): its ``parts`` best candidates.
    ``rows`` are the candidates' document rows of the ``doc_topic`` rows (None: all, in
    order); single words compete only among each topic's ``top_words`` most probable."""
    phi = np.asarray(topic_word, dtype=np.float64)
    theta = np.asarray(doc_topic, dtype=np.float64)
    held = candidates.held if rows is None else candidates.held[list(rows)]
    if phi.ndim != 2 or phi.shape[1] != len(vocab) or phi.shape[0] == 0:
        raise ConfigError("topic_word", f"expected K x {len(vocab)}, got shape {phi.shape}")
    if theta.shape != (held.shape[0], phi.shape[0]):
        raise ConfigError("doc_topic", f"expected {held.shape[0]} x {phi.shape[0]} (documents "
                                       f"x topics), got shape {theta.shape}")
    top = {vocab[int(i)] for row in phi for i in np.argsort(-row, kind="stable")[:top_words]}
    allowed = ~candidates.is_word | np.array([item[0] in top for item in candidates.items])
    share = np.asarray(held.mean(axis=0)).ravel()  # p(l)
    mass = np.maximum(theta.sum(axis=0), 1e-12)
    coverage = np.asarray(held.T @ theta).T / mass[:, None]  # K x C: p(l | k)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = coverage * np.log(coverage / share[None, :])
    ok = allowed[None, :] & (share[None, :] > 0) & (coverage > 0)
    return _assign(np.where(ok, score, -np.inf), list(candidates.items), parts)


def _assign(score: np.ndarray, candidates: list[tuple[str, ...]], parts: int) -> list[str]:
    """Each topic's best ``parts`` candidates sharing no word, joined with ", "; a topic's
    first candidate is never another topic's first (topics in order of their best score)."""
    labels: list[str] = [f"topic {k}" for k in range(score.shape[0])]
    taken: set[int] = set()
    for k in np.argsort(-score.max(axis=1), kind="stable"):
        chosen: list[int] = []
        words: set[str] = set()
        for c in np.argsort(-score[k], kind="stable"):
            c = int(c)
            if not np.isfinite(score[k, c]) or len(chosen) == parts:
                break
            gram_words = {w for part in candidates[c] for w in part.split("_")}
            if (not chosen and c in taken) or gram_words & words:
                continue
            chosen.append(c)
            words |= gram_words
        if chosen:
            taken.add(chosen[0])
            labels[k] = ", ".join(" ".join(candidates[c]).replace("_", " ") for c in chosen)
    return labels
