"""Benchmark: topic quality of every engine against published figures, and class recovery.

1. OCTIS's preprocessed BBC (``octis-bbc/corpus.tsv``, the corpus of Table 1 of the BERTopic
   paper), K in {10, 20, 30, 40, 50} x seeds {0, 1, 2}.  Two row sets per run:
   * the paper's definitions (BERTopic's evaluation code, OCTIS ``TopicDiversity(topk=10)``):
     top words by probability, NPMI of the top 10 on the corpus itself (gensim's c_npmi:
     ``topics.scoring``, equal to ``CoherenceModel``), diversity of the top 10
     (``paper_npmi``, ``paper_td10``): comparable with the published table, LDA 0.014 /
     0.577, BERTopic 0.167 / 0.794, Top2Vec-Doc2Vec 0.171 (the best published NPMI);
   * the toolkit's display ranking: top words by relevance (lambda 0.6), NPMI of the top 10
     and diversity of the top 25 (``npmi``, ``diversity``).
2. The raw BBC articles (``bbc/``, five class folders), preprocessed with
   ``topics.preprocess.prepare_corpus`` (``BBC_PREPROCESS``), K=5: NMI (arithmetic-mean
   normalisation, scikit-learn's default) and purity of each article's main topic against
   its folder.

Each setup is an engine with parameters (``SETUPS``; ``{}`` means the toolkit's defaults,
``topics.engines.ENGINE_PARAMS``).  Every engine has a toolkit-default setup except ``dmr``
and ``dtm``: they need a covariate or dates, which neither corpus has (besides the class
itself, which would make class recovery circular).

    .venv/bin/python bench/quality.py [--ks 10,20] [--seeds 0] [--setups a,b]
        [--bbc-setups a,b] [--skip-octis] [--skip-bbc] [--cache-dir DIR] [--out CSV]

It prints both row sets, writes the table to ``bench/results/quality.csv`` (each run's row to
``quality_runs.csv``), says whether the floor (paper definitions: NPMI >= 0.14 and
diversity@10 >= 0.80 with some engine) and the goal (NPMI >= 0.171, diversity@10 >= 0.82)
are met, and prints, last, one JSON object for the toolkit-default setup with the best NPMI
under the paper's definitions: ``{"engine", "setup", "paper_npmi", "paper_td10",
"nmi_bbc_k5", "npmi", "diversity"}`` (``{}`` when no toolkit-default setup ran on OCTIS).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary

from topics import engines
from topics.topwords import top_words

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "corpora"
RESULTS = HERE / "results"
PAPER = {"LDA (paper)": (0.014, 0.577), "BERTopic (paper)": (0.167, 0.794),
         "Top2Vec-Doc2Vec (paper)": (0.171, None)}
FLOOR, GOAL = (0.14, 0.80), (0.171, 0.82)  # paper definitions: NPMI@10, diversity@10
NPMI_TOPN, PAPER_TD_TOPN, DIVERSITY_TOPN = 10, 10, 25
RELEVANCE_LAMBDA = 0.6
BBC_PREPROCESS: dict[str, Any] = {}  # the toolkit's preprocessing defaults


@dataclass(frozen=True)
class Setup:
    """An engine and its parameters (``{}``: toolkit defaults)."""

    engine: str
    params: dict[str, Any] = field(default_factory=dict)
    toolkit: bool = False  # the toolkit's defaults: candidates for the final JSON line


PAPER_GENSIM = {"alpha": "symmetric", "eta": "symmetric", "passes": 1, "iterations": 50,
                "chunksize": 2000}
SETUPS: dict[str, Setup] = {
    "gensim-paper": Setup("gensim", PAPER_GENSIM),
    "gensim-toolkit": Setup("gensim", toolkit=True),
    "tomotopy-toolkit": Setup("tomotopy", toolkit=True),
    "nmf-toolkit": Setup("nmf", toolkit=True),
    "hdp-toolkit": Setup("hdp", toolkit=True),
    "ctm-toolkit": Setup("ctm", toolkit=True),
    "pt-toolkit": Setup("pt", toolkit=True),
    # explored while choosing the defaults (not run unless named)
    "gensim-chunk2000": Setup("gensim", {"chunksize": 2000}),
    "gensim-long": Setup("gensim", {"passes": 20, "iterations": 400, "chunksize": 2000}),
    "tomotopy-eta0.05": Setup("tomotopy", {"eta": 0.05}),
    "tomotopy-2000it": Setup("tomotopy", {"iterations": 2000}),
    "tomotopy-symmetric": Setup("tomotopy", {"alpha": "symmetric"}),
}
TOOLKIT = ("gensim-toolkit", "tomotopy-toolkit", "nmf-toolkit", "hdp-toolkit", "ctm-toolkit",
           "pt-toolkit")
DEFAULT_SETUPS = ("gensim-paper", *TOOLKIT)
DEFAULT_BBC_SETUPS = TOOLKIT


# ------------------------------------------------------------------ clustering scores
def _contingency(labels_true: Sequence, labels_pred: Sequence) -> np.ndarray:
    _, rows = np.unique(np.asarray(labels_true), return_inverse=True)
    _, cols = np.unique(np.asarray(labels_pred), return_inverse=True)
    table = np.zeros((rows.max(initial=-1) + 1, cols.max(initial=-1) + 1))
    np.add.at(table, (rows, cols), 1)
    return table


def _entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def nmi(labels_true: Sequence, labels_pred: Sequence) -> float:
    """Normalised mutual information, MI / mean(H(true), H(pred)) (scikit-learn's default
    ``average_method='arithmetic'`` and its limit cases: 1.0 when both labelings have a
    single class, 0.0 when the MI is 0)."""
    table = _contingency(labels_true, labels_pred)
    if table.shape[0] == table.shape[1] <= 1:
        return 1.0
    n = table.sum()
    joint = table / n
    outer = np.outer(table.sum(axis=1), table.sum(axis=0)) / n**2
    nz = joint > 0
    mi = float((joint[nz] * np.log(joint[nz] / outer[nz])).sum())
    if mi <= 0:
        return 0.0
    return mi / ((_entropy(table.sum(axis=1)) + _entropy(table.sum(axis=0))) / 2)


def purity(labels_true: Sequence, labels_pred: Sequence) -> float:
    """Share of items whose cluster's majority class is their own class."""
    table = _contingency(labels_true, labels_pred)
    return float(table.max(axis=0).sum() / table.sum()) if table.size else 0.0


