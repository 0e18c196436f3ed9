"""Tabular corpora, one document per row: CSV, JSON Lines and Parquet, read in batches.

Only the text column is required; a file without it is an ``InputError`` listing the
columns it has.  The id column is optional: without it (or with ``id_column`` None) a
document's id is its 0-based record index (``"0"``, ``"1"``, ...); with ``id_column`` None an
``id`` column is metadata like any other.  The title column becomes ``meta["title"]``, the
date column an ISO ``meta["date"]`` (unparseable: left out and recorded), every other
non-null cell ``meta[column]``.  A renamed title or date column (``title_column: headline``)
beside a column named ``title`` (or ``date``) is an ``InputError`` naming both: one would
silently overwrite the other.  Error rows count from 1: the first data record for CSV (the
header is not counted) and Parquet, the line number for JSON Lines.

Text cells: a string is the text; null, missing or blank is skipped and recorded; a number
or boolean is converted with ``str`` and recorded as repaired (a column of numbers is more
likely a wrong ``text_column`` than a corpus, so it shows in the report); a list or object
is skipped and recorded.  Ids: a null id or a repeated one is an ``InputError`` naming the
row, and so is an id that is not a string or a number (a list, an object, true/false).
JSON Lines are all read one way: with ids when the first line has one (a later line
without is an ``InputError`` naming it), with record indexes when it has none (a later line
with an id is an ``InputError`` naming the first line).  A custom ``id_column`` (not
``id``) that is absent is an ``InputError``: record indexes are used only for ``id``.
CSV cells are all read as strings (no "NA" -> null guessing); JSON and Parquet keep their
types.  A CSV row with more fields than the header, or a quote never closed, is an
``InputError`` naming the row (and its line); a row with fewer fields is padded with empty
cells, so a missing text is a recorded skip.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from topics.documents import Document, ReadReport
from topics.errors import InputError
from topics.io.common import (IdRegistry, add_date, check_column_names, check_utf8_file,
                              is_null, meta_value)

BATCH_ROWS = 10_000
DEFAULT_ID = "id"


@dataclass(frozen=True)
class Columns:
    """The columns a tabular reader looks for."""

    text: str = "text"
    id: str | None = "id"  # None: row numbers
    title: str = "title"
    date: str = "date"


def iter_csv(path: Path, *, columns: Columns, encoding_errors: str,
             report: ReadReport) -> Iterator[Document]:
    """Yield one document per CSV row (UTF-8, header first)."""
    import pandas as pd

    check_utf8_file(path, errors=encoding_errors, report=report)
    options = dict(dtype=str, keep_default_na=False, encoding="utf-8-sig",
                   encoding_errors="replace")
    try:
        header = list(pd.read_csv(path, nrows=0, **options).columns)
    except pd.errors.EmptyDataError:
        raise InputError(path, "empty file: a CSV needs a header row") from None
    require_text_column(path, header, columns.text)

    def records() -> Iterator[tuple[int, int, dict]]:
        index = 0
        try:
            with pd.read_csv(path, chunksize=BATCH_ROWS, **options) as chunks:
                for chunk in chunks:
                    for record in chunk.to_dict("records"):
                        yield index, index + 1, record
                        index += 1
        except pd.errors.ParserError as exc:
            raise csv_error(path, len(header), exc) from None

    yield from records_to_documents(records(), path=path, header=header, columns=columns,
                                    report=report)


def csv_error(path: Path, n_fields: int, exc: Exception) -> InputError:
    """The ``InputError`` for a CSV pandas cannot parse, naming the first bad record.

    pandas reads in chunks and names lines in its own ways, so the file is read again (this
    is the error path only) with the standard ``csv`` module, strictly, to find the first
    record that is malformed or has more fields than the header."""
    import csv
    import sys

    limit = csv.field_size_limit(sys.maxsize)  # restored below; pandas has no such limit
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            next(reader, None)  # the header
            row = 0
            while True:
                line = reader.line_num + 1
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except csv.Error as err:
                    hint = " (a quote is never closed)" if "end of data" in str(err) else ""
                    return InputError(path, f"not a valid CSV (record starting on line {line}): "
                                            f"{err}{hint}", row=row + 1)
                if not record:  # blank lines are skipped, as pandas does
                    continue
                row += 1
                if len(record) > n_fields:
                    return InputError(path, f"not a valid CSV: {len(record)} fields on line "
                                            f"{line}, the header has {n_fields}", row=row)
    finally:
        csv.field_size_limit(limit)
    return InputError(path, "not a valid CSV: " + " ".join(str(exc).split()))


def iter_jsonl(path: Path, *, columns: Columns, encoding_errors: str,
               report: ReadReport) -> Iterator[Document]:
    """Yield one document per JSON object line; blank lines are ignored."""
    check_utf8_file(path, errors=encoding_errors, report=report)

    def records() -> Iterator[tuple[int, int, dict]]:
        index = 0
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(path, f"malformed JSON on line {line_number}: {exc.msg} "
                                           f"(column {exc.colno})", row=line_number) from None
                if not isinstance(record, dict):
                    raise InputError(path, f"line {line_number} is a JSON "
                                           f"{type(record).__name__}, not an object",
                                     row=line_number)
                if index == 0:
                    require_text_column(path, list(record), columns.text)
                yield index, line_number, record
                index += 1

    yield from records_to_documents(records(), path=path, header=None, columns=columns,
                                    report=report)


def iter_parquet(path: Path, *, columns: Columns, encoding_errors: str,
                 report: ReadReport) -> Iterator[Document]:
    """Yield one document per Parquet row (``encoding_errors`` does not apply: Parquet
    strings are UTF-8 by construction)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(path, f"not a readable Parquet file: {exc}") from None
    header = list(table.schema_arrow.names)
    require_text_column(path, header, columns.text)

    def records() -> Iterator[tuple[int, int, dict]]:
        index = 0
        batches = table.iter_batches(batch_size=BATCH_ROWS)
        while True:
            try:
                batch = next(batches, None)
            except (pa.ArrowException, OSError) as exc:
                raise InputError(path, f"damaged Parquet data in the rows from here: {exc}",
                                 row=index + 1) from None
            if batch is None:
                return
            for record in _batch_records(batch, path=path, first_row=index + 1):
                yield index, index + 1, record
                index += 1

    yield from records_to_documents(records(), path=path, header=header, columns=columns,
                                    report=report)


