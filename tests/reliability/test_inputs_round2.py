"""Reliability round two, corpus input: ids of every JSONL line, dates without a year,
dates that are not dates at all (issue 16, items 2, 3 and 4).

Ids: every line's own id is used; a line without one while others have one stops the read
with one line naming that line, never with ids invented for the whole file.  Dates: a text
without a year ("12 Apr", "March 3rd", "5pm") or a value that is no date ("-1", -1, huge
years, booleans) is left out and counted as not understood; what is stored is always ISO
``YYYY-MM-DD``, and the over-time figure reads stored dates as ISO only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from topics.errors import InputError
from topics.io import normalise_date, read_documents

from ._cli import assert_user_error, run_topics, write_config

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# ---------------------------------------------------------------- item 2: JSONL ids
def test_jsonl_first_line_without_id_stops_naming_that_line(tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [{"text": "alpha words"},
                                         {"id": "b-7", "text": "beta words"},
                                         {"id": "c-9", "text": "gamma words"}])
    with pytest.raises(InputError) as err:
        read_documents(path)
    assert err.value.row == 1
    assert "'id'" in str(err.value) and "line 2" in str(err.value)


def test_jsonl_several_lines_without_id_then_one_with_names_the_first(tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [{"text": "alpha"}, {"text": "beta"},
                                         {"text": "gamma"}, {"id": 44, "text": "delta"}])
    with pytest.raises(InputError) as err:
        read_documents(path)
    assert err.value.row == 1 and "line 4" in str(err.value)


def test_jsonl_blank_leading_lines_count_in_the_row(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('\n\n{"text": "alpha"}\n{"id": "x", "text": "beta"}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_documents(path)
    assert err.value.row == 3 and "line 4" in str(err.value)


def test_jsonl_later_line_without_id_stops_naming_it(tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": "alpha"},
                                         {"id": "b", "text": "beta"}, {"text": "gamma"}])
    with pytest.raises(InputError) as err:
        read_documents(path)
    assert err.value.row == 3 and "'id'" in str(err.value)


def test_jsonl_every_line_keeps_its_own_id(tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [{"id": "z9", "text": "alpha"},
                                         {"id": 17, "text": "beta"},
                                         {"id": 3.0, "text": "gamma"}])
    docs, _ = read_documents(path)
    assert [d.id for d in docs] == ["z9", "17", "3"]


def test_jsonl_without_any_id_uses_record_numbers(tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [{"text": "alpha"}, {"text": "beta"}])
    docs, _ = read_documents(path)
    assert [d.id for d in docs] == ["0", "1"]


def test_jsonl_custom_id_column_absent_is_an_error_not_numbers(tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": "alpha"}])
    with pytest.raises(InputError) as err:
        read_documents(path, id_column="doc_id")
    assert "doc_id" in str(err.value) and err.value.row == 1


def test_csv_custom_id_column_absent_is_an_error(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,text\na,alpha\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_documents(path, id_column="doc_id")
    assert "doc_id" in str(err.value)


@pytest.mark.parametrize("cell", ["", "   "])
def test_csv_empty_id_cell_names_the_row(tmp_path, cell):
    path = tmp_path / "c.csv"
    path.write_text(f"id,text\na,alpha\n{cell},beta\nc,gamma\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_documents(path)
    assert err.value.row == 2 and "empty id" in str(err.value)


def test_parquet_null_id_names_the_row(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({"id": ["a", None, "c"], "text": ["alpha", "beta", "gamma"]}).to_parquet(path)
    with pytest.raises(InputError) as err:
        read_documents(path)
    assert err.value.row == 2


def test_cli_jsonl_missing_first_id_is_one_line_exit_2(tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [{"text": "markets rallied on rates"},
                                         {"id": "b", "text": "markets fell on rates"}])
    config = write_config(tmp_path / "c.yaml", {"corpus": {"path": str(path)}})
    result = run_topics("preprocess", config, "--out", tmp_path / "out")
    assert_user_error(result, str(path), "row 1")


# ---------------------------------------------------------------- item 3: no year
NO_YEAR = ["12 Apr", "April", "Monday", "March 3rd", "3rd", "12/04", "Apr 12", "Jan",
           "5pm", "at 5pm", "12:30", "noon", "T12", "10 10", "Sunday 12 April",
           "Dec 25th", "25 December", "Tuesday, 12 April", "12:30:45"]


@pytest.mark.parametrize("text", NO_YEAR)
def test_dates_without_a_year_are_not_dates(text):
    assert normalise_date(text) is None


@pytest.mark.parametrize(("value", "expected"), [
    ("12 April 2022", "2022-04-12"), ("March 3rd, 2021", "2021-03-03"),
    ("Monday 11 April 2022", "2022-04-11"), ("April 2022", "2022-04-01"),
    ("12/04/22", "2022-12-04"), ("0099-01-01", "0099-01-01"),
    ("1500-06-01", "1500-06-01"), (dt.date(99, 1, 2), "0099-01-02"),
    ("12 Apr 2022 17:30", "2022-04-12"),
])
def test_dates_with_a_year_are_iso(value, expected):
    assert normalise_date(value) == expected


def test_yearless_dates_are_counted_and_left_out(tmp_path):
    rows = [{"id": str(i), "text": f"text number {i}", "date": d}
            for i, d in enumerate(["2022-04-12", *NO_YEAR[:6]])]
    path = _jsonl(tmp_path / "c.jsonl", rows)
    docs, report = read_documents(path)
    dated = [d.meta["date"] for d in docs if "date" in d.meta]
    assert dated == ["2022-04-12"]
    not_understood = [r for r in report.repaired if "not understood" in r[1]]
    assert len(not_understood) == 6, report.repaired


def test_txt_metadata_yearless_date_left_out(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("alpha words", encoding="utf-8")
    (folder / "b.txt").write_text("beta words", encoding="utf-8")
    (folder / "metadata.csv").write_text("file,date\na.txt,12 Apr\nb.txt,12 Apr 2021\n",
                                         encoding="utf-8")
    docs, report = read_documents(folder)
    assert [d.meta.get("date") for d in docs] == [None, "2021-04-12"]
    assert any("12 Apr" in reason for _, reason in report.repaired)


# ---------------------------------------------------------------- item 4: not dates
NOT_DATES = ["-1", "-0", "-2022", "-20220412", "0", "0000-01-01", "99999", "99999-01-01",
             "10000-01-01", "+-1", "1e308", "-1e5", "--1", "2022-02-30", "inf", "-inf",
             "nan", "1" * 40]


@pytest.mark.parametrize("text", NOT_DATES)
def test_strings_that_are_no_dates(text):
    assert normalise_date(text) is None


@pytest.mark.parametrize("value", [-1, -0, 0, -2022, 10 ** 30, -(10 ** 30), 1e308, -1e308,
                                   float("inf"), float("-inf"), True, False, np.int64(-1),
                                   np.float64(-2022.0), 99999, [2022], {"year": 2022}])
def test_values_that_are_no_dates(value):
    assert normalise_date(value) is None


def test_jsonl_negative_dates_are_counted_no_traceback(tmp_path):
    dates = [-1, "-1", "-0", "-2022", 10 ** 30, True, 0, "0000-01-01", 2022]
    rows = [{"id": str(i), "text": f"words {i}", "date": d} for i, d in enumerate(dates)]
    docs, report = read_documents(_jsonl(tmp_path / "c.jsonl", rows))
    assert len(docs) == len(dates)
    assert [d.meta.get("date") for d in docs] == [None] * 8 + ["2022-01-01"]
    assert sum("not understood" in reason for _, reason in report.repaired) == 8


def test_csv_negative_date_one_cell_does_not_spoil_the_corpus(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,text,date\na,alpha,-1\nb,beta,2022-04-12\nc,gamma,-0\n",
                    encoding="utf-8")
    docs, report = read_documents(path)
    assert [d.meta.get("date") for d in docs] == [None, "2022-04-12", None]
    assert len(report.repaired) == 2


def test_parquet_dates_out_of_range_are_iso_or_left_out(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({"id": ["a", "b", "c"], "text": ["alpha", "beta", "gamma"],
                  "date": [dt.date(1, 1, 1), dt.date(2022, 4, 12), dt.date(999, 5, 6)]}
                 ).to_parquet(path)
    docs, _ = read_documents(path)
    dates = [d.meta.get("date") for d in docs]
    assert dates == ["0001-01-01", "2022-04-12", "0999-05-06"]
    assert all(ISO.match(d) for d in dates)


def test_cli_preprocess_with_date_minus_one_exits_0(tmp_path):
    rows = [{"id": "a", "text": "markets rallied as rates eased", "date": -1},
            {"id": "b", "text": "markets fell as rates rose", "date": "-0"},
            {"id": "c", "text": "rates held and markets waited", "date": "12 Apr"}]
    path = _jsonl(tmp_path / "c.jsonl", rows)
    config = write_config(tmp_path / "c.yaml", {
        "corpus": {"path": str(path)},
        "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0}})
    result = run_topics("preprocess", config, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- stored dates are read as ISO
def test_over_time_reads_stored_dates_as_iso_only():
    from topics.viz.over_time import _periods

    dates = pd.Series(["2022-04-12", "1-04-12", "12 Apr", "2021-01-05", None],
                      index=list("abcde"))
    periods, _ = _periods(dates, "M")
    assert str(periods["a"]) == "2022-04" and str(periods["d"]) == "2021-01"
    assert periods[["b", "c", "e"]].isna().all()


def test_theme_effects_read_stored_dates_as_iso_only():
    from topics.experiment_themes import _is_time
    from topics.themes.effects import decimal_years

    years = decimal_years(pd.Series(["2022-01-01", "1-04-12", "12 Apr", "2021"]))
    assert years[0] == 2022.0 and years[3] == 2021.0
    assert years[[1, 2]].isna().all()  # not 2012-01-04, not year 1
    assert not _is_time("published", pd.Series(["1-04-12", "2-05-12"]))
    assert _is_time("published", pd.Series(["2022-04-12", "2021-05-12"]))


@pytest.mark.parametrize("values,kind", [
    ([10 ** 12, 1649721600], "timestamp[s]"), ([-(10 ** 12), 1649721600], "timestamp[s]"),
    ([10 ** 12, 1649721600], "timestamp[s, tz=UTC]"), ([10 ** 9, 19094], "date32"),
])
def test_parquet_dates_beyond_python_are_counted_not_a_traceback(tmp_path, values, kind):
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"timestamp[s]": pa.timestamp("s"), "timestamp[s, tz=UTC]": pa.timestamp("s", "UTC"),
             "date32": pa.date32()}
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": ["alpha", "beta"],
                             "date": pa.array(values, type=types[kind]),
                             "seen": pa.array(values, type=types[kind])}), path)
    docs, report = read_documents(path)
    assert [d.meta.get("date") for d in docs] == [None, "2022-04-12"]
    assert sum("not understood" in reason for _, reason in report.repaired) == 1
    assert isinstance(docs[0].meta["seen"], str)  # another such column: kept as text
