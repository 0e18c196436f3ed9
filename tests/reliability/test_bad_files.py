"""Bad files: every bad entry is reported by name with its reason and counted, the rest read.

Through ``topics.io.read_documents`` and through ``topics preprocess`` on a config pointing
at the same input.  Tables (CSV, JSON Lines, Parquet) with missing columns, wrong types,
duplicate ids, empty text and malformed lines give either a one-line error naming the row
(the CLI: exit 2, one line on stderr, no traceback) or a counted skip, as ``topics.io``
documents.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from _unprivileged import run_unprivileged
from topics.errors import InputError
from topics.io import read_documents

from ._cli import CLI_TIMEOUT_S, PROJECT, assert_user_error, run_topics, write_config

#: Preprocessing kept light (these tests are about reading); the filters let tiny corpora through.
LIGHT = {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0}

GOOD = {
    "good1.txt": "The economy grew strongly this year as markets rallied.\n",
    "good2.txt": "Markets fell sharply after the central bank raised rates.\n",
    "sub/good3.txt": "Rates rose again as the economy slowed.\n",
}
#: name -> words its reason must hold
SKIPPED = {
    "binary.txt": "binary",
    "empty.txt": "empty",
    "blank.txt": "empty",
    "loop.txt": "symlink loop",
    "dangling.txt": "unreadable",
    "sub/back/": "symlink loop",
}


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """A folder of good files among non-UTF-8, binary, empty and blank files, a file symlink
    loop, a dangling symlink and a folder symlink loop (plus a non-.txt file, ignored)."""
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Café owners said markets were quiet.\n".encode("latin-1"))
    (folder / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00\x08\x00 zip-like bytes \xff\xfe")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\t\n\u3000\n", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink("missing.txt", folder / "dangling.txt")
    os.symlink("..", folder / "sub" / "back")
    return folder


def _check_report(documents, report) -> None:
    assert sorted(d.id for d in documents) == ["good1", "good2", "latin1", "sub/good3"]
    assert report.read == 4
    skipped = dict(report.skipped)
    assert sorted(skipped) == sorted(SKIPPED), report.skipped
    assert len(report.skipped) == len(SKIPPED)
    for name, words in SKIPPED.items():
        assert words in skipped[name], (name, skipped[name])
    assert [(n, "UTF-8" in w) for n, w in report.repaired] == [("latin1.txt", True)]
    latin = next(d for d in documents if d.id == "latin1")
    assert latin.text == "Caf\ufffd owners said markets were quiet.\n"


def test_read_documents_skips_each_bad_file_by_name_and_reads_the_rest(messy):
    documents, report = read_documents(messy)
    _check_report(documents, report)


#: Reads a folder in a child process; prints the ids read and the skipped (name, reason)s.
READ_IN_CHILD = """\
import json, sys
from topics.io import read_documents
documents, report = read_documents(sys.argv[1])
print(json.dumps({"ids": sorted(d.id for d in documents), "skipped": report.skipped}))
"""


def _lock(folder: Path) -> Path:
    """A file nobody may read (mode 0); the tests read it without root's file access."""
    locked = folder / "locked.txt"
    locked.write_text("secret words here", encoding="utf-8")
    locked.chmod(0)
    return locked


def test_unreadable_file_is_skipped_with_its_reason(messy):
    _lock(messy)
    result = run_unprivileged([sys.executable, "-c", READ_IN_CHILD, str(messy)], cwd=PROJECT,
                              timeout=CLI_TIMEOUT_S)
    assert result.returncode == 0, result.stderr[-3000:]
    read = json.loads(result.stdout)
    assert dict(read["skipped"])["locked.txt"] == "permission denied"
    assert read["ids"] == ["good1", "good2", "latin1", "sub/good3"]
    assert len(read["skipped"]) == len(SKIPPED) + 1


def test_strict_encoding_names_the_file_and_byte(messy):
    with pytest.raises(InputError) as err:
        read_documents(messy, encoding_errors="strict")
    assert "latin1.txt" in str(err.value) and "0xe9" in str(err.value)


