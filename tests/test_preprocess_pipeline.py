"""prepare_corpus end to end: phrases, OCTIS tokens, segmentation, the cache, seeds."""

from __future__ import annotations

import json
import logging
import re

import pytest

from topics.documents import Document, ReadReport
from topics.errors import ConfigError, SetupError
from topics.preprocess import load_prepared, prepare_corpus

REGIME = [
    "The regime change in Kabul shocked observers.",
    "Analysts debated regime change and sanctions.",
    "Another regime change was planned by foreign powers.",
    "Critics called it regime change by lawfare.",
    "Elections followed the regime change quickly.",
    "Markets fell after the regime change news.",
    "The weather was calm in Astana today.",
    "Sanctions hurt trade with neighbours.",
]
# Lemmatising needs WordNet (slow to load): these tests switch it off unless they test it.
FAST = {"lemmatize": False, "no_below": 1, "no_above": 1.0, "phrase_min_count": 2,
        "phrase_threshold": 1.0}


def regime_docs() -> list[Document]:
    return [Document(f"d{i}", text, {"i": i}) for i, text in enumerate(REGIME)]


def test_phrases_join_a_recurring_pair_and_transform_text_reuses_them():
    corpus = prepare_corpus(regime_docs(), **FAST)
    assert corpus.texts[0] == ["regime_change", "kabul", "shocked", "observers"]
    assert corpus.texts[6] == ["weather", "calm", "astana", "today"]
    assert corpus.stats["top_phrases"] == [["regime_change", 6]]
    assert corpus.stats["phrases_learned"] == 1
    assert corpus.transform_text("Regime Change!") == ["regime_change"]
    assert corpus.transform_text("a regime without change") == ["regime", "without", "change"]


def test_phrases_off_and_trigrams():
    plain = prepare_corpus(regime_docs(), **{**FAST, "phrases": False})
    assert plain.texts[0][:2] == ["regime", "change"]
    assert plain.transform_text("regime change") == ["regime", "change"]
    docs = [Document(f"t{i}", f"the foreign regime change plot {w}")
            for i, w in enumerate(["one", "two", "three", "four", "five", "six"])]
    docs += [Document("x1", "foreign trade"), Document("x2", "change course"),
             Document("x3", "plot twist")]
    tri = prepare_corpus(docs, **{**FAST, "trigrams": True})
    assert tri.transform_text("foreign regime change plot") == ["foreign_regime_change_plot"]


def test_pretokenized_documents_skip_tokenising_and_lemmatising():
    docs = [Document("o1", "", {"label": "tech"}, tokens=("Running", "geese", "the", "US", "ok")),
            Document("o2", "", {"label": "sport"}, tokens=("geese", "fly"))]
    corpus = prepare_corpus(docs, lemmatize=True, phrases=False, no_below=1, no_above=1.0)
    # no lemmatising (no WordNet needed): the per-token steps still apply
    assert corpus.texts == [["running", "geese"], ["geese", "fly"]]
    assert corpus.meta == [{"label": "tech"}, {"label": "sport"}]


def test_segmentation_keeps_parent_ids_and_meta():
    body = "\n\n".join(f"Paragraph {i} about regime change and sanctions in Astana."
                       for i in range(6))
    docs = [Document("art", body, {"title": "T"}), Document("other", REGIME[6])]
    corpus = prepare_corpus(docs, segment="paragraph", chunk_min_words=15, chunk_max_words=20,
                            **{**FAST, "phrases": False})
    assert corpus.doc_ids == ["art#0", "art#1", "art#2", "other#0"]
    assert [m["parent_id"] for m in corpus.meta] == ["art", "art", "art", "other"]
    assert [m["chunk"] for m in corpus.meta] == [0, 1, 2, 0]
    assert corpus.meta[1]["title"] == "T"
    assert corpus.texts[0].count("regime") == 2


def test_filters_emptying_the_corpus_name_the_option():
    with pytest.raises(ConfigError) as info:
        prepare_corpus(regime_docs(), **{**FAST, "no_below": 9})
    assert info.value.key == "preprocess.no_below"


def test_unknown_option_is_rejected():
    with pytest.raises(ConfigError) as info:
        prepare_corpus(regime_docs(), min_lenght=2)
    assert info.value.key == "preprocess.min_lenght"


def test_cache_hit_loads_an_equal_corpus_with_its_phrases(tmp_path, caplog):
    report = ReadReport(read=8)
    first = prepare_corpus(regime_docs(), report, cache_dir=tmp_path, **FAST)
    assert first.path == tmp_path / first.key / "corpus"
    assert first.mm_path.is_file()
    with caplog.at_level(logging.INFO, logger="topics.preprocess.cache"):
        second = prepare_corpus(regime_docs(), report, cache_dir=tmp_path, **FAST)
    assert "cache hit" in caplog.text
    assert second == first
    assert second.dictionary.token2id == first.dictionary.token2id
    assert second.transform_text("regime change") == ["regime_change"]
    assert load_prepared(tmp_path / first.key).transform_text("regime change") == [
        "regime_change"]


