"""Corpus readers: one per format, each streaming ``Document``s and recording skips in a
``ReadReport``; ``read_documents`` / ``iter_documents`` / ``stream_documents`` pick the reader for a
path."""

from topics.documents import Document, ReadReport
from topics.io.api import (FORMATS, DocumentSource, detect_format, iter_documents,
                           read_documents, stream_documents)
from topics.io.common import normalise_date

__all__ = ["FORMATS", "Document", "DocumentSource", "ReadReport", "detect_format",
           "iter_documents", "normalise_date", "read_documents", "stream_documents"]
