"""Pause points: named moments at which a test can hold a process still, then kill it.

Off unless the environment sets ``TOPICS_TEST_PAUSE_AT`` (comma-separated point names) and
``TOPICS_TEST_PAUSE_DIR`` (a folder); when unset, :func:`pause` is one dictionary lookup.
A process reaching a listed point writes a marker ``<dir>/<point>.<pid>.<n>`` (atomically;
its text is the JSON of the keyword details) and waits until the file ``<marker>.go``
exists.  The test waits for the marker instead of racing the clock, then kills the process
(``pid`` is in the name) or releases it by creating ``<marker>.go``.

The points:

``cache-entry-write``
    a new preprocessing cache entry is half written: its staging folder holds the corpus
    files (``corpus/bow.mm``) but not yet the preprocessor, and is not yet renamed;
``model-write``
    a run's model folder is half written: its staging folder holds the matrices but not yet
    the engine's native model, and is not yet renamed (details: ``folder``);
``run-train``
    a worker is about to train a run (details: ``run_id`` and the run's parameters).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from typing import Any

AT_VARIABLE = "TOPICS_TEST_PAUSE_AT"
DIR_VARIABLE = "TOPICS_TEST_PAUSE_DIR"
POINTS = ("cache-entry-write", "model-write", "run-train")
_POLL_S = 0.005
_count = itertools.count()


def pause(point: str, /, **details: Any) -> None:
    """Hold this process at ``point`` if the environment asks for it (see the module)."""
    wanted = os.environ.get(AT_VARIABLE)
    if not wanted or point not in wanted.split(","):
        return
    marker = os.path.join(os.environ[DIR_VARIABLE], f"{point}.{os.getpid()}.{next(_count)}")
    with open(marker + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(details, handle, default=str)
    os.replace(marker + ".tmp", marker)
    while not os.path.exists(marker + ".go"):
        time.sleep(_POLL_S)
