"""``topics init``: the guesses, the commented config it writes, and that config running as is.

Every corpus here is built by the test: three word groups that share no word, as a CSV
(with id, headline, date and section columns) and as a folder of .txt files in sub-folders
with a metadata.csv.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pandas as pd
import pytest
import yaml

import topics
from topics.cli import main
from topics.config import SECTIONS, load_config
from topics.errors import InputError
from topics.starter import guess_columns, sniff, starter_path, write_starter
from topics.workflow import read_corpus_documents

GROUPS = (
    "football goal match player team league striker coach stadium referee penalty season",
    "market stock bank price investor profit economy inflation trade share dividend currency",
    "planet star galaxy telescope orbit comet rocket astronaut moon nebula cosmos asteroid",
)
SECTIONS_OF = ("sport", "money", "space")


def _text(rng: random.Random, group: int, words: int = 60) -> str:
    vocab = GROUPS[group].split()
    return " ".join(rng.choice(vocab) for _ in range(words))


def write_csv(path: Path, n: int = 24) -> Path:
    rng = random.Random(3)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["section", "doc_id", "headline", "published", "body"])
        for i in range(n):
            out.writerow([SECTIONS_OF[i % 3], f"n{i:03d}", f"Story {i}",
                          f"2021-{1 + i % 12:02d}-15", _text(rng, i % 3)])
    return path


def write_folder(folder: Path, n: int = 24) -> Path:
    rng = random.Random(5)
    rows = []
    for i in range(n):
        sub = folder / SECTIONS_OF[i % 3]
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"l{i:02d}.txt").write_text(f"Letter {i}\n\n{_text(rng, i % 3)}\n",
                                            encoding="utf-8")
        rows.append([f"l{i:02d}.txt", f"About {SECTIONS_OF[i % 3]} {i}", str(1990 + i), "anon"])
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["filename", "subject", "year", "author"])
        out.writerows(rows)
    return folder


def init(path: Path, capsys) -> tuple[int, str, str]:
    code = main(["init", str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------ the guesses
def test_guess_columns_text_id_title_and_date():
    records = [{"section": "a", "doc_id": f"d{i}", "headline": f"Title {i}",
                "published": f"2020-03-{i + 1:02d}", "body": "a long text " * (5 + i),
                "count": str(i)} for i in range(10)]
    found = guess_columns(records)
    assert (found["text"], found["id"], found["title"], found["date"]) == (
        "body", "doc_id", "headline", "published")
    assert "longest strings" in found["reasons"]["text"]


def test_guess_columns_rejects_repeated_ids_and_unnamed_numbers_as_dates():
    records = [{"id": str(i % 3), "text": "words " * 20, "score": str(1990 + i),
                "year": 1990 + i} for i in range(9)]
    found = guess_columns(records)
    assert found["id"] is None  # "id" repeats: documents are numbered by row
    assert found["date"] == "year"  # bare numbers are a date only when named like one
    assert found["title"] is None


def test_sniff_a_table_in_each_format(tmp_path):
    frame = pd.read_csv(write_csv(tmp_path / "c.csv"), dtype=str)
    frame.to_parquet(tmp_path / "p.parquet")
    frame.to_json(tmp_path / "j.jsonl", orient="records", lines=True)
    for name, fmt in (("c.csv", "csv"), ("p.parquet", "parquet"), ("j.jsonl", "jsonl")):
        guess = sniff(tmp_path / name)
        assert (guess.format, guess.documents, guess.text_column, guess.id_column,
                guess.title_column, guess.date_column) == (
            fmt, 24, "body", "doc_id", "headline", "published")
        assert guess.mean_words == 60


def test_a_repeated_id_column_gives_row_numbers_and_the_config_reads(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps({"id": i % 2, "message": f"post {i} " + "word " * 9})
                            + "\n" for i in range(6)), encoding="utf-8")
    config_path, guess = write_starter(path)
    assert config_path == tmp_path / "posts.topics.yaml" and guess.id_column is None
    assert "id_column: null" in config_path.read_text(encoding="utf-8")
    documents, _ = read_corpus_documents(load_config(config_path))
    assert [d.id for d in documents] == ["0", "1", "2", "3", "4", "5"]
    assert documents[3].meta["id"] == 1  # the repeated column stays as metadata


def test_long_documents_are_segmented_and_k_follows_the_chunks(tmp_path):
    folder = tmp_path / "speeches"
    folder.mkdir()
    rng = random.Random(1)
    for i in range(4):
        paragraphs = ["\n\n".join(_text(rng, g % 3, 100) for g in range(15))]
        (folder / f"s{i}.txt").write_text(paragraphs[0], encoding="utf-8")
    config_path, guess = write_starter(folder)
    assert config_path == tmp_path / "speeches.topics.yaml"
    raw = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    assert raw["preprocess"]["segment"] == "paragraph"
    assert raw["grid"]["num_topics"] == [5, 10, 20]  # 4 speeches, about 40 chunks
    assert raw["corpus"] == {"path": "speeches", "format": "txt", "metadata": None,
                             "metadata_key": "file", "title_column": "title",
                             "date_column": "date", "encoding_errors": "replace"}


# ------------------------------------------------------------------ the written config
def test_every_key_written_is_commented_from_the_schema(tmp_path, capsys):
    path = write_csv(tmp_path / "news.csv")
    code, out, _ = init(path, capsys)
    assert code == 0 and f"wrote {tmp_path / 'news.topics.yaml'}" in out
    lines = (tmp_path / "news.topics.yaml").read_text(encoding="utf-8").splitlines()
    section = None
    for number, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key = line.split(":", 1)[0].strip()
        if not line.startswith(" ") and key in SECTIONS:
            section = key
            continue
        assert lines[number - 1].lstrip().startswith("#"), f"no comment above {line!r}"
        if line.startswith("  "):
            doc = SECTIONS[section][key].doc
            block = " ".join(ln.strip("# ") for ln in lines[max(0, number - 6):number])
            assert doc[1:12] in block, f"{section}.{key}: its doc is not in the comment"


@pytest.mark.slow
def test_the_config_written_for_a_csv_runs_unchanged(tmp_path, capsys, monkeypatch):
    (tmp_path / "data").mkdir()
    path = write_csv(tmp_path / "data" / "news.csv")
    code, _, _ = init(path, capsys)
    assert code == 0
    config = tmp_path / "data" / "news.topics.yaml"
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(config)]) == 0
    exp = topics.load_experiment(tmp_path / "runs" / "news")
    assert sorted(exp.results["num_topics"]) == [5, 10]
    assert set(exp.results["status"]) == {"done"}
    docs = exp.doc_topics(exp.results["run_id"][0])
    first = docs.loc["n004"]
    assert (first["title"], first["date"], first["section"]) == ("Story 4", "2021-05-15",
                                                                  "money")
    assert len(docs) == 24 and (tmp_path / "runs" / "news" / "report.html").is_file()


@pytest.mark.slow
def test_the_config_written_for_a_folder_runs_unchanged(tmp_path, capsys, monkeypatch):
    folder = write_folder(tmp_path / "letters")
    code, out, _ = init(folder, capsys)
    assert code == 0 and "title 'subject', date 'year'" in out
    monkeypatch.chdir(tmp_path)
    assert main(["preprocess", "letters.topics.yaml"]) == 0
    assert main(["run", "letters.topics.yaml"]) == 0
    exp = topics.load_experiment(tmp_path / "runs" / "letters")
    assert set(exp.results["status"]) == {"done"} and len(exp.results) == 2
    docs = exp.doc_topics(exp.results["run_id"][0])
    row = docs.loc["space/l02"]
    assert (row["label"], row["title"], row["date"], row["author"]) == (
        "space", "About space 2", "1992-01-01", "anon")


# ------------------------------------------------------------------ refusals
def test_init_never_overwrites(tmp_path, capsys):
    path = write_csv(tmp_path / "news.csv")
    assert init(path, capsys)[0] == 0
    target = starter_path(path)
    target.write_text("# mine\n", encoding="utf-8")
    code, out, err = init(path, capsys)
    assert code == 2 and out == ""
    assert err == f"topics: error: {target}: already exists; not overwritten (remove it, or " \
                  "write elsewhere with --config FILE)\n"
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert main(["init", str(path), "--config", str(tmp_path / "other.yaml")]) == 0
    assert load_config(tmp_path / "other.yaml").corpus["path"] == str(path)


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.csv", "no such file or folder"),
    (lambda d: (d / "notes.docx").write_bytes(b"x") and d / "notes.docx",
     "cannot tell the format from the extension '.docx'"),
    (lambda d: (d / "empty").mkdir() or d / "empty", "no .txt file in this folder"),
    (lambda d: (d / "n.csv").write_text("a,b\n1,2\n3,4\n") and d / "n.csv",
     "no column of text found (columns: a, b)"),
])
def test_bad_paths_are_one_line_and_exit_2(tmp_path, capsys, make, message):
    path = make(tmp_path)
    code, out, err = init(path, capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("topics: error: ") and message in err
    with pytest.raises(InputError):
        sniff(path)


def test_rows_beyond_the_sample_are_counted(tmp_path):
    path = tmp_path / "big.csv"
    rows = "".join(f'r{i},"line one\nline two of {i}"\n' for i in range(2500))
    path.write_text("id,text\n" + rows, encoding="utf-8")
    guess = sniff(path)
    assert (guess.documents, guess.id_column, guess.text_column) == (2500, "id", "text")