# ------------------------------------------------------------------ topic scores
def topic_diversity(topics: Sequence[Sequence[str]], topn: int = DIVERSITY_TOPN) -> float:
    """Distinct share of the first ``topn`` words of all topics."""
    tops = [list(t[:topn]) for t in topics]
    return len({w for t in tops for w in t}) / sum(map(len, tops))


def npmi_scorer(texts: list[list[str]]) -> Callable[[list[list[str]]], float]:
    """Mean c_npmi of a model's topics (top 10) on ``texts``: the toolkit's scorer, or
    gensim's CoherenceModel (same values, slower) when ``topics.scoring`` is absent."""
    try:
        from topics.scoring import CoherenceScorer
    except ImportError:
        from gensim.models.coherencemodel import CoherenceModel

        dictionary = Dictionary(texts)
        return lambda topics: CoherenceModel(
            topics=[t[:NPMI_TOPN] for t in topics], texts=texts, dictionary=dictionary,
            coherence="c_npmi", topn=NPMI_TOPN, processes=1).get_coherence()
    scorer = CoherenceScorer(texts, measures="c_npmi", topn=NPMI_TOPN)
    return lambda topics: float(scorer.score(topics)["c_npmi"].mean())


# ------------------------------------------------------------------ runs
def train(setup: Setup, dictionary, bow, doc_ids, k: int, seed: int):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # tomotopy's workers note
        output = engines.train(engine=setup.engine, dictionary=dictionary, corpus=bow,
                               doc_ids=doc_ids, num_topics=k, seed=seed, **setup.params)
    return output, time.perf_counter() - start