def _batch_records(batch: Any, *, path: Path, first_row: int) -> list[dict]:
    """A Parquet batch as Python records.  A column holding values Python cannot represent
    (a timestamp in year 33658 or -29719, a date32 beyond year 9999) is read as text
    instead ("<value out of range: ...>"), so that one such cell is an unreadable date
    (left out and counted) or a text value rather than an ``OverflowError`` for the file."""
    import pyarrow as pa

    try:
        return batch.to_pylist()
    except (OverflowError, ValueError, pa.ArrowException):
        pass
    columns = {}
    for name, column in zip(batch.schema.names, batch.columns):
        try:
            columns[name] = column.to_pylist()
        except (OverflowError, ValueError, pa.ArrowException):
            try:
                columns[name] = column.cast(pa.string()).to_pylist()
            except (OverflowError, ValueError, pa.ArrowException) as exc:
                raise InputError(path, f"column {name!r} holds values out of range in the "
                                       f"rows from here: {exc}", row=first_row) from None
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def require_text_column(path: Path, available: list, text_column: str) -> None:
    """``InputError`` naming the file and the column, listing the columns it has."""
    if text_column not in available:
        have = ", ".join(repr(str(c)) for c in available) or "none"
        raise InputError(path, f"no text column {text_column!r} (text_column); "
                               f"columns: {have}")


