"""``train`` and ``infer``: one interface over every engine (gensim and tomotopy LDA,
scikit-learn NMF, the Dirichlet-multinomial mixture ``dmm``, the tomotopy families HDP, CTM,
PT, DMR and DTM)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from topics.engines import dmm, gensim_lda, sklearn_nmf, tomotopy_families, tomotopy_lda
from topics.engines.base import ModelOutput, corpus_counts, training_counts
from topics.engines.params import PRIOR_RANGE, check_int, resolve_params

LDA_ENGINES = ("gensim", "tomotopy")
#: The engines that take a guided topic-word prior.
GUIDED_ENGINES = ("gensim", "tomotopy", "dmm")
from topics.errors import ConfigError


def dictionary_vocab(dictionary) -> tuple[str, ...]:
    """The word of each id of a gensim ``Dictionary``; its ids must be 0..V-1."""
    vocab = tuple(dictionary.get(i) for i in range(len(dictionary)))
    if any(word is None for word in vocab):
        raise ConfigError("dictionary", "ids must run from 0 to len(dictionary) - 1 "
                                        "(call compactify() after filtering)")
    return vocab


def _check_prior(prior: Any, num_topics: int, num_terms: int) -> np.ndarray | None:
    if prior is None:
        return None
    matrix = np.asarray(prior, dtype=np.float64)
    if matrix.shape != (num_topics, num_terms):
        raise ConfigError("prior", f"must be a num_topics x vocabulary matrix "
                                   f"({num_topics} x {num_terms}), got shape {matrix.shape}")
    low, high = PRIOR_RANGE
    bad = matrix[~((matrix >= low) & (matrix <= high))]  # NaN is bad too
    if bad.size:
        raise ConfigError("prior", f"must hold numbers between {low:g} and {high:g} only "
                                   f"(the engines compute in float32), got {float(bad[0])!r}")
    return matrix


def check_finite(*, engine: str, params: dict[str, Any], topic_word: np.ndarray,
                 doc_topic: np.ndarray) -> None:
    """Raise ConfigError('params') naming the engine and its parameters if a trained matrix
    holds NaN or infinity (a model that must not be saved as a completed run)."""
    for name, matrix in (("topic-word", topic_word), ("document-topic", doc_topic)):
        if not np.all(np.isfinite(matrix)):
            raise ConfigError("params", f"engine {engine!r} gave a {name} matrix holding NaN "
                                        f"or infinity with parameters {params}")


def _check_names(topic_names: Any, num_topics: int) -> tuple[str | None, ...] | None:
    if topic_names is None:
        return None
    names = tuple(topic_names)
    if len(names) != num_topics or not all(n is None or isinstance(n, str) for n in names):
        raise ConfigError("topic_names", f"must hold {num_topics} names (str or None), "
                                         f"got {topic_names!r}")
    return names


def train(*, engine: str, dictionary, corpus: Iterable, doc_ids: Sequence,
          num_topics: int, seed: int, prior: Any = None,
          topic_names: Sequence[str | None] | None = None,
          metadata: Sequence[Mapping] | None = None, **params: Any) -> ModelOutput:
    """Train one model and return its :class:`ModelOutput`.

    ``corpus`` is a re-iterable of gensim bag-of-words lists over ``dictionary`` (a list or
    an ``MmCorpus``), ``doc_ids`` names its documents in order.  ``prior`` is an optional
    K x V matrix of topic-word priors for guided topics: it replaces ``eta`` (gensim takes
    it as the ``eta`` matrix; tomotopy uses its most common value as eta and sets a word
    prior for every word whose column differs); the ``eta`` option is then not used and the
    resolved parameters record ``eta='prior'``.  ``params`` are the engine's parameters
    (see ``ENGINE_PARAMS``); anything unknown or invalid raises ConfigError naming it, and
    so does a trained matrix holding NaN or infinity (``params``, naming the engine and its
    parameters): such a model is never returned.  ``metadata`` (one mapping per document)
    is what ``dmr`` (its ``covariate`` field) and ``dtm`` (``date``) read; a document
    lacking the field raises InputError naming it.  Guided priors work with the LDA engines
    (gensim, tomotopy) and dmm only.
    """
    resolved = resolve_params(engine=engine, num_topics=num_topics, seed=seed, **params)
    vocab = dictionary_vocab(dictionary)
    prior = _check_prior(prior, resolved["num_topics"], len(vocab))
    names = _check_names(topic_names, resolved["num_topics"])
    term_frequency, doc_lengths = training_counts(corpus, len(vocab))
    doc_ids = tuple(doc_ids)
    if len(doc_ids) != len(doc_lengths):
        raise ConfigError("doc_ids", f"has {len(doc_ids)} ids but the corpus has "
                                     f"{len(doc_lengths)} documents")
    if prior is not None:
        if engine not in GUIDED_ENGINES:
            raise ConfigError("prior", f"guided topics need engine gensim, tomotopy or dmm, "
                                       f"not {engine!r}")
        resolved["eta"] = "prior"
    extras: dict[str, np.ndarray] = {}
    if engine == "gensim":
        native, topic_word = gensim_lda.train(dictionary=dictionary, corpus=corpus,
                                              params=resolved, prior=prior)
        doc_topic = gensim_lda.doc_topics(native, corpus, seed=resolved["seed"],
                                          chunksize=resolved["chunksize"])
    elif engine == "tomotopy":
        native, topic_word, doc_topic = tomotopy_lda.train(vocab=vocab, corpus=corpus,
                                                           params=resolved, prior=prior)
    elif engine == "nmf":
        native, topic_word, doc_topic = sklearn_nmf.train(corpus=corpus, num_terms=len(vocab),
                                                          params=resolved)
    elif engine == "dmm":
        native, topic_word, doc_topic, extras = dmm.train(corpus=corpus, num_terms=len(vocab),
                                                          params=resolved, prior=prior)
    else:
        native, topic_word, doc_topic, extras = tomotopy_families.train(
            engine=engine, vocab=vocab, corpus=corpus, params=resolved, metadata=metadata)
    if names is not None and len(names) != topic_word.shape[0]:
        names = None  # hdp: the topics found are not the ones named
    check_finite(engine=engine, params=resolved, topic_word=topic_word, doc_topic=doc_topic)
    return ModelOutput(engine=engine, params=resolved, topic_word=topic_word,
                       doc_topic=doc_topic, vocab=vocab, doc_ids=doc_ids, topic_names=names,
                       term_frequency=term_frequency, doc_lengths=doc_lengths,
                       native=native, extras=extras)


def engine_metrics(output: ModelOutput) -> dict[str, Any]:
    """Metrics an engine adds to its run's row, e.g. ``k_found`` (the topics hdp found)."""
    if output.engine == "dmm":
        return dmm.engine_metrics(output.extras)
    return tomotopy_families.engine_metrics(output.engine, output.extras)


