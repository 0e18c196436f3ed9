"""Views of an experiment folder for :class:`topics.experiment.Experiment`: two runs' topics
matched one to one (:func:`compare_runs`), a run's pyLDAvis page (:func:`ldavis_page`) and the
notebook summary (:func:`summary_html`).  Everything here reads; nothing writes."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from topics.errors import StoreError


@dataclass(frozen=True)
class LdavisPage:
    """A run's pyLDAvis page as :meth:`Experiment.ldavis` returns it: Jupyter shows it inline
    through ``_repr_html_`` (no IPython import needed); ``str()`` is the file's path."""

    path: Path
    data: str

    def _repr_html_(self) -> str:
        return self.data

    def __str__(self) -> str:
        return str(self.path)


def compare_runs(exp: Any, run_a: str, run_b: str, *, topn: int = 10) -> pd.DataFrame:
    """Topics of two runs of ``exp`` matched one to one (Hungarian) by cosine similarity of
    their word distributions; one row per matched pair, best matches first."""
    from scipy.optimize import linear_sum_assignment

    a, b = exp.output(run_a), exp.output(run_b)
    if a.vocab != b.vocab:
        raise ValueError(f"runs {run_a} and {run_b} have different vocabularies")
    sim = _cosine(a.topic_word, b.topic_word)
    rows, cols = linear_sum_assignment(-sim)
    ta, tb = exp.topics(run_a, topn), exp.topics(run_b, topn)
    words = lambda t, k: " ".join(t[t["topic"] == k]["word"])  # noqa: E731
    frame = pd.DataFrame({
        "topic_a": rows, "topic_b": cols, "similarity": sim[rows, cols],
        "words_a": [words(ta, k) for k in rows], "words_b": [words(tb, k) for k in cols]})
    return frame.sort_values("similarity", ascending=False).reset_index(drop=True)


def ldavis_page(folder: Path, run_id: str) -> LdavisPage:
    """The pyLDAvis page of ``run_id`` in the experiment ``folder``, wrapped for a notebook."""
    path = folder / "ldavis" / f"{run_id}.html"
    if not path.exists():
        raise StoreError(f"{path}: no pyLDAvis page for run {run_id}")
    page = html.escape(path.read_text(encoding="utf-8"), quote=True)
    # Wrapped in a div: IPython warns about HTML that starts with an iframe.
    return LdavisPage(path=path, data=f'<div><iframe srcdoc="{page}" '
                      'style="width:100%;height:880px;border:0"></iframe></div>')


def summary_html(exp: Any) -> str:
    """The notebook summary of ``exp``: folder, corpus size, grid axes, one row per run."""
    results = exp.results
    stats = exp.manifest.get("corpus_stats") or {}
    docs = stats.get("documents_out", stats.get("documents", "?"))
    vocab = stats.get("vocabulary_after_filters", stats.get("vocabulary", "?"))
    grid = {k: v for k, v in exp.config.get("grid", {}).items()
            if isinstance(v, list) and len(v) > 1}
    head = (f"<h3>Experiment {html.escape(str(exp.config.get('name', '')))}</h3>"
            f"<p>{html.escape(str(exp.folder))}<br>corpus: "
            f"{html.escape(str(docs))} documents, vocabulary "
            f"{html.escape(str(vocab))}; grid axes: "
            f"{html.escape(str(grid))}; runs: {len(results)}</p>")
    cols = [c for c in ("run_id", "engine", "num_topics", "seed", "c_v", "c_npmi",
                        "diversity", "stability", "status") if c in results.columns]
    return head + results[cols].round(4).to_html(index=False, escape=True)


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T
