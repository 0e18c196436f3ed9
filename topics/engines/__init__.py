"""Topic model engines behind one interface: LDA with gensim (variational Bayes) or tomotopy
(Gibbs), scikit-learn NMF on TF-IDF, a Dirichlet-multinomial mixture (``dmm``, GSDMM), and
tomotopy's HDP, CTM, PT, DMR and DTM families.

``train`` returns a :class:`ModelOutput` whatever the engine; ``infer`` gives topic rows
for new documents; ``save_model``/``load_model`` store it; ``ENGINE_PARAMS`` lists each
engine's parameters and defaults, ``resolve_params`` validates them.
"""

from importlib import import_module

# Each name is imported from its module on first use (PEP 562), so that checking a finished
# experiment (``check_model_files``, ``ENGINES``) imports neither gensim, tomotopy nor
# scikit-learn: a rerun with nothing to do stays quick.
_WHERE = {"engine_metrics": "api", "infer": "api", "train": "api", "ModelOutput": "base",
          "PERPLEXITY_ENGINES": "heldout", "held_out_bound": "heldout",
          "ENGINE_PARAMS": "params", "ENGINES": "params", "FIELD_ENGINES": "params",
          "resolve_params": "params", "check_model_files": "storage", "load_model": "storage",
          "save_model": "storage"}

__all__ = ["ENGINES", "ENGINE_PARAMS", "FIELD_ENGINES", "ModelOutput", "PERPLEXITY_ENGINES",
           "check_model_files", "engine_metrics", "held_out_bound", "infer", "load_model",
           "resolve_params", "save_model", "train"]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"topics.engines.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
