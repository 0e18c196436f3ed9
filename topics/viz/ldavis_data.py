"""The data of a pyLDAvis page, computed as ``pyLDAvis.prepare`` computes it, in NumPy.

:func:`prepared_data` returns the dictionary of ``pyLDAvis.prepare(...).to_dict()`` for
``sort_topics=False`` and ``start_index=1``, value for value (the test suite compares the
JSON of both, character for character, on models with tied relevances).  ``prepare`` ranks
every topic's words at each of its 101 relevance values with a pandas ``nlargest`` per topic
and builds one DataFrame per topic: about 1.5 CPU-seconds for a 20-topic model of 7,000
words, more than a gensim model of BBC takes to train.  Here each relevance value is one
``np.partition`` over the K x V matrix, and the tables are assembled as arrays: about 0.1 s.

Sums, logarithms and roundings are computed with the same pandas operations on the same
layouts as pyLDAvis 3.4 (numpy's summation order depends on the layout, and a relevance
ranking can turn on the last bit); only the rankings and the assembly are rewritten:

- a topic's words at one relevance value are its ``R`` largest, ties in word order
  (``Series.nlargest(R, keep="first")``), and the words listed for a topic are those of
  every relevance value, each once, in order of first appearance (``Series.unique``);
- the token table is sorted by word, then topic (pandas' stable sort).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

PLOT_OPTS = {"xlab": "PC1", "ylab": "PC2"}
ANCHORS = 11  # relevance values ranked over every word; the others over candidates only
MARGIN = 1e-9  # relative: far above the rounding of a relevance, far below its spread


def prepared_data(topic_word: np.ndarray, doc_topic: np.ndarray, doc_lengths: np.ndarray,
                  vocab: Sequence[str], *, R: int, lambda_step: float,
                  mds: Callable[[Any], np.ndarray]) -> dict[str, Any]:
    """``pyLDAvis.prepare(topic_word, doc_topic, doc_lengths, vocab, ..., R=R,
    lambda_step=lambda_step, mds=mds, sort_topics=False, start_index=1).to_dict()``, for
    checked inputs (rows of ``topic_word`` and ``doc_topic`` sum to 1; pyLDAvis recomputes
    the term frequencies from the model, so none are taken)."""
    ttd = pd.concat([pd.Series(row, dtype="float64") for row in topic_word], axis=1).T
    ttd = pd.DataFrame(ttd.values)  # as pyLDAvis' _df_with_names: the same memory layout
    ttd.index.name, ttd.columns.name = "topic", "term"
    dtd = pd.DataFrame(doc_topic)
    vocab_s = pd.Series(list(vocab), name="vocab")
    R = min(R, len(vocab_s))
    topic_freq = dtd.mul(pd.Series(doc_lengths, name="doc_length"), axis="index").sum()
    topic_proportion = topic_freq / topic_freq.sum()
    ttd = ttd.iloc[topic_proportion.index]  # pyLDAvis' reordering (here none) copies: the
    # layout decides numpy's summation order, hence the last bits of the sums below
    term_topic_freq = (ttd.T * topic_freq).T
    term_frequency = np.sum(term_topic_freq, axis=0)
    default = _default_terms(ttd, topic_proportion, term_frequency, vocab_s, R)
    term_proportion = term_frequency / term_frequency.sum()
    log_lift = np.log(pd.eval("ttd / term_proportion")).astype("float64").to_numpy()
    log_ttd = np.log(pd.eval("ttd")).astype("float64").to_numpy()
    lambdas = np.arange(0, 1 + lambda_step, lambda_step)
    terms = _top_terms(log_ttd, log_lift, R, lambdas)
    info = _topic_info(default, terms, term_topic_freq.to_numpy(), term_frequency.to_numpy(),
                       vocab_s.to_numpy(dtype=object), log_ttd, log_lift)
    term_ids = np.concatenate([default.index.to_numpy(), *terms])
    coords = mds(ttd)
    k = ttd.shape[0]
    return {
        "mdsDat": {"x": coords[:, 0].tolist(), "y": coords[:, 1].tolist(),
                   "topics": list(range(1, k + 1)), "cluster": [1] * k,
                   "Freq": (topic_proportion * 100).tolist()},
        "tinfo": info,
        "token.table": _token_table(term_ids, term_topic_freq.to_numpy(),
                                    term_frequency.to_numpy(), vocab_s.to_numpy(dtype=object)),
        "R": R, "lambda.step": lambda_step, "plot.opts": dict(PLOT_OPTS),
        "topic.order": list(range(1, k + 1)),
    }


def _default_terms(ttd: pd.DataFrame, topic_proportion: pd.Series, term_frequency: pd.Series,
                   vocab: pd.Series, R: int) -> pd.DataFrame:
    """The R most salient terms (the view with no topic selected), as pyLDAvis orders them
    (its unstable sort included: the same call on the same values)."""
    term_proportion = term_frequency / term_frequency.sum()
    tt_sum = ttd.sum()
    topic_given_term = pd.eval("ttd / tt_sum")
    log_1 = np.log(pd.eval("topic_given_term.T / topic_proportion"))
    kernel = pd.eval("topic_given_term * log_1.T")
    saliency = term_proportion * kernel.sum()
    table = pd.DataFrame({"saliency": saliency, "Term": vocab, "Freq": term_frequency,
                          "Total": term_frequency, "Category": "Default"})
    table = table.sort_values(by="saliency", ascending=False).head(R).drop("saliency", axis=1)
    table["Freq"] = np.floor(table["Freq"])
    table["Total"] = np.floor(table["Total"])
    table["logprob"] = table["loglift"] = np.arange(R, 0, -1)
    return table


def _top_terms(log_ttd: np.ndarray, log_lift: np.ndarray, R: int,
               lambdas: np.ndarray) -> list[np.ndarray]:
    """Per topic, its R most relevant words at each relevance value in turn, each word once,
    in order of first appearance."""
    k, n = log_ttd.shape[0], len(lambdas)
    relevance = lambda i, cols=slice(None): (  # noqa: E731 - pyLDAvis' formula, op for op
        lambdas[i] * log_ttd[:, cols] + (1 - lambdas[i]) * log_lift[:, cols])
    ranked = np.empty((k, n, R), dtype=np.int64)
    anchors = np.unique(np.linspace(0, n - 1, min(n, ANCHORS)).round().astype(int))
    full = {i: relevance(i) for i in anchors}
    for i in anchors:
        ranked[:, i] = _nlargest_rows(full[i], R)
    for i, j in zip(anchors[:-1], anchors[1:]):
        if j - i < 2:
            continue
        cols = _candidates(full[i], full[j], ranked[:, i], ranked[:, j])
        for g in range(i + 1, j):
            ranked[:, g] = cols[_nlargest_rows(relevance(g, cols), R, sort=True)]
    out = []
    for row in ranked.reshape(k, n * R):
        _, first = np.unique(row, return_index=True)
        out.append(row[np.sort(first)])
    return out


def _candidates(rel_i: np.ndarray, rel_j: np.ndarray, top_i: np.ndarray,
                top_j: np.ndarray) -> np.ndarray:
    """The words (columns, ascending) that may be among a topic's R most relevant at a
    relevance value between two anchors i < j whose rankings are known.

    Relevance is linear in lambda, so the R-th largest value is at least the smallest
    relevance of the anchor's R words, a minimum of linear functions, hence concave and
    above its chord: above the line from ``t_i`` (the R-th value at i) to the smallest value
    of i's words at j, and above the line from the smallest value of j's words at i to
    ``t_j``.  A word above both lines somewhere in between is above each at i or at j.  The
    test is loosened by a margin far above rounding, so only more words are kept."""
    rows = np.arange(rel_i.shape[0])[:, None]
    t_i, t_j = rel_i[rows, top_i[:, -1:]], rel_j[rows, top_j[:, -1:]]
    m_ij = rel_j[rows, top_i].min(axis=1, keepdims=True)
    m_ji = rel_i[rows, top_j].min(axis=1, keepdims=True)
    slack = lambda x: x - MARGIN * (1.0 + np.abs(x))  # noqa: E731
    above_i = (rel_i >= slack(t_i)) | (rel_j >= slack(m_ij))
    above_j = (rel_i >= slack(m_ji)) | (rel_j >= slack(t_j))
    return np.flatnonzero((above_i & above_j).any(axis=0))


def _nlargest_rows(values: np.ndarray, n: int, *, sort: bool = False) -> np.ndarray:
    """Each row's ``n`` largest entries' columns, largest first, ties in column order (as
    pandas' ``nlargest(n, keep="first")``: the smallest of the negated values, stably).
    ``sort``: find each row's n-th value by sorting (faster on the few candidate columns,
    and than ``np.partition`` on rows of few distinct values)."""
    neg = -values
    k, v = neg.shape
    if n >= v:
        return np.argsort(neg, axis=1, kind="stable")[:, :n]
    kth = (np.sort(neg, axis=1) if sort else np.partition(neg, n - 1, axis=1))[:, n - 1:n]
    rows, cols = np.nonzero(neg < kth)  # fewer than n per row: sorted by value
    order = np.lexsort((cols, neg[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    tie_rows, tie_cols = np.nonzero(neg == kth)  # then the ties at the n-th, in column order
    wanted = n - np.bincount(rows, minlength=k)
    rank = np.arange(len(tie_rows)) - np.searchsorted(tie_rows, tie_rows)
    keep = rank < wanted[tie_rows]
    rows = np.concatenate([rows, tie_rows[keep]])
    cols = np.concatenate([cols, tie_cols[keep]])
    return cols[np.argsort(rows, kind="stable")].reshape(k, n)


def _topic_info(default: pd.DataFrame, terms: list[np.ndarray], term_topic_freq: np.ndarray,
                term_frequency: np.ndarray, vocab: np.ndarray, log_ttd: np.ndarray,
                log_lift: np.ndarray) -> dict[str, list]:
    """The ``tinfo`` columns: the default terms, then every topic's listed terms."""
    topic = np.repeat(np.arange(len(terms)), [len(t) for t in terms])
    word = np.concatenate(terms)
    freq = np.concatenate([default["Freq"].to_numpy(dtype="float64"),
                           term_topic_freq[topic, word]])
    total = np.concatenate([default["Total"].to_numpy(dtype="float64"), term_frequency[word]])
    logprob = np.concatenate([default["logprob"].to_numpy(dtype="float64"),
                              np.round(log_ttd[topic, word], 4)])
    loglift = np.concatenate([default["loglift"].to_numpy(dtype="float64"),
                              np.round(log_lift[topic, word], 4)])
    category = list(default["Category"]) + [f"Topic{t + 1}" for t in topic.tolist()]
    return {"Term": list(default["Term"]) + vocab[word].tolist(), "Freq": freq.tolist(),
            "Total": total.tolist(), "Category": category, "logprob": logprob.tolist(),
            "loglift": loglift.tolist()}


def _token_table(term_ids: np.ndarray, term_topic_freq: np.ndarray,
                 term_frequency: np.ndarray, vocab: np.ndarray) -> dict[str, list]:
    """For every word listed anywhere, its share of tokens per topic (where the topic has at
    least half a token of it), rows sorted by word, then topic."""
    terms = np.unique(term_ids)
    freq = term_topic_freq[:, terms].T  # words x topics, word-major as pandas' unstack
    word, topic = np.nonzero(freq >= 0.5)
    values = np.round(freq[word, topic]) / term_frequency[terms[word]]
    names = vocab[terms[word]].tolist()
    order = sorted(range(len(names)), key=lambda i: (names[i], topic[i]))
    return {"Topic": (topic[order] + 1).tolist(), "Freq": values[order].tolist(),
            "Term": [names[i] for i in order]}
