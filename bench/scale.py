"""Benchmark: time and peak memory of preprocessing and one gensim model at 10k and 100k docs.

The corpus is synthetic, made here from the raw BBC articles: their sentences are pooled,
shuffled (seeded) and recombined into documents of 5 to 15 sentences, written as one JSONL
file in a temporary folder; the 10,000-document corpus is the first 10,000 documents of the
100,000.  Each size is measured in a fresh Python process that reads the file
(``topics.io.read_documents``), preprocesses it (``prepare_corpus`` with configs/bbc.yaml's
options and a cache folder, as ``topics run`` does) and trains one gensim model (K=20,
passes=1, the engine's other defaults).  The parent takes the child's wall time and peak
RSS from ``os.wait4``; the child also reports its peak RSS after each phase, which shows
where the memory goes.

    .venv/bin/python bench/scale.py [--corpus ../shared/corpora/bbc] [--sizes 10000 100000]

Goals: peak RSS under 2 GB at 100,000 documents; time at 100,000 at most 12x the time at
10,000.  The last line printed is one JSON object:
``{"rss_mb_10k": ..., "rss_mb_100k": ..., "time_ratio": ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
PREPROCESS = {"no_below": 5, "no_above": 0.5}  # configs/bbc.yaml; the rest are defaults
NUM_TOPICS = 20


def bbc_sentences(folder: Path) -> list[str]:
    """Every sentence of the raw articles (title lines included), in file order."""
    sentences = []
    for path in sorted(folder.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for paragraph in text.split("\n"):
            sentences += [s.strip() for s in SENTENCE_END.split(paragraph) if s.strip()]
    return sentences


def write_corpus(sentences: list[str], path: Path, n_docs: int, *, seed: int = 0) -> None:
    """``n_docs`` documents of 5-15 sentences drawn from a seeded shuffle of the pool."""
    rng = random.Random(seed)
    pool: list[str] = []
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n_docs):
            words = []
            for _ in range(rng.randint(5, 15)):
                if not pool:
                    pool = sentences[:]
                    rng.shuffle(pool)
                words.append(pool.pop())
            out.write(json.dumps({"id": f"doc{i:06d}", "text": " ".join(words)}) + "\n")


def head(source: Path, target: Path, n_docs: int) -> None:
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as dst:
        for _, line in zip(range(n_docs), src):
            dst.write(line)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(path: Path, cache: Path) -> None:
    """One size, in this fresh process: read, preprocess, train; print phase figures."""
    from topics import engines
    from topics.io import read_documents
    from topics.preprocess import prepare_corpus

    phases = {}
    start = time.perf_counter()
    documents, report = read_documents(path, format="jsonl")
    phases["read"] = (time.perf_counter() - start, peak_mb())
    corpus = prepare_corpus(documents, report, cache_dir=cache, **PREPROCESS)
    del documents  # as in topics run: the raw texts are not kept past preprocessing
    phases["preprocess"] = (time.perf_counter() - start, peak_mb())
    engines.train(engine="gensim", dictionary=corpus.dictionary, corpus=corpus.bow,
                  doc_ids=corpus.doc_ids, num_topics=NUM_TOPICS, seed=0, passes=1)
    phases["train"] = (time.perf_counter() - start, peak_mb())
    print(json.dumps({"documents": len(corpus.doc_ids), "words": len(corpus.dictionary),
                      "phases": phases}))


def measure(path: Path, cache: Path) -> dict:
    """Run ``child`` in a fresh interpreter; its wall time, peak RSS and phase report."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(path), "--cache",
                             str(cache)], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"child for {path} failed with exit code {proc.returncode}")
    return {"wall_s": wall, "rss_mb": usage.ru_maxrss / 1024,
            **json.loads(out.strip().splitlines()[-1])}


def _phase_s(result: dict, phase: str) -> float:
    """Seconds spent in one phase (the child reports when each phase ended)."""
    ends = [t for t, _ in result["phases"].values()]
    names = list(result["phases"])
    i = names.index(phase)
    return ends[i] - (ends[i - 1] if i else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.cache)
    small, large = args.sizes
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        tmp = Path(tmp)
        sentences = bbc_sentences(args.corpus)
        write_corpus(sentences, tmp / "large.jsonl", large)
        head(tmp / "large.jsonl", tmp / "small.jsonl", small)
        size = (tmp / "large.jsonl").stat().st_size / 2**20
        print(f"{len(sentences)} BBC sentences -> {large} documents ({size:.0f} MiB JSONL)")
        results = {}
        for name, n in (("small", small), ("large", large)):
            results[n] = measure(tmp / f"{name}.jsonl", tmp / f"cache-{name}")
            r = results[n]
            phases = ", ".join(f"{p} done at {t:.1f} s (peak {m:.0f} MB)"
                               for p, (t, m) in r["phases"].items())
            print(f"{n} documents ({r['documents']} kept, {r['words']} words): "
                  f"{r['wall_s']:.1f} s wall, peak RSS {r['rss_mb']:.0f} MB; {phases}")
    ratios = {phase: _phase_s(results[large], phase) / _phase_s(results[small], phase)
              for phase in ("read", "preprocess", "train")}
    print("time ratios by phase (large / small): "
          + ", ".join(f"{phase} {ratio:.1f}x" for phase, ratio in ratios.items()))
    print(json.dumps({"rss_mb_10k": round(results[small]["rss_mb"]),
                      "rss_mb_100k": round(results[large]["rss_mb"]),
                      "time_ratio": round(results[large]["wall_s"] / results[small]["wall_s"],
                                          2)}))


if __name__ == "__main__":
    main()
