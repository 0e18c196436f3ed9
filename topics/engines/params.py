"""Engine parameters: names, defaults and validation for each engine.

``ENGINE_PARAMS`` maps each engine to its parameter names and defaults; the config schema
uses it to validate ``grid:`` fields and the grid fills unset fields from it.
:func:`resolve_params` validates one run's options, naming the parameter and the bad value,
and returns the resolved JSON-able parameters that a :class:`~topics.engines.ModelOutput`
records.

========================  ======================  =======================================
parameter                 gensim                  tomotopy
========================  ======================  =======================================
``alpha``                 symmetric, asymmetric,  symmetric, asymmetric, auto or a number
                          auto (workers=1 only),  (the starting value; ``auto`` starts at
                          or a number             1/K and is optimised)
``eta``                   symmetric, auto or a    symmetric or a number (tomotopy's LDA
                          number                  does not learn eta)
``iterations``            variational iterations  Gibbs sampling sweeps over the corpus
                          per document
``passes``                passes over the corpus  -
``chunksize``             documents per update    -
``optim_interval``        -                       optimise alpha every N sweeps; None: 10
                                                  with alpha=auto, else 0 (fixed alpha)
``burn_in``               -                       sweeps before alpha optimisation starts
``workers``               1: LdaModel;            sampling threads (1: deterministic)
                          >1: LdaMulticore
========================  ======================  =======================================

``nmf`` takes ``iterations`` (400) and ``init`` (nndsvda); ``dmm`` (the Dirichlet-multinomial
mixture, :mod:`topics.engines.dmm`) takes numbers ``alpha`` (0.1, topic shares) and ``eta``
(0.2, topic words), ``iterations`` (200 Gibbs sweeps per chain) and ``restarts`` (4
chains, the most likely kept); the tomotopy families are in
:mod:`topics.engines.params_families`.

A number must lie in ``PRIOR_RANGE`` (1e-30 to 1e30) for both engines: both compute in
float32, and probing tomotopy 0.14 showed that a value rounding to 0 there (below about
7e-46) aborts the whole process ("wrong alpha value"), a subnormal alpha (below 1.2e-38)
turns into NaN once optimised, a value above 3.4e38 is infinite (topic rows hold inf), and
the log-likelihood overflows once eta * V * K nears 1e38; gensim's topics hold zeros at
eta=1e38 and NaN at 1e308.  The range does not make every model finite (tomotopy optimising
alpha from 1e10 gives NaN on small corpora): ``train`` raises for such a model instead.

``symmetric`` means 1/K for both engines (gensim's convention); ``asymmetric`` is gensim's
fixed prior proportional to 1 / (k + sqrt(K)), normalised to sum to 1.

The defaults come from ``bench/quality.py`` (OCTIS BBC NPMI and diversity, BBC class
recovery at K=5): tomotopy with 1,000 sweeps, learned alpha and eta=0.01; gensim with
online updates of 500 documents (chunks of 2,000 recovered the BBC classes worse), 10 passes
and symmetric eta (gensim's ``eta='auto'`` update was mostly rejected as non-positive there).
"""

from __future__ import annotations

import math
import numbers
from types import MappingProxyType
from typing import Any, Mapping

from topics.engines.params_families import FAMILY_PARAMS, resolve_family
from topics.errors import ConfigError

ENGINES = ("gensim", "tomotopy", "nmf", "dmm", "hdp", "ctm", "pt", "dmr", "dtm")
#: Engines that read a document field, and the grid key naming it (None: the ``date``).
FIELD_ENGINES: Mapping[str, str] = MappingProxyType({"dmr": "covariate", "dtm": "date"})

ENGINE_PARAMS: Mapping[str, Mapping[str, Any]] = MappingProxyType({
    "gensim": MappingProxyType({
        "alpha": "auto", "eta": "symmetric", "passes": 10, "iterations": 100,
        "chunksize": 500, "workers": 1,
    }),
    "tomotopy": MappingProxyType({
        "alpha": "auto", "eta": 0.01, "iterations": 1000, "optim_interval": None,
        "burn_in": 0, "workers": 1,
    }),
    "nmf": MappingProxyType({"iterations": 400, "init": "nndsvda"}),
    "dmm": MappingProxyType({"alpha": 0.1, "eta": 0.2, "iterations": 200, "restarts": 4}),
    **FAMILY_PARAMS,
})

_ALPHA_WORDS = {"gensim": ("symmetric", "asymmetric", "auto"),
                "tomotopy": ("symmetric", "asymmetric", "auto")}
_ETA_WORDS = {"gensim": ("symmetric", "auto"), "tomotopy": ("symmetric",)}
#: The numbers accepted for ``alpha`` and ``eta`` (and guided prior entries), both engines.
PRIOR_RANGE = (1e-30, 1e30)
_MAX_SEED = 2**32 - 1
NMF_INITS = ("nndsvda", "nndsvd", "nndsvdar", "random")
_MAX_TOPICS = 32767  # tomotopy's limit; gensim has none but K this large is a mistake


def check_engine(engine: Any) -> str:
    """Return ``engine`` if it names a known engine, else raise ConfigError('engine')."""
    if engine not in ENGINES:
        raise ConfigError("engine", f"unknown engine {engine!r}; choose one of {list(ENGINES)}")
    return engine


