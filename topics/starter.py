"""``topics init``: look at a corpus, guess how to read it, write a commented starter config.

:func:`sniff` looks at a folder of ``.txt`` files (sub-folders become labels, an optional
``metadata.csv``), an OCTIS corpus, or a CSV / JSON Lines / Parquet table (a sample of its
first rows) and guesses the format and the columns (:func:`guess_columns`):

* text: the column of strings with the longest average length (not numbers, not dates);
* id: a column named like an id (``id``, ``doc_id``, ``*_id``, ``file``, ...) whose values
  are all present, unique and short; none: documents are numbered by row;
* date: a column whose values parse as dates (a column of bare numbers only when its name
  says date or year);
* title: a column of short strings named like a title (``title``, ``headline``, ...).

:func:`starter_config` writes the YAML, every key with a comment saying what it means, what
else it can be and, for guessed keys, why it was guessed; :func:`write_starter` puts it
beside the corpus, as ``<name>.topics.yaml`` in the folder holding the file or folder, and
never overwrites a file.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from topics.errors import InputError

SAMPLE_ROWS = 2000
SAMPLE_FILES = 200
ID_NAMES = ("id", "doc_id", "docid", "document_id", "documentid", "doc", "uid", "uuid", "key",
            "identifier", "file", "filename", "file_name", "path", "article_id", "record_id")
TITLE_NAMES = ("title", "headline", "heading", "subject", "caption", "header", "name")
DATE_NAMES = ("date", "datetime", "time", "timestamp", "published", "pub_date",
              "publication_date", "published_at", "created", "created_at", "year", "day")
SUFFIX = ".topics.yaml"


@dataclass(frozen=True)
class CorpusGuess:
    """What :func:`sniff` found: the format, the guessed columns and why (``reasons``)."""

    path: Path
    format: str
    documents: int  # files or rows found
    mean_words: float  # mean words per document over the sample
    text_column: str | None = None
    id_column: str | None = None
    title_column: str | None = None
    date_column: str | None = None
    metadata: str | None = None  # txt: the metadata CSV's name inside the folder
    metadata_key: str | None = None
    columns: tuple[str, ...] = ()  # the table's columns (txt: the metadata CSV's)
    labels: tuple[str, ...] = ()  # txt: the sub-folders
    reasons: dict[str, str] = field(default_factory=dict)


def _norm(name: Any) -> str:
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def _named(name: Any, names: tuple[str, ...], *, suffix: str | None = None) -> bool:
    name = _norm(name)
    return name in names or (suffix is not None and name.endswith(suffix))


def _rank(name: Any, names: tuple[str, ...]) -> int:
    name = _norm(name)
    return names.index(name) if name in names else len(names)


def _column_stats(records: list[dict], column: Any) -> dict[str, Any]:
    from topics.io.common import is_null, normalise_date

    values = [r.get(column) for r in records]
    present = [v for v in values if not is_null(v)]
    strings = [v.strip() for v in present if isinstance(v, str)]
    keys = [str(v).strip() for v in present]
    dates = [normalise_date(v) for v in present[:200]]
    return {
        "present": len(present), "all": len(values),
        "string_share": len(strings) / len(present) if present else 0.0,
        "mean_len": sum(map(len, strings)) / len(strings) if strings else 0.0,
        "max_len": max(map(len, keys), default=0),
        "unique": len(set(keys)) == len(keys) == len(values) and all(
            isinstance(v, (str, int)) and not isinstance(v, bool) for v in present),
        "date_share": sum(d is not None for d in dates) / len(dates) if dates else 0.0,
        "digits_only": all(k.isdigit() for k in keys[:200]),
    }


def guess_columns(records: list[dict], *, need_text: bool = True) -> dict[str, Any]:
    """Guess the text, id, title and date columns of a sample of records (dicts).

    Returns ``{"text": ..., "id": ..., "title": ..., "date": ..., "reasons": {...}}``, each
    column name or None (see the module docstring for the rules).  With ``need_text`` False
    (a metadata CSV) no text column is looked for.
    """
    columns = list(dict.fromkeys(c for r in records for c in r))
    stats = {c: _column_stats(records, c) for c in columns}
    out: dict[str, Any] = {"text": None, "id": None, "title": None, "date": None,
                           "reasons": {}}
    reasons = out["reasons"]
    texts = [c for c in columns if stats[c]["string_share"] >= 0.5  # numbers are no text
             and not stats[c]["digits_only"] and stats[c]["date_share"] < 0.9]
    if need_text and texts:
        out["text"] = max(texts, key=lambda c: stats[c]["mean_len"])
        reasons["text"] = (f"the longest strings: {stats[out['text']]['mean_len']:.0f} "
                           "characters on average")
    rest = [c for c in columns if c != out["text"]]
    ids = [c for c in rest if _named(c, ID_NAMES, suffix="_id") and stats[c]["unique"]
           and stats[c]["max_len"] <= 200]
    if ids:
        out["id"] = min(ids, key=lambda c: _rank(c, ID_NAMES))
        reasons["id"] = "named like an id, every value present and unique"
    rest = [c for c in rest if c != out["id"]]
    # A column named "date" (or "title") is stored under that name: no other may be chosen.
    dates = [c for c in rest if stats[c]["date_share"] >= 0.9
             and (_named(c, DATE_NAMES, suffix="_date") or not stats[c]["digits_only"])
             and (c == "date" or "date" not in columns)]
    if dates:
        out["date"] = min(dates, key=lambda c: (_rank(c, DATE_NAMES), -stats[c]["date_share"]))
        reasons["date"] = f"{stats[out['date']]['date_share']:.0%} of its values parse as dates"
    rest = [c for c in rest if c != out["date"]]
    titles = [c for c in rest if _named(c, TITLE_NAMES) and stats[c]["string_share"] >= 0.9
              and stats[c]["mean_len"] <= 300 and (c == "title" or "title" not in columns)]
    if titles:
        out["title"] = min(titles, key=lambda c: _rank(c, TITLE_NAMES))
        reasons["title"] = f"named like a title, {stats[out['title']]['mean_len']:.0f} " \
                           "characters on average"
    return out


# ---------------------------------------------------------------- reading samples
def _csv_sample(path: Path) -> tuple[list[dict], int]:
    import pandas as pd

    from topics.io.tables import csv_error

    options = dict(dtype=str, keep_default_na=False, encoding="utf-8-sig",
                   encoding_errors="replace")
    try:
        frame = pd.read_csv(path, nrows=SAMPLE_ROWS, **options)
    except pd.errors.EmptyDataError:
        raise InputError(path, "empty file: a CSV needs a header row") from None
    except pd.errors.ParserError as exc:
        raise csv_error(path, len(pd.read_csv(path, nrows=0, **options).columns), exc) from None
    records = frame.to_dict("records")
    return records, _count_csv_rows(path, len(records))


def _count_csv_rows(path: Path, sampled: int) -> int:
    if sampled < SAMPLE_ROWS:
        return sampled
    limit = csv.field_size_limit(sys.maxsize)
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            return sum(1 for record in csv.reader(handle) if record) - 1
    except csv.Error:
        return sampled
    finally:
        csv.field_size_limit(limit)


def _jsonl_sample(path: Path) -> tuple[list[dict], int]:
    records: list[dict] = []
    count = 0
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            count += 1
            if len(records) < SAMPLE_ROWS:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(path, f"malformed JSON on line {number}: {exc.msg}",
                                     row=number) from None
                if not isinstance(record, dict):
                    raise InputError(path, f"line {number} is not a JSON object", row=number)
                records.append(record)
    return records, count


def _parquet_sample(path: Path) -> tuple[list[dict], int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
        batch = next(table.iter_batches(batch_size=SAMPLE_ROWS), None)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(path, f"not a readable Parquet file: {exc}") from None
    records = [] if batch is None else batch.to_pylist()
    return records, table.metadata.num_rows


def _sniff_table(path: Path, fmt: str) -> CorpusGuess:
    reader = {"csv": _csv_sample, "jsonl": _jsonl_sample, "parquet": _parquet_sample}[fmt]
    records, count = reader(path)
    if not records:
        raise InputError(path, "no rows to look at")
    found = guess_columns(records)
    if found["text"] is None:
        have = ", ".join(map(str, dict.fromkeys(c for r in records for c in r))) or "none"
        raise InputError(path, f"no column of text found (columns: {have})")
    words = [len(str(r.get(found["text"]) or "").split()) for r in records]
    return CorpusGuess(path=path, format=fmt, documents=count,
                       mean_words=sum(words) / len(words), text_column=found["text"],
                       id_column=found["id"], title_column=found["title"],
                       date_column=found["date"], reasons=found["reasons"],
                       columns=tuple(map(str, dict.fromkeys(c for r in records for c in r))))


def _metadata_key(records: list[dict], files: list[str]) -> str | None:
    """The metadata column whose values name the most files (relative path or file name)."""
    names = set(files) | {f.rsplit("/", 1)[-1] for f in files}
    best, hits = None, 0
    for column in dict.fromkeys(c for r in records for c in r):
        matched = sum(str(r.get(column, "")).strip() in names for r in records)
        if matched > hits:
            best, hits = column, matched
    return best


def _sniff_folder(path: Path) -> CorpusGuess:
    from topics.documents import ReadReport
    from topics.io.txt import list_txt_files, load_metadata

    files = list_txt_files(path, ReadReport())
    if not files:
        raise InputError(path, "no .txt file in this folder (or its sub-folders)")
    words = [len((path / f).read_text(encoding="utf-8", errors="replace").split())
             for f in files[:SAMPLE_FILES]]
    labels = tuple(sorted({f.rsplit("/", 1)[0] for f in files if "/" in f}))
    guess = dict(path=path, format="txt", documents=len(files),
                 mean_words=sum(words) / len(words), labels=labels)
    meta_path = path / "metadata.csv"
    if not meta_path.is_file():
        return CorpusGuess(**guess)
    import pandas as pd

    try:
        table = pd.read_csv(meta_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(meta_path, f"not a readable UTF-8 CSV: {exc}") from None
    records = table.to_dict("records")
    key = _metadata_key(records, files)
    if key is None:
        raise InputError(meta_path, "no column of this CSV names the folder's .txt files")
    load_metadata(meta_path, key=key)  # the reader's own checks (empty, repeated names)
    found = guess_columns([{c: v for c, v in r.items() if c != key} for r in records],
                          need_text=False)
    return CorpusGuess(**guess, metadata=meta_path.name, metadata_key=key,
                       title_column=found["title"], date_column=found["date"],
                       columns=tuple(map(str, table.columns)),
                       reasons={**found["reasons"], "metadata_key": "its values name the "
                                "folder's files"})


def _sniff_octis(path: Path) -> CorpusGuess:
    """OCTIS's ``corpus.tsv``: one pre-tokenised document per line (``tokens<TAB>split...``)."""
    tsv = path / "corpus.tsv" if path.is_dir() else path
    count, words = 0, 0
    with open(tsv, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                count += 1
                words += len(line.split("\t", 1)[0].split())
    return CorpusGuess(path=path, format="octis", documents=count,
                       mean_words=words / count if count else 0.0)


def sniff(path: str | os.PathLike) -> CorpusGuess:
    """Look at the corpus at ``path`` and guess how to read it (module docstring)."""
    from topics.io.api import detect_format

    path = Path(path).expanduser().resolve()
    if not path.exists():
        raise InputError(path, "no such file or folder")
    fmt = detect_format(path)
    if fmt == "octis":
        return _sniff_octis(path)
    if fmt == "txt":
        return _sniff_folder(path)
    return _sniff_table(path, fmt)


def starter_path(corpus: str | os.PathLike) -> Path:
    """Where ``topics init`` writes the config: ``<name>.topics.yaml`` beside the corpus."""
    corpus = Path(corpus).expanduser().resolve()
    name = corpus.name if corpus.is_dir() else corpus.stem
    return corpus.parent / f"{name}{SUFFIX}"


def write_starter(corpus: str | os.PathLike, *, config: str | os.PathLike | None = None
                  ) -> tuple[Path, CorpusGuess]:
    """Sniff ``corpus`` and write its starter config to ``config`` (default:
    :func:`starter_path`); never overwrites an existing file (``InputError``)."""
    from topics.config import validate
    from topics.starter_yaml import starter_config

    guess = sniff(corpus)
    target = Path(config).expanduser().resolve() if config else starter_path(guess.path)
    if target.exists():
        raise InputError(target, "already exists; not overwritten (remove it, or write "
                                 "elsewhere with --config FILE)")
    text = starter_config(guess, config_path=target)
    import yaml

    validate(yaml.safe_load(text), source=target)  # what we write must load as it is
    _write_new(target, text)
    return target, guess


def _write_new(path: Path, text: str) -> None:
    """Write ``text`` to a new file ``path`` atomically; refuse if it appeared meanwhile."""
    for folder in (path.parent, *path.parent.parents):
        if folder.exists() and not folder.is_dir():
            raise InputError(folder, "not a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if path exists: no overwrite, even in a race
        except FileExistsError:
            raise InputError(path, "already exists; not overwritten") from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise InputError(path, "already exists; not overwritten") from None
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def wrap_comment(text: str, indent: str = "") -> list[str]:
    """``text`` as YAML comment lines of at most 92 characters."""
    return [f"{indent}# {line}" for line in textwrap.wrap(text, 92 - len(indent))]
