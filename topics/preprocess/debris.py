"""Debris removal: page furniture that scraping leaves in text files (option ``debris``).

Three rules, each counted in the corpus statistics (``stats["debris"]``):

- ``repeated_in_document``: a line (a paragraph, when paragraphs are single lines) that
  occurs again in the same document.  A short one (under :data:`SHORT_WORDS` words: a header,
  a sign-up prompt) is furniture and every copy goes; of a long one the first copy stays.  A
  long paragraph most of whose word 5-grams (:data:`CONTAINED`) reappear in a longer
  paragraph of the document is a repeat too (a lede printed twice, once extended).
- ``repeated_across_documents``: a line found in at least ``min_documents`` documents of the
  same ``source`` (metadata; documents without one form one group): navigation, footers.
- ``navigation``: a run of three or more consecutive menu-like lines (at most
  :data:`MENU_WORDS` words, no sentence punctuation: "Featured Shows", "Follow msnbc"), and
  menu-like lines before the first or after the last sentence of the document ("Back To
  Top").

Lines are compared after lowercasing and collapsing non-alphanumerics, so spacing and
punctuation differences do not hide a repeat.  Pre-tokenised documents are left as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from topics.documents import Document

SHORT_WORDS = 40
CONTAINED = 0.8
SHINGLE = 5
MENU_WORDS = 4
MIN_DOCUMENTS = 3
RULES = ("repeated_in_document", "repeated_across_documents", "navigation")
_PUNCT = re.compile(r"[.!?:;]$")


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _menu(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= MENU_WORDS and not _PUNCT.search(line.strip())


def remove_debris(documents: Sequence[Document], *, min_documents: int = MIN_DOCUMENTS
                  ) -> tuple[list[Document], dict]:
    """The documents without their debris, and the counts of lines dropped per rule (plus
    ``documents_changed``)."""
    shared = _shared_lines(documents, min_documents)
    stats = dict.fromkeys(RULES, 0)
    stats["documents_changed"] = 0
    out = []
    for doc in documents:
        if doc.tokens is not None or not doc.text:
            out.append(doc)
            continue
        source = str(doc.meta.get("source") or "")
        keep, dropped = _clean(doc.text.splitlines(), shared.get(source, frozenset()))
        for rule, n in dropped.items():
            stats[rule] += n
        if sum(dropped.values()):
            stats["documents_changed"] += 1
            out.append(replace(doc, text="\n".join(keep)))
        else:
            out.append(doc)
    return out, stats


def _shared_lines(documents: Sequence[Document], min_documents: int) -> dict[str, frozenset]:
    per_source: dict[str, Counter] = {}
    for doc in documents:
        if doc.tokens is None and doc.text:
            lines = {_key(line) for line in doc.text.splitlines() if _key(line)}
            per_source.setdefault(str(doc.meta.get("source") or ""), Counter()).update(lines)
    return {s: frozenset(k for k, n in c.items() if n >= max(2, min_documents))
            for s, c in per_source.items()}


def _clean(lines: list[str], shared: frozenset) -> tuple[list[str], dict[str, int]]:
    keys = [_key(line) for line in lines]
    counts = Counter(k for k in keys if k)
    drop: dict[int, str] = {}
    seen: set[str] = set()
    for i, k in enumerate(keys):
        if not k:
            continue
        if k in shared:
            drop[i] = "repeated_across_documents"
        elif counts[k] > 1 and (len(k.split()) < SHORT_WORDS or k in seen):
            drop[i] = "repeated_in_document"
        seen.add(k)
    for i in _contained(lines, keys, drop):
        drop[i] = "repeated_in_document"
    for i in _navigation(lines):
        drop.setdefault(i, "navigation")
    dropped = Counter(drop.values())
    return [line for i, line in enumerate(lines) if i not in drop], dict(dropped)


def _shingles(key: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    words = key.split()
    return {tuple(words[i:i + size]) for i in range(max(len(words) - size + 1, 0))}


def _contained(lines: list[str], keys: list[str], drop: dict) -> list[int]:
    """Long lines most of whose word 5-grams reappear in a longer line."""
    grams = [_shingles(k) for k in keys]
    out = []
    for i, own in enumerate(grams):
        if i in drop or len(keys[i].split()) < SHORT_WORDS or not own:
            continue
        for j, other in enumerate(grams):
            if j == i or j in drop or len(keys[j]) <= len(keys[i]):
                continue
            if len(own & other) / len(own) >= CONTAINED:
                out.append(i)
                break
    return out


def _navigation(lines: list[str]) -> list[int]:
    menu = [_menu(line) for line in lines]
    out = []
    run: list[int] = []
    for i, line in enumerate(lines + [""]):
        if i < len(lines) and menu[i]:
            run.append(i)
        elif line.strip() or i == len(lines):
            if len(run) >= 3:
                out += run
            run = []
    prose = [i for i, line in enumerate(lines) if len(line.split()) > MENU_WORDS
             and _PUNCT.search(line.strip())]
    if prose:
        out += [i for i in range(len(lines)) if menu[i] and (i < prose[0] or i > prose[-1])]
    return sorted(set(out))