def test_cache_misses_on_changed_option_or_input(tmp_path, caplog):
    first = prepare_corpus(regime_docs(), cache_dir=tmp_path, **FAST)
    changed = prepare_corpus(regime_docs(), cache_dir=tmp_path, **{**FAST, "min_length": 6})
    assert changed.key != first.key
    assert "today" not in changed.vocab and "today" in first.vocab
    docs = regime_docs()
    docs[0] = Document("d0", "Regime change again.", {"i": 0})
    other = prepare_corpus(docs, cache_dir=tmp_path, **FAST)
    assert other.key not in (first.key, changed.key)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [first.key, changed.key, other.key])
    with caplog.at_level(logging.INFO, logger="topics.preprocess.cache"):
        again = prepare_corpus(regime_docs(), cache_dir=tmp_path, use_cache=False, **FAST)
    assert "cache hit" not in caplog.text
    assert again == first


def test_damaged_cache_entry_is_recomputed(tmp_path):
    first = prepare_corpus(regime_docs(), cache_dir=tmp_path, **FAST)
    (first.path / "docs.json").write_text("[", encoding="utf-8")
    again = prepare_corpus(regime_docs(), cache_dir=tmp_path, **FAST)
    assert again == first


@pytest.mark.slow
def test_seeds_end_to_end_regime_change_is_a_token(seeds_dir, tmp_path):
    from topics.io import read_documents
    from topics.resources import load_lemmatizer

    try:
        load_lemmatizer()
    except SetupError as err:
        pytest.skip(f"WordNet is not installed (run `topics setup`): {err}")
    documents, report = read_documents(seeds_dir)
    corpus = prepare_corpus(documents, report, cache_dir=tmp_path, segment="paragraph",
                            no_below=2, no_above=0.5)
    said = sum(len(re.findall(r"\bregime[ -]change", d.text, re.I)) for d in documents)
    assert said >= 10
    assert corpus.dictionary.cfs[corpus.vocab["regime_change"]] == said
    assert ["regime_change", said] in corpus.stats["top_phrases"]
    assert corpus.transform_text("Regime change") == ["regime_change"]
    assert len(corpus) > 5 * 5  # the five articles are cut into chunks
    assert {m["parent_id"] for m in corpus.meta} == {d.id for d in documents}
    assert corpus.stats["documents_read"] == 5


def test_cache_entry_from_another_version_is_recomputed(tmp_path):
    first = prepare_corpus(regime_docs(), cache_dir=tmp_path, **FAST)
    head_path = tmp_path / first.key / "preprocessor" / "preprocessor.json"
    head = json.loads(head_path.read_text(encoding="utf-8"))
    head["options"]["retired_option"] = 1
    head_path.write_text(json.dumps(head), encoding="utf-8")
    again = prepare_corpus(regime_docs(), cache_dir=tmp_path, **FAST)
    assert again == first
    assert again.transform_text("regime change") == ["regime_change"]


@pytest.mark.parametrize("options", [FAST, {**FAST, "trigrams": True},
                                     {**FAST, "phrase_scoring": "npmi", "phrase_threshold": 0.1}])
def test_loading_a_saved_entry_logs_no_warning(tmp_path, caplog, options):
    first = prepare_corpus(regime_docs(), cache_dir=tmp_path, **options)
    assert first.preprocessor.phrases  # there are phrase models to save and load
    with caplog.at_level(logging.INFO):
        loaded = load_prepared(tmp_path / first.key)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    for text in ("Regime change!", "regime without change", "the foreign regime change plot"):
        assert loaded.transform_text(text) == first.transform_text(text)
    assert loaded == first


def test_cached_corpus_reads_its_texts_from_disk_and_equals_the_in_memory_one(tmp_path):
    from topics.corpus import TextsFile

    in_memory = prepare_corpus(regime_docs(), **{**FAST, "trigrams": True})
    cached = prepare_corpus(regime_docs(), cache_dir=tmp_path, **{**FAST, "trigrams": True})
    assert isinstance(cached.texts, TextsFile) and not isinstance(in_memory.texts, TextsFile)
    assert cached == in_memory and cached.stats == in_memory.stats
    assert cached.texts[0] == ["regime_change", "kabul", "shocked", "observers"]
    assert sorted(p.name for p in (tmp_path / cached.key).iterdir()) == ["corpus", "preprocessor"]
    assert sorted(p.name for p in cached.path.iterdir()) == [
        "bow.mm", "bow.mm.index", "corpus.json", "dictionary.json", "docs.json", "stats.json",
        "texts.jsonl"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no scratch left
