"""Benchmark: the toolkit's preprocessing against a plain per-token NLTK loop.

Both produce the same tokens from the raw BBC corpus: RegexpTokenizer (same pattern),
lowercase, stopword test, WordNet lemma (noun, then verb if unchanged).  The toolkit runs
``prepare_corpus`` configured to exactly those steps (no normalisation, drops, phrases,
filters or segmentation; no cache); the baseline calls ``WordNetLemmatizer`` on every token
in one process.  WordNet is loaded once before both timings.

    .venv/bin/python bench/preprocess.py [--corpus ../shared/corpora/bbc] [--n-jobs 1]

The last line printed is one JSON object:
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
    """The corpus through ``topics.io.read_documents`` when it exists, else a folder walk."""
    try:
        from topics.io import read_documents
    except ImportError:
        read_documents = None
    if read_documents is not None:
        documents, _ = read_documents(folder)
        return list(documents)
    return [Document(id=f"{p.parent.name}/{p.name}", text=p.read_text(errors="replace"),
                     meta={"label": p.parent.name})
            for p in sorted(folder.glob("*/*.txt"))]


def baseline(documents: list[Document], pattern: str, stopwords: frozenset[str],
             lemmatizer) -> list[list[str]]:
    """The plain loop: every token lowercased, tested and lemmatised, no cache."""
    from nltk.tokenize import RegexpTokenizer

    tokenizer = RegexpTokenizer(pattern)
    texts = []
    for doc in documents:
        out = []
        for token in tokenizer.tokenize(doc.text):
            token = token.lower()
            if token in stopwords:
                continue
            lemma = lemmatizer.lemmatize(token, "n")
            if lemma == token:
                lemma = lemmatizer.lemmatize(token, "v")
            out.append(lemma)
        texts.append(out)
    return texts


def toolkit(documents: list[Document], n_jobs: int):
    from topics.preprocess import prepare_corpus

    return prepare_corpus(documents, cache_dir=None, normalize=False, drop_numbers=False,
                          drop_punctuation=False, min_length=1, lemmatize_pos="nv",
                          phrases=False, no_below=1, no_above=1.0, keep_n=None, segment=False,
                          n_jobs=n_jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args()

    from topics.preprocess import DEFAULT_TOKEN_PATTERN, resolve_stopwords
    from topics.resources import load_lemmatizer

    documents = read_corpus(args.corpus)
    stopwords, source = resolve_stopwords("english")
    t0 = time.perf_counter()
    lemmatizer = load_lemmatizer()
    print(f"{len(documents)} documents; stopwords: {source}; "
          f"WordNet loaded in {time.perf_counter() - t0:.2f} s (not timed below)")

    t0 = time.perf_counter()
    expected = baseline(documents, DEFAULT_TOKEN_PATTERN, stopwords, lemmatizer)
    baseline_s = time.perf_counter() - t0
    print(f"baseline (plain NLTK loop):  {baseline_s:.2f} s")

    t0 = time.perf_counter()
    corpus = toolkit(documents, args.n_jobs)
    toolkit_s = time.perf_counter() - t0
    print(f"toolkit (prepare_corpus, n_jobs={args.n_jobs}): {toolkit_s:.2f} s")

    kept = [(d.id, t) for d, t in zip(documents, expected) if t]
    identical = [i for i, _ in kept] == corpus.doc_ids and [t for _, t in kept] == corpus.texts
    tokens = sum(len(t) for t in corpus.texts)
    print(f"ratio: {baseline_s / toolkit_s:.1f}x; {tokens} tokens; identical: {identical}")
    print(json.dumps({"baseline_s": round(baseline_s, 3), "toolkit_s": round(toolkit_s, 3),
                      "ratio": round(baseline_s / toolkit_s, 2), "identical": identical,
                      "documents": len(documents), "tokens": tokens, "n_jobs": args.n_jobs}))


if __name__ == "__main__":
    main()
