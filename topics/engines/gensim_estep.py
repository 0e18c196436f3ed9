"""gensim's E-step with each document's word ids and counts converted once per corpus.

gensim's ``LdaModel.inference`` turns every document's bag of words into a list of word ids
and an array of counts on every pass (and once more for the document-topic rows), and the
per-document update is a handful of small NumPy calls, so that conversion and the attribute
look-ups around it are a sizeable share of training time (14-17% on BBC).  Here
:func:`prepared` converts a corpus held in memory once per worker process, and
:func:`inference` runs gensim's update on those arrays: the same NumPy and Cython calls, in
the same order, on arrays of the same values and types.  Gamma, the sufficient statistics
and so the topics are bitwise gensim's own (``tests/test_gensim_estep.py`` trains both ways
and compares; ``bench/grid.py`` checks BBC's 12 runs against plain ``LdaModel``).

The copy follows ``LdaModel.inference`` of the gensim versions in ``CHECKED_VERSIONS``; any
other version, a corpus streamed from disk and ``LdaMulticore`` use gensim's own E-step.
"""

from __future__ import annotations

from typing import Any, Sequence

import gensim
import numpy as np
from gensim.models import LdaModel
from gensim.models import ldamodel as _ldamodel

CHECKED_VERSIONS = ("4.3", "4.4")
ENABLED = ".".join(gensim.__version__.split(".")[:2]) in CHECKED_VERSIONS

try:  # the 1-d kernel gensim's Cython ``dirichlet_expectation`` dispatches to
    from gensim._matutils import dirichlet_expectation_1d as _dirichlet_1d
except ImportError:  # pragma: no cover - a gensim without its Cython helpers
    _dirichlet_1d = _ldamodel.dirichlet_expectation


class PreparedDoc(list):
    """A bag of words (a list of ``(id, count)``) that also holds its word ids and counts as
    arrays, as gensim's ``inference`` would build them."""

    __slots__ = ("ids", "counts")


_LAST: list[tuple[Any, Any, list[PreparedDoc]]] = []  # the last corpus prepared


def prepared(corpus: Any, dtype: Any = np.float32) -> list[PreparedDoc] | None:
    """``corpus`` (a list of bags of words) as :class:`PreparedDoc`, converted once: the
    last corpus object prepared in this process is kept and returned again.  None when the
    fast E-step does not apply (another gensim version, a corpus that is not a list)."""
    if not ENABLED or not isinstance(corpus, list):
        return None
    if _LAST and _LAST[0][0] is corpus and _LAST[0][1] == dtype and len(_LAST[0][2]) == len(
            corpus):
        return _LAST[0][2]
    docs = []
    for bow in corpus:
        doc = PreparedDoc(bow)
        doc.ids = np.fromiter((int(i) for i, _ in bow), dtype=np.intp, count=len(bow))
        doc.counts = np.fromiter((c for _, c in bow), dtype=dtype, count=len(bow))
        docs.append(doc)
    _LAST[:] = [(corpus, dtype, docs)]
    return docs


def inference(model: LdaModel, chunk: Sequence, collect_sstats: bool = False):
    """``LdaModel.inference(chunk, collect_sstats)``, bitwise; prepared documents skip the
    per-pass conversion (any other chunk goes to gensim's own method)."""
    if not all(isinstance(doc, PreparedDoc) and doc.counts.dtype == model.dtype
               for doc in chunk):
        return LdaModel.inference(model, chunk, collect_sstats=collect_sstats)
    dtype = model.dtype
    gamma = model.random_state.gamma(100., 1. / 100., (len(chunk), model.num_topics)).astype(
        dtype, copy=False)
    exp_elog_theta = np.exp(_ldamodel.dirichlet_expectation(gamma))
    sstats = np.zeros_like(model.expElogbeta, dtype=dtype) if collect_sstats else None
    epsilon = np.finfo(dtype).eps
    alpha, exp_elog_beta = model.alpha, model.expElogbeta
    dot, exp, change = np.dot, np.exp, _ldamodel.mean_absolute_difference
    for d, doc in enumerate(chunk):
        ids, cts = doc.ids, doc.counts
        gammad = gamma[d, :]
        exp_theta_d = exp_elog_theta[d, :]
        beta_d = exp_elog_beta[:, ids]
        beta_d_t = beta_d.T
        phinorm = dot(exp_theta_d, beta_d) + epsilon
        for _ in range(model.iterations):
            last = gammad
            gammad = alpha + exp_theta_d * dot(cts / phinorm, beta_d_t)
            exp_theta_d = exp(_dirichlet_1d(gammad))
            phinorm = dot(exp_theta_d, beta_d) + epsilon
            if change(gammad, last) < model.gamma_threshold:
                break
        gamma[d, :] = gammad
        if collect_sstats:
            sstats[:, ids] += np.outer(exp_theta_d.T, cts / phinorm)
    if collect_sstats:
        sstats *= model.expElogbeta
    return gamma, sstats
