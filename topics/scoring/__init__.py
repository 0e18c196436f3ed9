"""Scoring of topic models: coherence (c_v, c_npmi, c_uci, u_mass), diversity, stability,
perplexity and agreement with class labels (NMI, ARI, purity).

Coherence follows gensim's four-stage pipeline (segmentation, probability estimation,
confirmation, aggregation; one module per stage, put together in :mod:`.measures`), with the
counting done once for all models and measures (:class:`CoherenceScorer`).
"""

from topics.scoring.diversity import diversity, matched_similarity, stability
from topics.scoring.labels import LABEL_METRICS, label_agreement
from topics.scoring.measures import MEASURES
from topics.scoring.perplexity import perplexity
from topics.scoring.scorer import CoherenceScorer, coherence, coherence_means

__all__ = ["LABEL_METRICS", "MEASURES", "CoherenceScorer", "coherence", "coherence_means",
           "diversity", "label_agreement", "matched_similarity", "perplexity", "stability"]
