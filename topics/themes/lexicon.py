"""Resolving a theme lexicon against a vocabulary: which tokens each seed stands for.

A *theme* is a name and a list of seed words or phrases (the config's ``themes:`` section),
e.g. ``regime_change: [regime change, ouster, no-confidence*, lawfare]``.

Each seed goes through ``transform``, the same preprocessing as the corpus (a fitted
preprocessor's ``transform_text``), so "regime change" becomes ``regime_change`` when the
phrase model learned that pair.  Matching is explicit:

1. **Its own token.**  A seed matches the vocabulary word that *is* it: "lawfare" ->
   ``lawfare``; "regime change" -> ``regime_change`` (its joined form, even if ``transform``
   did not join it).  Longer phrases that merely contain it do *not* count: "independent"
   does not pull in ``independent_foreign_policy``.
2. **Wildcard, when asked.**  A seed ending in ``*`` ("no-confidence*", "computer*") also
   matches every vocabulary phrase holding it as a run of its parts (``no-confidence_vote``,
   ``personal_computer``).  Use it where the phrase model replaced a word's occurrences with
   phrases built around it: the report lists which phrases that let in.
3. **A phrase by its words.**  A multi-word seed whose joined token is not in the vocabulary
   counts through each of its words that is ("colour revolution" -> ``colour``,
   ``revolution``); pick phrases whose words are telling on their own.

A seed that matches nothing is *missing*: it is logged and listed in
:attr:`ResolvedThemes.missing` (with the phrases that contain it, :attr:`SeedMatch.phrases`,
a hint for a wildcard).  A theme with no word at all is a
:class:`~topics.errors.ConfigError` naming ``themes.<name>``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from topics.errors import ConfigError

log = logging.getLogger("topics.themes")

WILDCARD = "*"
SHOWN_SEEDS = 5  # missing seeds named in a log line or error; the report lists them all
HOW = ("token", "wildcard", "words", "")  # how a seed matched ("" = missing)


@dataclass(frozen=True)
class SeedMatch:
    """One seed: its tokens after preprocessing, the vocabulary words it uses, how it matched
    them (:data:`HOW`), and (``phrases``) the vocabulary phrases containing it that it does
    not use (a wildcard would)."""

    seed: str
    tokens: tuple[str, ...]
    matched: tuple[str, ...]
    how: str = ""
    phrases: tuple[str, ...] = ()

    @property
    def missing(self) -> bool:
        return not self.matched


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its distinct vocabulary words (and their ids) and every seed's match."""

    name: str
    words: tuple[str, ...]
    word_ids: tuple[int, ...]
    seeds: tuple[SeedMatch, ...]

    @property
    def missing_seeds(self) -> tuple[str, ...]:
        return tuple(s.seed for s in self.seeds if s.missing)


@dataclass(frozen=True)
class ResolvedThemes:
    """Themes resolved against one vocabulary of ``vocab_size`` words, in config order."""

    themes: tuple[Theme, ...]
    vocab_size: int

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.themes)

    @property
    def word_ids(self) -> dict[str, tuple[int, ...]]:
        """Theme name -> its vocabulary ids (what guided runs need)."""
        return {t.name: t.word_ids for t in self.themes}

    @property
    def missing(self) -> dict[str, tuple[str, ...]]:
        """Theme name -> seeds not in the vocabulary (only themes with some missing)."""
        return {t.name: t.missing_seeds for t in self.themes if t.missing_seeds}

    def __getitem__(self, name: str) -> Theme:
        for theme in self.themes:
            if theme.name == name:
                return theme
        raise KeyError(name)

    def as_dict(self) -> dict:
        """JSON-able summary for the report and the CLI."""
        return {t.name: {"words": list(t.words),
                         "seeds": [{"seed": s.seed, "tokens": list(s.tokens),
                                    "matched": list(s.matched), "how": s.how}
                                   for s in t.seeds],
                         "missing": list(t.missing_seeds)} for t in self.themes}


def _vocab_index(vocab: Sequence[str] | Mapping[str, int]) -> dict[str, int]:
    if isinstance(vocab, Mapping):
        return {str(w): int(i) for w, i in vocab.items()}
    if isinstance(vocab, str) or not isinstance(vocab, Sequence):
        raise ConfigError("vocab", f"expected a sequence of words or a word->id mapping, "
                                   f"got {type(vocab).__name__}")
    return {w: i for i, w in enumerate(vocab)}


def _phrase_index(index: Mapping[str, int], delimiter: str) -> dict[str, list[tuple]]:
    """Part -> the vocabulary phrases (and their parts) holding it: vote -> no-confidence_vote."""
    by_part: dict[str, list[tuple]] = {}
    for word in index:
        parts = tuple(word.split(delimiter))
        if len(parts) > 1:
            for part in set(parts):
                by_part.setdefault(part, []).append((word, parts))
    return by_part


