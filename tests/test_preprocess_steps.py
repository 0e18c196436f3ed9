"""The named preprocessing steps on tiny strings, and the option validation."""

from __future__ import annotations

import pytest
from nltk.tokenize import RegexpTokenizer

from topics.errors import ConfigError, SetupError
from topics.preprocess import (BUILTIN_ENGLISH, DEFAULT_TOKEN_PATTERN, LemmaCache, drop_tokens,
                               lemmatize_tokens, lowercase, make_preprocessor,
                               normalize_unicode, remove_stopwords, resolve_options,
                               resolve_stopwords, tokenize)
from topics.preprocess.steps import is_number, is_punctuation, lemma_candidates


@pytest.fixture(scope="module")
def lemmatizer():
    from topics.resources import load_lemmatizer

    try:
        return load_lemmatizer()
    except SetupError as err:
        pytest.skip(f"WordNet is not installed (run `topics setup`): {err}")


def test_normalize_turns_curly_quotes_dashes_and_ligatures_to_ascii():
    text = "\u201cNo\u2011confidence\u201d \ufb01les \u2014 it\u2019s 2022\u20132023"
    assert normalize_unicode(text) == "\"No-confidence\" files -- it's 2022-2023"


def test_tokenize_keeps_hyphenated_words_and_splits_apostrophes_and_dashes():
    text = "A no-confidence motion -- multi-vector policy; the Minister's 2,000 ouster_x!"
    assert tokenize(text) == ["A", "no-confidence", "motion", "multi-vector", "policy", "the",
                              "Minister", "s", "2", "000", "ouster", "x"]


def test_default_tokenizer_gives_nltk_regexp_tokenizer_tokens():
    text = ("Imran Khan\u2019s ouster\u2014a \u201cregime-change\u201d? Caf\u00e9s, na\u00efve "
            "co-op \u0411\u0435\u043b\u0430\u0440\u0443\u0441\u044c 3.5% --x-- _a_ e\u0301t\u00e9\n")
    ascii_text = ("It's a no-confidence vote_2 -- x-- --y 3.5% co-op\n\tU.S.-led "
                  + "".join(map(chr, range(128))) + " A-b-C9-_-z- a--b Zz-0-")
    for sample in (text, ascii_text):
        nltk_tokens = RegexpTokenizer(DEFAULT_TOKEN_PATTERN).tokenize(sample)
        assert tokenize(sample) == nltk_tokens
    assert tokenize(text)[4:6] == ["a", "regime-change"]
    # a combining accent stays inside its word, as in NLTK (stdlib ``re`` would split it)
    assert "Caf\u00e9s" in tokenize(text) and "e\u0301t\u00e9" in tokenize(text)


def test_custom_pattern_goes_through_nltk():
    assert tokenize("ab-cd ef", r"\S+") == ["ab-cd", "ef"]


def test_lowercase():
    assert lowercase(["Regime", "USA", "x"]) == ["regime", "usa", "x"]


def test_drop_tokens_numbers_punctuation_and_short_ones():
    tokens = ["2022", "3.5", "10-12", "--", "...", "g20", "covid-19", "us", "war"]
    assert drop_tokens(tokens, min_length=3) == ["g20", "covid-19", "war"]
    assert drop_tokens(tokens, numbers=False, min_length=3) == [
        "2022", "3.5", "10-12", "g20", "covid-19", "war"]
    assert drop_tokens(tokens, numbers=False, punctuation=False, min_length=1) == tokens


def test_letter_like_numerals_are_numbers_not_words():
    for token in ["2022", "\u3007\u3007\u3007", "\u2182\u2182", "\u216b", "\u00bd", "\u00b2"]:
        assert is_number(token) and not is_punctuation(token), token
    for token in ["g20", "\u5341", "caf\u00e9"]:  # \u5341 "ten" is a letter (Lo) with a value
        assert not is_number(token) and not is_punctuation(token), token
    assert is_punctuation("--") and is_punctuation("\u0301")
    assert drop_tokens(["\u3007\u3007\u3007", "\u2182\u2182\u2182", "war"]) == ["war"]


def test_remove_stopwords_with_builtin_list_and_extras():
    words, source = resolve_stopwords("english", ("russia",))
    assert source.endswith("+1 extra")
    assert remove_stopwords(["the", "west", "and", "russia", "react"], words) == ["west", "react"]
    assert {"the", "don", "t", "s"} <= BUILTIN_ENGLISH
    assert resolve_stopwords("none") == (frozenset(), "none")


@pytest.mark.slow
def test_lemmatizer_noun_then_verb(lemmatizer):
    cache = LemmaCache("nv", loader=lambda: lemmatizer)
    assert lemmatize_tokens(["geese", "running", "sanctions", "elections", "led"], cache) == [
        "goose", "run", "sanction", "election", "lead"]
    assert len(cache) == 5
    noun_only = LemmaCache("n", loader=lambda: lemmatizer)
    assert lemmatize_tokens(["geese", "running"], noun_only) == ["goose", "running"]


@pytest.mark.slow
def test_noun_and_verb_readings_that_agree_are_preferred(lemmatizer):
    # NLTK's noun lemma is the shortest: "dy" (dysprosium) for "dies", "us" for "uses"
    assert lemmatizer.lemmatize("dies", "n") == "dy" and lemmatizer.lemmatize("uses") == "us"
    assert lemma_candidates(lemmatizer, "dies", "n") == ("dy", "die")
    assert lemma_candidates(lemmatizer, "dies", "nv") == ("die", "dy")
    assert lemma_candidates(lemmatizer, "uses", "nv") == ("use", "us")
    # the verb reading "rat" is not a noun lemma of "rates": the noun reading stays
    assert lemma_candidates(lemmatizer, "rates", "nv") == ("rate", "rates")
    assert lemma_candidates(lemmatizer, "running", "nv")[0] == "run"
    assert lemma_candidates(lemmatizer, "zxqv", "nv") == ("zxqv",)


