"""Topic names of an experiment's runs: the names a user gives, and the automatic labels.

* Automatic labels are written by the runner beside each model, ``models/<run>/labels.json``
  (one string per topic; see :mod:`topics.topic_labels`).
* A user's names live in the experiment folder, ``topic_names.json``:
  ``{"<run_id>": {"3": "trade", ...}, ...}``, written atomically by :func:`name_topics`.

The name shown for a topic is the user's, else the guided theme it was anchored to, else its
automatic label: :func:`display_names`.
"""

from __future__ import annotations

import dataclasses
import json
import numbers
from pathlib import Path
from typing import Any, Mapping, Sequence

from topics.errors import ConfigError, StoreError
from topics.store import read_json, write_json

NAMES_FILE = "topic_names.json"
LABELS_FILE = "labels.json"


def user_names(folder: Path) -> dict[str, dict[int, str]]:
    """Every run's user-given names: run id -> {topic: name}."""
    path = Path(folder) / NAMES_FILE
    if not path.exists():
        return {}
    raw = read_json(path)
    if not isinstance(raw, dict):
        raise StoreError(f"{path}: expected a mapping of run id to names")
    return {run: {int(k): str(v) for k, v in names.items()} for run, names in raw.items()}


def auto_labels(model_dir: Path) -> list[str] | None:
    """The automatic labels saved beside a model (None when the run has none)."""
    path = Path(model_dir) / LABELS_FILE
    if not path.exists():
        return None
    try:
        labels = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise StoreError(f"{path}: damaged or unreadable ({err})") from None
    return [str(x) for x in labels] if isinstance(labels, list) else None


def check_names(names: Any, num_topics: int) -> dict[int, str | None]:
    """``{topic: name}`` validated: topics are integers 0..K-1, names non-empty strings (None
    removes a name).  ConfigError naming ``names`` and the bad entry."""
    if not isinstance(names, Mapping):
        raise ConfigError("names", f"expected a mapping of topic number to name, got "
                                   f"{type(names).__name__}")
    out: dict[int, str | None] = {}
    for topic, name in names.items():
        if isinstance(topic, bool) or not isinstance(topic, numbers.Integral) or not (
                0 <= topic < num_topics):
            raise ConfigError("names", f"topic {topic!r} is not a topic number of this run "
                                       f"(0..{num_topics - 1})")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise ConfigError("names", f"name of topic {topic} must be a non-empty string or "
                                       f"None (to remove it), got {name!r}")
        out[int(topic)] = None if name is None else " ".join(name.split())
    return out


def name_topics(folder: Path, run_id: str, names: Mapping[int, str | None], *,
                num_topics: int) -> dict[int, str]:
    """Merge ``names`` into the run's user names (None removes one); write the file
    atomically; return the run's names."""
    checked = check_names(names, num_topics)
    everything = user_names(folder)
    mine = dict(everything.get(run_id, {}))
    for topic, name in checked.items():
        if name is None:
            mine.pop(topic, None)
        else:
            mine[topic] = name
    everything[run_id] = mine
    write_json(Path(folder) / NAMES_FILE,
               {run: {str(k): v for k, v in sorted(n.items())} for run, n in everything.items()
                if n})
    return mine


def display_names(num_topics: int, *, user: Mapping[int, str] | None = None,
                  guided: Sequence[str | None] | None = None,
                  auto: Sequence[str] | None = None) -> tuple[str | None, ...]:
    """Each topic's name: the user's, else its guided theme, else its automatic label."""
    out = []
    for k in range(num_topics):
        name = (user or {}).get(k)
        if name is None and guided is not None:
            name = guided[k]
        if name is None and auto is not None and len(auto) == num_topics:
            name = auto[k]
        out.append(name)
    return tuple(out)


def named_output(out, folder: Path, run_id: str, model_dir: Path):
    """(``out`` with ``topic_names`` = the names shown, the names given or guided alone):
    what every table, figure and page built from the output shows, and the column keys."""
    user = user_names(folder).get(run_id)
    given = display_names(out.num_topics, user=user, guided=out.topic_names)
    names = display_names(out.num_topics, user=user, guided=out.topic_names,
                          auto=auto_labels(model_dir))
    return dataclasses.replace(out, topic_names=names if any(names) else None), given