def _holds(parts: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(parts[i:i + n] == run for i in range(len(parts) - n + 1))


def _match_seed(seed: str, tokens: list[str], index: Mapping[str, int],
                by_part: Mapping[str, list[tuple]], delimiter: str, wildcard: bool) -> SeedMatch:
    run = tuple(p for token in tokens for p in token.split(delimiter) if p)
    if not run:
        return SeedMatch(seed, tuple(tokens), ())
    own = delimiter.join(run)
    around = sorted((w for w, parts in by_part.get(run[0], ()) if w != own and _holds(parts, run)),
                    key=index.__getitem__)
    found = [own] if own in index else []
    if wildcard and around:
        return SeedMatch(seed, tuple(tokens), tuple(found + around), "wildcard")
    if found:
        return SeedMatch(seed, tuple(tokens), tuple(found), "token", tuple(around))
    words = tuple(dict.fromkeys(p for p in run if p in index)) if len(run) > 1 else ()
    return SeedMatch(seed, tuple(tokens), words, "words" if words else "", tuple(around))


def _check_themes(themes: Mapping[str, Sequence[str]]) -> None:
    if not isinstance(themes, Mapping) or not themes:
        raise ConfigError("themes", f"expected a non-empty mapping of theme name to seed words, "
                                    f"got {themes!r}")
    for name, seeds in themes.items():
        if not isinstance(name, str) or not name.strip():
            raise ConfigError("themes", f"expected a theme name, got {name!r}")
        if isinstance(seeds, str) or not isinstance(seeds, Sequence) or not seeds or not all(
                isinstance(s, str) and s.strip().rstrip(WILDCARD).strip() for s in seeds):
            raise ConfigError(f"themes.{name}",
                              f"expected a non-empty list of seed words, got {seeds!r}")


def resolve_themes(themes: Mapping[str, Sequence[str]], *,
                   transform: Callable[[str], list[str]],
                   vocab: Sequence[str] | Mapping[str, int],
                   delimiter: str = "_", strict: bool = True,
                   quiet: bool = False) -> ResolvedThemes:
    """Match each theme's seeds to vocabulary words through ``transform`` (see module doc).

    ``vocab`` is the model's vocabulary, a tuple of words by id or a word -> id mapping;
    ``delimiter`` joins phrase tokens (gensim Phrases' default ``_``).  A theme's words are
    the union of its seeds' matches, in seed order, each once.  Seeds not found are
    logged and listed in the result; a theme with no word found raises ``ConfigError``
    (with ``strict=False`` it is kept with no words, for reports that list such themes).
    ``quiet`` logs missing seeds at debug level (for callers resolving once per run).
    """
    _check_themes(themes)
    if not callable(transform):
        raise ConfigError("transform", f"expected a callable str -> list[str], got {transform!r}")
    index = _vocab_index(vocab)
    by_part = _phrase_index(index, delimiter)
    resolved = []
    for name, seeds in themes.items():
        matches = []
        for seed in seeds:
            text = seed.strip()
            wildcard = text.endswith(WILDCARD)
            tokens = list(transform(text.rstrip(WILDCARD).strip()))
            matches.append(_match_seed(seed, tokens, index, by_part, delimiter, wildcard))
        words = tuple(dict.fromkeys(w for m in matches for w in m.matched))
        if not words and strict:
            shown = _first(f"{m.seed!r} -> {list(m.tokens)}" for m in matches)
            raise ConfigError(f"themes.{name}",
                              f"none of its {len(matches)} seed(s) is in the vocabulary "
                              f"(after preprocessing: {shown})")
        theme = Theme(name, words, tuple(index[w] for w in words), tuple(matches))
        if theme.missing_seeds:
            log.log(logging.DEBUG if quiet else logging.WARNING,
                    "theme %s: %d of its %d seeds not in the vocabulary: %s", name,
                    len(theme.missing_seeds), len(matches), _first(theme.missing_seeds))
        resolved.append(theme)
    return ResolvedThemes(tuple(resolved), max(index.values(), default=-1) + 1)


def _first(items: Iterable[str], shown: int = SHOWN_SEEDS) -> str:
    """The first ``shown`` items joined by commas, and how many more there are: a theme
    with 1,000 seeds missing must not fill the terminal (the report lists them all)."""
    items = list(items)
    head = ", ".join(items[:shown])
    return head + (f" ... and {len(items) - shown} more" if len(items) > shown else "")


def theme_tokens(resolved: ResolvedThemes, term_frequency) -> pd.DataFrame:
    """Every vocabulary token each theme uses, with its corpus count and the seeds behind it.

    ``term_frequency`` is the corpus count of each vocabulary id (``ModelOutput.term_frequency``
    or ``Corpus.dictionary.cfs`` as an array).  One row per (theme, token), most frequent
    first within a theme: ``theme, token, count, seeds`` (the seeds that matched it, joined by
    ", ") and ``how`` (token, wildcard or words).  Seeds that matched nothing are not rows: see
    :attr:`ResolvedThemes.missing`.
    """
    freq = np.asarray(term_frequency, dtype=float)
    rows = []
    for theme in resolved.themes:
        block = []
        for word, word_id in zip(theme.words, theme.word_ids):
            seeds = [s for s in theme.seeds if word in s.matched]
            block.append((theme.name, word, int(freq[word_id]) if word_id < len(freq) else 0,
                          ", ".join(s.seed for s in seeds), seeds[0].how if seeds else ""))
        rows.extend(sorted(block, key=lambda r: -r[2]))
    return pd.DataFrame(rows, columns=["theme", "token", "count", "seeds", "how"])
