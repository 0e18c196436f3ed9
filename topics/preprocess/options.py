"""The preprocessing options: one frozen, validated dataclass built from keyword options.

The option names are the keys of the YAML ``preprocess:`` section; a bad value raises
``ConfigError("preprocess.<name>", ...)`` naming the value.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from topics.errors import ConfigError

#: Words of letters and digits, hyphenated words kept whole ("no-confidence", "multi-vector").
#: Apostrophes split ("Minister's" -> "Minister", "s"); underscores are left out because they
#: join phrases ("regime_change").
DEFAULT_TOKEN_PATTERN = r"[^\W_]+(?:-[^\W_]+)*"

LEMMA_POS = ("n", "v", "a", "r", "nv")
STOPWORD_LISTS = ("english", "none")
SEGMENT_MODES = (False, "paragraph")
DEBRIS_MODES = ("auto", True, False)
PHRASE_SCORINGS = ("default", "npmi")


@dataclass(frozen=True)
class PreprocessOptions:
    """Every switch of the pipeline, in the order the steps run (see ``topics.preprocess``)."""

    debris: Any = "auto"
    segment: Any = False
    chunk_min_words: int = 40
    chunk_max_words: int = 300
    normalize: bool = True
    tokenize: bool = True
    token_pattern: str = DEFAULT_TOKEN_PATTERN
    lowercase: bool = True
    drop_numbers: bool = True
    drop_punctuation: bool = True
    min_length: int = 3
    stopwords: str = "english"
    extra_stopwords: tuple[str, ...] = ()
    lemmatize: bool = True
    lemmatize_pos: str = "nv"
    phrases: bool = True
    phrase_min_count: int = 5
    phrase_threshold: float = 10.0
    phrase_scoring: str = "default"
    trigrams: bool = False
    no_below: int = 2
    no_above: float = 0.5
    keep_n: int | None = 100000

    def __post_init__(self) -> None:
        _validate(self)

    def as_dict(self) -> dict[str, Any]:
        """The JSON-able options (``extra_stopwords`` as a list)."""
        out = dataclasses.asdict(self)
        out["extra_stopwords"] = list(self.extra_stopwords)
        return out


OPTION_NAMES = tuple(f.name for f in dataclasses.fields(PreprocessOptions))


def resolve_options(**options: Any) -> PreprocessOptions:
    """Build validated options from keywords; unknown names raise ``ConfigError``."""
    unknown = sorted(set(options) - set(OPTION_NAMES))
    if unknown:
        raise ConfigError(f"preprocess.{unknown[0]}",
                          f"unknown option; known options: {', '.join(sorted(OPTION_NAMES))}")
    extra = options.get("extra_stopwords", ())
    if isinstance(extra, str) or not isinstance(extra, (list, tuple, set, frozenset)):
        _fail("extra_stopwords", "a list of words", extra)
    if not all(isinstance(word, str) for word in extra):
        _fail("extra_stopwords", "a list of words (strings)", extra)
    options["extra_stopwords"] = tuple(sorted({w.strip().lower() for w in extra if w.strip()}))
    return PreprocessOptions(**options)


def _fail(name: str, expected: str, value: Any) -> None:
    raise ConfigError(f"preprocess.{name}", f"expected {expected}, got {value!r}")


def _check_bool(opts: PreprocessOptions, *names: str) -> None:
    for name in names:
        if not isinstance(getattr(opts, name), bool):
            _fail(name, "true or false", getattr(opts, name))


def _check_int(opts: PreprocessOptions, name: str, minimum: int, *, optional: bool = False) -> None:
    value = getattr(opts, name)
    if optional and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        _fail(name, f"an integer >= {minimum}" + (" or null" if optional else ""), value)


def _check_choice(opts: PreprocessOptions, name: str, choices: tuple) -> None:
    value = getattr(opts, name)
    if not any(value is c or (isinstance(c, str) and value == c) for c in choices):
        _fail(name, "one of " + ", ".join(repr(c) for c in choices), value)


def _check_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _validate(opts: PreprocessOptions) -> None:
    _check_bool(opts, "normalize", "tokenize", "lowercase", "drop_numbers", "drop_punctuation",
                "lemmatize", "phrases", "trigrams")
    _check_choice(opts, "segment", SEGMENT_MODES)
    _check_choice(opts, "debris", DEBRIS_MODES)
    _check_choice(opts, "stopwords", STOPWORD_LISTS)
    _check_choice(opts, "lemmatize_pos", LEMMA_POS)
    _check_choice(opts, "phrase_scoring", PHRASE_SCORINGS)
    _check_int(opts, "chunk_min_words", 1)
    _check_int(opts, "chunk_max_words", 2)
    if opts.chunk_max_words < opts.chunk_min_words:
        _fail("chunk_max_words", f">= chunk_min_words ({opts.chunk_min_words})", opts.chunk_max_words)
    _check_int(opts, "min_length", 1)
    _check_int(opts, "phrase_min_count", 1)
    _check_int(opts, "no_below", 1)
    _check_int(opts, "keep_n", 1, optional=True)
    if not _check_number(opts.no_above) or not 0 < opts.no_above <= 1:
        _fail("no_above", "a number in (0, 1]", opts.no_above)
    threshold = opts.phrase_threshold
    if opts.phrase_scoring == "npmi":
        if not _check_number(threshold) or not -1 <= threshold <= 1:
            _fail("phrase_threshold", "a number in [-1, 1] for npmi scoring", threshold)
    elif not _check_number(threshold) or threshold <= 0:
        _fail("phrase_threshold", "a number > 0", threshold)
    _check_pattern(opts.token_pattern)


def _check_pattern(pattern: Any) -> None:
    if not isinstance(pattern, str) or not pattern:
        _fail("token_pattern", "a regular expression", pattern)
    try:
        compiled = re.compile(pattern)
    except re.error as err:
        raise ConfigError("preprocess.token_pattern", f"bad regular expression {pattern!r}: {err}")
    if compiled.groups:
        _fail("token_pattern", "a pattern without capturing groups (use (?:...))", pattern)
