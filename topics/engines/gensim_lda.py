"""The gensim engine: online variational Bayes LDA (``LdaModel``, ``LdaMulticore``).

Determinism: with ``workers=1`` (``LdaModel``) the same corpus, parameters and seed give
identical matrices, bitwise those of a plain ``LdaModel`` loop: a corpus held in memory is
trained with the E-step of :mod:`topics.engines.gensim_estep` (gensim's arithmetic, each
document's ids and counts converted once instead of on every pass).  ``LdaMulticore``
(``workers > 1``) merges its workers' updates in the order they finish, so its topics are
not guaranteed to repeat exactly.  Document-topic rows are computed after training by one
deterministic inference pass seeded with the run's seed.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any, Iterable, Sized

import numpy as np
from gensim.models import LdaModel, LdaMulticore

from topics.engines import gensim_estep
from topics.engines.base import normalise_rows

MODEL_FILE = "model.gensim"
#: The topics gensim's ``do_mstep`` prints (``print_topics(5)``): see ``_LeanLdaModel``.
_SHOWN_TOPICS = 5


class _LeanLdaModel(LdaModel):
    """``LdaModel`` whose M-step skips what gensim computes there only to log it: the
    previous ``Elogbeta`` and the mean topic change (two more K x V passes, digamma
    included) and the five topics printed.  Printing draws one jitter vector from the
    model's random state (``show_topics``), so that draw is kept: the random stream, and with
    it every matrix, is the one ``LdaModel`` gives (``tests/test_gensim_lean.py``).  The
    saving work grows with the vocabulary times the number of updates, so it is the part of
    training that grows faster than the corpus."""

    def do_mstep(self, rho, other, extra_pass=False):
        self.state.blend(rho, other)
        self.sync_state(self.state.get_Elogbeta())
        if _SHOWN_TOPICS < self.num_topics:  # show_topics' jitter: keep the random stream
            self.random_state.rand(len(self.alpha))
        if self.optimize_eta:
            self.update_eta(self.state.get_lambda(), rho)
        if not extra_pass:
            self.num_updates += other.numdocs


class _PreparedLdaModel(_LeanLdaModel):
    """``_LeanLdaModel`` whose E-step is :func:`topics.engines.gensim_estep.inference`
    (gensim's arithmetic on each document's ids and counts converted once)."""

    def inference(self, chunk, collect_sstats=False):
        return gensim_estep.inference(self, chunk, collect_sstats=collect_sstats)


def train(*, dictionary, corpus: Iterable, params: dict[str, Any],
          prior: np.ndarray | None) -> tuple[LdaModel, np.ndarray]:
    """Train a gensim model; return it and its K x V topic-word matrix (rows sum to 1)."""
    options = dict(
        corpus=corpus, num_topics=params["num_topics"], id2word=dictionary,
        alpha=params["alpha"], eta=params["eta"] if prior is None else prior,
        passes=params["passes"], iterations=params["iterations"],
        chunksize=params["chunksize"], random_state=params["seed"],
        eval_every=None,  # perplexity logging only: it costs time and draws random numbers
    )
    if params["workers"] > 1:
        model = LdaMulticore(workers=params["workers"], **options)
        return model, normalise_rows(model.get_topics())
    docs = gensim_estep.prepared(corpus)
    if docs is None:
        model = _LeanLdaModel(**options)
    else:
        model = _PreparedLdaModel(**{**options, "corpus": docs})
    model.__class__ = LdaModel  # saved and loaded as gensim's own class
    return model, normalise_rows(model.get_topics())


def doc_topics(model: LdaModel, corpus: Iterable, *, seed: int,
               chunksize: int = 2000) -> np.ndarray:
    """D x K document-topic rows by variational inference, deterministic for a seed.

    Inference runs on a shallow copy with its own random state, so the model is unchanged.
    Documents without words get the uniform row.
    """
    worker = copy.copy(model)
    worker.random_state = np.random.RandomState(seed)
    rows: list[np.ndarray] = []
    # a sized corpus (a list, MmCorpus) fills one array: no second D x K copy at the end
    out = np.empty((len(corpus), model.num_topics)) if isinstance(corpus, Sized) else None
    done = 0
    docs = gensim_estep.prepared(corpus)  # the training run's arrays, converted once
    iterator = iter(corpus if docs is None else docs)
    while chunk := list(itertools.islice(iterator, chunksize)):
        gamma, _ = (worker.inference(chunk) if docs is None else
                    gensim_estep.inference(worker, chunk))
        gamma = np.asarray(gamma, dtype=np.float64)
        empty = np.array([len(bow) == 0 for bow in chunk])
        gamma[empty] = 0.0
        if out is None:
            rows.append(normalise_rows(gamma))
        else:
            out[done:done + len(chunk)] = normalise_rows(gamma)
        done += len(chunk)
    if out is not None:
        return out[:done]
    if not rows:
        return np.zeros((0, model.num_topics))
    return np.vstack(rows)


def infer(model: LdaModel, documents: Iterable, *, seed: int,
          iterations: int | None) -> np.ndarray:
    """Topic rows for new bag-of-words documents (``iterations`` None: the model's own)."""
    if iterations is not None:
        model = copy.copy(model)
        model.iterations = iterations
    return doc_topics(model, documents, seed=seed)


def save(model: LdaModel, folder: Path) -> None:
    """Save the native model (gensim writes a few side files beside ``model.gensim``)."""
    model.save(str(folder / MODEL_FILE))


def load(folder: Path) -> LdaModel:
    return LdaModel.load(str(folder / MODEL_FILE))
