"""The fitted transformation (``Preprocessor``) and the pass over a whole document list.

Steps, in order, each switched by an option: segmentation (``segment``), unicode
normalisation (``normalize``), tokenising (``tokenize``; whitespace split when off),
lowercasing, dropping numbers / punctuation / short tokens, stopwords, lemmatisation (the
first lemma passing the drops and stopwords; none: the word is dropped), phrases; the
vocabulary filters follow in ``topics.corpus.build_corpus``.  Pre-tokenised documents
(``Document.tokens`` set, e.g. OCTIS) skip normalising, tokenising and lemmatising.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from topics.corpus import TextsWriter, TokenLines
from topics.documents import Document
from topics.preprocess.options import PreprocessOptions
from topics.preprocess.phrases import apply_phrases, learn_phrases
from topics.preprocess.segment import segment_documents
from topics.preprocess.steps import LemmaCache, WordMap, normalize_unicode, tokenize
from topics.preprocess.stopwords import resolve_stopwords

logger = logging.getLogger(__name__)

#: Bump when the same options would give different tokens or the saved preprocessor changes:
#: it is part of the cache key.
PIPELINE_VERSION = 4


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
    """The normalisation and tokenising steps (whitespace split when ``tokenize`` is off)."""
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


def _start(documents: Iterable[Document], options: PreprocessOptions,
           stopwords: tuple[frozenset[str], str] | None) -> tuple[Preprocessor, Iterable[Document]]:
    """An unfitted preprocessor, and the documents (segmented if asked)."""
    pre = make_preprocessor(options, stopwords=stopwords)
    if options.segment == "paragraph":
        documents = segment_documents(documents, min_words=options.chunk_min_words,
                                      max_words=options.chunk_max_words)
    return pre, documents


def _tokenize_into(pre: Preprocessor, documents: Iterable[Document],
                   emit: Callable[[list[str]], Any]) -> tuple[list[str], list[dict]]:
    """``emit`` every document's tokens (all steps but the phrases): (ids, metadata)."""
    doc_ids, meta = [], []
    for doc in documents:
        emit(pre.document_tokens(doc))
        doc_ids.append(doc.id)
        meta.append(doc.meta)
    logger.info("tokenised %d documents: %d distinct raw tokens", len(doc_ids), len(pre.words))
    return doc_ids, meta


def _learn_phrases(texts: Iterable[list[str]], options: PreprocessOptions) -> list:
    """The phrase models learned from ``texts`` (re-iterable; none when empty)."""
    return learn_phrases(texts, min_count=options.phrase_min_count,
                         threshold=options.phrase_threshold, scoring=options.phrase_scoring,
                         trigrams=options.trigrams)


def tokenize_to_file(documents: Iterable[Document], options: PreprocessOptions,
                     path: str | Path, *, stopwords: tuple[frozenset[str], str] | None = None
                     ) -> tuple[list[str], list[dict], Preprocessor]:
    """Run every step over the documents and learn the phrases, streaming: the token lists
    (after phrases, before the vocabulary filters) go to the new JSON-lines file ``path``
    (``topics.corpus.TokenLines``), one line per returned id; the phrase models learn from
    the file.  Raw texts are not kept.  Raises ``SetupError`` at the first text to lemmatise
    when WordNet is missing (pre-tokenised documents never need it).
    """
    path = Path(path)
    pre, docs = _start(documents, options, stopwords)
    raw = path.with_name(path.name + ".raw") if options.phrases else path
    with TextsWriter(raw) as writer:
        doc_ids, meta = _tokenize_into(pre, docs, writer.write)
    if options.phrases:
        models = _learn_phrases(TokenLines(raw), options) if doc_ids else []
        with TextsWriter(path) as writer:
            for tokens in TokenLines(raw):
                writer.write(apply_phrases(tokens, models))
        raw.unlink()
        pre = replace(pre, phrases=tuple(models))
    return doc_ids, meta, pre


def tokenize_documents(documents: Iterable[Document], options: PreprocessOptions, *,
                       stopwords: tuple[frozenset[str], str] | None = None
                       ) -> tuple[list[str], list[dict], list[list[str]], Preprocessor]:
    """``tokenize_to_file`` with the token lists kept in memory:
    ``(doc_ids, meta, texts, preprocessor)``."""
    pre, docs = _start(documents, options, stopwords)
    texts: list[list[str]] = []
    doc_ids, meta = _tokenize_into(pre, docs, texts.append)
    if options.phrases:
        models = _learn_phrases(texts, options) if doc_ids else []
        texts = [apply_phrases(tokens, models) for tokens in texts]
        pre = replace(pre, phrases=tuple(models))
    return doc_ids, meta, texts, pre
