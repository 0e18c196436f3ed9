"""A folder of ``.txt`` files, one document each, with an optional metadata CSV.

Files ending in ``.txt`` (lower case, so BBC's ``README.TXT`` is not a document) are found
recursively, following folder symlinks but never a folder twice, and read in sorted order of
their path relative to the folder.  A document's id is that path without ``.txt`` (``/``
separators), ``meta["file"]`` the path itself and ``meta["label"]`` its sub-folder
(``"business"``; ``"a/b"`` when nested; absent at the top level).

The metadata CSV (``metadata.csv`` in the folder unless ``metadata`` names another) has one
row per file: its ``metadata_key`` column holds the file's relative path, or just its name.
Its other non-blank cells become ``meta`` (they override ``file`` and ``label``), the title
column as ``meta["title"]`` and the date column as an ISO ``meta["date"]``.  Without a title
there, the first non-blank line of the file is the title (it stays in the text too).
Unreadable files, symlink loops, binary files (NUL bytes, UTF-16 included) and empty files
are skipped with their reason in the ``ReadReport``.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from topics.documents import Document, ReadReport
from topics.errors import InputError
from topics.io.common import add_date, check_column_names, decode

log = logging.getLogger(__name__)

SUFFIX = ".txt"


def iter_txt(
    folder: Path,
    *,
    metadata: Path | None,
    metadata_key: str,
    title_column: str,
    date_column: str,
    encoding_errors: str,
    report: ReadReport,
) -> Iterator[Document]:
    """Yield the folder's documents (see the module docstring)."""
    if not folder.is_dir():
        raise InputError(folder, "the txt format reads a folder of .txt files; this is a file")
    if metadata is None and (folder / "metadata.csv").is_file():
        metadata = folder / "metadata.csv"
    rows = {} if metadata is None else load_metadata(
        metadata, key=metadata_key, title_column=title_column, date_column=date_column)
    used: set[str] = set()
    for rel in list_txt_files(folder, report):
        text = read_text_file(folder / rel, name=rel, errors=encoding_errors, report=report)
        if text is None:
            continue
        key = rel if rel in rows else rel.rsplit("/", 1)[-1]
        extra = rows.get(key, {})
        if extra:
            used.add(key)
        meta = _meta(rel, extra, text, metadata_key=metadata_key, title_column=title_column,
                     date_column=date_column, report=report)
        report.read += 1
        yield Document(id=rel[: -len(SUFFIX)], text=text, meta=meta)
    unused = sorted(set(rows) - used)
    if unused:
        log.warning("%s: %d metadata row(s) match no document read, e.g. %s",
                    metadata, len(unused), ", ".join(unused[:3]))


def _meta(rel: str, extra: dict[str, str], text: str, *, metadata_key: str,
          title_column: str, date_column: str, report: ReadReport) -> dict:
    meta: dict = {"file": rel}
    if "/" in rel:
        meta["label"] = rel.rsplit("/", 1)[0]
    for column, value in extra.items():
        if column == metadata_key:
            continue
        if column == date_column:
            add_date(meta, value, name=rel, report=report)
        else:
            meta["title" if column == title_column else column] = value
    if "title" not in meta:
        meta["title"] = next(line.strip() for line in text.splitlines() if line.strip())
    return meta


def list_txt_files(folder: Path, report: ReadReport) -> list[str]:
    """Relative posix paths of the ``.txt`` files under ``folder``, sorted.  Folders that
    cannot be listed, or that were already walked (a symlink loop), are reported."""
    found: list[str] = []
    seen: set[tuple[int, int]] = set()

    def unlisted(exc: OSError) -> None:
        report.skip(_relative(exc.filename, folder) + "/", f"folder not listed: {exc.strerror}")

    for top, dirs, files in os.walk(folder, onerror=unlisted, followlinks=True):
        here = os.stat(top)
        if (here.st_dev, here.st_ino) in seen:
            report.skip(_relative(top, folder) + "/",
                        "symlink loop: this folder was already read by another path")
            dirs.clear()
            continue
        seen.add((here.st_dev, here.st_ino))
        dirs.sort()
        found.extend(_relative(os.path.join(top, f), folder) for f in files
                     if f.endswith(SUFFIX))
    return sorted(found)


def _relative(path: str, folder: Path) -> str:
    return Path(os.path.relpath(path, folder)).as_posix()


def read_text_file(path: Path, *, name: str, errors: str, report: ReadReport) -> str | None:
    """The file's text, or None after recording why it was skipped."""
    try:
        data = path.read_bytes()
    except PermissionError:
        report.skip(name, "permission denied")
        return None
    except OSError as exc:
        reason = "symlink loop" if exc.errno == errno.ELOOP else f"unreadable: {exc.strerror}"
        report.skip(name, reason)
        return None
    if b"\0" in data:
        report.skip(name, "binary file (contains NUL bytes)")
        return None
    text = decode(data, name=name, path=path, errors=errors, report=report)
    if not text.strip():
        report.skip(name, "empty (no text)")
        return None
    return text


def load_metadata(path: Path, *, key: str, title_column: str = "title",
                  date_column: str = "date") -> dict[str, dict[str, str]]:
    """The metadata CSV as {file name: {column: non-blank value}}; all values are strings.
    A renamed title or date column beside a ``title`` or ``date`` column is an error
    (``check_column_names``)."""
    import pandas as pd

    if not path.is_file():
        raise InputError(path, "metadata CSV not found")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a readable UTF-8 CSV: {exc}") from None
    if key not in table.columns:
        raise InputError(path, f"no column {key!r} (metadata_key) to match file names; "
                               f"columns: {', '.join(map(str, table.columns))}")
    check_column_names(path, table.columns, title=title_column, date=date_column)
    rows: dict[str, dict[str, str]] = {}
    for number, record in enumerate(table.to_dict("records"), start=1):
        name = record[key].strip()
        if not name:
            raise InputError(path, f"empty {key!r} cell", row=number)
        if name in rows:
            raise InputError(path, f"file {name!r} is listed twice", row=number)
        rows[name] = {c: v.strip() for c, v in record.items() if v.strip()}
    return rows
