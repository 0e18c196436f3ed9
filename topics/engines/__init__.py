"""LDA engines behind one interface: gensim (variational Bayes) and tomotopy (Gibbs).

``train`` returns a :class:`ModelOutput` whatever the engine; ``infer`` gives topic rows
for new documents; ``save_model``/``load_model`` store it; ``ENGINE_PARAMS`` lists each
engine's parameters and defaults, ``resolve_params`` validates them.
"""

from topics.engines.api import infer, train
from topics.engines.base import ModelOutput
from topics.engines.heldout import held_out_bound
from topics.engines.params import ENGINE_PARAMS, ENGINES, resolve_params
from topics.engines.storage import check_model_files, load_model, save_model

__all__ = ["ENGINES", "ENGINE_PARAMS", "ModelOutput", "check_model_files", "held_out_bound",
           "infer", "load_model",
           "resolve_params", "save_model", "train"]
