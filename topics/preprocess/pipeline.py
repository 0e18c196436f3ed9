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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from topics.corpus import TextsWriter, TokenLines
from topics.documents import Document
from topics.preprocess.counts import DictionaryCounts
from topics.preprocess.options import PreprocessOptions
from topics.preprocess.parallel import FinalWords, iter_chunks
from topics.preprocess.phrases import apply_phrases, learn_phrases
from topics.preprocess.segment import segment_documents
from topics.preprocess.steps import LemmaCache, WordMap, raw_tokens
from topics.preprocess.stopwords import resolve_stopwords

logger = logging.getLogger(__name__)

#: Bump when the same options would give different tokens or the saved preprocessor changes:
#: it is part of the cache key.
PIPELINE_VERSION = 4
#: Documents of a streamed source held in memory at once by the token stage.
BATCH_DOCUMENTS = 200_000


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


class Tokenized(NamedTuple):
    """The token stage's result: ids, metadata, token lists (a list, or ``TokenLines`` on
    disk), the fitted preprocessor and, when it could be counted on the way, the
    ``Dictionary`` of the non-empty token lists (None after phrases or for pre-tokenised
    documents: ``topics.corpus.build_corpus`` then counts it)."""

    doc_ids: list[str]
    meta: list[dict]
    texts: Any
    preprocessor: Preprocessor
    dictionary: Any = None


def _tokenize_into(pre: Preprocessor, documents: Iterable[Document],
                   emit: Callable[[list[str]], Any], *, count: bool = False
                   ) -> tuple[list[str], list[dict], Any]:
    """``emit`` every document's tokens (all steps but the phrases): (ids, metadata,
    ``Dictionary`` of the tokens when ``count``, else None).  Raw texts go through
    ``topics.preprocess.parallel`` (in chunks, on several processes for a large corpus),
    ``BATCH_DOCUMENTS`` documents of a streamed source at a time; pre-tokenised documents
    one by one (the tokens are then not counted)."""
    doc_ids: list[str] = []
    meta: list[dict] = []
    finals, counts, counted = FinalWords(pre.words), DictionaryCounts(), count
    for batch in _batches(documents):
        doc_ids += [doc.id for doc in batch]
        meta += [doc.meta for doc in batch]
        if any(doc.tokens is not None for doc in batch):
            counted = False
            for doc in batch:
                emit(pre.document_tokens(doc))
            continue
        for chunk in iter_chunks([doc.text for doc in batch], pre.words, pre.options,
                                 finals=finals):
            for tokens in chunk.texts:
                emit(tokens)
            if counted:
                counts.add(chunk.ids, chunk.lengths)
    logger.info("tokenised %d documents: %d distinct raw tokens", len(doc_ids), len(pre.words))
    return doc_ids, meta, counts.dictionary(finals.words) if counted else None


def _batches(documents: Iterable[Document]) -> Iterator[Sequence[Document]]:
    """A list of documents as it is; any other iterable in lists of ``BATCH_DOCUMENTS``."""
    if isinstance(documents, (list, tuple)):
        yield documents
        return
    iterator = iter(documents)
    while batch := list(islice(iterator, BATCH_DOCUMENTS)):
        yield batch


def _learn_phrases(texts: Iterable[list[str]], options: PreprocessOptions) -> list:
    """The phrase models learned from ``texts`` (re-iterable; none when empty)."""
    return learn_phrases(texts, min_count=options.phrase_min_count,
                         threshold=options.phrase_threshold, scoring=options.phrase_scoring,
                         trigrams=options.trigrams)


def tokenize_corpus(documents: Iterable[Document], options: PreprocessOptions, *,
                    path: str | Path | None = None,
                    stopwords: tuple[frozenset[str], str] | None = None) -> Tokenized:
    """Run every step over the documents and learn the phrases.  With ``path`` the token
    lists (after phrases, before the vocabulary filters) stream to the new JSON-lines file
    ``path`` (``topics.corpus.TokenLines``), one line per id, and the phrase models learn
    from the file; without, they are kept in memory.  Raw texts are not kept.  Raises
    ``SetupError`` at the first text to lemmatise when WordNet is missing (pre-tokenised
    documents never need it).
    """
    pre, docs = _start(documents, options, stopwords)
    count = not options.phrases  # phrases rewrite the token lists after counting
    if path is None:
        texts: Any = []
        doc_ids, meta, dictionary = _tokenize_into(pre, docs, texts.append, count=count)
    else:
        path = Path(path)
        texts = TokenLines(path)
        raw = path.with_name(path.name + ".raw") if options.phrases else path
        with TextsWriter(raw) as writer:
            doc_ids, meta, dictionary = _tokenize_into(pre, docs, writer.write, count=count)
    if options.phrases:
        models = _learn_phrases(texts if path is None else TokenLines(raw), options) \
            if doc_ids else []
        pre = replace(pre, phrases=tuple(models))
        if path is None:
            texts = [apply_phrases(tokens, models) for tokens in texts]
        else:
            with TextsWriter(path) as writer:
                for tokens in TokenLines(raw):
                    writer.write(apply_phrases(tokens, models))
            raw.unlink()
    return Tokenized(doc_ids, meta, texts, pre, dictionary)


def tokenize_to_file(documents: Iterable[Document], options: PreprocessOptions,
                     path: str | Path, *, stopwords: tuple[frozenset[str], str] | None = None
                     ) -> tuple[list[str], list[dict], Preprocessor]:
    """``tokenize_corpus`` streaming to ``path``: ``(doc_ids, meta, preprocessor)``."""
    result = tokenize_corpus(documents, options, path=path, stopwords=stopwords)
    return result.doc_ids, result.meta, result.preprocessor


def tokenize_documents(documents: Iterable[Document], options: PreprocessOptions, *,
                       stopwords: tuple[frozenset[str], str] | None = None
                       ) -> tuple[list[str], list[dict], list[list[str]], Preprocessor]:
    """``tokenize_corpus`` with the token lists kept in memory:
    ``(doc_ids, meta, texts, preprocessor)``."""
    result = tokenize_corpus(documents, options, stopwords=stopwords)
    return result.doc_ids, result.meta, result.texts, result.preprocessor
