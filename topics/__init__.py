"""topics: a topic-modelling research toolkit.

The notebook API::

    import topics
    exp = topics.run("configs/seeds.yaml", grid={"num_topics": [8, 12]})  # like `topics run`
    exp = topics.load_experiment("runs/seeds")
    exp.results, exp.best("c_npmi", by="num_topics"), exp.topics(run_id), exp.themes(run_id)

    topics.scoring.coherence(topic_sets, texts, measures=("c_v", "c_npmi"), topn=10)

Submodules are imported lazily: ``import topics`` is cheap and has no side effects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"

__all__ = ["check_themes", "load_experiment", "run", "load_config", "__version__"]


def load_config(path: str | Path, overrides: list[str] | dict[str, Any] | None = None):
    """Read and validate a YAML config (see :mod:`topics.config`)."""
    from topics.config import load_config as _load

    return _load(path, overrides)


def load_experiment(path: str | Path):
    """Open an experiment folder written by ``topics run``: an :class:`~topics.experiment.Experiment`."""
    from topics.experiment import load_experiment as _load

    return _load(path)


def check_themes(config_or_path: Any, *, out: str | Path | None = None, corpus: Any = None):
    """The lexicon check of a config's themes on its corpus, as ``topics themes``: one row
    per theme (seeds found, token frequencies, top token share, NPMI over documents,
    warnings; see :mod:`topics.themes.check`).  The corpus is read and preprocessed through
    the experiment's cache unless given; paragraph chunks count with their parent."""
    from topics.config import Config, validate
    from topics.config import load_config as _load
    from topics.errors import ConfigError
    from topics.themes import check_lexicon, resolve_themes
    from topics.workflow import load_corpus_for

    config = (config_or_path if isinstance(config_or_path, Config) else
              validate(config_or_path) if isinstance(config_or_path, dict) else
              _load(config_or_path))
    if not config.themes:
        raise ConfigError("themes", "the config has no themes: section to check")
    corpus = corpus if corpus is not None else load_corpus_for(config, out=out)
    resolved = resolve_themes(config.themes, transform=corpus.transform_text,
                              vocab=corpus.vocab, strict=False, quiet=True)
    parents = [m.get("parent_id", i) for i, m in zip(corpus.doc_ids, corpus.meta)]
    return check_lexicon(resolved, corpus.bow, lexicon=config.themes, groups=parents)


def _flatten(overrides: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"grid": {"num_topics": [5]}}`` -> ``{"grid.num_topics": [5]}``."""
    flat: dict[str, Any] = {}
    for key, value in overrides.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and key != "themes":
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def run(config_or_path: Any, *, out: str | Path | None = None, progress: bool = False,
        **overrides: Any):
    """Run an experiment as ``topics run`` does and return its :class:`Experiment`.

    ``config_or_path`` is a YAML path, a config mapping or a validated ``Config``;
    ``overrides`` are sections or dotted keys, e.g. ``grid={"num_topics": [5, 10]}`` or
    ``**{"preprocess.no_below": 3}``.  Errors are raised (``ConfigError``, ``InputError``...),
    not turned into exit codes.  Resuming in an existing folder may unpickle files in it
    (see :func:`topics.workflow.run_experiment`): only in folders you trust.
    """
    from topics.config import Config, apply_overrides, validate
    from topics.config import load_config as _load
    from topics.workflow import run_experiment

    flat = _flatten(overrides)
    if isinstance(config_or_path, Config):
        config = validate(apply_overrides(config_or_path.resolved(), flat),
                          source=config_or_path.source)
    elif isinstance(config_or_path, dict):
        config = validate(apply_overrides(config_or_path, flat))
    else:
        config = _load(config_or_path, flat)
    summary = run_experiment(config, out=out, progress=progress)
    return load_experiment(summary.folder)
