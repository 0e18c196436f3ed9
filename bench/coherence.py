"""Benchmark: scoring a grid's coherence with the toolkit against gensim's CoherenceModel.

The BBC corpus is read and preprocessed with the toolkit (``prepare_corpus``, no lemmas so
that WordNet is not needed, no cache), then the 12 models of the grid K in {5, 10, 15, 20}
x seeds {0, 1, 2} are trained (gensim LdaModel, one pass: this bench is about scoring).
Their top-10 words are scored on c_v, c_npmi, c_uci and u_mass twice in the same process:
by gensim, one ``CoherenceModel(topics=..., texts=..., dictionary=..., processes=1)`` per
model and measure, and by the toolkit, one ``CoherenceScorer`` for the whole grid.

    .venv/bin/python bench/coherence.py [--corpus ../shared/corpora/bbc] [--docs N]

``--docs N`` keeps the first N documents (for development).  The last line printed is one
JSON object: ``{"gensim_s": ..., "toolkit_s": ..., "ratio": ..., "max_abs_diff": ...}``;
``max_abs_diff`` is over all topics and measures, and inf if NaN or inf values disagree.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from gensim.models import LdaModel
from gensim.models.coherencemodel import CoherenceModel

from topics.io import read_documents
from topics.preprocess import prepare_corpus
from topics.scoring import CoherenceScorer

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc"
MEASURES = ("c_v", "c_npmi", "c_uci", "u_mass")
GRID = [(k, seed) for k in (5, 10, 15, 20) for seed in (0, 1, 2)]
TOPN = 10


def load_corpus(folder: Path, docs: int | None):
    documents, report = read_documents(folder)
    documents = documents[:docs] if docs else documents
    return prepare_corpus(documents, report, lemmatize=False)


def train_grid(corpus) -> dict[str, list[list[str]]]:
    """Top words of the 12 models, ``{"k5-s0": topics, ...}``."""
    grid = {}
    for k, seed in GRID:
        lda = LdaModel(list(corpus.bow), id2word=corpus.dictionary, num_topics=k, passes=1,
                       random_state=seed)
        grid[f"k{k}-s{seed}"] = [[w for w, _ in lda.show_topic(t, topn=TOPN)] for t in range(k)]
    return grid


def score_gensim(grid, corpus) -> tuple[float, dict]:
    values = {}
    start = time.perf_counter()
    for model_id, topics in grid.items():
        for measure in MEASURES:
            cm = CoherenceModel(topics=topics, texts=corpus.texts, dictionary=corpus.dictionary,
                                coherence=measure, topn=TOPN, processes=1)
            values[model_id, measure] = np.array(cm.get_coherence_per_topic(), dtype=float)
    return time.perf_counter() - start, values


def score_toolkit(grid, corpus) -> tuple[float, dict]:
    start = time.perf_counter()
    scorer = CoherenceScorer(corpus.texts, dictionary=corpus.dictionary, measures=MEASURES,
                             topn=TOPN)
    scorer.add_models(grid)
    frame = scorer.score_models()
    elapsed = time.perf_counter() - start
    values = {(model_id, measure): rows[measure].to_numpy(dtype=float)
              for model_id, rows in frame.groupby("model", sort=False) for measure in MEASURES}
    return elapsed, values


def max_abs_diff(ours: dict, theirs: dict) -> float:
    worst = 0.0
    for key, expected in theirs.items():
        got = ours[key]
        same_special = (np.array_equal(np.isnan(got), np.isnan(expected))
                        and np.array_equal(got[np.isinf(got)], expected[np.isinf(expected)]))
        if not same_special:
            return float("inf")
        finite = np.isfinite(expected)
        worst = max(worst, float(np.abs(got[finite] - expected[finite]).max(initial=0.0)))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--docs", type=int, default=None, help="keep the first N documents")
    args = parser.parse_args()
    corpus = load_corpus(args.corpus, args.docs)
    tokens = sum(map(len, corpus.texts))
    print(f"corpus: {len(corpus.texts)} documents, {tokens} tokens, "
          f"{len(corpus.dictionary)} words")
    grid = train_grid(corpus)
    words = len({w for topics in grid.values() for topic in topics for w in topic})
    print(f"grid: {len(grid)} models, {words} distinct top-{TOPN} words")
    toolkit_s, ours = score_toolkit(grid, corpus)
    print(f"toolkit: {toolkit_s:.2f} s")
    gensim_s, theirs = score_gensim(grid, corpus)
    print(f"gensim:  {gensim_s:.2f} s")
    diff = max_abs_diff(ours, theirs)
    ratio = gensim_s / toolkit_s
    print(f"ratio: {ratio:.1f}x, max abs diff: {diff:.3g}")
    print(json.dumps({"gensim_s": round(gensim_s, 3), "toolkit_s": round(toolkit_s, 3),
                      "ratio": round(ratio, 1), "max_abs_diff": diff}))


if __name__ == "__main__":
    main()
