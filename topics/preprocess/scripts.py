"""Is the text in a script written without spaces?  A check on the token lengths.

The token pattern splits at spaces and punctuation, so Chinese, Japanese or Thai text comes
out as whole clauses, one token each, and every later step (vocabulary filters, models)
quietly works on clauses.  :func:`token_length_profile` measures the distinct raw tokens
the tokeniser produced (after normalising and tokenising, before any other step): the
script most of them are in, and their median length in characters.  :func:`warn_long_tokens`
logs a warning when that median is implausibly long for words of that script:

=====================================  ==================  ================================
script of most tokens                  warn when median >  why
=====================================  ==================  ================================
Han, Hiragana, Katakana                ``4`` characters    words are 1-4 characters, most 2
Thai, Lao, Khmer, Myanmar, Tibetan     ``12`` characters   words are about 3-10 letters
anything else (spaces between words)   ``20`` characters   the 36,538 raw token types of
                                                           BBC News have a median of 7
=====================================  ==================  ================================

The median is over distinct tokens (types), so a few very frequent short words cannot hide
a corpus of clauses.  README, "Scripts without spaces", gives the remedies: segment the text
into words first, or read one CJK character per token with ``token_pattern``.
"""

from __future__ import annotations

import heapq
import logging
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

log = logging.getLogger(__name__)

#: script class -> (the Unicode name prefixes of its letters, the longest plausible median)
SCRIPTS = {
    "ideographic": (("CJK ", "HIRAGANA", "KATAKANA"), 4),
    "southeast_asian": (("THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN"), 12),
}
SPACED = "spaced"
SPACED_LIMIT = 20
EXAMPLES = 3


def script_of(token: str) -> str:
    """The script class of ``token``'s first letter (``"spaced"`` when it has none)."""
    if token.isascii():  # Latin letters, or none
        return SPACED
    for char in token:
        if char.isalpha():
            name = unicodedata.name(char, "")
            for script, (prefixes, _) in SCRIPTS.items():
                if name.startswith(prefixes):
                    return script
            return SPACED
    return SPACED


def limit_of(script: str) -> int:
    """The longest plausible median token length (characters) for a script class."""
    return SCRIPTS[script][1] if script in SCRIPTS else SPACED_LIMIT


def token_length_profile(tokens: Iterable[str]) -> dict[str, Any]:
    """``{"token_script", "median_token_chars", "long_token_examples"}`` of the distinct
    ``tokens``: the script class most of them are in, the median length of those, and a few
    of them at least that long (the shortest such, for a readable message)."""
    by_script: dict[str, list[str]] = {}
    for token in set(tokens):
        by_script.setdefault(script_of(token), []).append(token)
    if not by_script:
        return {"token_script": SPACED, "median_token_chars": 0, "long_token_examples": []}
    counts = Counter({s: len(t) for s, t in by_script.items()})
    script = max(sorted(counts), key=counts.__getitem__)
    lengths = sorted(len(t) for t in by_script[script])
    median = lengths[(len(lengths) - 1) // 2]
    # the shortest tokens at least ``median`` long, alphabetically: those of length
    # ``median`` first (there is at least one), longer ones only when they are too few
    examples = sorted(t for t in by_script[script] if len(t) == median)[:EXAMPLES]
    if len(examples) < EXAMPLES:
        examples += heapq.nsmallest(EXAMPLES - len(examples),
                                    (t for t in by_script[script] if len(t) > median),
                                    key=lambda t: (len(t), t))
    return {"token_script": script, "median_token_chars": median,
            "long_token_examples": examples}


def warn_long_tokens(stats: Mapping[str, Any]) -> bool:
    """Log a warning when the profile in ``stats`` (a corpus' statistics) shows implausibly
    long tokens; True when it did.  Statistics without a profile (older caches) are fine."""
    script = stats.get("token_script")
    median = stats.get("median_token_chars")
    if script is None or not isinstance(median, int) or median <= limit_of(script):
        return False
    shown = ", ".join(repr(t[:40] + ("…" if len(t) > 40 else ""))
                      for t in stats.get("long_token_examples") or [])
    log.warning("tokens look like whole clauses, not words: the median token is %d characters "
                "long (more than %d for %s text; e.g. %s). Text in a script written without "
                "spaces (Chinese, Japanese, Thai) needs segmenting into words first, or a "
                "preprocess.token_pattern that reads one character per token: see the README, "
                "'Scripts without spaces'", median, limit_of(script),
                script.replace("_", "-"), shown)
    return True
