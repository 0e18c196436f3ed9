"""OCTIS's pre-tokenised TSV: tokens, split, label and ids aligned with the file's lines."""

from __future__ import annotations

from collections import Counter

import pytest

from topics.errors import InputError
from topics.io import read_documents


def test_tokens_split_label_and_aligned_ids(tmp_path):
    path = tmp_path / "corpus.tsv"
    path.write_text("market share rise\ttrain\tbusiness\r\n"
                    "\ttest\tsport\n"
                    "goal match\ttest\n"
                    "lonely\n", encoding="utf-8")
    documents, report = read_documents(path)
    assert [d.id for d in documents] == ["0", "2", "3"]
    first = documents[0]
    assert first.tokens == ("market", "share", "rise")
    assert first.text == "market share rise"
    assert first.meta == {"split": "train", "label": "business"}
    assert documents[1].meta == {"split": "test"}
    assert documents[2].meta == {} and documents[2].tokens == ("lonely",)
    assert report.skipped == [("corpus.tsv:2", "empty (no tokens)")]


def test_folder_with_corpus_tsv_is_detected(tmp_path):
    (tmp_path / "corpus.tsv").write_text("a b\ttrain\tx\n")
    documents, _ = read_documents(tmp_path)
    assert documents[0].tokens == ("a", "b")


def test_too_many_fields_names_the_row(tmp_path):
    path = tmp_path / "corpus.tsv"
    path.write_text("a b\ttrain\tx\nc\ttrain\ty\textra\n")
    with pytest.raises(InputError) as info:
        read_documents(path)
    assert info.value.row == 2 and "4 tab-separated fields" in str(info.value)


@pytest.mark.shared
def test_real_octis_bbc_first_rows(octis_bbc_dir):
    path = octis_bbc_dir / "corpus.tsv"
    with open(path, encoding="utf-8") as handle:
        lines = [line.rstrip("\n").split("\t") for line in handle]
    documents, report = read_documents(path, format="octis")
    assert len(documents) == len(lines) and report.skipped == []
    for document, (tokens, split, label) in zip(documents[:3], lines[:3]):
        assert document.tokens == tuple(tokens.split())
        assert document.meta == {"split": split, "label": label}
    assert documents[0].tokens[:3] == ("broadband", "ahead", "join")
    assert documents[-1].id == str(len(lines) - 1)
    assert Counter(d.meta["split"] for d in documents) == Counter(f[1] for f in lines)


def test_auto_detects_an_octis_folder_with_its_vocabulary_txt(tmp_path):
    from topics.io import detect_format

    (tmp_path / "corpus.tsv").write_text("a b c\ttrain\tx\n", encoding="utf-8")
    (tmp_path / "vocabulary.txt").write_text("a\nb\nc\n", encoding="utf-8")
    assert detect_format(tmp_path) == "octis"
    (tmp_path / "notes.txt").write_text("a document", encoding="utf-8")
    assert detect_format(tmp_path) == "txt"
