"""The results store read as tables: one row per run (``results_frame``), best runs.

Below both :mod:`topics.workflow` (which writes ``results.csv`` and the summary's best runs)
and :mod:`topics.experiment` (which shows them in notebooks and the report).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from topics.store import Store

if TYPE_CHECKING:
    import pandas as pd


def results_frame(store: Store, corpus_key: str | None = None) -> "pd.DataFrame":
    """The results table as a DataFrame: one row per run, parameters and metrics as columns."""
    import pandas as pd  # imported here: a rerun with nothing to do never needs pandas

    rows = []
    for r in store.runs():
        if corpus_key and r.corpus_key != corpus_key:
            continue
        rows.append({"run_id": r.run_id, **r.params, "status": r.status, **r.metrics,
                     "train_s": r.train_s, "score_s": r.score_s, "error": r.error})
    return pd.DataFrame(rows)


def best_runs(store: Store, corpus_key: str, measures: list[str]) -> dict[str, tuple[str, float]]:
    """The best completed run by each measure (coherence, diversity and, with labels, NMI:
    higher is better)."""
    frame = results_frame(store, corpus_key)
    best: dict[str, tuple[str, float]] = {}
    if frame.empty:
        return best
    frame = frame[frame["status"] == "done"]
    for measure in [*measures, "diversity", "nmi"]:
        if measure in frame and frame[measure].notna().any():
            row = frame.loc[frame[measure].idxmax()]
            best[measure] = (row["run_id"], float(row[measure]))
    return best