def full_rule(lemmatizer, word: str) -> tuple[str, ...]:
    """The "nv" rule asking both readings every time (lemma_candidates skips the verb one
    when it cannot change the answer)."""
    nouns = tuple(sorted(lemmatizer._morphy(word, "n"), key=len))
    verbs = tuple(sorted(lemmatizer._morphy(word, "v"), key=len))
    if not nouns or nouns[0] == word:
        return verbs or nouns or (word,)
    verb = verbs[0] if verbs else word
    if verb != word and verb in nouns:
        return (verb,) + tuple(n for n in nouns if n != verb)
    return nouns


@pytest.mark.slow
def test_nv_rule_asks_the_verb_reading_only_when_it_can_matter(lemmatizer):
    names = sorted(n for n in lemmatizer.wordnet.all_lemma_names() if n.isalpha())[::40]
    words = [name + suffix for name in names for suffix in ("", "s", "es", "ies", "ed", "ing")]
    words += ["dies", "uses", "axes", "rates", "geese", "oxen", "men", "data", "crises"]
    assert len(words) > 5000
    assert [lemma_candidates(lemmatizer, w, "nv") for w in words] == [
        full_rule(lemmatizer, w) for w in words]


@pytest.mark.slow
def test_lemmas_pass_the_length_and_stopword_filters(lemmatizer):
    pre = make_preprocessor(resolve_options(phrases=False))
    text = "The ins and outs of oxen and axes: going, goes and went; it does, he dies."
    # "in", "out", "do" are stopwords, "ox", "ax", "go" shorter than 3: the next lemma, if any
    assert pre.transform_text(text) == ["ins", "oxen", "axis", "die"]
    short = make_preprocessor(resolve_options(phrases=False, min_length=1, stopwords="none"))
    assert short.transform_text("oxen axes going") == ["ox", "ax", "go"]


@pytest.mark.slow
def test_preprocessor_text_steps_in_order(lemmatizer):
    pre = make_preprocessor(resolve_options(phrases=False))
    assert pre.transform_text("The geese were running") == ["goose", "run"]
    assert pre.transform_text("In 2022, the \u201cno\u2011confidence\u201d votes.") == [
        "no-confidence", "vote"]


def test_each_step_can_be_switched_off():
    text = "The Geese were RUNNING in 2022."
    pre = make_preprocessor(resolve_options(
        normalize=False, lowercase=False, drop_numbers=False, min_length=1, stopwords="none",
        lemmatize=False, phrases=False))
    assert pre.transform_text(text) == ["The", "Geese", "were", "RUNNING", "in", "2022"]
    pre = make_preprocessor(resolve_options(tokenize=False, lemmatize=False, phrases=False,
                                            drop_punctuation=False, min_length=1))
    assert pre.transform_text("the war, \u2014 again") == ["war,", "--"]


def test_extra_stopwords_are_lowercased_and_applied():
    opts = resolve_options(extra_stopwords=["Said", " Pakistan "], lemmatize=False, phrases=False)
    assert opts.extra_stopwords == ("pakistan", "said")
    pre = make_preprocessor(opts)
    assert pre.transform_text("Pakistan said the war ended") == ["war", "ended"]


@pytest.mark.parametrize("options, key, shown", [
    ({"min_length": 0}, "preprocess.min_length", "0"),
    ({"min_length": "3"}, "preprocess.min_length", "'3'"),
    ({"no_above": 1.5}, "preprocess.no_above", "1.5"),
    ({"no_below": True}, "preprocess.no_below", "True"),
    ({"keep_n": 0}, "preprocess.keep_n", "0"),
    ({"segment": "sentence"}, "preprocess.segment", "'sentence'"),
    ({"segment": True}, "preprocess.segment", "True"),
    ({"stopwords": "french"}, "preprocess.stopwords", "'french'"),
    ({"extra_stopwords": "said"}, "preprocess.extra_stopwords", "'said'"),
    ({"lemmatize_pos": "x"}, "preprocess.lemmatize_pos", "'x'"),
    ({"phrase_threshold": 0}, "preprocess.phrase_threshold", "0"),
    ({"phrase_scoring": "npmi", "phrase_threshold": 10}, "preprocess.phrase_threshold", "10"),
    ({"chunk_min_words": 100, "chunk_max_words": 50}, "preprocess.chunk_max_words", "50"),
    ({"token_pattern": "(a)b"}, "preprocess.token_pattern", "'(a)b'"),
    ({"token_pattern": "[a"}, "preprocess.token_pattern", "'[a'"),
    ({"lowercase": "yes"}, "preprocess.lowercase", "'yes'"),
    ({"bigrams": True}, "preprocess.bigrams", "unknown option"),
])
def test_bad_options_name_the_key_and_value(options, key, shown):
    with pytest.raises(ConfigError) as info:
        resolve_options(**options)
    assert info.value.key == key
    assert shown in info.value.message


def test_options_round_trip_through_as_dict():
    opts = resolve_options(segment="paragraph", extra_stopwords=["b", "a"], keep_n=None)
    assert resolve_options(**opts.as_dict()) == opts