def check_int(name: str, value: Any, *, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int if it is an integer in [low, high], else ConfigError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ConfigError(name, f"must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"between {low} and {high}"
        raise ConfigError(name, f"must be {bound}, got {value!r}")
    return int(value)


def _check_prior(name: str, value: Any, engine: str, words: tuple[str, ...]) -> str | float:
    if isinstance(value, str):
        if value in words:
            return value
        raise ConfigError(name, f"{value!r} is not supported by engine {engine!r}; "
                                f"use one of {list(words)} or a number in {list(PRIOR_RANGE)}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(name, f"must be one of {list(words)} or a number in "
                                f"{list(PRIOR_RANGE)}, got {value!r}")
    low, high = PRIOR_RANGE
    if not low <= value <= high:  # NaN fails too
        raise ConfigError(name, f"must be a number between {low:g} and {high:g} (engine "
                                f"{engine!r} computes in float32), got {value!r}")
    return float(value)


def resolve_params(*, engine: str, num_topics: int, seed: int,
                   **params: Any) -> dict[str, Any]:
    """Validate one run's options and return its resolved, JSON-able parameters.

    The result holds ``engine``, ``num_topics``, ``seed`` and every parameter of the engine
    (defaults filled in for missing or ``None`` values, ``None`` defaults resolved).  Raises
    ConfigError naming the parameter for an unknown engine or parameter, a bad value, or a
    combination the engine cannot do.
    """
    check_engine(engine)
    num_topics = check_int("num_topics", num_topics, low=2, high=_MAX_TOPICS)
    seed = check_int("seed", seed, low=0, high=_MAX_SEED)
    defaults = ENGINE_PARAMS[engine]
    for name in params:
        if name not in defaults:
            raise ConfigError(name, f"is not a parameter of engine {engine!r}; its "
                                    f"parameters are {sorted(defaults)}")
    merged = {**defaults, **{k: v for k, v in params.items() if v is not None}}
    out: dict[str, Any] = {"engine": engine, "num_topics": num_topics, "seed": seed}
    if engine == "nmf":
        return {**out, **_resolve_nmf(merged)}
    if engine == "dmm":
        return {**out, "alpha": _check_number("alpha", merged["alpha"], engine),
                "eta": _check_number("eta", merged["eta"], engine),
                "iterations": check_int("iterations", merged["iterations"], low=1),
                "restarts": check_int("restarts", merged["restarts"], low=1)}
    if engine in FAMILY_PARAMS:
        return {**out, **resolve_family(engine, {**merged, "num_topics": num_topics},
                                        check_int=check_int,
                                        check_number=_check_number)}
    out["alpha"] = _check_prior("alpha", merged["alpha"], engine, _ALPHA_WORDS[engine])
    out["eta"] = _check_prior("eta", merged["eta"], engine, _ETA_WORDS[engine])
    out["iterations"] = check_int("iterations", merged["iterations"], low=1)
    out["workers"] = check_int("workers", merged["workers"], low=1)
    if engine == "gensim":
        out.update(_resolve_gensim(merged, out))
    else:
        out.update(_resolve_tomotopy(merged, out))
    return out


def _resolve_gensim(merged: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    if out["alpha"] == "auto" and out["workers"] > 1:
        raise ConfigError("alpha", "'auto' needs workers=1 with gensim (LdaMulticore cannot "
                                   f"learn alpha), got workers={out['workers']}")
    return {"passes": check_int("passes", merged["passes"], low=1),
            "chunksize": check_int("chunksize", merged["chunksize"], low=1)}


def _resolve_tomotopy(merged: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    interval = merged["optim_interval"]
    if interval is None:
        interval = 10 if out["alpha"] == "auto" else 0
    interval = check_int("optim_interval", interval, low=0)
    if out["alpha"] == "auto" and interval == 0:
        raise ConfigError("optim_interval", "must be >= 1 with alpha='auto' (0 turns "
                                            "alpha optimisation off), got 0")
    return {"optim_interval": interval,
            "burn_in": check_int("burn_in", merged["burn_in"], low=0)}


def _resolve_nmf(merged: dict[str, Any]) -> dict[str, Any]:
    if merged["init"] not in NMF_INITS:
        raise ConfigError("init", f"must be one of {list(NMF_INITS)} for engine 'nmf', "
                                  f"got {merged['init']!r}")
    return {"iterations": check_int("iterations", merged["iterations"], low=1),
            "init": merged["init"]}


def _check_number(name: str, value: Any, engine: str) -> float:
    """A number in PRIOR_RANGE (the tomotopy families take numbers only, no named priors)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(name, f"must be a number for engine {engine!r}, got {value!r}")
    low, high = PRIOR_RANGE
    if not low <= value <= high:  # NaN fails too
        raise ConfigError(name, f"must be a number between {low:g} and {high:g} (engine "
                                f"{engine!r} computes in float32), got {value!r}")
    return float(value)


def alpha_vector(alpha: str | float, num_topics: int) -> list[float]:
    """The starting document-topic prior as K numbers (``auto`` starts symmetric)."""
    if alpha == "asymmetric":
        raw = [1.0 / (k + math.sqrt(num_topics)) for k in range(num_topics)]
        return [r / sum(raw) for r in raw]
    value = 1.0 / num_topics if alpha in ("symmetric", "auto") else float(alpha)
    return [value] * num_topics


def eta_value(eta: str | float, num_topics: int) -> float:
    """The symmetric topic-word prior as a number (``symmetric`` is 1/K)."""
    return 1.0 / num_topics if eta == "symmetric" else float(eta)
