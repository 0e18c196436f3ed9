"""Any text in, no crash out: the preprocessing pipeline on arbitrary Unicode.

Control characters, right-to-left scripts, emoji sequences, very long tokens, documents of
only punctuation, and one 10 MB document.  The pipeline never raises (a corpus with no word
left at all is the one documented ``ConfigError``), and every token it puts out satisfies
the configured filters, checked here with Unicode categories rather than the pipeline's
own helpers:

- ``min_length``: at least that many characters;
- ``lowercase``: equal to its own ``str.lower()``;
- ``drop_numbers``: not a number, i.e. not (decimal digits and no letter), the documented
  definition (``topics.preprocess.steps.is_number``);
- ``drop_punctuation``: holds a letter or a numeral;
- stopwords: not in the preprocessor's stopword list.

The filters apply to the final token, after lemmatising: lemmatised output is checked by
``test_lemmas_still_pass_the_length_and_stopword_filters``; letter-numbers ("〇", "ↂ") by
``test_numerals_that_are_not_decimal_digits_are_numbers``.
"""

from __future__ import annotations

import functools
import random
import string
import tempfile
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topics.documents import Document
from topics.errors import ConfigError
from topics.preprocess import make_preprocessor, prepare_corpus, resolve_options

FUZZ = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: Vocabulary filters off, so that corpus texts are exactly the per-document token lists.
NO_VOCAB_FILTERS = dict(no_below=1, no_above=1.0, keep_n=None)

# ---------------------------------------------------------------- text strategies
CONTROL = st.characters(categories=["Cc", "Cf", "Co", "Zs", "Zl", "Zp"])
RIGHT_TO_LEFT = st.characters(min_codepoint=0x0590, max_codepoint=0x08FF)  # Hebrew, Arabic...
EMOJI = st.one_of(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
                  st.sampled_from(["\u200d", "\ufe0f", "\U0001F3FD", "\u20e3", " "]))
PUNCTUATION = st.characters(categories=["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
                                        "Sm", "Sc", "Sk", "So"])
WORD_CHARS = st.characters(categories=["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Nd"])
LONG_TOKEN = st.text(WORD_CHARS, min_size=300, max_size=3000)
ENGLISH = st.sampled_from(["The", "economy", "GREW", "2022", "3.5", "don't", "No-one",
                           "running", "Minister's", "regime", "change", "...", "--"])

PIECE = st.one_of(st.text(), st.text(CONTROL), st.text(RIGHT_TO_LEFT), st.text(EMOJI),
                  st.text(PUNCTUATION), LONG_TOKEN, ENGLISH)
#: Documents mixing all of the above, joined by spaces or not at all.
TEXT = st.builds(lambda parts, sep: sep.join(parts), st.lists(PIECE, max_size=8),
                 st.sampled_from([" ", "", "\n\n", "\t"]))

OPTIONS = st.fixed_dictionaries({
    "normalize": st.booleans(), "tokenize": st.booleans(), "lowercase": st.booleans(),
    "drop_numbers": st.booleans(), "drop_punctuation": st.booleans(),
    "min_length": st.integers(1, 5), "stopwords": st.sampled_from(["english", "none"]),
    "lemmatize": st.booleans(),
})


# ---------------------------------------------------------------- the filters, independently
def _has_letter(token: str) -> bool:
    return any(unicodedata.category(c).startswith("L") for c in token)


def _has_numeral(token: str) -> bool:
    return any(c.isnumeric() for c in token)


def _has_decimal_digit(token: str) -> bool:
    return any(unicodedata.category(c) == "Nd" for c in token)


def filter_violations(tokens, options, stopwords, *, length_and_stopwords: bool = True
                      ) -> list[tuple[str, str]]:
    """(filter, token) for every output token a configured filter should have removed."""
    bad = []
    for token in tokens:
        if not token:
            bad.append(("empty", token))
            continue
        if options.lowercase and token != token.lower():
            bad.append(("lowercase", token))
        if options.drop_numbers and _has_decimal_digit(token) and not _has_letter(token):
            bad.append(("drop_numbers", token))
        if options.drop_punctuation and not _has_letter(token) and not _has_numeral(token):
            bad.append(("drop_punctuation", token))
        if length_and_stopwords and len(token) < options.min_length:
            bad.append(("min_length", token))
        if length_and_stopwords and token in stopwords:
            bad.append(("stopwords", token))
    return bad


@functools.lru_cache(maxsize=64)
def _preprocessor(items: tuple):
    """An unfitted preprocessor (no phrases) for the options ``items``, built once."""
    return make_preprocessor(resolve_options(phrases=False, **dict(items)))


def preprocessor_for(options: dict):
    return _preprocessor(tuple(sorted(options.items())))


def check_tokens(tokens, pre) -> None:
    assert isinstance(tokens, list) and all(isinstance(t, str) for t in tokens)
    bad = filter_violations(tokens, pre.options, pre.stopwords,
                            length_and_stopwords=not pre.options.lemmatize)
    assert not bad, bad


