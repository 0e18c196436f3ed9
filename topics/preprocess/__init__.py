"""Preprocessing: raw ``Document``s -> ``Corpus`` (``prepare_corpus``), with a fitted
``Preprocessor`` that applies the same transformation to any string later.

Options (keyword-only, the keys of the YAML ``preprocess:`` section; see ``PreprocessOptions``):
``debris`` ("auto" | true | false: drop scraping debris, see ``topics.preprocess.debris``;
auto: on for folders of text files), ``segment`` (False | "paragraph"), ``chunk_min_words``, ``chunk_max_words``, ``normalize``,
``tokenize``, ``token_pattern``, ``lowercase``, ``drop_numbers``, ``drop_punctuation``,
``min_length``, ``stopwords`` ("english" | "none"), ``extra_stopwords``, ``lemmatize``,
``lemmatize_pos`` ("n", "v", "a", "r" or "nv": noun, then verb if unchanged; a verb lemma
that is also a noun lemma first: "dies" -> "die"), ``phrases``,
``phrase_min_count``, ``phrase_threshold``, ``phrase_scoring`` ("default" | "npmi"),
``trigrams``, ``no_below``, ``no_above``, ``keep_n``.
"""

from topics.preprocess.cache import (cache_key, load_prepared, load_preprocessor, prepare_corpus,
                                     save_prepared, save_preprocessor)
from topics.preprocess.debris import remove_debris
from topics.preprocess.options import (DEFAULT_TOKEN_PATTERN, OPTION_NAMES, PreprocessOptions,
                                       resolve_options)
from topics.preprocess.pipeline import (PIPELINE_VERSION, Preprocessor, make_preprocessor,
                                        Tokenized, raw_tokens, tokenize_corpus,
                                        tokenize_documents, tokenize_to_file)
from topics.preprocess.segment import chunk_paragraphs, segment_documents, split_paragraphs
from topics.preprocess.steps import (LemmaCache, drop_tokens, lemmatize_tokens, lowercase,
                                     normalize_unicode, remove_stopwords, tokenize)
from topics.preprocess.stopwords import BUILTIN_ENGLISH, resolve_stopwords

__all__ = [
    "BUILTIN_ENGLISH", "DEFAULT_TOKEN_PATTERN", "LemmaCache", "OPTION_NAMES", "PIPELINE_VERSION",
    "PreprocessOptions", "Preprocessor", "cache_key", "chunk_paragraphs", "drop_tokens",
    "lemmatize_tokens", "load_prepared", "load_preprocessor", "lowercase", "make_preprocessor",
    "normalize_unicode", "prepare_corpus", "raw_tokens", "remove_debris", "remove_stopwords",
    "resolve_options",
    "resolve_stopwords", "save_prepared", "save_preprocessor", "segment_documents",
    "split_paragraphs", "Tokenized", "tokenize", "tokenize_corpus", "tokenize_documents",
    "tokenize_to_file",
]
