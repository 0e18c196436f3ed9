"""Benchmark: time and peak memory of preprocessing and one model as the corpus grows 10x.

Definitions.

- Corpus: synthetic, generated here (seeded) so that the vocabulary keeps growing, as in real
  collections: a document has 20 to 80 tokens; the token after ``n`` tokens of corpus is
  drawn from a Zipf law (exponent 1.07) over the first ``V(n) = 40 n^0.55`` words (Heaps'
  law), so new words keep appearing, rare ones most.  Word ``i`` is a made-up letter string
  (no English stopword, no WordNet lemma).  The small corpus is the first documents of the
  large one; both are one JSONL file in a temporary folder.
- Each size runs in a fresh Python process that imports the toolkit, then (timed from here,
  so interpreter start-up and imports are not counted) reads and preprocesses the file as
  ``topics run`` does (``topics.io.stream_documents``, read once to hash it and once to
  tokenise it; ``prepare_corpus`` with configs/bbc.yaml's options, phrases included, and a
  cache folder: the corpus is written to a cache entry as it is built) and trains one
  gensim model (K=20, passes=1, the engine's other defaults) on ``training_bows`` of the
  corpus, as ``topics run``'s workers do: bags of words in memory up to 5M tokens (the
  100k corpus), else streamed from the cache entry's ``bow.mm`` on every pass (the 1M one).
- Vocabulary: the dictionary filters are those of a config (``no_below`` 5, ``no_above``
  0.5, ``keep_n`` 100,000 by default), so the model's vocabulary grows with the corpus up
  to 100,000 words (about 60,000 at 100k documents, the cap from about 300k on); the raw
  vocabulary, the phrase counts and the per-word caches keep growing.
- time: those in-process wall seconds; ``time_ratio`` = time(large) / time(small).  CPU: the
  child's user + system seconds over the same span, its finished worker processes
  included; ``cpu_ratio`` = CPU(large) / CPU(small), the figure to read on a shared machine.
- RSS: the child's peak resident set size (``getrusage``), reported after each phase.
- Goals at the default sizes (100k and 1M documents): RSS < 2 GB at 1M documents and
  ``time_ratio`` <= 11 (10x the documents, a little slack for the vocabulary growth).

Last run (2 December 2026, under ``nice -n 19`` outside the benchmark lock at load average
13-15, so wall times are 2-3x the CPU times): ``{"rss_mb_100k": 817, "rss_mb_1m": 1877,
"time_ratio": 13.44, "cpu_ratio": 10.72}``.  100k documents: 72 s CPU (38.8 s reading and
preprocessing, 33 s training); 1M: 772 s CPU (433 s, 339 s), peak RSS 1.65 GB after
preprocessing and 1.88 GB at the end of training.  That run predates reading the corpus as
a stream and filling one document-topic array; the 1M child run again with both, in the
same conditions: peak RSS 1.37 GB after preprocessing, 1.60 GB at the end, 787 s CPU.  What grows faster than the corpus: the LDA
M-step, K x V per 500-document update with V growing from 60k to the 100k cap.

The last line printed is one JSON object
``{"rss_mb_100k": ..., "rss_mb_1m": ..., "time_ratio": ..., "cpu_ratio": ...}`` (keys named
after the sizes given: ``--sizes 10000 100000`` prints ``rss_mb_10k`` and ``rss_mb_100k``).

    .venv/bin/python bench/scale.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PREPROCESS = {"no_below": 5, "no_above": 0.5}  # configs/bbc.yaml; the rest are defaults
NUM_TOPICS = 20
ZIPF_S, HEAPS_K, HEAPS_BETA = 1.07, 40.0, 0.55
LETTERS = np.array(list("bcdfghjklmnpqrstvwxz"))


def word(i: int) -> str:
    """Word ``i``: 'qa' then the base-20 digits of i as consonants ('qab', 'qac', ...)."""
    out = []
    while True:
        i, r = divmod(i, len(LETTERS))
        out.append(LETTERS[r])
        if not i:
            return "qa" + "".join(reversed(out))


def zipf_ranks(rng: np.random.Generator, vocab: np.ndarray) -> np.ndarray:
    """One Zipf-distributed rank in [0, vocab) per entry (inverse CDF of the power law)."""
    u = rng.random(len(vocab))
    top = vocab.astype(np.float64) ** (1 - ZIPF_S)
    ranks = ((top - 1) * u + 1) ** (1 / (1 - ZIPF_S))
    return np.minimum(ranks.astype(np.int64) - 1, vocab - 1).clip(0)


def write_corpus(path: Path, n_docs: int, *, seed: int = 0, batch: int = 20_000) -> int:
    """``n_docs`` documents as JSONL; returns the vocabulary size reached (Heaps)."""
    rng = np.random.default_rng(seed)
    words = np.empty(0, dtype=object)
    total = 0
    with open(path, "w", encoding="utf-8") as out:
        for start in range(0, n_docs, batch):
            lengths = rng.integers(20, 81, size=min(batch, n_docs - start))
            positions = total + np.arange(int(lengths.sum()))
            vocab = (HEAPS_K * np.maximum(positions, 1) ** HEAPS_BETA).astype(np.int64) + 1
            ranks = zipf_ranks(rng, vocab)
            total += len(ranks)
            if ranks.max() >= len(words):
                words = np.concatenate([words, np.array(
                    [word(i) for i in range(len(words), int(ranks.max()) + 1)], dtype=object)])
            tokens = words[ranks].tolist()
            offsets = np.concatenate([[0], np.cumsum(lengths)]).tolist()
            out.writelines(  # letters and spaces only: nothing to escape in the JSON
                f'{{"id": "doc{start + j:07d}", "text": "{" ".join(tokens[a:b])}"}}\n'
                for j, (a, b) in enumerate(zip(offsets[:-1], offsets[1:])))
    return len(words)


def head(source: Path, target: Path, n_docs: int) -> None:
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as dst:
        for _, line in zip(range(n_docs), src):
            dst.write(line)


def cpu_s() -> float:
    """CPU seconds of this process and of its finished children (worker processes)."""
    return sum(getattr(resource.getrusage(who), f) for who in
               (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(path: Path, cache: Path) -> None:
    """One size, in this fresh process: read, preprocess, train; print phase figures."""
    from topics import engines
    from topics.corpus import training_bows
    from topics.io import stream_documents
    from topics.preprocess import prepare_corpus

    start, cpu = time.perf_counter(), cpu_s()
    phases = {}

    def done(phase: str) -> None:
        phases[phase] = (time.perf_counter() - start, cpu_s() - cpu, peak_mb())

    done("imports")
    # as topics run reads a corpus file: streamed, read again on each pass (the first hashes
    # it, the second tokenises it), the raw texts held only while they are tokenised
    documents, report = stream_documents(path, format="jsonl")
    corpus = prepare_corpus(documents, report, cache_dir=cache, **PREPROCESS)
    done("read+preprocess")
    # as topics run's workers: trained on training_bows (bags of words in memory up to 5M
    # tokens, else streamed from the cache entry's bow.mm)
    engines.train(engine="gensim", dictionary=corpus.dictionary, corpus=training_bows(corpus),
                  doc_ids=corpus.doc_ids, num_topics=NUM_TOPICS, seed=0, passes=1)
    done("train")
    print(json.dumps({"documents": len(corpus.doc_ids), "words": len(corpus.dictionary),
                      "time_s": phases["train"][0], "cpu_s": phases["train"][1],
                      "rss_mb": peak_mb(), "phases": phases}))


def measure(path: Path, cache: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(path), "--cache", str(cache)],
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def label(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 1_000_000])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.cache)
    small, large = args.sizes
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        tmp = Path(tmp)
        distinct = write_corpus(tmp / "large.jsonl", large)
        head(tmp / "large.jsonl", tmp / "small.jsonl", small)
        size = (tmp / "large.jsonl").stat().st_size / 2**20
        print(f"synthetic corpus: {large} documents, vocabulary reached {distinct} words "
              f"({size:.0f} MiB JSONL)")
        results = {}
        for name, n in (("small", small), ("large", large)):
            results[n] = r = measure(tmp / f"{name}.jsonl", tmp / f"cache-{name}")
            phases = ", ".join(f"{p} done at {t:.1f} s ({c:.1f} s CPU, peak {m:.0f} MB)"
                               for p, (t, c, m) in r["phases"].items())
            print(f"{n} documents ({r['documents']} kept, {r['words']} words after filters): "
                  f"{r['time_s']:.1f} s in the run; {phases}")
    print(json.dumps({f"rss_mb_{label(small)}": round(results[small]["rss_mb"]),
                      f"rss_mb_{label(large)}": round(results[large]["rss_mb"]),
                      "time_ratio": round(results[large]["time_s"] / results[small]["time_s"],
                                          2),
                      "cpu_ratio": round(results[large]["cpu_s"] / results[small]["cpu_s"], 2)}))


if __name__ == "__main__":
    main()