# ---------------------------------------------------------------- properties
@FUZZ
@given(text=TEXT, options=OPTIONS)
def test_transform_text_never_raises_and_keeps_only_filtered_tokens(text, options):
    pre = preprocessor_for(options)
    check_tokens(pre.transform_text(text), pre)


@FUZZ
@given(texts=st.lists(TEXT, min_size=1, max_size=6), options=OPTIONS)
def test_prepare_corpus_keeps_exactly_the_transformed_documents(texts, options):
    """Each kept document's tokens are ``transform_text`` of its text; a document is dropped
    exactly when that is empty; no document left at all is the documented ConfigError."""
    documents = [Document(f"doc{i}", text) for i, text in enumerate(texts)]
    pre = preprocessor_for(options)
    expected = {d.id: pre.transform_text(d.text) for d in documents}
    try:
        corpus = prepare_corpus(documents, phrases=False, **NO_VOCAB_FILTERS, **options)
    except ConfigError as err:
        assert err.key == "preprocess" and not any(expected.values()), (err, expected)
        return
    assert dict(zip(corpus.doc_ids, corpus.texts)) == {k: v for k, v in expected.items() if v}
    assert corpus.stats["emptied_by_preprocessing"] == sum(not v for v in expected.values())
    for tokens in corpus.texts:
        check_tokens(tokens, corpus.preprocessor)


@settings(FUZZ, max_examples=200)
@given(text=st.one_of(TEXT, st.text(st.characters(max_codepoint=127)),
                      st.text(st.sampled_from("aZ09-_ \u00e9\u0301"))))
def test_the_default_tokenizer_gives_nltk_regexp_tokenizer_tokens(text):
    # the toolkit runs the default pattern on faster engines (an ASCII spelling for ASCII)
    from nltk.tokenize import RegexpTokenizer

    from topics.preprocess import DEFAULT_TOKEN_PATTERN, tokenize

    assert tokenize(text) == RegexpTokenizer(DEFAULT_TOKEN_PATTERN).tokenize(text)


@settings(FUZZ, max_examples=20)
@given(texts=st.lists(TEXT, min_size=1, max_size=4))
def test_a_cached_corpus_of_any_text_loads_back_equal(texts):
    documents = [Document(f"doc{i}", text) for i, text in enumerate(texts)]
    options = dict(phrases=False, lemmatize=False, min_length=1, **NO_VOCAB_FILTERS)
    with tempfile.TemporaryDirectory() as cache_dir:
        try:
            first = prepare_corpus(documents, cache_dir=cache_dir, **options)
        except ConfigError as err:
            assert err.key == "preprocess"
            return
        again = prepare_corpus(documents, cache_dir=cache_dir, **options)
        # inside the block: a saved corpus reads its texts from the cache folder
        assert again == first
        assert again.doc_ids == first.doc_ids and list(again.texts) == list(first.texts)
        assert list(again.texts) == [first.transform_text(d.text) for d in documents
                                     if first.transform_text(d.text)]
        assert [again.transform_text(t) for t in texts] == [first.transform_text(t) for t in texts]


#: Two "words" of any script, each at least 3 letters and not a stopword or number.
WORD = st.text(st.characters(categories=["Lu", "Ll", "Lo"]), min_size=3, max_size=12)


@settings(FUZZ, max_examples=25)
@given(first=WORD, second=WORD, noise=st.lists(TEXT, min_size=1, max_size=3))
def test_phrases_learned_from_any_words_are_made_of_filtered_words(first, second, noise):
    """A pair seen in every document becomes a phrase; every part of every token still
    passes the filters, and transform_text gives the corpus tokens back."""
    texts = [f"{first} {second} {t}" for t in noise * 3] + [f"{first} {second}"] * 3
    documents = [Document(f"doc{i}", t) for i, t in enumerate(texts)]
    options = dict(phrases=True, phrase_min_count=2, phrase_threshold=0.1, lemmatize=False)
    unfitted = preprocessor_for({"lemmatize": False})
    try:
        corpus = prepare_corpus(documents, **options, **NO_VOCAB_FILTERS)
    except ConfigError as err:  # every word a stopword: nothing left
        assert err.key == "preprocess" and not any(unfitted.transform_text(t) for t in texts)
        return
    pre = corpus.preprocessor
    kept = dict(zip(corpus.doc_ids, corpus.texts))
    for doc in documents:
        tokens = pre.transform_text(doc.text)
        assert kept.get(doc.id, []) == tokens
        parts = [part for token in tokens for part in token.split("_")]
        assert not filter_violations(parts, pre.options, pre.stopwords)
    words = unfitted.transform_text(first) + unfitted.transform_text(second)
    if len(words) == 2 and words[0] != words[1]:  # both kept as one word each: a phrase
        pair = pre.transform_text(f"{first} {second}")
        assert pair == ["_".join(words)], (pair, corpus.stats["top_phrases"])


