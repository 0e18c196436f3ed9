"""Segmentation of long documents into paragraph-sized chunks.

A chunk keeps its parent's metadata plus ``parent_id`` and ``chunk`` (its index), and gets the
id ``"{parent}#{index}"``; a document that already has a ``parent_id`` or ``chunk`` column is
refused, naming it, rather than overwritten.  Short paragraphs are merged until a chunk has
``min_words``; long ones are split at sentence ends (at word boundaries for a sentence
longer than ``max_words``), so that no chunk has more than ``max_words`` words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from topics.documents import Document
from topics.errors import ConfigError

#: The metadata a chunk adds, and what it holds.
CHUNK_FIELDS = {"parent_id": "parent document's id", "chunk": "index in the parent"}
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; a text without blank lines splits at line ends."""
    paragraphs = [p.strip() for p in _BLANK_LINE.split(text)]
    paragraphs = [p for p in paragraphs if p]
    if len(paragraphs) == 1 and "\n" in paragraphs[0]:
        paragraphs = [p.strip() for p in paragraphs[0].splitlines() if p.strip()]
    return paragraphs


def _split_long(paragraph: str, max_words: int) -> list[str]:
    """Pieces of at most ``max_words`` words: whole sentences where possible."""
    pieces: list[list[str]] = [[]]
    for sentence in _SENTENCE_END.split(paragraph):
        words = sentence.split()
        while len(words) > max_words:  # a sentence too long on its own
            pieces.append(words[:max_words])
            words = words[max_words:]
        if len(pieces[-1]) + len(words) > max_words:
            pieces.append([])
        pieces[-1].extend(words)
    return [" ".join(p) for p in pieces if p]


def chunk_paragraphs(paragraphs: Iterable[str], *, min_words: int, max_words: int) -> list[str]:
    """Merge short paragraphs and split long ones into chunks of ``min_words``..``max_words``
    words (shorter only when a neighbour has no room left)."""
    chunks: list[tuple[str, int]] = []
    buffer: list[str] = []
    count = 0
    for paragraph in paragraphs:
        for piece in _split_long(paragraph, max_words):
            n = len(piece.split())
            if buffer and count + n > max_words:
                chunks.append(("\n\n".join(buffer), count))
                buffer, count = [], 0
            buffer.append(piece)
            count += n
            if count >= min_words:
                chunks.append(("\n\n".join(buffer), count))
                buffer, count = [], 0
    if buffer:
        if chunks and chunks[-1][1] + count <= max_words:
            text, n = chunks.pop()
            buffer, count = [text, *buffer], n + count
        chunks.append(("\n\n".join(buffer), count))
    return [text for text, _ in chunks]


def segment_document(doc: Document, *, min_words: int, max_words: int) -> list[Document]:
    """The chunks of one document.  Pre-tokenised documents (``tokens`` set) and documents
    without text stay whole, as one chunk.  A document whose metadata already has a
    ``parent_id`` or ``chunk`` column is refused (``ConfigError`` naming the column): the
    chunks would silently overwrite it."""
    taken = [column for column in CHUNK_FIELDS if column in doc.meta]
    if taken:
        raise ConfigError("preprocess.segment", f"document {doc.id!r} has a metadata column "
                          f"{taken[0]!r}, which paragraph chunks use for their own "
                          f"{CHUNK_FIELDS[taken[0]]}; rename that column in the corpus (or "
                          "turn segmentation off)")
    if doc.tokens is not None:
        texts = [doc.text]
    else:
        texts = chunk_paragraphs(split_paragraphs(doc.text), min_words=min_words,
                                 max_words=max_words) or [doc.text]
    return [
        Document(id=f"{doc.id}#{i}", text=text, tokens=doc.tokens,
                 meta={**doc.meta, "parent_id": doc.id, "chunk": i})
        for i, text in enumerate(texts)
    ]


def segment_documents(documents: Iterable[Document], *, min_words: int,
                      max_words: int) -> Iterator[Document]:
    """Chunks of every document, in order (a generator: texts are not all copied at once)."""
    for doc in documents:
        yield from segment_document(doc, min_words=min_words, max_words=max_words)
