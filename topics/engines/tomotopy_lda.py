"""The tomotopy engine: collapsed Gibbs sampling LDA (``tomotopy.LDAModel``).

Each bag-of-words becomes a word list for ``add_doc`` (every word repeated by its count, in
the bag's id order).  tomotopy keeps its own vocabulary; the matrices are mapped back to the
dictionary's ids by word, and a dictionary word absent from the training corpus gets only
its prior mass in each topic.  Empty documents are skipped by tomotopy and get the uniform
row 1/K.

Determinism: with ``workers=1`` training uses ``ParallelScheme.NONE`` and the same corpus,
parameters and seed give identical matrices.  With ``workers > 1`` it uses
``ParallelScheme.PARTITION``; tomotopy warns that results may then differ even with a fixed
seed (in our runs they repeated for the same worker count, but differ from ``workers=1``).
Inference on new documents uses one thread and the model's seed and is repeatable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import tomotopy as tp

from topics.engines.base import bow_words, normalise_rows
from topics.engines.params import alpha_vector, eta_value
from topics.errors import InputError

MODEL_FILE = "model.tomotopy"
DEFAULT_INFER_ITERATIONS = 100


def base_eta(params: dict[str, Any], prior: np.ndarray | None) -> float:
    """The scalar eta: the parameter, or the most common value of a guided prior matrix."""
    if prior is None:
        return eta_value(params["eta"], params["num_topics"])
    values, counts = np.unique(prior, return_counts=True)
    return float(values[np.argmax(counts)])


def _scheme(workers: int) -> tp.ParallelScheme:
    return tp.ParallelScheme.NONE if workers == 1 else tp.ParallelScheme.PARTITION


def train(*, vocab: Sequence[str], corpus: Iterable, params: dict[str, Any],
          prior: np.ndarray | None) -> tuple[tp.LDAModel, np.ndarray, np.ndarray]:
    """Train; return the model, its K x V topic-word and its D x K doc-topic matrices."""
    k = params["num_topics"]
    eta = base_eta(params, prior)
    model = tp.LDAModel(k=k, alpha=alpha_vector(params["alpha"], k), eta=eta,
                        seed=params["seed"])
    slots: list[int | None] = []
    used: set[int] = set()
    added = 0
    for row, bow in enumerate(corpus):
        # add_doc returns None for an empty document (its other return is not an index)
        if model.add_doc(bow_words(bow, vocab, row=row)) is None:
            slots.append(None)
        else:
            slots.append(added)
            added += 1
        used.update(word_id for word_id, count in bow if count > 0)
    if added == 0:
        raise InputError("corpus", "no document has a word of the dictionary")
    if prior is not None:
        for word_id in sorted(used):
            column = prior[:, word_id]
            if np.any(column != eta):
                model.set_word_prior(vocab[word_id], column.tolist())
    model.optim_interval = params["optim_interval"]
    model.burn_in = params["burn_in"]
    model.train(params["iterations"], workers=params["workers"],
                parallel=_scheme(params["workers"]))
    return model, topic_word(model, vocab, eta, prior), _doc_topic(model, slots)


def topic_word(model: tp.LDAModel, vocab: Sequence[str], eta: float,
               prior: np.ndarray | None) -> np.ndarray:
    """K x V topic-word rows over the dictionary ids: (n_kw + eta_kw) normalised."""
    k = model.k
    full = np.full((k, len(vocab)), eta) if prior is None else np.array(prior, dtype=float)
    index = {word: i for i, word in enumerate(vocab)}
    columns = np.array([index[word] for word in model.used_vocabs], dtype=np.int64)
    for topic in range(k):
        full[topic, columns] = model.get_topic_word_dist(topic, normalize=False)
    return normalise_rows(full)


def _doc_topic(model: tp.LDAModel, slots: list[int | None]) -> np.ndarray:
    rows = np.full((len(slots), model.k), 1.0 / model.k)
    docs = list(model.docs)  # iterate: tomotopy 0.14's integer indexing of docs fails
    for row, slot in enumerate(slots):
        if slot is not None:
            rows[row] = docs[slot].get_topic_dist()
    return normalise_rows(rows)


def infer(model: tp.LDAModel, documents: Iterable, *, vocab: Sequence[str],
          iterations: int | None) -> np.ndarray:
    """Topic rows for new bag-of-words documents; words unknown to the model are ignored
    and a document left without words gets the uniform row."""
    known = set(model.used_vocabs)
    docs = []
    count = 0
    for row, bow in enumerate(documents):
        count += 1
        words = [w for w in bow_words(bow, vocab, row=row) if w in known]
        if words:
            docs.append((row, model.make_doc(words)))
    out = np.full((count, model.k), 1.0 / model.k)
    if docs:
        dists, _ = model.infer([doc for _, doc in docs],
                               iterations=iterations or DEFAULT_INFER_ITERATIONS,
                               workers=1, parallel=tp.ParallelScheme.NONE)
        for (row, _), dist in zip(docs, dists):
            out[row] = dist
    return normalise_rows(out)


def save(model: tp.LDAModel, folder: Path) -> None:
    """Save the topic parameters only (``full=False``): enough for inference; the training
    documents' state lives in the saved doc-topic matrix instead."""
    model.save(str(folder / MODEL_FILE), full=False)


def load(folder: Path) -> tp.LDAModel:
    return tp.LDAModel.load(str(folder / MODEL_FILE))