# ---------------------------------------------------------------- named documents
PUNCTUATION_ONLY = ["...!!!???", "— – - -- ---", "«»‹›“”„", "(){}[]<>", "#$%&*+/=@\\^`|~",
                    "¡¿§¶†‡•‰′″‴", "、。〃〈〉《》「」"]


def test_documents_of_only_punctuation_are_dropped_and_counted():
    documents = [Document(f"p{i}", t) for i, t in enumerate(PUNCTUATION_ONLY)]
    with pytest.raises(ConfigError) as err:
        prepare_corpus(documents, **NO_VOCAB_FILTERS)
    assert err.value.key == "preprocess" and "\n" not in err.value.one_line()
    good = Document("good", "Markets rallied strongly as inflation eased.")
    corpus = prepare_corpus([*documents, good], phrases=False, **NO_VOCAB_FILTERS)
    assert corpus.doc_ids == ["good"]
    assert corpus.stats["emptied_by_preprocessing"] == len(PUNCTUATION_ONLY)
    assert corpus.texts == [["market", "rally", "strongly", "inflation", "ease"]]


def test_control_characters_split_words_and_vanish():
    text = "inflation\x00rose\x1b\u200bsharply\u202e\u2066markets\ufeff\x7ffell\r\n"
    pre = preprocessor_for({"lemmatize": False})
    tokens = pre.transform_text(text)
    assert tokens == ["inflation", "rose", "sharply", "markets", "fell"]


def test_right_to_left_scripts_keep_their_words():
    pre = preprocessor_for({"lemmatize": False, "stopwords": "none"})
    assert pre.transform_text("السلام عليكم שלום עולם") == ["السلام", "عليكم", "שלום", "עולם"]


def _ten_megabytes(rng: random.Random) -> str:
    letters = string.ascii_letters + "éßçøåñüΩπжщمرحبשלום中文字"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 12)))
             for _ in range(5000)]
    odd = ["2022", "3.5", "...", "--", "😀👍🏽", "\u200d", "\x00", "\x1b[31m", "ﷺ", "¼", "\u202e"]
    parts, size = [], 0
    while size < 10 * 2**20:
        part = rng.choice(words) if rng.random() < 0.9 else rng.choice(odd)
        parts.append(part)
        size += len(part.encode("utf-8")) + 1
    parts.append("x" * 100_000)  # one 100,000-letter token
    return " ".join(parts)


@pytest.mark.slow
def test_a_ten_megabyte_document():
    big = _ten_megabytes(random.Random(0))
    assert len(big.encode("utf-8")) >= 10 * 2**20
    documents = [Document("big", big), Document("small", "Markets rallied as inflation eased.")]
    corpus = prepare_corpus(documents, **NO_VOCAB_FILTERS)
    assert corpus.doc_ids == ["big", "small"]
    pre = corpus.preprocessor
    assert "x" * 100_000 in corpus.vocab
    for tokens in corpus.texts:
        parts = [part for token in tokens for part in token.split("_")]
        assert not filter_violations(parts, pre.options, pre.stopwords,
                                     length_and_stopwords=False)
    assert len(corpus.texts[0]) > 500_000


def test_the_seed_articles_obey_the_filters(seeds_dir):
    """The shared seed articles (the conftest fixture), with the default options."""
    from topics.io import read_documents

    documents, _ = read_documents(seeds_dir)
    corpus = prepare_corpus(documents, **NO_VOCAB_FILTERS)
    pre = corpus.preprocessor
    assert corpus.doc_ids == [d.id for d in documents]
    # Text files: debris removal is on by default, so the tokens are those of the cleaned text.
    from topics.preprocess import remove_debris

    assert corpus.stats["options"]["debris"] is True
    cleaned, _ = remove_debris(documents)
    for doc, tokens in zip(cleaned, corpus.texts):
        assert tokens == pre.transform_text(doc.text)
        parts = [part for token in tokens for part in token.split("_")]
        assert not filter_violations(parts, pre.options, pre.stopwords,
                                     length_and_stopwords=False)


# ---------------------------------------------------------------- lemmas and numerals
def test_lemmas_still_pass_the_length_and_stopword_filters():
    pre = preprocessor_for({"lemmatize": True})
    tokens = pre.transform_text("The ins and outs, the ups and downs, of oxen and axes.")
    assert tokens, "the words themselves are not stopwords"
    assert not filter_violations(tokens, pre.options, pre.stopwords), tokens


def test_numerals_that_are_not_decimal_digits_are_numbers():
    text = "〇〇〇 ↂↂↂ"
    kept = preprocessor_for({"lemmatize": False, "drop_numbers": False})
    assert kept.transform_text(text) == ["〇〇〇", "ↂↂↂ"]
    assert preprocessor_for({"lemmatize": False}).transform_text(text) == []
