"""The ``nmf`` engine: scikit-learn's NMF on TF-IDF of the experiment's own dictionary.

The bag-of-words counts become a documents x words matrix over the dictionary's ids,
weighted by scikit-learn's ``TfidfTransformer`` (smoothed idf, rows scaled to unit length),
and factorised as ``X ~ W H`` by coordinate descent (Frobenius loss).  ``topic_word`` is H
with each row scaled to sum to 1, ``doc_topic`` is W with each row scaled to sum to 1 (a
document with no weight, e.g. no dictionary word, gets the uniform row 1/K).  They are
weights, not probabilities of a generative model: NMF has no likelihood, so there is no
held-out perplexity for this engine.

Determinism: coordinate descent is deterministic; the seed enters through the starting
point (``init: random`` and ``nndsvdar`` draw from it; ``nndsvd``/``nndsvda``, the default,
only through scikit-learn's randomised SVD, so their seeds give nearly the same topics:
stability across seeds near 1 says little about them).  On BBC at K=5 (the 2,225 articles,
default preprocessing) every start gave NMI 0.79 against the classes (random: 0.787-0.792).
Inference on new documents keeps H fixed and fits W with the same solver: deterministic.
The native model is three small files (the components, the idf vector, the options), no
pickle.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF, non_negative_factorization
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer

from topics.engines.base import count_matrix, normalise_rows
from topics.errors import InputError

TOL = 1e-4  # scikit-learn's default stopping tolerance


@dataclass(frozen=True, eq=False)
class NmfModel:
    """What inference needs: H (K x V, unnormalised), the idf weights (V,) and options."""

    components: np.ndarray
    idf: np.ndarray
    options: dict[str, Any]

    @property
    def k(self) -> int:
        return int(self.components.shape[0])


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray | None = None):
    transformer = TfidfTransformer()
    if idf is None:
        weighted = transformer.fit_transform(counts)
        return weighted, transformer.idf_
    transformer.idf_ = idf
    return transformer.transform(counts), idf


def train(*, corpus: Iterable, num_terms: int,
          params: dict[str, Any]) -> tuple[NmfModel, np.ndarray, np.ndarray]:
    """Fit NMF; return the model, K x V topic-word and D x K doc-topic rows (sum 1)."""
    counts = count_matrix(corpus, num_terms)
    if counts.nnz == 0:
        raise InputError("corpus", "no document has a word of the dictionary")
    weighted, idf = _tfidf(counts)
    options = {"init": params["init"], "max_iter": params["iterations"], "tol": TOL,
               "seed": params["seed"]}
    model = NMF(n_components=params["num_topics"], init=params["init"], solver="cd",
                beta_loss="frobenius", tol=TOL, max_iter=params["iterations"],
                random_state=params["seed"])
    with warnings.catch_warnings():  # not converging within max_iter is a choice, not news
        warnings.simplefilter("ignore", ConvergenceWarning)
        w = model.fit_transform(weighted)
    native = NmfModel(components=np.asarray(model.components_, dtype=np.float64),
                      idf=np.asarray(idf, dtype=np.float64), options=options)
    return native, normalise_rows(native.components), normalise_rows(w)


def infer(model: NmfModel, documents: Iterable, *, iterations: int | None) -> np.ndarray:
    """Topic rows of new bag-of-words documents: W fitted with H fixed (deterministic)."""
    counts = count_matrix(documents, model.components.shape[1])
    if counts.shape[0] == 0:
        return np.zeros((0, model.k))
    weighted, _ = _tfidf(counts, model.idf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        w, _, _ = non_negative_factorization(
            weighted, H=model.components, n_components=model.k, init="custom",
            update_H=False, solver="cd", beta_loss="frobenius", tol=model.options["tol"],
            max_iter=iterations or model.options["max_iter"],
            random_state=model.options["seed"])
    return normalise_rows(w)


def save(model: NmfModel, folder: Path) -> None:
    np.save(folder / "components.npy", model.components, allow_pickle=False)
    np.save(folder / "idf.npy", model.idf, allow_pickle=False)
    (folder / "nmf.json").write_text(json.dumps(model.options), encoding="utf-8")


def load(folder: Path) -> NmfModel:
    return NmfModel(components=np.load(folder / "components.npy", allow_pickle=False),
                    idf=np.load(folder / "idf.npy", allow_pickle=False),
                    options=json.loads((folder / "nmf.json").read_text(encoding="utf-8")))
