"""What every reader shares: UTF-8 decoding with counted repairs, dates, metadata values, ids."""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import math
import re
from pathlib import Path
from typing import Any

from topics.documents import ReadReport
from topics.errors import InputError

_CHUNK = 1 << 20
_NOT_DATES = {"now", "today", "tomorrow", "yesterday"}  # pandas reads the first two as "now"


def decode(data: bytes, *, name: str, path: Path, errors: str, report: ReadReport) -> str:
    """UTF-8 ``data`` as text (a leading BOM dropped).  Invalid bytes are replaced with
    U+FFFD and counted in ``report.repaired`` (``errors="replace"``), or raise
    ``InputError`` naming ``path`` (``errors="strict"``)."""
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if errors == "strict":
            raise InputError(path, _bad_utf8(exc.object[exc.start:exc.start + 1],
                                             bom + exc.start)) from None
        bad = _count_bad_bytes(data[bom:])
        report.repair(name, f"not valid UTF-8: {bad} undecodable byte(s) replaced with U+FFFD")
        return data[bom:].decode("utf-8", errors="replace")


def check_utf8_file(path: Path, *, errors: str, report: ReadReport) -> None:
    """Stream ``path`` once to check it is UTF-8; if not, raise (strict) or record that the
    reader will replace its undecodable bytes (replace), so big files need not be loaded."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                if errors == "strict":
                    where = offset + exc.start
                    raise InputError(path, _bad_utf8(chunk[exc.start:exc.start + 1], where)
                                     ) from None
                report.repair(path.name, "not valid UTF-8: undecodable bytes replaced "
                                         "with U+FFFD")
                return
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if errors == "strict":
                raise InputError(path, "not valid UTF-8: the file ends inside a character; "
                                       "encoding_errors='replace' would repair it") from None
            report.repair(path.name, "not valid UTF-8: a truncated last character replaced")


def _bad_utf8(byte: bytes, offset: int) -> str:
    return (f"not valid UTF-8 (byte 0x{byte.hex()} at offset {offset}); "
            "encoding_errors='replace' would decode it with U+FFFD replacements")


def _count_bad_bytes(data: bytes) -> int:
    """How many bytes of ``data`` are not part of a valid UTF-8 sequence."""
    count, start = 0, 0
    while True:
        try:
            data[start:].decode("utf-8")
            return count
        except UnicodeDecodeError as exc:
            count += exc.end - exc.start
            start += exc.end


#: The years a stored date may have: ISO ``YYYY-MM-DD`` has four digits and no sign.
MIN_YEAR, MAX_YEAR = 1, 9999
#: Two defaults for the parts a text leaves out: a year that differs between them was not
#: in the text ("12 Apr", "Monday", "5pm").  Both are leap years, so "29 Feb" parses.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2004, 1, 1))
#: A sign before a digit: a negative (or signed) number, never a date, though the parsers
#: read "-20220412" as 2022-04-12 and "-1" as the year -1.
_SIGNED = re.compile(r"[+-]\s*\d")


def iso_date(year: int, month: int, day: int) -> str | None:
    """``YYYY-MM-DD`` (year zero-padded to four digits), or None for a year outside
    ``MIN_YEAR``..``MAX_YEAR`` (negative years, year 0, five-digit years)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _year_in_text(text: str) -> bool:
    """Whether ``text`` states a year: dateutil (pandas' fallback parser) gives the same
    year with two different defaults.  A text dateutil cannot read was read by pandas' own
    ISO or quarter parsers, which need a year."""
    from dateutil import parser

    try:
        years = {parser.parse(text, default=d).year for d in _DEFAULTS}
    except (ValueError, OverflowError, TypeError):
        return True
    return len(years) == 1


@functools.lru_cache(maxsize=4096)
def _parse_date_text(text: str) -> str | None:
    import warnings

    import pandas as pd

    if text.lower() in _NOT_DATES or _SIGNED.match(text):
        return None
    try:
        with warnings.catch_warnings():  # deprecations of odd formats ("2022Q2")
            warnings.simplefilter("ignore")
            stamp = pd.to_datetime(text)
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(stamp) or not _year_in_text(text):
        return None
    return iso_date(stamp.year, stamp.month, stamp.day)


def normalise_date(value: Any) -> str | None:
    """``value`` as an ISO ``YYYY-MM-DD`` string, or None when it is not a date.

    Strings are parsed by pandas (ISO, "12 April 2022", RFC 2822, "2022" -> 2022-01-01...);
    an ambiguous numeric date such as 04/05/2022 is read month first, pandas' default.
    A text must state its year: "12 Apr", "April", "Monday", "March 3rd" or "12:30" are
    not dates (pandas would fill in year 1 or today).  Years outside 1..9999 ("-1", "-2022",
    year 0, five digits) are not dates either.  A date-time keeps the calendar date of its
    own time zone.  Numbers are read as their digits ("2022", "20220412"), never as an
    epoch.  Null, blank, booleans, lists and mappings give None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (dt.date, dt.datetime)):  # pandas Timestamp is a datetime
        if value != value:  # NaT != NaT
            return None
        return iso_date(value.year, value.month, value.day)
    if isinstance(value, float):
        if math.isnan(value) or not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, (list, tuple, dict, set)):
        return None
    text = str(value).strip()
    return _parse_date_text(text) if text else None


def is_null(value: Any) -> bool:
    """None, NaN, NaT or a blank string: a missing value in any of the formats."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # arrays and the like
        return False


def meta_value(value: Any) -> Any:
    """A metadata value as stored in ``Document.meta``: numpy scalars become Python ones,
    strings are stripped (None for null, which the caller leaves out)."""
    if is_null(value):
        return None
    if isinstance(value, str):
        return value.strip()
    item = getattr(value, "item", None)  # numpy scalar -> Python scalar
    if callable(item) and getattr(value, "ndim", None) == 0:
        return item()
    return value


def add_date(meta: dict, value: Any, *, name: str, report: ReadReport) -> None:
    """Put ``value`` as ``meta["date"]`` (ISO) if it parses; otherwise record it and leave it
    out (a blank value is simply absent, not an error)."""
    if is_null(value):
        return
    iso = normalise_date(value)
    if iso is None:
        report.repair(name, f"date {str(value).strip()!r} not understood: left out")
    else:
        meta["date"] = iso


def check_column_names(path: Path, names: Any, *, title: str, date: str,
                       row: int | None = None) -> None:
    """``InputError`` when the title or date column is renamed (``title_column: headline``)
    and ``names`` also holds a column named ``title`` (or ``date``): the renamed column is
    stored under that name, so one would silently overwrite the other."""
    names = set(map(str, names))
    for kind, chosen in (("title", title), ("date", date)):
        if chosen != kind and chosen in names and kind in names:
            raise InputError(path, f"{kind}_column is {chosen!r}, but there is also a column "
                                   f"named {kind!r}, which it would overwrite (both are stored "
                                   f"as {kind!r}); rename or drop the {kind!r} column",
                             row=row)


class IdRegistry:
    """Document ids seen so far in one file; a repeat is an ``InputError`` naming its row."""

    def __init__(self, path: Path):
        self.path = path
        self._first_row: dict[str, int] = {}

    def add(self, doc_id: str, row: int) -> None:
        first = self._first_row.setdefault(doc_id, row)
        if first != row:
            raise InputError(self.path, f"duplicate id {doc_id!r} (first at row {first})",
                             row=row)