@pytest.mark.slow
def test_cli_preprocess_reports_each_bad_file_and_processes_the_rest(messy, tmp_path):
    _lock(messy)  # unreadable: the command runs without root's file access
    config = write_config(tmp_path / "messy.yaml",
                          {"corpus": {"path": str(messy)}, "preprocess": LIGHT})
    result = run_unprivileged([sys.executable, "-m", "topics.cli", "preprocess", str(config),
                               "--out", str(tmp_path / "out")], cwd=PROJECT,
                              timeout=CLI_TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert "documents_read: 4" in lines and "documents_out: 4" in lines
    skipped = {**SKIPPED, "locked.txt": "permission denied"}
    assert f"skipped: {len(skipped)}" in lines and "repaired: 1" in lines
    for name, words in skipped.items():
        assert any(line.strip().startswith(f"name={name}, reason=") and words in line
                   for line in lines), (name, result.stdout)
    assert any(line.strip().startswith("name=latin1.txt, what=not valid UTF-8")
               for line in lines)


@pytest.mark.slow
def test_cli_strict_encoding_is_one_line_naming_the_file(messy, tmp_path):
    config = write_config(tmp_path / "strict.yaml",
                          {"corpus": {"path": str(messy), "encoding_errors": "strict"}})
    result = run_topics("preprocess", config, "--out", tmp_path / "out")
    assert_user_error(result, "latin1.txt", "0xe9")


# ---------------------------------------------------------------- tables
def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _jsonl(path: Path, *records) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _parquet(path: Path, columns: dict) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


TEXTS = ["Markets rallied as inflation eased.", "Rates rose and markets fell.",
         "The central bank raised rates again."]

#: (case, writer of the bad file, row the error names or None, words of the message)
ERRORS = {
    "csv-missing-text-column": (
        lambda p: _csv(p / "c.csv", "id,body\n1,Markets rallied\n"), None, "no text column"),
    "csv-duplicate-id": (
        lambda p: _csv(p / "c.csv", f"id,text\n1,{TEXTS[0]}\n2,{TEXTS[1]}\n1,{TEXTS[2]}\n"),
        3, "duplicate id '1'"),
    "csv-too-many-fields": (
        lambda p: _csv(p / "c.csv", f"id,text\n1,{TEXTS[0]}\n2,{TEXTS[1]},extra\n"),
        2, "3 fields on line 3"),
    "csv-unclosed-quote": (
        lambda p: _csv(p / "c.csv", f'id,text\n1,{TEXTS[0]}\n2,"{TEXTS[1]}\n3,{TEXTS[2]}\n'),
        2, "quote is never closed"),
    "csv-empty-file": (lambda p: _csv(p / "c.csv", ""), None, "empty file"),
    "jsonl-missing-text-key": (
        lambda p: _jsonl(p / "j.jsonl", {"id": "a", "body": TEXTS[0]}), None, "no text column"),
    "jsonl-malformed-line": (
        lambda p: _jsonl(p / "j.jsonl", {"id": "a", "text": TEXTS[0]}, "",
                         '{"id": "b", "text": "unterminated}'), 3, "malformed JSON on line 3"),
    "jsonl-line-not-an-object": (
        lambda p: _jsonl(p / "j.jsonl", {"id": "a", "text": TEXTS[0]}, '["a", "list"]'),
        2, "not an object"),
    "jsonl-duplicate-id": (
        lambda p: _jsonl(p / "j.jsonl", {"id": 7, "text": TEXTS[0]},
                         {"id": "7", "text": TEXTS[1]}), 2, "duplicate id '7'"),
    "jsonl-id-is-an-object": (
        lambda p: _jsonl(p / "j.jsonl", {"id": "a", "text": TEXTS[0]},
                         {"id": {"nested": 1}, "text": TEXTS[1]}), 2, "id in column 'id' is a dict"),
    "jsonl-null-id": (
        lambda p: _jsonl(p / "j.jsonl", {"id": "a", "text": TEXTS[0]},
                         {"id": None, "text": TEXTS[1]}), 2, "empty id"),
    "parquet-missing-text-column": (
        lambda p: _parquet(p / "t.parquet", {"id": ["a"], "body": [TEXTS[0]]}), None,
        "no text column"),
    "parquet-duplicate-id": (
        lambda p: _parquet(p / "t.parquet", {"id": [1, 2, 2], "text": TEXTS}), 3,
        "duplicate id '2'"),
    "parquet-not-parquet": (
        lambda p: _csv(p / "t.parquet", "id,text\n1,not parquet at all\n"), None,
        "not a readable Parquet file"),
}


def _damaged_parquet(folder: Path) -> Path:
    """A Parquet file whose footer is intact but whose data pages are overwritten."""
    path = _parquet(folder / "t.parquet", {"id": [str(i) for i in range(2000)],
                                           "text": [f"word {i} here" for i in range(2000)]})
    data = bytearray(path.read_bytes())
    data[100:3000] = b"\xff" * 2900
    path.write_bytes(bytes(data))
    return path


ERRORS["parquet-damaged-data"] = (_damaged_parquet, 1, "damaged Parquet data")


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_bad_table_is_an_input_error_naming_the_row(case, tmp_path):
    make, row, words = ERRORS[case]
    path = make(tmp_path)
    with pytest.raises(InputError) as err:
        read_documents(path)
    assert err.value.row == row, str(err.value)
    message = err.value.one_line()
    assert message.startswith(str(path)) and words in message
    if row is not None:
        assert f", row {row}:" in message


#: One CLI run per kind of failure (each run imports pandas and gensim: seconds).
CLI_ERRORS = ["csv-missing-text-column", "csv-too-many-fields", "csv-unclosed-quote",
              "jsonl-malformed-line", "jsonl-id-is-an-object", "parquet-duplicate-id",
              "parquet-damaged-data"]


@pytest.mark.slow
@pytest.mark.parametrize("case", CLI_ERRORS)
def test_cli_bad_table_is_one_line_exit_2(case, tmp_path):
    make, row, words = ERRORS[case]
    path = make(tmp_path)
    config = write_config(tmp_path / "bad.yaml", {"corpus": {"path": str(path)}})
    result = run_topics("preprocess", config, "--out", tmp_path / "out")
    line = assert_user_error(result, path.name, words)
    if row is not None:
        assert f", row {row}:" in line


def _skips_csv(folder: Path) -> Path:
    return _csv(folder / "c.csv", "id,text,date\n"
                f"1,{TEXTS[0]},2022-04-12\n"
                "2,,2022-04-13\n"                  # empty text
                "3,   ,2022-04-14\n"               # blank text
                "4\n"                              # a short row: no text field at all
                f"5,{TEXTS[1]},not a date\n"       # bad date: left out, recorded
                f"6,{TEXTS[2]},2022-04-15\n")


def _skips_jsonl(folder: Path) -> Path:
    return _jsonl(folder / "j.jsonl",
                  {"id": "a", "text": TEXTS[0]},
                  {"id": "b", "text": ""},                       # empty text
                  {"id": "c", "text": None},                     # null text
                  {"id": "d"},                                   # missing text
                  {"id": "e", "text": ["a", "list"]},            # wrong type: skipped
                  {"id": "f", "text": 2022},                     # number: converted
                  {"id": "g", "text": TEXTS[1]},
                  {"id": "h", "text": TEXTS[2], "date": "someday"})


def _skips_parquet(folder: Path) -> Path:
    return _parquet(folder / "t.parquet", {
        "id": ["a", "b", "c", "d", "e"],
        "text": [TEXTS[0], "", None, "  \n ", TEXTS[1]],
        "date": ["2022-04-12", None, "2022-04-13", "2022-04-14", "garbage"],
    })


#: writer -> (documents read, skipped names, repaired names)
SKIPS = {
    "csv": (_skips_csv, ["1", "5", "6"], ["c.csv:2", "c.csv:3", "c.csv:4"], ["c.csv:5"]),
    "jsonl": (_skips_jsonl, ["a", "f", "g", "h"],
              ["j.jsonl:2", "j.jsonl:3", "j.jsonl:4", "j.jsonl:5"], ["j.jsonl:6", "j.jsonl:8"]),
    "parquet": (_skips_parquet, ["a", "e"], ["t.parquet:2", "t.parquet:3", "t.parquet:4"],
                ["t.parquet:5"]),
}


@pytest.mark.parametrize("kind", sorted(SKIPS))
def test_table_rows_without_text_are_counted_skips(kind, tmp_path):
    make, ids, skipped, repaired = SKIPS[kind]
    documents, report = read_documents(make(tmp_path))
    assert [d.id for d in documents] == ids
    assert report.read == len(ids)
    assert [name for name, _ in report.skipped] == skipped
    assert [name for name, _ in report.repaired] == repaired
    reasons = " ".join(reason for _, reason in report.skipped)
    assert "text" in reasons


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(SKIPS))
def test_cli_preprocess_counts_the_skipped_rows(kind, tmp_path):
    make, ids, skipped, repaired = SKIPS[kind]
    config = write_config(tmp_path / "skips.yaml",
                          {"corpus": {"path": str(make(tmp_path))}, "preprocess": LIGHT})
    result = run_topics("preprocess", config, "--out", tmp_path / "out")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert f"documents_read: {len(ids)}" in lines
    assert f"skipped: {len(skipped)}" in lines and f"repaired: {len(repaired)}" in lines
    for name in skipped:
        assert any(line.strip().startswith(f"name={name}, reason=") for line in lines), name
