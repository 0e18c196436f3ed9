"""The fitted transformation (``Preprocessor``) and the pass over a whole document list.

Steps, in order, each switched by an option: segmentation (``segment``), unicode
normalisation (``normalize``), tokenising (``tokenize``; whitespace split when off),
lowercasing, dropping numbers / punctuation / short tokens, stopwords, lemmatisation, phrases;
the vocabulary filters follow in ``topics.corpus.build_corpus``.  Pre-tokenised documents
(``Document.tokens`` set, e.g. OCTIS) skip normalising, tokenising and lemmatising.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice

from topics.documents import Document
from topics.preprocess.options import PreprocessOptions
from topics.preprocess.phrases import apply_phrases, learn_phrases
from topics.preprocess.segment import segment_documents
from topics.preprocess.steps import LemmaCache, WordMap, normalize_unicode, tokenize
from topics.preprocess.stopwords import resolve_stopwords

logger = logging.getLogger(__name__)

#: Bump when the same options would give different tokens: it is part of the cache key.
PIPELINE_VERSION = 1
#: Documents per batch sent to a worker process when ``n_jobs`` > 1.
BATCH_SIZE = 256


@dataclass(frozen=True)
class Preprocessor:
    """A fitted preprocessing: options, resolved stopwords, per-word caches and the learned
    phrase models.  ``transform_text`` applies exactly what made the corpus to any string."""

    options: PreprocessOptions
    stopwords: frozenset[str] = field(repr=False)
    stopword_source: str
    words: WordMap = field(compare=False, repr=False)
    pretokenized_words: WordMap = field(compare=False, repr=False)
    phrases: tuple = field(default=(), compare=False, repr=False)

    def raw_tokens(self, text: str) -> list[str]:
        """Normalise and tokenise ``text`` (no other step)."""
        return raw_tokens(text, self.options)

    def document_tokens(self, doc: Document) -> list[str]:
        """A document's tokens after every step but the phrases."""
        if doc.tokens is not None:
            return self.pretokenized_words.map_tokens(list(doc.tokens))
        return self.words.map_tokens(self.raw_tokens(doc.text))

    def transform_tokens(self, tokens: Sequence[str]) -> list[str]:
        """Pre-tokenised input through the per-token steps (no lemmatising) and the phrases."""
        return apply_phrases(self.pretokenized_words.map_tokens(list(tokens)), self.phrases)

    def transform_text(self, text: str) -> list[str]:
        """``text`` through every step, phrases included: "regime change" -> ["regime_change"]."""
        return apply_phrases(self.words.map_tokens(self.raw_tokens(text)), self.phrases)


def raw_tokens(text: str, options: PreprocessOptions) -> list[str]:
    """The normalisation and tokenising steps (a plain function: worker processes run it)."""
    if options.normalize:
        text = normalize_unicode(text)
    return tokenize(text, options.token_pattern) if options.tokenize else text.split()


def make_preprocessor(options: PreprocessOptions, *, phrases: tuple = (),
                      stopwords: tuple[frozenset[str], str] | None = None) -> Preprocessor:
    """An unfitted (or, with ``phrases``, restored) ``Preprocessor``.  ``stopwords`` is
    ``(words, source)`` as saved; by default the list is resolved now."""
    words, source = stopwords or resolve_stopwords(options.stopwords, options.extra_stopwords)
    lemmas = LemmaCache(options.lemmatize_pos) if options.lemmatize else None
    return Preprocessor(options=options, stopwords=words, stopword_source=source,
                        words=WordMap(options, words, lemmas),
                        pretokenized_words=WordMap(options, words, None), phrases=tuple(phrases))


def _batches(docs: Iterable[Document]) -> Iterator[list[Document]]:
    it = iter(docs)
    while batch := list(islice(it, BATCH_SIZE)):
        yield batch


@functools.lru_cache(maxsize=4)
def _worker_words(options: PreprocessOptions, stopwords: frozenset[str]) -> WordMap:
    """The per-word steps before lemmatising, with their cache, per worker process."""
    return WordMap(options, stopwords, None)


def _worker_batch(args: tuple) -> list[list[str] | None]:
    """In a worker: every step before lemmatising, for a batch of texts (None: pre-tokenised)."""
    texts, options, stopwords = args
    words = _worker_words(options, stopwords)
    return [None if t is None else words.map_tokens(raw_tokens(t, options)) for t in texts]


def _token_stream(pre: Preprocessor, docs: Iterable[Document]
                  ) -> Iterator[tuple[Document, list[str]]]:
    """(document, tokens before phrases).  With ``n_jobs`` > 1, forked workers run the steps
    before lemmatising over batches of documents, and this process lemmatises through its
    one cache (WordNet is asked once per distinct word in any case)."""
    if pre.options.n_jobs == 1:
        for doc in docs:
            yield doc, pre.document_tokens(doc)
        return
    held: deque[list[Document]] = deque()

    def work() -> Iterator[tuple]:
        for batch in _batches(docs):
            held.append(batch)
            yield [d.text if d.tokens is None else None for d in batch], pre.options, pre.stopwords

    lemmas = pre.words.lemmas
    with multiprocessing.get_context("fork").Pool(pre.options.n_jobs) as pool:
        for results in pool.imap(_worker_batch, work()):  # in order
            for doc, tokens in zip(held.popleft(), results):
                if tokens is None:
                    yield doc, pre.pretokenized_words.map_tokens(list(doc.tokens))
                elif lemmas is None:
                    yield doc, list(map(sys.intern, tokens))
                else:
                    yield doc, lemmas.map_tokens(tokens)


def tokenize_documents(documents: Iterable[Document], options: PreprocessOptions, *,
                       stopwords: tuple[frozenset[str], str] | None = None
                       ) -> tuple[list[str], list[dict], list[list[str]], Preprocessor]:
    """Run every step over the documents and learn the phrases.

    Returns ``(doc_ids, meta, texts, preprocessor)`` with ``texts`` after phrases and before
    the vocabulary filters.  Raw texts are not kept: only the token lists are.  Raises
    ``SetupError`` at the first text to lemmatise when WordNet is missing (pre-tokenised
    documents never need it).
    """
    pre = make_preprocessor(options, stopwords=stopwords)
    docs = documents
    if options.segment == "paragraph":
        docs = segment_documents(docs, min_words=options.chunk_min_words,
                                 max_words=options.chunk_max_words)
    doc_ids, meta, texts = [], [], []
    for doc, tokens in _token_stream(pre, docs):
        doc_ids.append(doc.id)
        meta.append(doc.meta)
        texts.append(tokens)
    logger.info("tokenised %d documents: %d distinct raw tokens", len(texts), len(pre.words))
    if options.phrases and texts:
        models = learn_phrases(texts, min_count=options.phrase_min_count,
                               threshold=options.phrase_threshold,
                               scoring=options.phrase_scoring, trigrams=options.trigrams)
        for i, tokens in enumerate(texts):  # interned: one string object per phrase
            texts[i] = list(map(sys.intern, apply_phrases(tokens, models)))
        pre = replace(pre, phrases=tuple(models))
    return doc_ids, meta, texts, pre
