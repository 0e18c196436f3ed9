"""The one place that relies on NLTK's WordNet internals (tested against them).

Two things here go beyond NLTK's public API, and :func:`internals_problems` checks both (a
test runs it, so an NLTK release that changes them fails loudly instead of silently):

* **Lemma analyses.**  :func:`lemma_analyses` returns every WordNet lemma of a word, which
  NLTK offers only as ``_morphy`` (of ``WordNetCorpusReader`` and of ``WordNetLemmatizer``,
  where the docstring documents it as one of the lemmatiser's three modes);
  ``WordNetLemmatizer.lemmatize`` is the shortest of them.
* **Lazy OMW map.**  NLTK's reader builds, while loading, a map from WordNet 3.0 synsets for
  the Open Multilingual WordNet (``self.map30 = self.map_wn()`` in ``__init__``: it parses
  ``index.sense`` twice), which lemmatising never reads.  Our reader subclass answers that
  call with a placeholder and builds the map on first use: loading takes about a third of
  the time (``bench/wordnet_load.py``).  If NLTK's reader no longer works that way, the
  plain reader is used (slower, same lemmas) and a warning is logged.

NLTK is imported on first use, never at import time.
"""

from __future__ import annotations

import functools
import inspect
import logging
from pathlib import Path
from typing import Any

from topics.errors import SetupError

log = logging.getLogger(__name__)

_DEFERRED = object()  # map30 not built yet


def lemma_analyses(lemmatizer: Any, word: str, pos: str) -> list[str]:
    """Every WordNet lemma of ``word`` as part of speech ``pos`` (NLTK's ``_morphy``)."""
    return lemmatizer._morphy(word, pos)


def internals_problems(reader_class: type | None = None,
                       lemmatizer_class: type | None = None) -> list[str]:
    """What no longer matches the NLTK internals this module relies on (empty: all fine).
    The classes default to NLTK's ``WordNetCorpusReader`` and ``WordNetLemmatizer``."""
    if reader_class is None or lemmatizer_class is None:
        from nltk.corpus.reader.wordnet import WordNetCorpusReader
        from nltk.stem import WordNetLemmatizer

        reader_class = reader_class or WordNetCorpusReader
        lemmatizer_class = lemmatizer_class or WordNetLemmatizer
    problems = []
    for cls, name, params in ((reader_class, "_morphy", ["self", "form", "pos", "check_exceptions"]),
                              (reader_class, "map_wn", ["self", "version"]),
                              (lemmatizer_class, "_morphy", ["self", "form", "pos", "check_exceptions"]),
                              (lemmatizer_class, "lemmatize", ["self", "word", "pos"])):
        found = _parameters(getattr(cls, name, None))
        if found != params:
            problems.append(f"{cls.__name__}.{name}{tuple(params[1:])} is now "
                            f"{'missing' if found is None else tuple(found[1:])}")
    try:
        init = inspect.getsource(reader_class.__init__)
    except (OSError, TypeError):
        init = ""
    if "self.map30 = self.map_wn()" not in init:
        problems.append(f"{reader_class.__name__}.__init__ no longer builds map30 with map_wn()")
    return problems


def _parameters(function: Any) -> list[str] | None:
    if not callable(function):
        return None
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return None


def lemmatizer(data_dir: str | None):
    """A lemmatiser reading the WordNet of ``data_dir`` (None: NLTK's data path) on first
    use, also after unpickling.  ``SetupError`` if NLTK lacks ``_morphy``."""
    return _classes()[1](data_dir)


@functools.lru_cache(maxsize=None)
def wordnet_reader(data_dir: str | None):
    """The WordNet reader for ``data_dir`` (None: NLTK's data path), loaded once."""
    from nltk.corpus.reader import CorpusReader
    from nltk.corpus.util import LazyCorpusLoader

    reader_class = _classes()[0]
    # The multilingual data stays lazy, exactly as nltk.corpus.wordnet declares it.
    omw = LazyCorpusLoader("omw-2.0", CorpusReader, r".*/wn-data-.*\.tab", encoding="utf8")
    if data_dir is None:  # NLTK finds "corpora/wordnet" (folder or zip) on its data path
        reader = LazyCorpusLoader("wordnet", reader_class, omw)
        reader.ensure_loaded()
        return reader
    return reader_class(str(Path(data_dir) / "corpora" / "wordnet"), omw)


@functools.lru_cache(maxsize=None)
def _classes():
    """(reader class, lemmatiser class), built on first use."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader
    from nltk.stem import WordNetLemmatizer

    problems = internals_problems()
    if any("_morphy" in p for p in problems):
        raise SetupError(f"NLTK {nltk.__version__} changed its WordNet internals "
                         f"({'; '.join(problems)}); install NLTK 3.8 to 3.10, which topics is "
                         "tested with, or adapt topics/nltk_wordnet.py")
    reader_class = WordNetCorpusReader
    if problems:
        log.warning("NLTK %s: %s; using its plain WordNet reader (slower to load)",
                    nltk.__version__, "; ".join(problems))
    else:
        reader_class = _lazy_reader_class(WordNetCorpusReader)

    class Lemmatizer(WordNetLemmatizer):
        """NLTK's ``WordNetLemmatizer`` over ``wordnet_reader(data_dir)``."""

        def __init__(self, data_dir: str | None):
            self._data_dir = data_dir

        @functools.cached_property
        def wordnet(self):
            """The WordNet reader (loaded on first use)."""
            return wordnet_reader(self._data_dir)

        def _morphy(self, form, pos, check_exceptions=True):
            return self.wordnet._morphy(form, pos, check_exceptions)

        def morphy(self, form, pos=None, check_exceptions=True):
            return self.wordnet.morphy(form, pos, check_exceptions)

        def __reduce__(self):
            return lemmatizer, (self._data_dir,)

    return reader_class, Lemmatizer


def _lazy_reader_class(base: type) -> type:
    class LazyMapWordNetReader(base):
        """NLTK's WordNet reader whose ``map30`` (OMW synset map) is built on first use."""

        def __init__(self, root, omw_reader):
            self._deferring = True
            super().__init__(root, omw_reader)
            self._deferring = False

        def map_wn(self, version="wordnet"):
            return _DEFERRED if self._deferring else super().map_wn(version)

        @property
        def map30(self):
            if getattr(self, "_map30", _DEFERRED) is _DEFERRED:
                self._map30 = super().map_wn()
            return self._map30

        @map30.setter
        def map30(self, value):
            self._map30 = value

    return LazyMapWordNetReader