def infer(output: ModelOutput, documents: Iterable, *, iterations: int | None = None,
          metadata: Sequence[Mapping] | None = None) -> np.ndarray:
    """D x K topic rows for new documents (bag-of-words over the training dictionary).

    Repeatable: gensim infers with a random state seeded by the run's seed, the tomotopy
    engines with one thread and the model's seed, nmf fits W with H fixed, dmm computes each
    document's posterior over its topics (both deterministic; dmm has no iterations).
    ``iterations`` None uses the engine's own default (gensim: the model's ``iterations``;
    tomotopy: 100 sampling sweeps; nmf: the model's ``iterations``).  ``metadata`` (one
    mapping per document) gives ``dmr`` each document's level (required) and ``dtm`` its
    ``date`` (optional: without one a document is placed in the last time slice).
    """
    if output.native is None:
        raise ConfigError("output", "has no native model to infer with")
    if iterations is not None:
        iterations = check_int("iterations", iterations, low=1)
    documents = list(documents)
    corpus_counts(documents, len(output.vocab))  # raises InputError on a bad word id
    if metadata is not None:
        metadata = list(metadata)
        if len(metadata) != len(documents):
            raise ConfigError("metadata", f"has {len(metadata)} entries for "
                                          f"{len(documents)} documents")
    if output.engine == "gensim":
        return gensim_lda.infer(output.native, documents, seed=output.params["seed"],
                                iterations=iterations)
    if output.engine == "tomotopy":
        return tomotopy_lda.infer(output.native, documents, vocab=output.vocab,
                                  iterations=iterations)
    if output.engine == "nmf":
        return sklearn_nmf.infer(output.native, documents, iterations=iterations)
    if output.engine == "dmm":
        return dmm.infer(output.native, documents)
    return tomotopy_families.infer(output.native, documents, engine=output.engine,
                                   vocab=output.vocab, extras=output.extras,
                                   params=output.params, metadata=metadata,
                                   iterations=iterations)
