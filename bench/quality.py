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
``topics.engines.ENGINE_PARAMS``).  Every engine gets a toolkit-default setup
(``<engine>-toolkit``) except ``dmr`` and ``dtm``: they need a covariate or dates, which
neither corpus has (besides the class itself, which would make class recovery circular).
``gensim-paper`` is gensim with OCTIS's LDA settings; ``nmf-random`` is ``nmf`` from a
random start (its seeds give different models; the default ``nndsvda`` start gives nearly
the same topics for every seed).  Two setups are cheaper than a plain loop, and say so:

* ``hdp``: the cap (``num_topics``) is applied after training, so one model per seed is
  trained and reused for every larger K whose cap keeps all the topics it found;
* ``ctm``: tomotopy's ``CTModel`` samples each document's logistic-normal topic weights
  every sweep (``num_beta_samples`` 10 per sweep, measured ~0.1 s per sweep at K=10 and
  ~1.2 s at K=50 on one thread), so its 1,000 default sweeps over K 10-50 x 3 seeds would
  take about 2.5 hours of CPU: it runs the toolkit's defaults on K=10, seed 0 only
  (and seed 0 on BBC), and the table's models column says so.

    .venv/bin/python bench/quality.py [--ks 10,20] [--seeds 0] [--setups a,b]
        [--bbc-setups a,b] [--skip-octis] [--skip-bbc] [--from-runs RUNS.csv ...]
        [--readme README.md] [--cache-dir DIR] [--out CSV]

It prints both row sets, writes the table to ``bench/results/quality.csv`` and each run's row
to ``quality_runs.csv`` (after every model, so a stopped run keeps what it did), says whether
the floor (paper definitions: NPMI >= 0.14 and diversity@10 >= 0.80 with some engine) and the
goal (NPMI >= 0.171, diversity@10 >= 0.82, the best published row) are met, and prints, last,
one JSON object for the best engine under the paper's definitions (see :func:`best`):
``{"engine", "setup", "paper_npmi", "paper_td10", "nmi_bbc_k5", "npmi", "diversity"}``
(``{}`` when nothing ran on OCTIS).  ``--from-runs`` adds the rows of earlier runs (e.g.
setups run in separate processes) to the summary; with ``--skip-octis --skip-bbc`` it only
summarises.  ``--readme`` rewrites the README's quality table (between its markers,
``bench/quality_table.py``) from the CSV just written.
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

import quality_table
from quality_table import FLOOR, GOAL, PAPER

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "corpora"
RESULTS = HERE / "results"
NPMI_TOPN, PAPER_TD_TOPN, DIVERSITY_TOPN = 10, 10, 25
RELEVANCE_LAMBDA = 0.6
BBC_PREPROCESS: dict[str, Any] = {}  # the toolkit's preprocessing defaults


@dataclass(frozen=True)
class Setup:
    """An engine and its parameters (``{}``: toolkit defaults); ``ks``/``seeds`` restrict a
    setup too slow for the whole grid to a subset (stated in the table's models column)."""

    engine: str
    params: dict[str, Any] = field(default_factory=dict)
    toolkit: bool = False  # the toolkit's defaults
    ks: tuple[int, ...] | None = None
    seeds: tuple[int, ...] | None = None


PAPER_GENSIM = {"alpha": "symmetric", "eta": "symmetric", "passes": 1, "iterations": 50,
                "chunksize": 2000}
