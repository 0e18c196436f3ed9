"""Benchmark: a whole `topics run` against the plain script a researcher writes for it.

Definitions.

- Workload: the raw BBC corpus (``../shared/corpora/bbc``, 2,225 articles), gensim LDA at
  K in {5, 10, 15, 20} x seeds {0, 1, 2} (12 runs; ``--ks``/``--seeds`` shrink it), with
  the toolkit's gensim defaults spelled out on both sides (alpha auto, eta symmetric,
  passes 10, iterations 100, chunksize 500, one worker), scored on c_v, c_npmi, c_uci and
  u_mass (top 10 words by probability), and one pyLDAvis page per model.
- Preprocessing, the same on both sides: NLTK ``RegexpTokenizer`` with the toolkit's token
  pattern, lowercase, English stopwords, WordNet lemma (noun, then verb if unchanged), then
  ``Dictionary.filter_extremes(no_below=5, no_above=0.5)``; documents left empty dropped.
- baseline: the researcher's script, run as ``python bench/end_to_end.py --baseline DIR`` in
  a fresh interpreter: read the files, the per-token loop above with ``functools.lru_cache``
  on the per-word lemma function, ``Dictionary``, ``doc2bow``, then for every (K, seed) one
  after the other: ``LdaModel``, one ``CoherenceModel`` per measure, and
  ``pyLDAvis.gensim_models.prepare`` + ``pyLDAvis.save_html``.
- toolkit: ``topics run CONFIG --out DIR`` in a fresh interpreter and a fresh folder (so the
  preprocessing cache is empty): reading, preprocessing, cache writing, the local process
  pool (``n_jobs`` = cores), training, scoring, models, pyLDAvis pages, figures and
  ``report.html``.
- Times are wall seconds of each subprocess, interpreter start-up and imports included on
  both sides; CPU seconds (of the subprocess and every process it started) are printed too,
  steadier than wall time on a shared machine.  ``rerun_s`` is a second ``topics run`` on the finished folder (nothing to do).
- Shared machines: Linux autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``)
  shares the CPU equally between sessions whatever their ``nice``, so other jobs slow this
  benchmark even at ``nice 19``; the toolkit side, which needs both cores, loses more than
  the one-core baseline.  Start it in a session of its own (``setsid -w flock ...``) and
  compare ``cpu_ratio`` (baseline CPU seconds over toolkit CPU seconds) when the machine was
  busy: on an idle 2-core machine the wall ratio is at most about twice the CPU ratio
  (less, for the parts that run on one core: reading, part of preprocessing, the report).
- same_topics: the corpora are identical (same documents, same token lists) and every
  model's topic-word matrix equals the baseline's within 1e-6 (gensim's float32 rounding:
  differences of a few 1e-9 are seen) with the same top-10 words.

The last line printed is one JSON object:
``{"baseline_s": ..., "toolkit_s": ..., "ratio": ..., "same_topics": ..., "rerun_s": ...}``.

    .venv/bin/python bench/end_to_end.py [--corpus ../shared/corpora/bbc] [--ks 5 10] [--seeds 0]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc"
KS = (5, 10, 15, 20)
SEEDS = (0, 1, 2)
GENSIM = {"alpha": "auto", "eta": "symmetric", "passes": 10, "iterations": 100,
          "chunksize": 500}
MEASURES = ("c_v", "c_npmi", "c_uci", "u_mass")
NO_BELOW, NO_ABOVE, TOPN = 5, 0.5, 10
TOLERANCE = 1e-6  # gensim keeps its topics in float32: rounding, not another model


def config_yaml(corpus: Path, ks, seeds) -> str:
    """The toolkit's config for exactly this workload."""
    return json.dumps({  # JSON is YAML
        "name": "bench-end-to-end", "corpus": {"path": str(corpus)},
        "preprocess": {"debris": False, "normalize": False, "drop_numbers": False,
                       "drop_punctuation": False,
                       "min_length": 1, "stopwords": "english", "lemmatize": True,
                       "lemmatize_pos": "nv", "phrases": False, "no_below": NO_BELOW,
                       "no_above": NO_ABOVE, "keep_n": None},
        "grid": {"engine": "gensim", "num_topics": list(ks), "seeds": list(seeds),
                 "workers": 1, **GENSIM},
        "scoring": {"measures": list(MEASURES), "topn": TOPN},
        "topwords": {"method": "probability", "topn": TOPN},
        "output": {"ldavis": True, "report": True}})


