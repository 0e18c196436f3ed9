"""``read_documents`` / ``iter_documents``: pick the reader for a path and check the options.

Encoding: every format is read as UTF-8 (a leading BOM is dropped).  With
``encoding_errors="replace"`` (the default) a file that is not valid UTF-8 is still read, its
undecodable bytes replaced with U+FFFD and the file recorded in ``ReadReport.repaired``: one
stray Latin-1 byte should not stop a 2,000-file corpus, and the report shows it.  With
``"strict"`` such a file is an ``InputError`` naming it and the first bad byte.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from topics.documents import Document, ReadReport
from topics.errors import ConfigError, InputError
from topics.io.octis import iter_octis
from topics.io.tables import Columns, iter_csv, iter_jsonl, iter_parquet
from topics.io.txt import iter_txt

log = logging.getLogger(__name__)

FORMATS = ("auto", "txt", "csv", "jsonl", "parquet", "octis")
ENCODING_ERRORS = ("replace", "strict")
EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
              ".pq": "parquet", ".tsv": "octis"}


def detect_format(path: str | os.PathLike) -> str:
    """The reader ``format="auto"`` picks: "txt" for a folder (or "octis" for a folder
    holding ``corpus.tsv`` and no ``.txt`` file but OCTIS's own ``vocabulary.txt``), else by
    extension (``.csv``, ``.jsonl`` or ``.ndjson``, ``.parquet`` or ``.pq``, ``.tsv`` =
    OCTIS)."""
    path = Path(path)
    if path.is_dir():
        texts = (p.name for p in path.glob("*.txt"))
        if (path / "corpus.tsv").is_file() and all(name == "vocabulary.txt" for name in texts):
            return "octis"
        return "txt"
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise InputError(path, f"cannot tell the format from the extension {path.suffix!r}; "
                               f"set format to one of {', '.join(FORMATS[1:])}")
    return found


def iter_documents(
    path: str | os.PathLike,
    *,
    format: str = "auto",
    text_column: str = "text",
    id_column: str | None = "id",
    title_column: str = "title",
    date_column: str = "date",
    metadata: str | os.PathLike | None = None,
    metadata_key: str = "file",
    encoding_errors: str = "replace",
    report: ReadReport | None = None,
) -> Iterator[Document]:
    """Yield the documents at ``path`` one by one (big corpora stream); pass a ``ReadReport``
    as ``report`` to learn what was skipped or repaired.  Options as in ``read_documents``.
    Options are checked, and the path looked up, before the first document is asked for."""
    return _reader(path, format=format, text_column=text_column, id_column=id_column,
                   title_column=title_column, date_column=date_column, metadata=metadata,
                   metadata_key=metadata_key, encoding_errors=encoding_errors,
                   report=ReadReport() if report is None else report)


def read_documents(
    path: str | os.PathLike,
    *,
    format: str = "auto",
    text_column: str = "text",
    id_column: str | None = "id",
    title_column: str = "title",
    date_column: str = "date",
    metadata: str | os.PathLike | None = None,
    metadata_key: str = "file",
    encoding_errors: str = "replace",
    report: ReadReport | None = None,
) -> tuple[list[Document], ReadReport]:
    """All documents at ``path`` and the ``ReadReport`` of what was read, skipped, repaired.

    ``format``: "auto" (see ``detect_format``), "txt" (a folder of .txt files, see
    ``topics.io.txt``), "csv", "jsonl", "parquet" (see ``topics.io.tables``) or "octis"
    (see ``topics.io.octis``).  The ``*_column`` options name the table columns (``id_column``
None: ids are row numbers even if the table has an ``id`` column);
    ``metadata``/``metadata_key`` the txt folder's metadata CSV and its file-name column;
    ``encoding_errors`` is "replace" or "strict" (module docstring).  ``report`` is added to
    when given.  Raises ``InputError`` for a missing path or a bad file, ``ConfigError``
    for a bad option.
    """
    report = ReadReport() if report is None else report
    documents = list(iter_documents(
        path, format=format, text_column=text_column, id_column=id_column,
        title_column=title_column, date_column=date_column, metadata=metadata,
        metadata_key=metadata_key, encoding_errors=encoding_errors, report=report))
    log.info("%s: read %d documents, skipped %d, repaired %d", path, len(documents),
             len(report.skipped), len(report.repaired))
    return documents, report


class DocumentSource:
    """The documents at a path, read again from disk on each iteration, so that the whole
    corpus is never held in memory by the source (``prepare_corpus`` streams it).  ``report``
    is filled by the first complete pass (a pass stopped early records nothing).  Options as
    in ``read_documents``; they are checked, and the path looked up, when it is made."""

    def __init__(self, path: str | os.PathLike, *, report: ReadReport | None = None,
                 **options):
        self.path = path
        self.options = options
        self.report = ReadReport() if report is None else report
        self._complete = False
        _reader(path, report=ReadReport(), **options)  # raises now on a bad option or path

    def __iter__(self) -> Iterator[Document]:
        report, count = ReadReport(), 0
        for count, document in enumerate(_reader(self.path, report=report, **self.options), 1):
            yield document
        if not self._complete:
            self._complete = True
            log.info("%s: read %d documents, skipped %d, repaired %d", self.path, count,
                     len(report.skipped), len(report.repaired))
            self.report.read += report.read
            self.report.skipped.extend(report.skipped)
            self.report.repaired.extend(report.repaired)


def stream_documents(
    path: str | os.PathLike,
    *,
    format: str = "auto",
    text_column: str = "text",
    id_column: str | None = "id",
    title_column: str = "title",
    date_column: str = "date",
    metadata: str | os.PathLike | None = None,
    metadata_key: str = "file",
    encoding_errors: str = "replace",
    report: ReadReport | None = None,
) -> tuple[DocumentSource, ReadReport]:
    """``read_documents`` without holding the documents: a re-iterable ``DocumentSource``
    reading ``path`` on each pass, and its ``ReadReport``, filled by the first complete pass
    (``prepare_corpus``' first pass hashes the documents)."""
    source = DocumentSource(path, report=report, format=format, text_column=text_column,
                            id_column=id_column, title_column=title_column,
                            date_column=date_column, metadata=metadata,
                            metadata_key=metadata_key, encoding_errors=encoding_errors)
    return source, source.report


def _reader(path, *, format, text_column, id_column, title_column, date_column, metadata,
            metadata_key, encoding_errors, report) -> Iterator[Document]:
    """Check everything, then return the (not yet started) reader generator."""
    _check_options(format=format, encoding_errors=encoding_errors, report=report,
                   text_column=text_column, id_column=id_column, title_column=title_column,
                   date_column=date_column, metadata_key=metadata_key)
    if metadata is not None and not isinstance(metadata, (str, os.PathLike)):
        raise ConfigError("metadata", f"must be a path or None, got {metadata!r}")
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file or folder")
    chosen = detect_format(path) if format == "auto" else format
    if metadata is not None and chosen != "txt":
        raise ConfigError("metadata", f"only the txt format reads a metadata CSV, not {chosen}")
    if chosen == "txt":
        if not path.is_dir():
            raise InputError(path, "the txt format reads a folder of .txt files; this is a file")
        return iter_txt(path, metadata=None if metadata is None else Path(metadata),
                        metadata_key=metadata_key, title_column=title_column,
                        date_column=date_column, encoding_errors=encoding_errors, report=report)
    if chosen == "octis":
        return iter_octis(path, encoding_errors=encoding_errors, report=report)
    if path.is_dir():
        raise InputError(path, f"the {chosen} format reads a file; this is a folder")
    columns = Columns(text=text_column, id=id_column, title=title_column, date=date_column)
    reader = {"csv": iter_csv, "jsonl": iter_jsonl, "parquet": iter_parquet}[chosen]
    return reader(path, columns=columns, encoding_errors=encoding_errors, report=report)


def _check_options(*, format, encoding_errors, report, **names: str) -> None:
    if format not in FORMATS:
        raise ConfigError("format", f"must be one of {', '.join(FORMATS)}, got {format!r}")
    if encoding_errors not in ENCODING_ERRORS:
        raise ConfigError("encoding_errors",
                          f"must be 'replace' or 'strict', got {encoding_errors!r}")
    if not isinstance(report, ReadReport):
        raise ConfigError("report", f"must be a ReadReport or None, got {report!r}")
    for name, value in names.items():
        if value is None and name == "id_column":  # no id column: row numbers
            continue
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(name, f"must be a non-empty column name, got {value!r}")
