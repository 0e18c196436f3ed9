"""Held-out log-likelihood of test documents under a trained model, for perplexity.

:func:`held_out_bound` returns ``(log_likelihood, num_tokens)`` for bag-of-words documents
over the training dictionary; ``topics.scoring.perplexity(log_likelihood=...,
num_tokens=...)`` turns it into ``exp(-log_likelihood / num_tokens)``.  Natural logarithms.

What the number is, per engine:

* **gensim** - the variational lower bound on ``log p(w_d)`` of each held-out document,
  summed: ``E_q[log p(w_d | theta, beta)] + E_q[log p(theta | alpha)] - E_q[log q(theta)]``
  with ``q(theta) = Dirichlet(gamma_d)`` fitted by gensim's own ``inference`` and
  ``E[log beta]`` from the trained ``lambda`` (the document terms of ``LdaModel.bound``).
  ``LdaModel.log_perplexity(chunk)`` divides ``bound(chunk)`` by the chunk's tokens, and
  ``bound`` also adds, once per call, the topic-word term ``E_q[log p(beta | eta)] -
  E_q[log q(beta)]``; that term belongs to the model, not to the held-out documents, so
  including it makes the per-word value depend on how many test tokens there are (on a
  270-token test set of a tiny corpus it raised the perplexity from 13 to 19).  It is left
  out here: the result is ``bound(docs) - bound([])``, both computed by gensim.  Every
  token of a dictionary word counts, including words the training corpus never used (they
  have only their prior mass).  Repeatable: gamma starts from a random state seeded with
  the run's seed, on a shallow copy, so the model's own random state is not touched.
* **tomotopy** - a Gibbs-sampled joint log-likelihood: each held-out document is sampled
  on its own (``infer(..., together=False)``) against the trained topic-word counts, and
  tomotopy returns ``log p(w_d, z_d)`` for the final sample ``z_d`` (the change in the
  collapsed topic-word likelihood plus the collapsed doc-topic likelihood; see tomotopy's
  ``LDAModel::_infer`` and issue bab2min/tomotopy#111 for ll / word count).  It is
  a single-sample value, not an estimate of the marginal ``log p(w_d)``.  Words the
  trained model never saw (dictionary words absent from the training corpus) are dropped
  by tomotopy and not counted; a document left without words contributes 0 and 0 tokens.
  Repeatable: tomotopy's inference uses a fixed, default-seeded generator per document and
  runs here on one thread.  ``together=True`` is not used: it samples all held-out
  documents into one shared state, so they influence each other.

The two numbers are different quantities (a variational bound vs a sampled joint
likelihood, over slightly different token sets), so the perplexities of the two engines are
not strictly comparable; compare runs of the same engine.
"""

from __future__ import annotations

import copy
import itertools
from typing import Iterable, Iterator

import numpy as np
import tomotopy as tp

from topics.engines.base import ModelOutput, bow_words
from topics.engines.params import check_int
from topics.engines.tomotopy_lda import DEFAULT_INFER_ITERATIONS
from topics.errors import ConfigError

_CHUNK = 2000
#: The engines with a held-out likelihood (nmf has none; the tomotopy families are not
#: wired here).
PERPLEXITY_ENGINES = ("gensim", "tomotopy")


def held_out_bound(output: ModelOutput, documents: Iterable, *,
                   iterations: int | None = None) -> tuple[float, int]:
    """Total natural-log likelihood (bound) of held-out documents and their token count.

    ``documents`` are gensim bag-of-words lists over the training dictionary (whole-number
    counts).  Returns ``(log_likelihood, num_tokens)``; ``(0.0, 0)`` when there is no token
    to score, which ``perplexity`` rejects, so check ``num_tokens`` first.  ``iterations``
    None uses the engine's default (gensim: the model's ``iterations`` per document;
    tomotopy: 100 sampling sweeps).  Raises InputError for a word id outside the dictionary
    or a count that is not a whole number, ConfigError for a model without its native
    engine object (loaded with ``native=False``).  See the module docstring for what the
    number is for each engine.
    """
    if output.engine not in PERPLEXITY_ENGINES:
        raise ConfigError("engine", f"{output.engine!r} has no held-out likelihood; "
                                    f"perplexity needs one of {list(PERPLEXITY_ENGINES)}")
    if output.native is None:
        raise ConfigError("output", "has no native model to compute a held-out bound with")
    if iterations is not None:
        iterations = check_int("iterations", iterations, low=1)
    chunks = _checked_chunks(documents, output.vocab)
    if output.engine == "gensim":
        return _gensim_bound(output, chunks, iterations=iterations)
    return _tomotopy_log_likelihood(output, chunks, iterations=iterations)


def _checked_chunks(documents: Iterable, vocab: tuple[str, ...]
                    ) -> Iterator[list[tuple[list, list[str]]]]:
    """Chunks of (bag-of-words, words); bow_words raises InputError on a bad id or count."""
    rows = ((list(bow), bow_words(bow, vocab, row=row))
            for row, bow in enumerate(documents))
    while chunk := list(itertools.islice(rows, _CHUNK)):
        yield chunk


def _gensim_bound(output: ModelOutput, chunks: Iterator, *,
                  iterations: int | None) -> tuple[float, int]:
    worker = copy.copy(output.native)  # own random state; the saved model is untouched
    worker.random_state = np.random.RandomState(output.params["seed"])
    if iterations is not None:
        worker.iterations = iterations
    model_term = float(worker.bound([]))  # the topic-word term alone
    total, tokens = 0.0, 0
    for chunk in chunks:
        bows = [bow for bow, _ in chunk]
        gamma, _ = worker.inference(bows)
        # bound() indexes gamma[d] and expects inference([doc])'s (1, K) shape per document
        total += float(worker.bound(bows, gamma=gamma[:, np.newaxis, :])) - model_term
        tokens += sum(len(words) for _, words in chunk)
    return total, tokens


def _tomotopy_log_likelihood(output: ModelOutput, chunks: Iterator, *,
                             iterations: int | None) -> tuple[float, int]:
    model = output.native
    known = set(model.used_vocabs)
    total, tokens = 0.0, 0
    for chunk in chunks:
        docs = []
        for _, words in chunk:
            kept = [word for word in words if word in known]
            if kept:
                docs.append(model.make_doc(kept))
                tokens += len(kept)
        if docs:
            _, log_likelihoods = model.infer(
                docs, iterations=iterations or DEFAULT_INFER_ITERATIONS, workers=1,
                parallel=tp.ParallelScheme.NONE, together=False)
            total += float(np.sum(log_likelihoods))
    return total, tokens
