"""``stream_documents``: the documents read again on each pass, the report filled once, and
``prepare_corpus`` giving the same corpus (and cache key) from a stream as from a list."""

import json

import pytest

from topics.errors import ConfigError, InputError
from topics.io import read_documents, stream_documents
from topics.preprocess import prepare_corpus

OPTIONS = {"lemmatize": False, "no_below": 1, "no_above": 1.0, "phrase_min_count": 2,
           "phrase_threshold": 1.0}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def corpus_file(tmp_path):
    rows = [{"id": f"d{i}", "text": f"regime change in country{i % 4} and trade policy"}
            for i in range(12)]
    rows.insert(5, {"id": "bad"})  # no text: skipped with its reason
    return write_jsonl(tmp_path / "c.jsonl", rows)


def test_each_pass_reads_the_file_again_and_the_report_is_filled_once(tmp_path):
    path = corpus_file(tmp_path)
    listed, listed_report = read_documents(path)
    source, report = stream_documents(path)
    assert report.as_dict() == {"read": 0, "skipped": [], "repaired": []}
    head = next(iter(source))  # a pass stopped early records nothing
    assert head == listed[0] and report.read == 0
    assert list(source) == listed
    assert report.as_dict() == listed_report.as_dict()
    assert len(report.skipped) == 1
    assert list(source) == listed  # again, and the report is not counted twice
    assert report.as_dict() == listed_report.as_dict()


def test_bad_options_and_paths_fail_when_the_source_is_made(tmp_path):
    with pytest.raises(InputError):
        stream_documents(tmp_path / "missing.jsonl")
    with pytest.raises(ConfigError, match="format"):
        stream_documents(corpus_file(tmp_path), format="docx")


def test_prepare_corpus_from_a_stream_equals_the_list_and_shares_its_cache_entry(tmp_path):
    path = corpus_file(tmp_path)
    documents, report = read_documents(path)
    listed = prepare_corpus(documents, report, cache_dir=tmp_path / "cache", **OPTIONS)
    source, stream_report = stream_documents(path)
    streamed = prepare_corpus(source, stream_report, cache_dir=tmp_path / "fresh", **OPTIONS)
    assert streamed.key == listed.key  # the report was complete before the key was made
    assert streamed == listed
    assert streamed.stats == listed.stats
    assert "regime_change" in streamed.vocab
    source, stream_report = stream_documents(path)
    in_memory = prepare_corpus(source, stream_report, **OPTIONS)
    assert list(in_memory.texts) == list(listed.texts)
    assert in_memory.stats["skipped"] == listed.stats["skipped"] != []
