"""Benchmark: the toolkit's preprocessing against a plain per-token NLTK loop.

Both produce the same tokens from the raw BBC corpus: RegexpTokenizer (same pattern),
lowercase, stopword test, WordNet lemmas (noun, then verb if unchanged; a verb lemma that is
also a noun lemma first), then the first lemma that is not a stopword, the filter order of
``topics.preprocess.steps.WordMap`` (the filters apply to the word and to its lemma; the
baseline does it with its own code, so "identical" cross-checks the toolkit).  The toolkit runs
``prepare_corpus`` configured to exactly those steps (no normalisation, drops, phrases,
filters or segmentation; no cache); the baseline calls ``WordNetLemmatizer._morphy`` (the
all-lemmas mode ``lemmatize`` wraps; noun and verb, as the rule needs both) on every token in
one process.  WordNet is loaded once before both timings.

    .venv/bin/python bench/preprocess.py [--corpus ../shared/corpora/bbc]

It also times the token stage alone (``tokenize_documents``: documents -> token lists, the
baseline's exact output) and CPU seconds, steadier than wall time on a shared machine.  The
last line printed is one JSON object:
``{"baseline_s": ..., "toolkit_s": ..., "ratio": ..., "identical": true, ...}``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from topics.documents import Document

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc"


def read_corpus(folder: Path) -> list[Document]:
    """The corpus, read by ``topics.io.read_documents``."""
    from topics.io import read_documents

    documents, _ = read_documents(folder)
    return list(documents)


def baseline_lemmas(lemmatizer, token: str) -> list[str]:
    """All WordNet lemmas of ``token``, preferred first (see ``steps.lemma_candidates``)."""
    nouns = sorted(lemmatizer._morphy(token, "n"), key=len)
    verbs = sorted(lemmatizer._morphy(token, "v"), key=len)
    if not nouns or nouns[0] == token:
        return verbs or nouns or [token]
    if verbs and verbs[0] != token and verbs[0] in nouns:
        return [verbs[0]] + [n for n in nouns if n != verbs[0]]
    return nouns


def baseline(documents: list[Document], pattern: str, stopwords: frozenset[str],
             lemmatizer) -> list[list[str]]:
    """The plain loop: every token lowercased, tested, lemmatised and its lemma tested, no
    cache."""
    from nltk.tokenize import RegexpTokenizer

    tokenizer = RegexpTokenizer(pattern)
    texts = []
    for doc in documents:
        out = []
        for token in tokenizer.tokenize(doc.text):
            token = token.lower()
            if token in stopwords:
                continue
            for lemma in baseline_lemmas(lemmatizer, token):
                if lemma not in stopwords:
                    out.append(lemma)
                    break
        texts.append(out)
    return texts


#: ``prepare_corpus`` options for exactly the baseline's steps.
SAME_STEPS = dict(normalize=False, drop_numbers=False, drop_punctuation=False, min_length=1,
                  lemmatize_pos="nv", phrases=False, no_below=1, no_above=1.0, keep_n=None,
                  segment=False)


def timed(fn, *args, **kwargs):
    """(result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()

    from topics.preprocess import (DEFAULT_TOKEN_PATTERN, prepare_corpus, resolve_options,
                                   resolve_stopwords, tokenize_documents)
    from topics.resources import load_lemmatizer

    documents = read_corpus(args.corpus)
    stopwords, source = resolve_stopwords("english")
    lemmatizer, load_s, _ = timed(load_lemmatizer)
    print(f"{len(documents)} documents; stopwords: {source}; "
          f"WordNet loaded in {load_s:.2f} s (before the timings)")

    expected, baseline_s, baseline_cpu = timed(
        baseline, documents, DEFAULT_TOKEN_PATTERN, stopwords, lemmatizer)
    print(f"baseline, plain NLTK loop:        {baseline_s:6.2f} s wall {baseline_cpu:6.2f} s CPU")
    stage, tokens_s, tokens_cpu = timed(
        tokenize_documents, documents, resolve_options(**SAME_STEPS))
    print(f"toolkit, tokens only:             {tokens_s:6.2f} s wall {tokens_cpu:6.2f} s CPU")
    corpus, toolkit_s, toolkit_cpu = timed(prepare_corpus, documents, cache_dir=None, **SAME_STEPS)
    print(f"toolkit, prepare_corpus (+ Dictionary, stats): "
          f"{toolkit_s:.2f} s wall {toolkit_cpu:.2f} s CPU")

    kept = [(d.id, t) for d, t in zip(documents, expected) if t]
    identical = ([i for i, _ in kept] == corpus.doc_ids and [t for _, t in kept] == corpus.texts
                 and stage[2] == expected)
    tokens = sum(len(t) for t in corpus.texts)
    ratio = baseline_s / toolkit_s
    print(f"ratio (prepare_corpus, wall): {ratio:.1f}x; CPU: {baseline_cpu / toolkit_cpu:.1f}x; "
          f"tokens only: {baseline_s / tokens_s:.1f}x wall; {tokens} tokens; "
          f"identical: {identical}")
    print(json.dumps({"baseline_s": round(baseline_s, 3), "toolkit_s": round(toolkit_s, 3),
                      "ratio": round(ratio, 2), "identical": identical,
                      "cpu_ratio": round(baseline_cpu / toolkit_cpu, 2),
                      "tokens_only_s": round(tokens_s, 3), "documents": len(documents),
                      "tokens": tokens}))


if __name__ == "__main__":
    main()
