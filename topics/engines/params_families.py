"""Parameters of the tomotopy model families beyond LDA: names, defaults, validation.

==============  ===========================================================================
engine          parameters (default)
==============  ===========================================================================
``hdp``         ``alpha`` document concentration (0.1), ``eta`` (0.01), ``iterations``
                (1000), ``optim_interval`` (10), ``burn_in`` (0), ``workers`` (1);
                ``num_topics`` caps the topics kept (K itself is inferred)
``ctm``         ``alpha`` smoothing alpha (0.1), ``eta`` (0.01), ``iterations`` (1000),
                ``burn_in`` (0), ``workers`` (1)
``pt``          ``alpha`` (0.1), ``eta`` (0.01), ``pseudo_docs`` (None: 10 x K),
                ``iterations`` (1000), ``optim_interval`` (10), ``burn_in`` (0), ``workers``
``dmr``         ``covariate`` (required: the metadata field), ``alpha`` (0.1), ``eta``
                (0.01), ``iterations`` (1000), ``optim_interval`` (10), ``burn_in`` (0),
                ``workers`` (1)
``dtm``         ``time_slices`` (5), ``alpha`` variance of the topic-proportion walk (0.1),
                ``eta`` variance of the topic-word walk (0.1), ``iterations`` (1000),
                ``workers`` (1)
==============  ===========================================================================

The families take numbers for ``alpha`` and ``eta`` (not the named priors of LDA).  With
``workers: 1`` every family trains on one thread and repeats exactly for a seed.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Callable, Mapping

from topics.errors import ConfigError

_COMMON = {"iterations": 1000, "burn_in": 0, "workers": 1}
FAMILY_PARAMS: Mapping[str, Mapping[str, Any]] = MappingProxyType({
    "hdp": MappingProxyType({"alpha": 0.1, "eta": 0.01, "optim_interval": 10, **_COMMON}),
    "ctm": MappingProxyType({"alpha": 0.1, "eta": 0.01, **_COMMON}),
    "pt": MappingProxyType({"alpha": 0.1, "eta": 0.01, "pseudo_docs": None,
                            "optim_interval": 10, **_COMMON}),
    "dmr": MappingProxyType({"covariate": None, "alpha": 0.1, "eta": 0.01,
                             "optim_interval": 10, **_COMMON}),
    "dtm": MappingProxyType({"time_slices": 5, "alpha": 0.1, "eta": 0.1,
                             "iterations": 1000, "workers": 1}),
})


def resolve_family(engine: str, merged: dict[str, Any], *, check_int: Callable,
                   check_number: Callable) -> dict[str, Any]:
    """Validate the merged options of a tomotopy family; the resolved parameters."""
    out: dict[str, Any] = {}
    for name in FAMILY_PARAMS[engine]:
        value = merged[name]
        if name in ("alpha", "eta"):
            out[name] = check_number(name, value, engine)
        elif name in ("iterations", "workers", "time_slices"):
            out[name] = check_int(name, value, low=1)
        elif name in ("burn_in", "optim_interval"):
            out[name] = check_int(name, value, low=0)
        elif name == "pseudo_docs":
            out[name] = check_int(name, 10 * merged["num_topics"] if value is None else value,
                                  low=1)
        elif name == "covariate":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError("covariate", "engine 'dmr' needs the metadata field whose "
                                               f"levels drive topic prevalence, got {value!r}")
            out[name] = value
    return out
