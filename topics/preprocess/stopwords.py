"""English stopwords: NLTK's list when its corpus is installed, else the built-in list below."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

#: Fallback English stopwords (function words, auxiliaries, and the fragments left by
#: splitting contractions at the apostrophe: "don't" -> "don", "t").
BUILTIN_ENGLISH = frozenset("""
a about above after again against ain all am an and any are aren as at be because been before
being below between both but by can couldn d did didn do does doesn doing don down during each
few for from further had hadn has hasn have haven having he her here hers herself him himself his
how i if in into is isn it its itself just ll m ma me mightn more most mustn my myself needn no
nor not now o of off on once only or other our ours ourselves out over own re s same shan she
should shouldn so some such t than that the their theirs them themselves then there these they
this those through to too under until up ve very was wasn we were weren what when where which
while who whom why will with won wouldn y you your yours yourself yourselves
""".split())


def english_stopwords() -> tuple[frozenset[str], str]:
    """Return ``(words, source)``: NLTK's English list if installed ("nltk"), else "builtin"."""
    import nltk

    try:
        nltk.data.find("corpora/stopwords")
        from nltk.corpus import stopwords

        words = frozenset(w.lower() for w in stopwords.words("english"))
    except (LookupError, OSError):
        logger.info("NLTK stopwords corpus not installed: using the built-in English list")
        return BUILTIN_ENGLISH, "builtin"
    return words, "nltk"


def resolve_stopwords(choice: str, extra: tuple[str, ...] = ()) -> tuple[frozenset[str], str]:
    """The stopword set for the ``stopwords`` option ("english" or "none") plus ``extra``."""
    if choice == "none":
        words, source = frozenset(), "none"
    else:
        words, source = english_stopwords()
    if extra:
        words = words | frozenset(extra)
        source += f"+{len(extra)} extra"
    return words, source