def run_octis(names: Sequence[str], ks: Sequence[int], seeds: Sequence[int],
              path: Path) -> list[dict]:
    frame = pd.read_csv(path, sep="\t", header=None, names=["tokens", "split", "label"],
                        quoting=3, keep_default_na=False)
    texts = [str(t).split() for t in frame["tokens"]]
    dictionary = Dictionary(texts)
    bow = [dictionary.doc2bow(t) for t in texts]
    score = npmi_scorer(texts)
    rows = []
    for name in names:
        setup = SETUPS[name]
        for k in ks:
            for seed in seeds:
                output, seconds = train(setup, dictionary, bow, list(range(len(bow))), k, seed)
                rows.append({"task": "octis-bbc", "setup": name, "engine": setup.engine,
                             "K": k, "seed": seed, "K_model": output.num_topics,
                             **row_sets(output, score), "train_s": seconds})
                print(_line(rows[-1]), flush=True)
    return rows


def row_sets(output, score: Callable) -> dict[str, float]:
    """The paper's definitions (probability, NPMI@10, diversity@10) and the display ranking
    (relevance 0.6, NPMI@10, diversity@25) of one model."""
    paper = top_words(output.topic_word, output.vocab, topn=PAPER_TD_TOPN,
                      method="probability", term_frequency=output.term_frequency)
    shown = top_words(output.topic_word, output.vocab, topn=DIVERSITY_TOPN,
                      method="relevance", lam=RELEVANCE_LAMBDA,
                      term_frequency=output.term_frequency)
    return {"paper_npmi": score(paper), "paper_td10": topic_diversity(paper, PAPER_TD_TOPN),
            "npmi": score(shown), "diversity": topic_diversity(shown, DIVERSITY_TOPN)}


def load_bbc(folder: Path, cache_dir: Path | None):
    from topics.io import read_documents
    from topics.preprocess import prepare_corpus

    documents, report = read_documents(folder)
    corpus = prepare_corpus(documents, report, cache_dir=cache_dir, **BBC_PREPROCESS)
    return corpus, [meta["label"] for meta in corpus.meta]


def run_bbc(names: Sequence[str], seeds: Sequence[int], folder: Path,
            cache_dir: Path | None) -> list[dict]:
    corpus, labels = load_bbc(folder, cache_dir)
    bow = list(corpus.bow)
    rows = []
    for name in names:
        setup = SETUPS[name]
        for seed in seeds:
            output, seconds = train(setup, corpus.dictionary, bow, corpus.doc_ids, 5, seed)
            main = np.argmax(output.doc_topic, axis=1)
            rows.append({"task": "bbc", "setup": name, "engine": setup.engine, "K": 5,
                         "seed": seed, "nmi": nmi(labels, main),
                         "purity": purity(labels, main), "train_s": seconds})
            print(_line(rows[-1]), flush=True)
    return rows


def _line(row: dict) -> str:
    return "  ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in row.items())


