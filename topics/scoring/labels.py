"""Label agreement: how well each document's main topic recovers a class field.

Each document is assigned its main topic (the largest entry of its ``doc_topic`` row; ties go
to the lowest topic number), and that clustering is compared with the documents' labels:

* ``nmi`` - normalised mutual information (scikit-learn's ``normalized_mutual_info_score``,
  arithmetic mean normalisation): 1 when topics and classes are the same partition, 0 when
  independent;
* ``ari`` - adjusted Rand index (``adjusted_rand_score``): 1 for the same partition, about 0
  for a random one (it can be negative);
* ``purity`` - the share of documents whose main topic's most common class is their own:
  ``sum over topics of max class count / N``.  1 when every topic holds one class (also when
  every document is its own topic: read it with NMI beside it).

Documents without a label (None or an empty string) are left out of all three.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

from topics.errors import ConfigError

LABEL_METRICS = ("nmi", "ari", "purity")


def main_topics(doc_topic: Any) -> np.ndarray:
    """Each document's main topic: the argmax of its row (lowest topic on ties)."""
    matrix = np.asarray(doc_topic, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] == 0:
        raise ConfigError("doc_topic", f"must be a D x K matrix, got shape {matrix.shape}")
    return np.argmax(matrix, axis=1)


def purity(clusters: Sequence, labels: Sequence) -> float:
    """Share of items whose cluster's most common label is their own."""
    table = contingency_matrix(labels, clusters)  # classes x clusters
    return float(table.max(axis=0).sum() / table.sum())


def label_agreement(doc_topic: Any, labels: Sequence[Any]) -> dict[str, float]:
    """``{"nmi", "ari", "purity"}`` of the documents' main topics against ``labels`` (one per
    row of ``doc_topic``; None or "" leaves the document out).  Raises ConfigError when the
    lengths differ or no document has a label."""
    topics = main_topics(doc_topic)
    labels = list(labels)
    if len(labels) != len(topics):
        raise ConfigError("labels", f"has {len(labels)} entries for {len(topics)} documents")
    keep = [i for i, label in enumerate(labels) if label is not None and label != ""]
    if not keep:
        raise ConfigError("labels", "no document has a label")
    clusters = topics[keep]
    classes = [str(labels[i]) for i in keep]
    return {"nmi": float(normalized_mutual_info_score(classes, clusters)),
            "ari": float(adjusted_rand_score(classes, clusters)),
            "purity": purity(clusters, classes)}
