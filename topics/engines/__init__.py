"""Topic model engines behind one interface: LDA with gensim (variational Bayes) or tomotopy
(Gibbs), scikit-learn NMF on TF-IDF, and tomotopy's HDP, CTM, PT, DMR and DTM families.

``train`` returns a :class:`ModelOutput` whatever the engine; ``infer`` gives topic rows
for new documents; ``save_model``/``load_model`` store it; ``ENGINE_PARAMS`` lists each
engine's parameters and defaults, ``resolve_params`` validates them.
"""

from topics.engines.api import engine_metrics, infer, train
from topics.engines.base import ModelOutput
from topics.engines.heldout import PERPLEXITY_ENGINES, held_out_bound
from topics.engines.params import ENGINE_PARAMS, ENGINES, FIELD_ENGINES, resolve_params
from topics.engines.storage import check_model_files, load_model, save_model

__all__ = ["ENGINES", "ENGINE_PARAMS", "FIELD_ENGINES", "ModelOutput", "PERPLEXITY_ENGINES",
           "check_model_files", "engine_metrics", "held_out_bound", "infer", "load_model",
           "resolve_params", "save_model", "train"]
