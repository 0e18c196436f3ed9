"""The txt-folder reader: ids, labels, titles, metadata CSV, and every kind of bad file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from _unprivileged import run_unprivileged
from topics.documents import ReadReport
from topics.errors import ConfigError, InputError
from topics.io import iter_documents, read_documents

PROJECT = Path(__file__).resolve().parents[1]


def write(folder: Path, rel: str, content: str | bytes) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def news(tmp_path) -> Path:
    write(tmp_path, "sport/002.txt", "Cup final tonight\n\nThe final is at eight.\n")
    write(tmp_path, "business/001.txt", "\n\n  Shares fall  \nMarkets were down.\n")
    write(tmp_path, "intro.txt", "A top-level note\nwith two lines\n")
    write(tmp_path, "README.TXT", "not a document\n")
    write(tmp_path, "notes.md", "# not a document\n")
    return tmp_path


def test_folder_ids_labels_titles_in_sorted_order(news):
    documents, report = read_documents(news)
    assert [d.id for d in documents] == ["business/001", "intro", "sport/002"]
    business, intro, sport = documents
    assert business.meta == {"file": "business/001.txt", "label": "business",
                             "title": "Shares fall"}
    assert business.text.startswith("\n\n  Shares fall")  # the title stays in the text
    assert intro.meta == {"file": "intro.txt", "title": "A top-level note"}
    assert sport.meta["label"] == "sport"
    assert all(d.tokens is None for d in documents)
    assert report.read == 3 and report.skipped == [] and report.repaired == []


def test_metadata_csv_in_the_folder_is_joined_by_file_name(news):
    write(news, "metadata.csv",
          "file,title,source,date\n"
          "001.txt,Shares tumble,Wire,12 April 2022\n"
          "intro.txt,,Desk,someday\n")
    documents, report = read_documents(news)
    business, intro, sport = documents
    assert business.meta == {"file": "business/001.txt", "label": "business",
                             "title": "Shares tumble", "source": "Wire", "date": "2022-04-12"}
    assert intro.meta == {"file": "intro.txt", "title": "A top-level note", "source": "Desk"}
    assert report.repaired == [("intro.txt", "date 'someday' not understood: left out")]
    assert sport.meta == {"file": "sport/002.txt", "label": "sport",
                          "title": "Cup final tonight"}


def test_metadata_elsewhere_with_its_own_key_column(news, tmp_path_factory):
    other = tmp_path_factory.mktemp("meta") / "info.csv"
    other.write_text("path,headline,published\nsport/002.txt,Final!,2022-06-01T23:00:00Z\n")
    documents, _ = read_documents(news, metadata=other, metadata_key="path",
                                  title_column="headline", date_column="published")
    sport = documents[2]
    assert sport.meta["title"] == "Final!"
    assert sport.meta["date"] == "2022-06-01"
    assert "headline" not in sport.meta and "path" not in sport.meta


def test_metadata_without_its_key_column_names_it(news):
    write(news, "metadata.csv", "name,title\nintro.txt,Hello\n")
    with pytest.raises(InputError) as info:
        read_documents(news)
    assert info.value.path.endswith("metadata.csv")
    assert "'file'" in str(info.value) and "name, title" in str(info.value)


def test_metadata_listing_a_file_twice_names_the_row(news):
    write(news, "metadata.csv", "file,title\nintro.txt,A\nintro.txt,B\n")
    with pytest.raises(InputError) as info:
        read_documents(news)
    assert info.value.row == 2


def test_missing_metadata_file_is_an_input_error(news):
    with pytest.raises(InputError, match="metadata CSV not found"):
        read_documents(news, metadata=news / "nope.csv")


def test_invalid_utf8_is_replaced_and_counted(tmp_path):
    write(tmp_path, "latin.txt", "caf\xe9 au lait\n".encode("latin-1"))
    write(tmp_path, "fine.txt", "\ufeffplain text\n")
    documents, report = read_documents(tmp_path)
    assert [(d.id, d.text) for d in documents] == [("fine", "plain text\n"),
                                                   ("latin", "caf\ufffd au lait\n")]
    assert report.repaired == [("latin.txt", "not valid UTF-8: 1 undecodable byte(s) "
                                             "replaced with U+FFFD")]


def test_invalid_utf8_strict_names_the_file(tmp_path):
    bad = write(tmp_path, "latin.txt", b"\xef\xbb\xbf" + "caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_documents(tmp_path, encoding_errors="strict")
    assert info.value.path == str(bad)
    assert "0xe9 at offset 6" in str(info.value)  # counted from the file's first byte


def test_empty_binary_and_dangling_files_are_skipped_with_reasons(tmp_path):
    write(tmp_path, "a_empty.txt", "")
    write(tmp_path, "b_blank.txt", " \n\t\n")
    write(tmp_path, "c_binary.txt", b"\x89PNG\r\n\x00\x00data")
    write(tmp_path, "d_utf16.txt", "hello".encode("utf-16"))
    (tmp_path / "e_gone.txt").symlink_to(tmp_path / "missing.txt")
    write(tmp_path, "f_good.txt", "kept\n")
    documents, report = read_documents(tmp_path)
    assert [d.id for d in documents] == ["f_good"]
    assert report.skipped == [
        ("a_empty.txt", "empty (no text)"),
        ("b_blank.txt", "empty (no text)"),
        ("c_binary.txt", "binary file (contains NUL bytes)"),
        ("d_utf16.txt", "binary file (contains NUL bytes)"),
        ("e_gone.txt", "unreadable: No such file or directory"),
    ]


def test_symlink_loops_are_skipped_and_the_rest_read(tmp_path):
    write(tmp_path, "sub/doc.txt", "inside\n")
    (tmp_path / "sub" / "back").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    documents, report = read_documents(tmp_path)
    assert [d.id for d in documents] == ["sub/doc"]
    assert ("self.txt", "symlink loop") in report.skipped
    assert ("sub/back/", "symlink loop: this folder was already read by another path") \
        in report.skipped


def test_unreadable_file_is_skipped(tmp_path):
    # In a child without root's file access (tests/_unprivileged.py): CI runs as root.
    locked = write(tmp_path, "locked.txt", "secret\n")
    write(tmp_path, "open.txt", "public\n")
    locked.chmod(0)
    code = ("import json, sys; from topics.io import read_documents; "
            "docs, report = read_documents(sys.argv[1]); "
            "print(json.dumps([[d.id for d in docs], report.skipped]))")
    result = run_unprivileged([sys.executable, "-c", code, str(tmp_path)], cwd=PROJECT,
                              timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == [["open"], [["locked.txt", "permission denied"]]]


def test_missing_path_names_it(tmp_path):
    with pytest.raises(InputError) as info:
        read_documents(tmp_path / "nowhere")
    assert info.value.path == str(tmp_path / "nowhere")


def test_iter_documents_streams_into_the_given_report(news):
    report = ReadReport()
    stream = iter_documents(news, report=report)
    first = next(stream)
    assert first.id == "business/001" and report.read == 1
    assert [d.id for d in stream] == ["intro", "sport/002"] and report.read == 3


@pytest.mark.parametrize(("option", "value"), [
    ("format", "docx"), ("encoding_errors", "ignore"), ("text_column", ""),
    ("metadata_key", 3), ("report", {}),
])
def test_bad_options_name_the_parameter(news, option, value):
    with pytest.raises(ConfigError) as info:
        iter_documents(news, **{option: value})
    assert info.value.key == option
    assert repr(value) in str(info.value)


@pytest.mark.shared
def test_real_seeds_folder(seeds_dir):
    documents, report = read_documents(seeds_dir)
    assert len(documents) == 5 and report.skipped == [] and report.repaired == []
    first = documents[0]
    assert first.id == "000_a757f5826e18cd8d"
    assert first.meta["title"].startswith("How Would The West React If Russia Pulled")
    assert first.meta["source"] == "OneWorld" and first.meta["date"] == "2022-04-12"
    assert [d.meta["date"] for d in documents] == [
        "2022-04-12", "2023-08-10", "2022-11-20", "2023-05-25", "2022-01-13"]
    assert "author" not in documents[2].meta  # blank in metadata.csv
    assert documents[3].meta["title"] == "Is Pakistan Shifting to Russia?"
