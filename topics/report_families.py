"""The report's figures of what the model families add, for the best run of each family in
an experiment: CTM's topic correlations, DMR's topic prevalence by level, DTM's top words of
each topic per time slice.  Drawn from the saved model's ``extras`` (no native model)."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from topics.viz.families import prevalence_by_level, topic_correlations, words_per_slice

FAMILY_FIGURES = ("ctm", "dmr", "dtm")


def family_figures(exp, done: pd.DataFrame, best_of: Callable, names_of: Callable,
                   add: Callable) -> None:
    """Pass ``add`` the family figures of the best run (``best_of(rows)``) of each family
    present among the completed runs ``done``; ``names_of(run_id)`` names its topics."""
    if done.empty or "engine" not in done.columns:
        return
    for engine in FAMILY_FIGURES:
        run_id = best_of(done[done["engine"] == engine])
        if run_id is None:
            continue
        draw = {"ctm": _correlations, "dmr": _prevalence, "dtm": _slices}[engine]
        caption = {"ctm": "Topic correlations", "dmr": "Topic prevalence by level",
                   "dtm": "Top words per time slice"}[engine]
        add(f"{engine}_{run_id}", f"{caption}, best {engine} run ({run_id})", draw, exp,
            run_id, names_of(run_id))


def _correlations(exp, run_id: str, names: list[str]):
    out = exp.output(run_id)
    return topic_correlations(out.extras["correlations"], names=names,
                              title=f"Topic correlations, CTM run {run_id}")


def _prevalence(exp, run_id: str, names: list[str]):
    out = exp.output(run_id)
    frame = pd.DataFrame(out.extras["prevalence"], index=out.extras["levels"].tolist(),
                         columns=names)
    field = str(out.params.get("covariate", "level"))
    return prevalence_by_level(frame, field=field,
                               title=f"Topic prevalence by {field}, DMR run {run_id}")


def _slices(exp, run_id: str, names: list[str], per_cell: int = 5):
    out = exp.output(run_id)
    per_slice = out.extras["slice_topic_word"]  # slices x K x V
    words = [[[out.vocab[i] for i in np.argsort(-per_slice[t, k], kind="stable")[:per_cell]]
              for t in range(per_slice.shape[0])] for k in range(per_slice.shape[1])]
    slices = [f"{a} to {b}" if a != b else str(a) for a, b in
              zip(out.extras["slice_start"].tolist(), out.extras["slice_end"].tolist())]
    return words_per_slice(words, slices, names=names, per_cell=per_cell,
                           title=f"Top words of each topic per time slice, DTM run {run_id}")