def records_to_documents(records: Iterable[tuple[int, int, dict]], *, path: Path,
                         header: list | None, columns: Columns,
                         report: ReadReport) -> Iterator[Document]:
    """Documents from (0-based index, 1-based row, record) triples (see module docstring)."""
    ids = IdRegistry(path)
    source = _IdSource(path, columns.id, header)
    if header is not None:
        check_column_names(path, header, title=columns.title, date=columns.date)
    for index, row, record in records:
        name = f"{path.name}:{row}"
        if header is None:  # JSON Lines: every record has its own keys
            check_column_names(path, record, title=columns.title, date=columns.date,
                               row=row)
        doc_id = source.doc_id(record, index, row)
        ids.add(doc_id, row)
        text = text_cell(record.get(columns.text), name=name, report=report)
        if text is None:
            continue
        meta: dict[str, Any] = {}
        for column, value in record.items():
            if column in (columns.text, columns.id):
                continue
            if column == columns.date:
                add_date(meta, value, name=name, report=report)
                continue
            value = meta_value(value)
            if value is not None:
                meta["title" if column == columns.title else str(column)] = value
        report.read += 1
        yield Document(id=doc_id, text=text, meta=meta)


class _IdSource:
    """Each record's id (see the module docstring).

    CSV and Parquet have a header: with the id column every row needs an id, without it the
    id is the record index.  JSON Lines have none: the first line decides, and every line is
    checked against it.  When the first line has an id, a line without one is an
    ``InputError`` naming it; when it has none, a later line with an id is an ``InputError``
    naming the first line (ids are never read for some lines and invented for others).  A
    custom ``id_column`` (not "id") that is absent is an error: it was asked for."""

    def __init__(self, path: Path, column: str | None, header: list | None):
        self.path = path
        self.column = column
        self.jsonl = header is None
        self.has_ids = None if header is None else column in header
        self.first_row = 1
        if column is None:  # id_column: null: row numbers, whatever the columns
            self.has_ids = False
        elif header is not None:
            self._check_custom(header, row=None)

    def _check_custom(self, names: Iterable, row: int | None) -> None:
        if not self.has_ids and self.column != DEFAULT_ID:
            raise InputError(self.path, f"no id column {self.column!r} (id_column); columns: "
                             + ", ".join(repr(str(c)) for c in names), row=row)

    def doc_id(self, record: dict, index: int, row: int) -> str:
        if self.column is None:
            return str(index)
        if self.has_ids is None:  # the first JSON line
            self.has_ids, self.first_row = self.column in record, row
            self._check_custom(record, row=row)
        if self.has_ids:
            if self.jsonl and self.column not in record:
                raise InputError(self.path, f"no {self.column!r} on this line, but line "
                                 f"{self.first_row} has one: give every line an id, or none",
                                 row=row)
            return _doc_id(record, row, path=self.path, column=self.column)
        if self.jsonl and self.column in record:
            raise InputError(self.path, f"no {self.column!r} on this line, but line {row} "
                             "has one: give every line an id, or none", row=self.first_row)
        return str(index)


def _doc_id(record: dict, row: int, *, path: Path, column: str) -> str:
    value = meta_value(record.get(column))
    if value is None:
        raise InputError(path, f"empty id in column {column!r}", row=row)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(path, f"id in column {column!r} is a {type(value).__name__} "
                               f"({value!r}), not a string or number", row=row)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def text_cell(value: Any, *, name: str, report: ReadReport) -> str | None:
    """The text of one cell, or None after recording why the row is skipped."""
    if isinstance(value, str):
        if value.strip():
            return value
        report.skip(name, "empty (no text)")
        return None
    if is_null(value):
        report.skip(name, "no text (null or missing)")
        return None
    value = meta_value(value)
    if isinstance(value, (bool, int, float)):
        kind = type(value).__name__
        report.repair(name, f"text was {kind} {value!r}, not a string: converted")
        return str(value)
    report.skip(name, f"text is a {type(value).__name__}, not a string")
    return None
