"""CSV, JSON Lines and Parquet readers: columns, ids, dates, cell types and bad files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from topics.errors import ConfigError, InputError
from topics.io import detect_format, iter_documents, read_documents


def jsonl(path: Path, *lines) -> Path:
    path.write_text("".join((ln if isinstance(ln, str) else json.dumps(ln)) + "\n"
                            for ln in lines), encoding="utf-8")
    return path


def test_csv_columns_become_id_title_date_and_meta(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('id,text,title,date,source,empty\n'
                    'a1,"First, with a comma",One,2022-04-12,Wire,\n'
                    'a2,Second,Two,"April 3, 2021",NA,\n', encoding="utf-8")
    documents, report = read_documents(path)
    assert [(d.id, d.text) for d in documents] == [("a1", "First, with a comma"),
                                                   ("a2", "Second")]
    assert documents[0].meta == {"title": "One", "date": "2022-04-12", "source": "Wire"}
    assert documents[1].meta == {"title": "Two", "date": "2021-04-03", "source": "NA"}
    assert report.read == 2 and report.skipped == [] and report.repaired == []


def test_csv_custom_columns_default_ids_and_skips(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("body,when\nhello,2020-01-02\n   ,2020-01-03\nbye,31st of Nevember\n")
    documents, report = read_documents(path, text_column="body", date_column="when")
    assert [(d.id, d.text, d.meta) for d in documents] == [
        ("0", "hello", {"date": "2020-01-02"}), ("2", "bye", {})]
    assert report.skipped == [("c.csv:2", "empty (no text)")]
    assert report.repaired == [("c.csv:3", "date '31st of Nevember' not understood: left out")]


def test_csv_without_the_text_column_lists_the_columns(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,body\n1,x\n")
    with pytest.raises(InputError) as info:
        read_documents(path)
    assert info.value.path == str(path)
    assert "'text'" in str(info.value) and "'id', 'body'" in str(info.value)


def test_duplicate_ids_name_the_row(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,text\nx,one\ny,two\nx,three\n")
    with pytest.raises(InputError) as info:
        read_documents(path)
    assert info.value.row == 3
    assert "'x'" in str(info.value) and "first at row 1" in str(info.value)


def test_csv_invalid_utf8_is_repaired_or_rejected(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("text\ncaf\xe9\n".encode("latin-1"))
    documents, report = read_documents(path)
    assert documents[0].text == "caf\ufffd"
    assert [name for name, _ in report.repaired] == ["c.csv"]
    with pytest.raises(InputError) as info:
        read_documents(path, encoding_errors="strict")
    assert info.value.path == str(path) and "offset 8" in str(info.value)


def test_empty_csv_is_an_input_error(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("")
    with pytest.raises(InputError, match="header"):
        read_documents(path)


def test_jsonl_types_in_the_text_column(tmp_path):
    path = jsonl(tmp_path / "d.jsonl",
                 {"id": 7, "text": "words", "score": 0.5, "tags": ["a"]},
                 "",
                 {"id": 8, "text": 42},
                 {"id": 9, "text": None},
                 {"id": 10},
                 {"id": 11, "text": ["not", "text"]},
                 {"id": 12, "text": True})
    documents, report = read_documents(path)
    assert [(d.id, d.text) for d in documents] == [("7", "words"), ("8", "42"), ("12", "True")]
    assert documents[0].meta == {"score": 0.5, "tags": ["a"]}
    assert report.repaired == [("d.jsonl:3", "text was int 42, not a string: converted"),
                               ("d.jsonl:7", "text was bool True, not a string: converted")]
    assert report.skipped == [("d.jsonl:4", "no text (null or missing)"),
                              ("d.jsonl:5", "no text (null or missing)"),
                              ("d.jsonl:6", "text is a list, not a string")]


def test_malformed_jsonl_line_names_its_number(tmp_path):
    path = jsonl(tmp_path / "d.jsonl", {"text": "ok"}, "", '{"text": "broken",')
    with pytest.raises(InputError) as info:
        read_documents(path)
    assert info.value.row == 3 and "line 3" in str(info.value)


def test_jsonl_line_that_is_not_an_object(tmp_path):
    path = jsonl(tmp_path / "d.jsonl", {"text": "ok"}, [1, 2])
    with pytest.raises(InputError, match="list, not an object") as info:
        read_documents(path)
    assert info.value.row == 2


def test_jsonl_without_the_text_key_lists_the_keys(tmp_path):
    path = jsonl(tmp_path / "d.jsonl", {"body": "x", "id": 1})
    with pytest.raises(InputError) as info:
        read_documents(path)
    assert "'text'" in str(info.value) and "'body', 'id'" in str(info.value)


def test_jsonl_null_id_names_the_row(tmp_path):
    path = jsonl(tmp_path / "d.jsonl", {"id": "a", "text": "x"}, {"id": None, "text": "y"})
    with pytest.raises(InputError, match="empty id") as info:
        read_documents(path)
    assert info.value.row == 2


def test_parquet_keeps_types_and_reads_timestamps(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({
        "text": ["alpha", None, "gamma", "delta"],
        "n": [1, 2, 3, 4],
        "date": [dt.datetime(2022, 4, 12, 23, 0), None, dt.datetime(2021, 1, 1), None],
    }).to_parquet(path)
    documents, report = read_documents(path)
    assert [(d.id, d.text) for d in documents] == [("0", "alpha"), ("2", "gamma"),
                                                   ("3", "delta")]
    assert documents[0].meta == {"n": 1, "date": "2022-04-12"}
    assert type(documents[0].meta["n"]) is int
    assert documents[2].meta == {"n": 4}
    assert report.skipped == [("p.parquet:2", "no text (null or missing)")]


def test_parquet_numbers_in_the_text_column_are_coerced(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({"id": ["x", "y"], "body": [1.5, 2.0]}).to_parquet(path)
    documents, report = read_documents(path, text_column="body")
    assert [(d.id, d.text) for d in documents] == [("x", "1.5"), ("y", "2.0")]
    assert len(report.repaired) == 2


def test_parquet_without_the_text_column(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({"body": ["x"]}).to_parquet(path)
    with pytest.raises(InputError, match="'body'"):
        read_documents(path)


def test_not_a_parquet_file(tmp_path):
    path = tmp_path / "p.parquet"
    path.write_text("text\nhello\n")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        read_documents(path)


@pytest.mark.parametrize(("name", "expected"), [
    ("a.csv", "csv"), ("a.JSONL", "jsonl"), ("a.ndjson", "jsonl"), ("a.parquet", "parquet"),
    ("a.tsv", "octis"),
])
def test_detect_format_by_extension(tmp_path, name, expected):
    path = tmp_path / name
    path.write_text("")
    assert detect_format(path) == expected


def test_unknown_extension_asks_for_a_format(tmp_path):
    path = tmp_path / "corpus.xlsx"
    path.write_text("")
    with pytest.raises(InputError, match="set format"):
        read_documents(path)


def test_table_format_on_a_folder_and_metadata_on_a_table(tmp_path):
    with pytest.raises(InputError, match="reads a file"):
        read_documents(tmp_path, format="csv")
    path = tmp_path / "c.csv"
    path.write_text("text\nx\n")
    with pytest.raises(InputError, match="reads a folder"):
        iter_documents(path, format="txt")  # checked before the first document is asked for
    with pytest.raises(ConfigError) as info:
        read_documents(path, metadata=tmp_path / "m.csv")
    assert info.value.key == "metadata"


def test_id_column_none_numbers_the_records_and_keeps_an_id_column_as_metadata(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,text\n7,first\n7,second\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate id '7'"):
        read_documents(path)
    documents, _ = read_documents(path, id_column=None)
    assert [(d.id, d.text, d.meta) for d in documents] == [
        ("0", "first", {"id": "7"}), ("1", "second", {"id": "7"})]
    lines = jsonl(tmp_path / "j.jsonl", {"id": 1, "text": "a"}, {"text": "b"})
    assert [d.id for d in read_documents(lines, id_column=None)[0]] == ["0", "1"]