#: The toolkit's defaults of every engine that needs no document field: a row each.
TOOLKIT = tuple(f"{e}-toolkit" for e in engines.ENGINES if e not in engines.FIELD_ENGINES)
SETUPS: dict[str, Setup] = {
    "gensim-paper": Setup("gensim", PAPER_GENSIM),
    **{name: Setup(name[:-len("-toolkit")], toolkit=True) for name in TOOLKIT},
    # CTModel's logistic-normal sampling costs ~0.1 s per sweep at K=10 and ~1.2 s at K=50
    # (one thread): its 1,000 default sweeps over K 10-50 x 3 seeds would take ~2.5 h of CPU
    "ctm-toolkit": Setup("ctm", toolkit=True, ks=(10,), seeds=(0,)),
    # explored while choosing the defaults (not run unless named)
    "gensim-chunk2000": Setup("gensim", {"chunksize": 2000}),
    "gensim-long": Setup("gensim", {"passes": 20, "iterations": 400, "chunksize": 2000}),
    "tomotopy-eta0.05": Setup("tomotopy", {"eta": 0.05}),
    "tomotopy-2000it": Setup("tomotopy", {"iterations": 2000}),
    "tomotopy-symmetric": Setup("tomotopy", {"alpha": "symmetric"}),
    "nmf-random": Setup("nmf", {"init": "random"}),
    "nmf-nndsvd": Setup("nmf", {"init": "nndsvd"}),
    "nmf-nndsvdar": Setup("nmf", {"init": "nndsvdar"}),
}
DEFAULT_SETUPS = ("gensim-paper", *TOOLKIT, "nmf-random")
DEFAULT_BBC_SETUPS = (*TOOLKIT, "nmf-random")


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
              path: Path, done: Callable[[dict], None]) -> None:
    frame = pd.read_csv(path, sep="\t", header=None, names=["tokens", "split", "label"],
                        quoting=3, keep_default_na=False)
    texts = [str(t).split() for t in frame["tokens"]]
    dictionary = Dictionary(texts)
    bow = [dictionary.doc2bow(t) for t in texts]
    score = npmi_scorer(texts)
    for name in names:
        setup = SETUPS[name]
        for seed in _subset(seeds, setup.seeds):
            found = None  # hdp: (output, seconds) of the model trained for this seed
            for k in sorted(_subset(ks, setup.ks)):
                if found is not None and int(found[0].extras["k_found"]) <= k:
                    output, seconds = found  # the cap keeps every topic: the same model
                else:
                    output, seconds = train(setup, dictionary, bow, list(range(len(bow))),
                                            k, seed)
                    found = (output, seconds) if setup.engine == "hdp" else None
                done({"task": "octis-bbc", "setup": name, "engine": setup.engine,
                      "params": _params(setup), "K": k, "seed": seed,
                      "K_model": output.num_topics, **row_sets(output, score),
                      "train_s": seconds})


def _subset(values: Sequence[int], allowed: tuple[int, ...] | None) -> list[int]:
    return [v for v in values if allowed is None or v in allowed]


def _params(setup: Setup) -> str:
    return json.dumps(setup.params, sort_keys=True) if setup.params else ""


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
            cache_dir: Path | None, done: Callable[[dict], None]) -> None:
    corpus, labels = load_bbc(folder, cache_dir)
    bow = list(corpus.bow)
    for name in names:
        setup = SETUPS[name]
        for seed in _subset(seeds, setup.seeds):
            output, seconds = train(setup, corpus.dictionary, bow, corpus.doc_ids, 5, seed)
            main = np.argmax(output.doc_topic, axis=1)
            done({"task": "bbc", "setup": name, "engine": setup.engine,
                  "params": _params(setup), "K": 5, "seed": seed, "nmi": nmi(labels, main),
                  "purity": purity(labels, main), "train_s": seconds})


def _line(row: dict) -> str:
    return "  ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in row.items())


# ------------------------------------------------------------------ summary
def _joined(values: pd.Series) -> str:
    return ",".join(str(v) for v in sorted(set(int(x) for x in values)))


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per setup: OCTIS means (both row sets), BBC means, models run, seconds;
    sorted by the paper-definition NPMI, best first."""
    params = runs["params"] if "params" in runs else pd.Series("", index=runs.index)
    runs = runs.assign(params=params.astype(object).where(params.notna(), ""))
    octis = runs[runs.task == "octis-bbc"]
    bbc = runs[runs.task == "bbc"]
    keys = ["setup", "engine", "params"]
    table = pd.DataFrame()
    if not octis.empty:
        table = (octis.groupby(keys, sort=False)
                 .agg(paper_npmi=("paper_npmi", "mean"), paper_td10=("paper_td10", "mean"),
                      npmi=("npmi", "mean"), diversity=("diversity", "mean"),
                      K_model=("K_model", "mean"), octis_train_s=("train_s", "mean"),
                      octis_runs=("npmi", "size"), octis_ks=("K", _joined),
                      octis_seeds=("seed", _joined))
                 .reset_index())
    if not bbc.empty:
        scores = (bbc.groupby(keys, sort=False)
                  .agg(nmi_bbc_k5=("nmi", "mean"), purity_bbc_k5=("purity", "mean"),
                       bbc_train_s=("train_s", "mean"), bbc_runs=("nmi", "size"))
                  .reset_index())
        table = scores if table.empty else table.merge(scores, on=keys, how="outer",
                                                       sort=False)
    if "paper_npmi" in table.columns:
        table = table.sort_values("paper_npmi", ascending=False, na_position="last",
                                  kind="stable").reset_index(drop=True)
    return table


def best(table: pd.DataFrame) -> dict:
    """The best engine under the paper's definitions: among the setups that ran the most
    OCTIS models (the whole K x seed grid, not a subset), the highest mean NPMI of those
    whose diversity@10 reaches the floor's 0.80 (of all of them when none does)."""
    if "paper_npmi" not in table.columns or table.paper_npmi.isna().all():
        return {}
    full = table[table.octis_runs == table.octis_runs.max()]
    diverse = full[full.paper_td10 >= FLOOR[1]]
    pool = diverse if len(diverse) else full
    row = pool.loc[pool.paper_npmi.idxmax()]
    out = {"engine": row.engine, "setup": row.setup}
    for key in ("paper_npmi", "paper_td10", "nmi_bbc_k5", "npmi", "diversity"):
        value = row.get(key, float("nan"))
        out[key] = None if pd.isna(value) else round(float(value), 4)
    return out


