"""The coherence measures: each name mapped to its four pipeline stages, in one table.

==========  ==============  ============================  ==========================  ==========
measure     segmentation    probability estimation        confirmation                aggregation
==========  ==============  ============================  ==========================  ==========
``c_v``     one-set         boolean sliding window, 110   indirect cosine over NPMI   mean
``c_npmi``  one-one         boolean sliding window, 10    normalised log ratio        mean
``c_uci``   one-one         boolean sliding window, 10    log ratio (PMI)             mean
``u_mass``  one-preceding   boolean document              log conditional probability mean
==========  ==============  ============================  ==========================  ==========

These are gensim's ``CoherenceModel`` pipelines and default window sizes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from topics.scoring import aggregation, confirmation, segmentation
from topics.scoring.counting import Counts
from topics.scoring.probability import estimate


@dataclass(frozen=True)
class Measure:
    """One coherence measure: its stages, and ``window`` (None: whole documents)."""

    segmentation: Callable[[int], segmentation.Segments]
    window: int | None
    confirmation: Callable[..., np.ndarray]
    aggregation: Callable[[np.ndarray], float]


MEASURES: dict[str, Measure] = {
    "c_v": Measure(segmentation.one_set, 110, confirmation.indirect_cosine_npmi,
                   aggregation.arithmetic_mean),
    "c_npmi": Measure(segmentation.one_one, 10, confirmation.normalized_log_ratio,
                      aggregation.arithmetic_mean),
    "c_uci": Measure(segmentation.one_one, 10, confirmation.log_ratio,
                     aggregation.arithmetic_mean),
    "u_mass": Measure(segmentation.one_pre, None, confirmation.log_conditional_probability,
                      aggregation.arithmetic_mean),
}


def topic_coherence(measure: Measure, counts: Counts, columns: np.ndarray) -> float:
    """One topic's coherence under ``measure``, from the counts of its window size;
    ``columns`` are the topic's words' columns in ``counts``, in rank order."""
    probs = estimate(counts, columns)
    segments = measure.segmentation(len(columns))
    return measure.aggregation(measure.confirmation(segments, probs))
