"""The named token steps, in pipeline order; each is a plain function on a string or token list.

``WordMap`` composes the per-token steps (lowercase, drops, stopwords, lemmatisation) and
caches the result per distinct word, so their cost grows with the vocabulary, not the token
count.  The drops and stopwords apply to the word and again to its lemma: the final word
passes every filter.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from topics.nltk_wordnet import lemma_analyses
from topics.preprocess.options import DEFAULT_TOKEN_PATTERN

#: Curly quotes, primes and dashes to ASCII (after NFKC).  Em and horizontal-bar dashes become
#: "--" so that "war—and" does not read as one hyphenated word; the soft hyphen is removed.
_ASCII = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
    "\u2014": "--", "\u2015": "--", "\u00ad": None,
})
#: RegexpTokenizer's default flags.
_TOKEN_FLAGS = re.UNICODE | re.MULTILINE | re.DOTALL
#: ``DEFAULT_TOKEN_PATTERN`` for ASCII text: there ``[^\W_]`` (a letter or digit) is exactly
#: ``[0-9A-Za-z]``, which ``re`` matches about 1.5x faster.
ASCII_DEFAULT_PATTERN = r"[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*"


def normalize_unicode(text: str) -> str:
    """NFKC-normalise ``text`` and turn curly quotes and dashes into ASCII ones."""
    return unicodedata.normalize("NFKC", text).translate(_ASCII)


@functools.lru_cache(maxsize=8)
def _tokenizer(pattern: str) -> Callable[[str], list[str]]:
    from nltk.tokenize import RegexpTokenizer

    if pattern != DEFAULT_TOKEN_PATTERN:
        return RegexpTokenizer(pattern, flags=_TOKEN_FLAGS).tokenize
    # NLTK 3.10 runs every RegexpTokenizer pattern through its ReDoS guard (the ``regex``
    # engine under a timeout), 2-4x slower.  The guard is for untrusted patterns; the default
    # one is ours and linear, so it runs on the same engine without the timeout, or, for ASCII
    # text, on ``re`` with its ASCII spelling (faster; tests compare the tokens with NLTK's).
    import regex

    ascii_findall = re.compile(ASCII_DEFAULT_PATTERN).findall
    unicode_findall = regex.compile(pattern, _TOKEN_FLAGS).findall
    return lambda text: ascii_findall(text) if text.isascii() else unicode_findall(text)


def tokenize(text: str, pattern: str = DEFAULT_TOKEN_PATTERN) -> list[str]:
    """Split ``text`` into the matches of ``pattern``, as NLTK's ``RegexpTokenizer`` does."""
    return _tokenizer(pattern)(text)


def raw_tokens(text: str, options: Any) -> list[str]:
    """The normalisation and tokenising steps of ``options`` (``PreprocessOptions``;
    whitespace split when ``tokenize`` is off)."""
    if options.normalize:
        text = normalize_unicode(text)
    return tokenize(text, options.token_pattern) if options.tokenize else text.split()


def lowercase(tokens: Iterable[str]) -> list[str]:
    """Lowercase every token."""
    return [t.lower() for t in tokens]


def _has_letter(token: str) -> bool:
    return any(c.isalpha() for c in token)  # Unicode categories L*


def _has_numeral(token: str) -> bool:
    return any(c.isnumeric() for c in token)  # N* (digits, "ↂ", "〇", "½") and numeric CJK


def is_number(token: str) -> bool:
    """A token with numerals and no letter: "2022", "3.5", "1,000", "10-12", and letter-like
    numerals (Unicode Nl/No: "〇〇〇", "ↂↂ", "½") too."""
    return not _has_letter(token) and _has_numeral(token)


def is_punctuation(token: str) -> bool:
    """A token with neither letters nor numerals: "--", "...", "'"."""
    return not _has_letter(token) and not _has_numeral(token)


def keeps_token(token: str, *, numbers: bool = True, punctuation: bool = True,
                min_length: int = 1) -> bool:
    """Whether ``token`` survives ``drop_tokens`` with the same options."""
    if len(token) < min_length:
        return False
    return token.isalpha() or not ((numbers and is_number(token))
                                   or (punctuation and is_punctuation(token)))


def drop_tokens(tokens: Iterable[str], *, numbers: bool = True, punctuation: bool = True,
                min_length: int = 1) -> list[str]:
    """Drop numbers and punctuation (when asked) and tokens shorter than ``min_length``."""
    return [tok for tok in tokens
            if keeps_token(tok, numbers=numbers, punctuation=punctuation, min_length=min_length)]


def remove_stopwords(tokens: Iterable[str], stopwords: frozenset[str]) -> list[str]:
    """Drop the tokens in ``stopwords`` (compared as they are: lowercase them first)."""
    return [t for t in tokens if t not in stopwords]


def _analyses(lemmatizer: Any, word: str, pos: str) -> tuple[str, ...]:
    # Every WordNet lemma of ``word``; NLTK's ``lemmatize`` returns the shortest (the first
    # of equals).  Only topics.nltk_wordnet touches NLTK's internals.
    return tuple(sorted(lemma_analyses(lemmatizer, word, pos), key=len))


