"""The first noun of the flow: a raw document as read from disk, before preprocessing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One document: a stable ``id``, its ``text`` and its ``meta`` (title, date, source,
    label, parent id for chunks, ...).  ``tokens`` is set only for pre-tokenised corpora
    (OCTIS TSV), which skip tokenising and lemmatising."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    tokens: tuple[str, ...] | None = None


@dataclass
class ReadReport:
    """What a reader did: documents read, and every skipped or repaired entry with its reason."""

    read: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    repaired: list[tuple[str, str]] = field(default_factory=list)  # (name, what was done)
    source: dict[str, Any] | None = None  # a named dataset: its name, package and version

    def skip(self, name: str, reason: str) -> None:
        self.skipped.append((str(name), reason))

    def repair(self, name: str, what: str) -> None:
        self.repaired.append((str(name), what))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "read": self.read,
            "skipped": [{"name": n, "reason": r} for n, r in self.skipped],
            "repaired": [{"name": n, "what": w} for n, w in self.repaired],
        }
        if self.source is not None:
            out["source"] = dict(self.source)
        return out
