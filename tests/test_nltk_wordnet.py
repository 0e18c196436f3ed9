"""The NLTK internals topics.nltk_wordnet relies on are still there (fails on a changed NLTK)."""

from __future__ import annotations

import nltk
import pytest

from topics import nltk_wordnet
from topics.errors import SetupError


def test_installed_nltk_keeps_the_internals_we_rely_on():
    problems = nltk_wordnet.internals_problems()
    assert problems == [], (f"NLTK {nltk.__version__} changed the WordNet internals that "
                            f"topics/nltk_wordnet.py relies on: {problems}")


def test_a_changed_reader_is_reported_by_name():
    class Reader:  # what a future NLTK might look like: no _morphy, map30 built elsewhere
        def __init__(self, root, omw_reader):
            self.root = root

        def map_wn(self, version="wordnet"):
            return {}

    class Lemmatizer:
        def lemmatize(self, word, pos="n"):
            return word

    problems = nltk_wordnet.internals_problems(Reader, Lemmatizer)
    assert "Reader._morphy('form', 'pos', 'check_exceptions') is now missing" in problems
    assert "Lemmatizer._morphy('form', 'pos', 'check_exceptions') is now missing" in problems
    assert "Reader.__init__ no longer builds map30 with map_wn()" in problems
    assert len(problems) == 3


def test_lemma_analyses_are_nltks_own():
    from nltk.stem import WordNetLemmatizer

    try:
        ours = nltk_wordnet.lemmatizer(None)
        assert nltk_wordnet.lemma_analyses(ours, "geese", "n") == ["goose"]
    except (LookupError, SetupError) as err:
        pytest.skip(f"WordNet not installed: {err}")
    theirs = WordNetLemmatizer()
    for word, pos in (("axes", "n"), ("uses", "n"), ("running", "v"), ("dies", "v")):
        assert nltk_wordnet.lemma_analyses(ours, word, pos) == theirs._morphy(word, pos)
        assert ours.lemmatize(word, pos) == theirs.lemmatize(word, pos)


def test_the_omw_map_is_built_on_first_use_only():
    try:
        reader = nltk_wordnet.wordnet_reader(None)
        reader.ensure_loaded() if hasattr(reader, "ensure_loaded") else None
    except (LookupError, SetupError) as err:
        pytest.skip(f"WordNet not installed: {err}")
    assert reader._map30 is nltk_wordnet._DEFERRED or isinstance(reader._map30, dict)
