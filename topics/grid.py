"""Expand a config's ``grid:`` into run specifications with stable ids.

Every list-valued field under ``grid:`` is an axis; the grid is the cartesian product of the
axes (in sorted key order) times the ``seeds``, in an order that does not depend on the
order of the values in the config (an axis may mix named priors and numbers).  Parameters
an engine does not use are left out of its runs (a ``passes`` axis does not multiply
tomotopy runs), and each run's id is a hash of its resolved parameters and the corpus key
(and, for guided runs, of the themes that anchor them): the same config names the same runs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

# Grid fields that are not engine parameters but shape every run.
RUN_FIELDS = ("engine", "num_topics", "guided", "guided_boost")


@dataclass(frozen=True)
class RunSpec:
    """The resolved parameters of one run and its stable id."""

    run_id: str
    engine: str
    num_topics: int
    seed: int
    params: Mapping[str, Any] = field(default_factory=dict)  # engine parameters
    guided: bool = False
    guided_boost: float | None = None
    corpus_key: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Flat, JSON-able parameters: what the results table shows as columns."""
        out = {"engine": self.engine, "num_topics": self.num_topics, "seed": self.seed,
               "guided": self.guided}
        if self.guided:
            out["guided_boost"] = self.guided_boost
        out.update(self.params)
        return out

    @property
    def point(self) -> tuple:
        """The grid point without the seed: runs sharing it differ only by seed."""
        d = self.as_dict()
        d.pop("seed")
        return tuple(sorted(d.items()))


def run_id(params: Mapping[str, Any], corpus_key: str,
           themes: Mapping[str, list[str]] | None = None,
           held_out_split: str | None = None) -> str:
    """The 12-hex-digit id of a run: a hash of its parameters, corpus key, themes (guided
    runs) and held-out split (which documents it was not trained on)."""
    payload: dict[str, Any] = {"params": dict(params), "corpus": corpus_key}
    if themes is not None:
        payload["themes"] = {name: list(words) for name, words in themes.items()}
    if held_out_split is not None:
        payload["held_out_split"] = held_out_split
    text = json.dumps(payload, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def expand_grid(grid: Mapping[str, list], *, corpus_key: str,
                engine_params: Mapping[str, Mapping[str, Any]],
                themes: Mapping[str, list[str]] | None = None,
                held_out_split: str | None = None) -> list[RunSpec]:
    """Expand a validated ``grid`` section into :class:`RunSpec` s, deterministically.

    ``engine_params`` maps each engine to its parameter defaults (``topics.engines``);
    a grid value of None means that default.  ``themes`` (theme name -> seed words, the
    config's ``themes:``) enter the ids of guided runs, so that changed themes name new runs
    instead of being taken for runs already completed; unguided ids do not depend on them.
    ``held_out_split`` (documents kept out of training) enters every id.
    """
    axes = sorted(k for k in grid if k != "seeds")
    specs: dict[str, RunSpec] = {}
    for values in itertools.product(*(grid[k] for k in axes)):
        point = dict(zip(axes, values))
        defaults = engine_params[point["engine"]]
        params = {k: (point[k] if point.get(k) is not None else v)
                  for k, v in sorted(defaults.items())}
        for seed in grid["seeds"]:
            spec = _spec(point, params, seed, corpus_key, themes, held_out_split)
            specs.setdefault(spec.run_id, spec)
    return sorted(specs.values(), key=_order)


def _order(spec: RunSpec) -> tuple:
    """The sort key of a run: engine, K, the other parameters, seed.  An axis may mix
    named priors and numbers (``alpha: [auto, 0.1]``), which do not compare with ``<``, so
    each value sorts by its kind first (None, then numbers, then strings, then the rest)."""
    point = tuple((name, _value_key(value)) for name, value in spec.point)
    return (spec.engine, spec.num_topics, point, spec.seed)


def _value_key(value: Any) -> tuple:
    if value is None:
        return (0, 0.0, "")
    if isinstance(value, (bool, int, float)):
        return (1, float(value), "")
    if isinstance(value, str):
        return (2, 0.0, value)
    return (3, 0.0, json.dumps(value, sort_keys=True, default=str))


def _spec(point: dict, params: dict, seed: int, corpus_key: str,
          themes: Mapping[str, list[str]] | None, held_out_split: str | None) -> RunSpec:
    guided = bool(point.get("guided", False))
    spec = RunSpec(run_id="", engine=point["engine"], num_topics=int(point["num_topics"]),
                   seed=int(seed), params=params, guided=guided,
                   guided_boost=point.get("guided_boost") if guided else None,
                   corpus_key=corpus_key)
    key = run_id(spec.as_dict(), corpus_key, themes if guided else None, held_out_split)
    return RunSpec(**{**spec.__dict__, "run_id": key})


def seed_groups(specs: list[RunSpec]) -> dict[tuple, list[RunSpec]]:
    """Runs grouped by grid point: each group differs only by seed."""
    groups: dict[tuple, list[RunSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.point, []).append(spec)
    return groups


def run_label(row: Any) -> str:
    """A run as a researcher names it, from a ``RunSpec``-like object or a results row:
    ``tomotopy K=8 guided, seed 0 (run 1a2b3c4d5e6f)``."""
    get = row.get if hasattr(row, "get") else lambda key, default=None: getattr(row, key, default)
    guided = " guided" if str(get("guided", False)) == "True" else ""
    label = f"{get('engine', '?')} K={get('num_topics', '?')}{guided}, seed {get('seed', '?')}"
    run_id = get("run_id", None)
    return f"{label} (run {run_id})" if run_id else label
