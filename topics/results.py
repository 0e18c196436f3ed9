"""The results store read as tables: one row per run (``results_frame``), the runs that
compare (scored under the same settings), best runs.

Below both :mod:`topics.workflow` (which writes ``results.csv`` and the summary's best runs)
and :mod:`topics.experiment` (which shows them in notebooks and the report).
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING, Any

from topics.store import Store

if TYPE_CHECKING:  # pandas is imported where a frame is built: a rerun with nothing to do
    import pandas as pd  # never needs it

log = logging.getLogger(__name__)


def fingerprint(settings: dict[str, Any] | None) -> str | None:
    """A 12-hex-digit digest of scoring settings (``topics.rescoring.scoring_settings``; None
    for None): the ``scored_with`` column."""
    if settings is None:
        return None
    text = json.dumps(settings, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def results_frame(store: Store, corpus_key: str | None = None) -> "pd.DataFrame":
    """The results table as a DataFrame: one row per run, parameters and metrics as columns;
    ``scored_with`` is the digest of the scoring settings of a run's metrics: only runs
    scored under the same settings compare."""
    rows = []
    for r in store.runs():
        if corpus_key and r.corpus_key != corpus_key:
            continue
        rows.append({"run_id": r.run_id, **r.params, "status": r.status, **r.metrics,
                     "train_s": r.train_s, "score_s": r.score_s, "error": r.error,
                     "scored_with": fingerprint(r.scoring)})
    import pandas as pd

    return pd.DataFrame(rows)


def comparable_runs(frame: "pd.DataFrame", scored_with: str | None) -> "pd.DataFrame":
    """The completed runs of a results frame scored under the settings ``scored_with`` (see
    :func:`fingerprint`): scores computed under other settings are not comparable, so they
    are left out with a warning (``topics run`` re-scores them).  All completed runs when
    ``scored_with`` is None (a folder written before the settings were recorded)."""
    if frame.empty or "status" not in frame.columns:
        return frame.iloc[0:0]
    done = frame[frame["status"] == "done"]
    if scored_with is None or "scored_with" not in done.columns:
        return done
    kept = done[done["scored_with"] == scored_with]
    if len(kept) < len(done):
        log.warning("%d completed runs were scored under other scoring settings and are left "
                    "out of the comparison; `topics run` re-scores them", len(done) - len(kept))
    return kept


def best_runs(store: Store, corpus_key: str, measures: list[str],
              scoring: dict[str, Any] | None = None) -> dict[str, tuple[str, float]]:
    """The best completed run by each measure (coherence, diversity and, with labels, NMI:
    higher is better) among the runs scored under ``scoring`` (when given)."""
    frame = comparable_runs(results_frame(store, corpus_key), fingerprint(scoring))
    best: dict[str, tuple[str, float]] = {}
    if frame.empty:
        return best
    for measure in [*measures, "diversity", "nmi"]:
        if measure in frame and frame[measure].notna().any():
            row = frame.loc[frame[measure].idxmax()]
            best[measure] = (row["run_id"], float(row[measure]))
    return best