def _write(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    frame.to_csv(tmp, index=False)
    os.replace(tmp, path)


def report(table: pd.DataFrame) -> dict:
    """Print both row sets, the published rows, floor and goal; return the best row."""
    sets = (("Paper definitions (top words by probability, NPMI@10, diversity@10)",
             ["paper_npmi", "paper_td10"]),
            ("Toolkit display ranking (relevance 0.6, NPMI@10, diversity@25)",
             ["npmi", "diversity"]))
    for title, columns in sets:
        shown = [c for c in ("setup", "engine", *columns, "octis_runs", "K_model",
                             "nmi_bbc_k5", "purity_bbc_k5") if c in table.columns]
        print(f"\n{title}")
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(table[shown].round(4).to_string(index=False))
    for name, (npmi_value, div) in PAPER.items():
        print(f"{name:<24} npmi={npmi_value:.3f}" + (f"  diversity={div:.3f}" if div else ""))
    print("dmr, dtm: not run (they need a covariate or dates; these corpora have neither "
          "besides the class)")
    for label, limits in (("floor", FLOOR), ("goal (best published row)", GOAL)):
        met = quality_table.met(table, limits)
        print(f"{label}: paper NPMI >= {limits[0]} and diversity@10 >= {limits[1]}: "
              + (f"met by {', '.join(met)}" if met else "NOT met by any engine"))
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
    parser.add_argument("--from-runs", type=Path, nargs="+", default=[],
                        help="per-run CSVs of earlier runs, summarised with any new runs")
    parser.add_argument("--readme", type=Path, default=None,
                        help="rewrite the quality table between this README's markers")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS / "quality.csv")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    for name in args.setups.split(",") + args.bbc_setups.split(","):
        if name and name not in SETUPS:
            parser.error(f"unknown setup {name!r}; known: {', '.join(SETUPS)}")
    frames = [pd.read_csv(path) for path in args.from_runs]
    runs_csv = args.out.with_name(args.out.stem + "_runs.csv")
    rows: list[dict] = []

    def done(row: dict) -> None:  # each run's row is on disk at once: a stopped run keeps it
        rows.append(row)
        print(_line(row), flush=True)
        _write(pd.concat([*frames, pd.DataFrame(rows)], ignore_index=True), runs_csv)

    if not args.skip_octis:
        run_octis([n for n in args.setups.split(",") if n], args.ks, args.seeds,
                  SHARED / "octis-bbc" / "corpus.tsv", done)
    if not args.skip_bbc:
        run_bbc([n for n in args.bbc_setups.split(",") if n], args.seeds, SHARED / "bbc",
                args.cache_dir, done)
    runs = pd.concat([*frames, pd.DataFrame(rows)], ignore_index=True)
    table = summarise(runs)
    _write(table, args.out)
    _write(runs, runs_csv)
    if args.readme is not None:
        quality_table.rewrite(args.readme, pd.read_csv(args.out))  # exactly the CSV
    print(json.dumps(report(table)))


if __name__ == "__main__":
    main()