# ------------------------------------------------------------------ summary
def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per setup and top-word method: OCTIS means, BBC means, mean seconds."""
    octis = runs[runs.task == "octis-bbc"]
    bbc = runs[runs.task == "bbc"]
    table = pd.DataFrame()
    if not octis.empty:
        table = (octis.groupby(["setup", "engine"], sort=False)
                 .agg(paper_npmi=("paper_npmi", "mean"), paper_td10=("paper_td10", "mean"),
                      npmi=("npmi", "mean"), diversity=("diversity", "mean"),
                      octis_train_s=("train_s", "mean"), octis_runs=("npmi", "size"))
                 .reset_index())
    if not bbc.empty:
        scores = (bbc.groupby(["setup", "engine"], sort=False)
                  .agg(nmi_bbc_k5=("nmi", "mean"), purity_bbc_k5=("purity", "mean"),
                       bbc_train_s=("train_s", "mean")).reset_index())
        table = scores if table.empty else table.merge(scores, on=["setup", "engine"],
                                                       how="outer", sort=False)
    return table


def best(table: pd.DataFrame) -> dict:
    """The toolkit-default setup with the highest mean NPMI under the paper's definitions."""
    toolkit = table[table.setup.map(lambda s: SETUPS[s].toolkit)]
    if "paper_npmi" not in toolkit or toolkit.paper_npmi.isna().all():
        return {}
    row = toolkit.loc[toolkit.paper_npmi.idxmax()]
    out = {"engine": row.engine, "setup": row.setup}
    for key in ("paper_npmi", "paper_td10", "nmi_bbc_k5", "npmi", "diversity"):
        value = row.get(key, float("nan"))
        out[key] = None if pd.isna(value) else round(float(value), 4)
    return out


def report(table: pd.DataFrame, runs: pd.DataFrame, out: Path) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    for frame, path in ((table, out), (runs, out.with_name(out.stem + "_runs.csv"))):
        tmp = path.with_name(path.name + ".tmp")
        frame.to_csv(tmp, index=False)
        os.replace(tmp, path)
    sets = (("Paper definitions (top words by probability, NPMI@10, diversity@10)",
             ["paper_npmi", "paper_td10"]),
            ("Toolkit display ranking (relevance 0.6, NPMI@10, diversity@25)",
             ["npmi", "diversity"]))
    for title, columns in sets:
        shown = [c for c in ("setup", "engine", *columns, "nmi_bbc_k5", "purity_bbc_k5")
                 if c in table.columns]
        print(f"\n{title}")
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(table[shown].round(4).to_string(index=False))
    for name, (npmi_value, div) in PAPER.items():
        print(f"{name:<24} npmi={npmi_value:.3f}" + (f"  diversity={div:.3f}" if div else ""))
    print("dmr, dtm: not run (they need a covariate or dates; these corpora have neither "
          "besides the class)")
    if "paper_npmi" in table.columns:
        for label, (n, d) in (("floor", FLOOR), ("goal (best published row)", GOAL)):
            met = table[(table.paper_npmi >= n) & (table.paper_td10 >= d)]
            print(f"{label}: paper NPMI >= {n} and diversity@10 >= {d}: "
                  + (f"met by {', '.join(met.setup)}" if len(met) else "NOT met by any engine"))
    return best(table)


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ks", type=_ints, default=[10, 20, 30, 40, 50])
    parser.add_argument("--seeds", type=_ints, default=[0, 1, 2])
    parser.add_argument("--setups", default=",".join(DEFAULT_SETUPS))
    parser.add_argument("--bbc-setups", default=",".join(DEFAULT_BBC_SETUPS))
    parser.add_argument("--skip-octis", action="store_true")
    parser.add_argument("--skip-bbc", action="store_true")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS / "quality.csv")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    for name in args.setups.split(",") + args.bbc_setups.split(","):
        if name not in SETUPS:
            parser.error(f"unknown setup {name!r}; known: {', '.join(SETUPS)}")
    rows = []
    if not args.skip_octis:
        rows += run_octis(args.setups.split(","), args.ks, args.seeds,
                          SHARED / "octis-bbc" / "corpus.tsv")
    if not args.skip_bbc:
        rows += run_bbc(args.bbc_setups.split(","), args.seeds, SHARED / "bbc",
                        args.cache_dir)
    runs = pd.DataFrame(rows)
    print(json.dumps(report(summarise(runs), runs, args.out)))


if __name__ == "__main__":
    main()
