"""OCTIS's pre-tokenised corpus: ``corpus.tsv`` with ``tokens<TAB>split<TAB>label`` lines.

Tokens are separated by spaces; ``split`` (train/val/test) and ``label`` are optional and
become ``meta["split"]`` and ``meta["label"]``.  ``Document.tokens`` holds the tokens (so
preprocessing skips tokenising) and ``text`` is them joined by single spaces.  A document's
id is its plain 0-based line index (``"0"`` .. ``"2224"``), the numbering OCTIS itself uses;
a line without tokens is skipped and recorded but still takes its index, so the ids of the
others stay aligned with OCTIS's.  A line with more than three fields is an ``InputError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from topics.documents import Document, ReadReport
from topics.errors import InputError
from topics.io.common import check_utf8_file

FIELDS = ("tokens", "split", "label")


def iter_octis(path: Path, *, encoding_errors: str, report: ReadReport) -> Iterator[Document]:
    """Yield one document per line of an OCTIS ``corpus.tsv``."""
    if path.is_dir():
        path = path / "corpus.tsv"
        if not path.is_file():
            raise InputError(path, "an OCTIS corpus folder needs its corpus.tsv")
    check_utf8_file(path, errors=encoding_errors, report=report)
    with open(path, encoding="utf-8-sig", errors="replace", newline="\n") as handle:
        for index, line in enumerate(handle):
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) > len(FIELDS):
                raise InputError(path, f"{len(fields)} tab-separated fields; OCTIS lines are "
                                       "tokens<TAB>split<TAB>label", row=index + 1)
            tokens = tuple(fields[0].split())
            if not tokens:
                report.skip(f"{path.name}:{index + 1}", "empty (no tokens)")
                continue
            meta = {key: value.strip() for key, value in zip(FIELDS[1:], fields[1:])
                    if value.strip()}
            report.read += 1
            yield Document(id=str(index), text=" ".join(tokens), meta=meta, tokens=tokens)
