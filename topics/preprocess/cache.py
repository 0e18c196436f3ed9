"""``prepare_corpus``: raw documents -> ``Corpus``, cached on disk by content and options.

A cache entry ``cache_dir/<key>/`` holds ``corpus/`` (``topics.corpus.save_corpus`` files, the
folder the runner's workers open) and ``preprocessor/`` (options, stopwords, phrase models),
written together atomically.  ``key`` hashes the documents (``corpus_hash``), the reader's
report, the options, the resolved stopword list, the pipeline version
and the gensim and NLTK versions.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from topics import testhooks
from topics.atomic import atomic_folder
from topics.corpus import (Corpus, build_corpus, corpus_hash, load_corpus,
                           write_corpus_files)
from topics.documents import Document
from topics.errors import ConfigError, StoreError
from topics.preprocess.debris import remove_debris
from topics.preprocess.options import PreprocessOptions, resolve_options
from topics.preprocess.phrases import load_phrases, save_phrases
from topics.preprocess.pipeline import (PIPELINE_VERSION, Preprocessor, make_preprocessor,
                                        tokenize_corpus)
from topics.preprocess.scripts import token_length_profile, warn_long_tokens
from topics.preprocess.stopwords import resolve_stopwords

logger = logging.getLogger(__name__)

KEY_LENGTH = 24
#: The saved preprocessor's format: 2 holds the phrase models in JSON (1: gensim's pickles).
PREPROCESSOR_FORMAT = 2


def cache_key(content_hash: str, options: PreprocessOptions, stopwords: frozenset[str],
              report: Any = None) -> str:
    """The cache key of one preprocessing: any change of input or result-deciding option
    (or of the pipeline, gensim or NLTK version) gives another key."""
    import gensim
    import nltk

    parts = {
        "content": content_hash,
        "report": report.as_dict() if report is not None else None,
        "options": options.as_dict(),
        "stopwords": sorted(stopwords),
        "versions": [PIPELINE_VERSION, gensim.__version__, nltk.__version__],
    }
    blob = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:KEY_LENGTH]


def save_preprocessor(pre: Preprocessor, folder: str | Path) -> None:
    """Write a fitted ``Preprocessor`` into the new folder ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    save_phrases(pre.phrases, folder)
    head = {"format": PREPROCESSOR_FORMAT, "pipeline_version": PIPELINE_VERSION,
            "options": pre.options.as_dict(),
            "stopwords": sorted(pre.stopwords), "stopword_source": pre.stopword_source,
            "phrase_models": len(pre.phrases)}
    (folder / "preprocessor.json").write_text(json.dumps(head, ensure_ascii=False),
                                              encoding="utf-8")  # inside a staged folder