def lemma_candidates(lemmatizer: Any, word: str, pos: str) -> tuple[str, ...]:
    """The WordNet lemmas of ``word``, preferred first; ``(word,)`` when WordNet knows none.

    For one part of speech: its lemmas, shortest first (the first is NLTK's ``lemmatize``).
    ``pos`` "nv": the noun lemmas when the shortest changes the word, else the verb lemmas;
    when both readings change the word and the verb lemma is also a noun lemma, it comes
    first ("dies" -> "die", not "dy"; "uses" -> "use", not "us"; "axes" -> "ax", "axis").
    """
    if pos != "nv":
        return _analyses(lemmatizer, word, pos) or (word,)
    nouns = _analyses(lemmatizer, word, "n")
    if len(nouns) == 1 and nouns[0] != word:
        return nouns  # one changed noun lemma: the verb reading cannot come first
    verbs = _analyses(lemmatizer, word, "v")
    if not nouns or nouns[0] == word:
        return verbs or nouns or (word,)
    verb = verbs[0] if verbs else word
    if verb != word and verb in nouns:
        return (verb,) + tuple(n for n in nouns if n != verb)
    return nouns


def lemmatize_word(lemmatizer: Any, word: str, pos: str) -> str:
    """The preferred WordNet lemma of ``word`` (``lemma_candidates``' first)."""
    return lemma_candidates(lemmatizer, word, pos)[0]


class LemmaCache:
    """``lemma_candidates`` cached per distinct word (an explicit cache object).

    The lemmatiser is loaded on first use with ``loader`` (default
    ``topics.resources.load_lemmatizer``, which raises ``SetupError`` without WordNet).
    """

    def __init__(self, pos: str = "nv", loader: Callable[[], Any] | None = None):
        self.pos = pos
        self._loader = loader
        self._lemmatizer = None
        self._lemmas: dict[str, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._lemmas)

    def lemmatizer(self) -> Any:
        if self._lemmatizer is None:
            if self._loader is None:
                from topics.resources import load_lemmatizer

                self._loader = load_lemmatizer
            self._lemmatizer = self._loader()
        return self._lemmatizer

    def candidates(self, word: str) -> tuple[str, ...]:
        """The lemmas of one word, preferred first (computed once)."""
        lemmas = self._lemmas.get(word)
        if lemmas is None:
            lemmas = self._lemmas[word] = lemma_candidates(self.lemmatizer(), word, self.pos)
        return lemmas

    def lemma(self, word: str) -> str:
        """The preferred lemma of one word."""
        return self.candidates(word)[0]

    def map_tokens(self, tokens: list[str]) -> list[str]:
        """The preferred lemma of every token: WordNet is asked once per new word."""
        return [self.candidates(token)[0] for token in tokens]

    def has(self, word: str) -> bool:
        """Whether the lemmas of ``word`` are cached."""
        return word in self._lemmas

    def store(self, words: Iterable[str], candidates: Iterable[tuple[str, ...]]) -> None:
        """Cache lemmas computed elsewhere (``candidates`` of each word, for this ``pos``)."""
        self._lemmas.update(zip(words, candidates))


def lemmatize_tokens(tokens: Iterable[str], cache: LemmaCache) -> list[str]:
    """Replace every token by its WordNet lemma, through ``cache``."""
    return cache.map_tokens(list(tokens))


class _WordCache(dict):
    """Raw token -> final word; a missing token is computed by ``word`` and stored, so that a
    lookup of a known token is one C-level ``dict`` access."""

    def __init__(self, word: Callable[[str], str]):
        super().__init__()
        self._word = word

    def __missing__(self, token: str) -> str:
        word = self[token] = self._word(token)
        return word


class WordMap:
    """Raw token -> final word ("" when dropped) for lowercase, drops, stopwords and lemmas,
    computed once per distinct raw token with the step functions above and cached.

    The drops and stopwords test the (lowercased) word, then its lemma: the final word is the
    first of its lemmas (``LemmaCache.candidates``) that passes them, so "ins" stays "ins"
    (its lemma "in" is a stopword), "oxen" stays "oxen" ("ox" is shorter than
    ``min_length=3``), and "going" is dropped (its only lemma, "go", is too short)."""

    def __init__(self, options: Any, stopwords: frozenset[str], lemmas: LemmaCache | None):
        self.options = options
        self.stopwords = stopwords
        self.lemmas = lemmas
        self._map = _WordCache(self.word)
        #: The final word of one raw token, "" if dropped (computed once, then a dict lookup).
        self.lookup: Callable[[str], str] = self._map.__getitem__

    def __len__(self) -> int:
        return len(self._map)

    def raw_tokens(self) -> Iterable[str]:
        """The distinct raw tokens mapped so far (a view of the cache's keys)."""
        return self._map.keys()

    def keeps(self, word: str) -> bool:
        """Whether ``word`` passes the drops (numbers, punctuation, length) and stopwords."""
        opts = self.options
        return word not in self.stopwords and keeps_token(
            word, numbers=opts.drop_numbers, punctuation=opts.drop_punctuation,
            min_length=opts.min_length)

    def word(self, token: str) -> str:
        """The final word for one raw token, "" if a step drops it (not cached)."""
        word = token.lower() if self.options.lowercase else token
        if not self.keeps(word):
            return ""
        if self.lemmas is None:
            return word
        return next(filter(self.keeps, self.lemmas.candidates(word)), "")

    def lemma_words(self, tokens: Iterable[str]) -> list[str]:
        """The words whose lemmas mapping the raw ``tokens`` would look up in WordNet and
        the lemma cache lacks (distinct, first seen first; none without lemmatising)."""
        if self.lemmas is None:
            return []
        new = (t for t in tokens if t not in self._map)
        words = dict.fromkeys(t.lower() for t in new) if self.options.lowercase else new
        has = self.lemmas.has
        return [w for w in dict.fromkeys(words) if not has(w) and self.keeps(w)]

    def map_tokens(self, tokens: list[str]) -> list[str]:
        """Map a document's raw tokens, dropping the ones the steps drop."""
        return list(filter(None, map(self._map.__getitem__, tokens)))