# ---------------------------------------------------------------- the researcher's script
def researcher_script(corpus: Path, out: Path, ks, seeds) -> None:
    """What a researcher writes: plain NLTK + gensim + pyLDAvis, everything in sequence."""
    import pyLDAvis
    import pyLDAvis.gensim_models
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel, LdaModel
    from nltk.corpus import stopwords as nltk_stopwords
    from nltk.stem import WordNetLemmatizer
    from nltk.tokenize import RegexpTokenizer

    from topics.preprocess import DEFAULT_TOKEN_PATTERN

    try:
        stop = frozenset(nltk_stopwords.words("english"))
    except LookupError:  # no NLTK stopwords corpus: the toolkit's built-in list, the same
        from topics.preprocess import resolve_stopwords
        stop = resolve_stopwords("english")[0]
    wnl = WordNetLemmatizer()

    @functools.lru_cache(maxsize=None)
    def lemma(word: str) -> str | None:
        nouns = sorted(wnl._morphy(word, "n"), key=len)
        if len(nouns) == 1 and nouns[0] != word:
            candidates = nouns
        else:
            verbs = sorted(wnl._morphy(word, "v"), key=len)
            if not nouns or nouns[0] == word:
                candidates = verbs or nouns or [word]
            elif verbs and verbs[0] != word and verbs[0] in nouns:
                candidates = [verbs[0]] + [n for n in nouns if n != verbs[0]]
            else:
                candidates = nouns
        return next((c for c in candidates if c not in stop), None)

    tokenizer = RegexpTokenizer(DEFAULT_TOKEN_PATTERN)
    files = sorted(p for p in corpus.rglob("*.txt"))
    ids, texts = [], []
    for path in files:
        tokens = [lemma(t) for t in (w.lower() for w in tokenizer.tokenize(
            path.read_text(encoding="utf-8", errors="replace"))) if t not in stop]
        ids.append(path.relative_to(corpus).with_suffix("").as_posix())
        texts.append([t for t in tokens if t is not None])
    dictionary = Dictionary(texts)
    dictionary.filter_extremes(no_below=NO_BELOW, no_above=NO_ABOVE, keep_n=None)
    kept = [(i, [w for w in t if w in dictionary.token2id]) for i, t in zip(ids, texts)]
    kept = [(i, t) for i, t in kept if t]
    texts = [t for _, t in kept]
    bow = [dictionary.doc2bow(t) for t in texts]
    out.mkdir(parents=True, exist_ok=True)
    (out / "corpus.json").write_text(json.dumps([[i for i, _ in kept], texts]))
    scores = {}
    for k in ks:
        for seed in seeds:
            lda = LdaModel(corpus=bow, id2word=dictionary, num_topics=k, random_state=seed,
                           eval_every=None, **GENSIM)
            np.save(out / f"k{k}_s{seed}.npy", lda.get_topics())
            for m in MEASURES:
                cm = CoherenceModel(model=lda, texts=texts, corpus=bow, dictionary=dictionary,
                                    coherence=m, topn=TOPN)
                scores[f"k{k}_s{seed}_{m}"] = cm.get_coherence()
            vis = pyLDAvis.gensim_models.prepare(lda, bow, dictionary)
            pyLDAvis.save_html(vis, str(out / f"k{k}_s{seed}.html"))
    (out / "scores.json").write_text(json.dumps(scores))


# ---------------------------------------------------------------- the comparison
def timed_run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the process and every process it started) of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def same_topics(base: Path, folder: Path, ks, seeds) -> tuple[bool, bool, float]:
    """(same corpus, same top-10 words of every topic, the largest difference of topic-word
    probabilities) between the baseline's and the toolkit's models, per (K, seed)."""
    from topics.engines import load_model
    from topics.experiment import load_experiment

    exp = load_experiment(folder)
    ids, texts = json.loads((base / "corpus.json").read_text())
    same_corpus = exp.corpus.doc_ids == ids and [list(t) for t in exp.corpus.texts] == texts
    same, worst = True, 0.0
    results = exp.results
    for k in ks:
        for seed in seeds:
            row = results[(results["num_topics"] == k) & (results["seed"] == seed)]
            ours = load_model(folder / "models" / row["run_id"].iloc[0], native=False)
            theirs = np.load(base / f"k{k}_s{seed}.npy")
            theirs = theirs / theirs.sum(axis=1, keepdims=True)
            worst = max(worst, float(np.max(np.abs(ours.topic_word - theirs))))
            top = lambda m: [list(np.argsort(-r, kind="stable")[:TOPN]) for r in m]  # noqa: E731
            same &= top(ours.topic_word) == top(theirs)
    return same_corpus, same, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--ks", type=int, nargs="+", default=list(KS))
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)  # the script itself
    args = parser.parse_args()
    if args.baseline:
        researcher_script(args.corpus.resolve(), args.baseline, args.ks, args.seeds)
        return
    grid = ["--ks", *map(str, args.ks), "--seeds", *map(str, args.seeds)]
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        tmp = Path(tmp)
        config = tmp / "bench.yaml"
        config.write_text(config_yaml(args.corpus.resolve(), args.ks, args.seeds))
        folder = tmp / "experiment"
        topics = [sys.executable, "-m", "topics.cli", "run", str(config), "--out", str(folder)]
        toolkit_s, toolkit_cpu = timed_run(topics)
        print(f"toolkit `topics run` (fresh folder): {toolkit_s:.1f} s ({toolkit_cpu:.1f} s CPU)")
        rerun_s, rerun_cpu = timed_run(topics)
        print(f"toolkit rerun, nothing to do: {rerun_s:.1f} s ({rerun_cpu:.2f} s CPU)")
        baseline_s, baseline_cpu = timed_run([sys.executable, __file__, "--corpus",
                                              str(args.corpus), "--baseline",
                                              str(tmp / "baseline"), *grid])
        print(f"baseline researcher script: {baseline_s:.1f} s ({baseline_cpu:.1f} s CPU)")
        same_corpus, same_words, worst = same_topics(tmp / "baseline", folder, args.ks,
                                                     args.seeds)
    same = same_corpus and same_words and worst <= TOLERANCE
    print(f"{len(args.ks) * len(args.seeds)} runs; same corpus: {same_corpus}; same top words: "
          f"{same_words}; max |difference| of topic-word probabilities {worst:.1e}; "
          f"cores: {os.cpu_count()}")
    print(json.dumps({"baseline_s": round(baseline_s, 1), "toolkit_s": round(toolkit_s, 1),
                      "ratio": round(baseline_s / toolkit_s, 2), "same_topics": same,
                      "rerun_s": round(rerun_s, 1), "rerun_cpu_s": round(rerun_cpu, 2),
                      "cpu_ratio": round(baseline_cpu / toolkit_cpu, 2),
                      "runs": len(args.ks) * len(args.seeds)}))


if __name__ == "__main__":
    main()