def load_preprocessor(folder: str | Path) -> Preprocessor:
    """Load a ``Preprocessor`` saved by ``save_preprocessor`` (phrases included)."""
    folder = Path(folder)
    try:
        with open(folder / "preprocessor.json", encoding="utf-8") as f:
            head = json.load(f)
        found = (head.get("format"), head["pipeline_version"])
        if found != (PREPROCESSOR_FORMAT, PIPELINE_VERSION):
            raise StoreError(f"{folder}: preprocessor of format {found[0]!r} and pipeline "
                             f"version {found[1]!r}, expected {PREPROCESSOR_FORMAT} and "
                             f"{PIPELINE_VERSION} (written by another version of topics)")
        phrases = load_phrases(folder, head["phrase_models"])
        options = resolve_options(**head["options"])
        stopwords = (frozenset(head["stopwords"]), str(head["stopword_source"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ConfigError) as err:
        raise StoreError(f"{folder}: cannot read the saved preprocessor ({err})") from None
    return make_preprocessor(options, phrases=tuple(phrases), stopwords=stopwords)


def save_prepared(corpus: Corpus, entry: str | Path) -> Corpus:
    """Save a corpus with its ``preprocessor`` as one cache entry, atomically."""
    entry = Path(entry)
    with atomic_folder(entry) as staged:
        (staged / "corpus").mkdir()
        write_corpus_files(corpus, staged / "corpus")
        if corpus.preprocessor is not None:
            save_preprocessor(corpus.preprocessor, staged / "preprocessor")
    return replace(corpus, path=entry / "corpus")


def load_prepared(entry: str | Path) -> Corpus:
    """Load a cache entry: the corpus, with its ``preprocessor`` when one was saved."""
    entry = Path(entry)
    corpus = load_corpus(entry / "corpus")
    if (entry / "preprocessor").is_dir():
        corpus = replace(corpus, preprocessor=load_preprocessor(entry / "preprocessor"))
    return corpus


def _cached(entry: Path) -> Corpus | None:
    if not entry.is_dir():
        return None
    try:
        corpus = load_prepared(entry)
    except StoreError as err:
        logger.warning("ignoring damaged cache entry %s (rebuilding it): %s", entry, err)
        return None
    logger.info("preprocessing cache hit: loaded %s (%d documents)", entry, len(corpus))
    return corpus


def _build(documents: Iterable[Document], opts: PreprocessOptions, stopwords, folder: Path | None,
           **build_args: Any) -> Corpus:
    """The corpus in memory; or, with ``folder`` (a new empty folder), the tokens streamed
    through a scratch file beside it and the corpus written to ``folder`` as it is built."""
    debris = None
    if opts.debris:
        documents, debris = remove_debris(list(documents))
        logger.info("debris removed: %s", debris)
    path = None if folder is None else folder.parent / "tokens.jsonl"
    doc_ids, meta, texts, pre, dictionary = tokenize_corpus(documents, opts, path=path,
                                                            stopwords=stopwords)
    extra = {"pipeline_version": PIPELINE_VERSION, "stopwords": pre.stopword_source,
             "phrases_learned": sum(len(m.phrasegrams) for m in pre.phrases),
             "options": opts.as_dict(),
             **token_length_profile(itertools.chain(pre.words.raw_tokens(),
                                                    pre.pretokenized_words.raw_tokens()))}
    if debris is not None:
        extra["debris"] = debris
    corpus = build_corpus(doc_ids, meta, texts, no_below=opts.no_below,
                          no_above=opts.no_above, keep_n=opts.keep_n, extra_stats=extra,
                          folder=folder, dictionary=dictionary, **build_args)
    if folder is not None:
        texts.path.unlink()
    return replace(corpus, preprocessor=pre)


def _build_entry(documents: Iterable[Document], opts: PreprocessOptions, stopwords, entry: Path,
                 **build_args: Any) -> Corpus:
    """Build straight into a new cache entry (texts stream to disk), moved in atomically."""
    with atomic_folder(entry) as staged:
        (staged / "corpus").mkdir()
        corpus = _build(documents, opts, stopwords, staged / "corpus", **build_args)
        testhooks.pause("cache-entry-write")
        save_preprocessor(corpus.preprocessor, staged / "preprocessor")
    logger.info("preprocessed corpus saved to %s", entry)
    return replace(load_corpus(entry / "corpus"), preprocessor=corpus.preprocessor)


def _all_text_files(documents: Iterable[Document]) -> bool:
    """Some documents, all from ``.txt`` files (read up to the first that is not)."""
    seen = False
    for doc in documents:
        if not str(doc.meta.get("file", "")).endswith(".txt"):
            return False
        seen = True
    return seen


def prepare_corpus(documents: Iterable[Document], report: Any = None, *,
                   cache_dir: str | Path | None = None, use_cache: bool = True,
                   **options: Any) -> Corpus:
    """Raw documents -> ``Corpus`` (see ``topics.preprocess`` for the steps and options).

    ``documents``: a list, or a re-iterable read again on each pass (``topics.io.
    stream_documents``: then the raw texts are in memory only while they are tokenised),
    or an iterator (listed first).  ``report`` is the reader's ``ReadReport`` (recorded in
    ``stats``; a streamed source fills it on the first pass, which hashes the documents).  With ``cache_dir`` the
    result is saved under ``cache_dir/<key>`` (``corpus.path`` is its corpus folder) and a
    later call with the same documents, report and options loads it instead of recomputing;
    ``use_cache=False`` recomputes and overwrites the entry.  With a ``cache_dir`` the token
    lists stream through files and the returned corpus reads its texts from disk (memory
    stays flat in the corpus size); without, they are returned in memory.  The returned
    corpus carries the fitted ``preprocessor`` (``corpus.transform_text``), also after a
    cache hit.
    """
    opts = resolve_options(**options)
    if isinstance(documents, Iterator):  # one pass only; a re-iterable source is streamed
        documents = list(documents)
    if opts.debris == "auto":  # on for folders of text files (what scraping leaves debris in)
        opts = replace(opts, debris=_all_text_files(documents))
    content = corpus_hash(documents)  # a streamed corpus's read errors come first
    stopwords = resolve_stopwords(opts.stopwords, opts.extra_stopwords)
    key = cache_key(content, opts, stopwords[0], report)
    build_args = dict(report=report, key=key, content_hash=content)
    if cache_dir is None:
        corpus = _build(documents, opts, stopwords, None, **build_args)
        warn_long_tokens(corpus.stats)
        return corpus
    entry = Path(cache_dir) / key
    corpus = _cached(entry) if use_cache else None
    if corpus is None:
        corpus = _build_entry(documents, opts, stopwords, entry, **build_args)
    warn_long_tokens(corpus.stats)
    return corpus
