"""The Corpus: dictionary, filters, emptied documents, stats, hashing, save/load."""

from __future__ import annotations

import json
import random

import pytest
from gensim.corpora import Dictionary, MmCorpus

from topics.corpus import (TextsFile, TokenLines, build_corpus, corpus_hash, doc2bow,
                           load_corpus, make_dictionary, save_corpus)
from topics.documents import Document, ReadReport
from topics.errors import ConfigError, StoreError

TEXTS = [
    ["regime_change", "russia", "pakistan", "russia"],
    ["regime_change", "kazakhstan", "russia"],
    ["regime_change", "russia", "china"],
    ["weather"],
    [],
]


def build(**options):
    texts = [list(t) for t in TEXTS]
    ids = [f"d{i}" for i in range(len(texts))]
    meta = [{"n": i} for i in range(len(texts))]
    return build_corpus(ids, meta, texts, **options)


def test_make_dictionary_equals_gensim_dictionary():
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(60)]
    texts = [[rng.choice(vocab) for _ in range(rng.randint(0, 40))] for _ in range(50)]
    ours, theirs = make_dictionary(texts), Dictionary(texts)
    assert ours.token2id == theirs.token2id
    assert (ours.dfs, ours.cfs) == (theirs.dfs, theirs.cfs)
    assert (ours.num_docs, ours.num_pos, ours.num_nnz) == (
        theirs.num_docs, theirs.num_pos, theirs.num_nnz)
    assert [ours.doc2bow(t) for t in texts] == [theirs.doc2bow(t) for t in texts]


def test_doc2bow_equals_gensims_unknown_words_skipped():
    rng = random.Random(4)
    vocab = [f"w{i}" for i in range(80)]
    dictionary = Dictionary([vocab[:50]])
    texts = [[rng.choice(vocab) for _ in range(rng.randint(0, 30))] for _ in range(40)]
    ours = [doc2bow(dictionary.token2id, t) for t in texts]
    assert ours == [dictionary.doc2bow(t) for t in texts]
    assert any(len(bow) < len(set(t)) for bow, t in zip(ours, texts))  # words were skipped
    assert all(type(n) is int for bow in ours for pair in bow for n in pair)


@pytest.mark.parametrize("filters", [{}, {"no_below": 3, "no_above": 0.6},
                                     {"no_below": 2, "keep_n": 15}])
def test_filtered_dictionary_counts_match_a_dictionary_of_the_kept_texts(filters):
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(80)]
    texts = [[rng.choice(vocab[: rng.randint(1, 80)]) for _ in range(rng.randint(0, 30))]
             for _ in range(60)]
    corpus = build_corpus([f"d{i}" for i in range(60)], [{}] * 60, texts, **filters)
    ours, theirs = corpus.dictionary, Dictionary(corpus.texts)
    assert (ours.num_docs, ours.num_pos, ours.num_nnz) == (
        theirs.num_docs, theirs.num_pos, theirs.num_nnz)
    by_word = lambda d, counts: {d[i]: n for i, n in counts.items()}  # noqa: E731
    assert by_word(ours, ours.cfs) == by_word(theirs, theirs.cfs)
    assert by_word(ours, ours.dfs) == by_word(theirs, theirs.dfs)
    assert all(t for t in corpus.texts) and len(corpus.texts) == len(corpus.doc_ids)


def test_no_filters_keep_everything_but_empty_documents():
    corpus = build()
    assert corpus.doc_ids == ["d0", "d1", "d2", "d3"]
    assert corpus.meta[3] == {"n": 3}
    assert len(corpus.dictionary) == 6
    assert corpus.bow[0] == corpus.dictionary.doc2bow(TEXTS[0])
    assert dict(corpus.bow[0])[corpus.dictionary.token2id["russia"]] == 2
    assert corpus.stats["emptied_by_preprocessing"] == 1
    assert corpus.stats["emptied_ids"] == ["d4"]


def test_filters_drop_words_and_the_documents_they_empty():
    corpus = build(no_below=2, no_above=0.8)
    # russia and regime_change are in 3 of 4 documents (<= 0.8 * 4 = 3); the rest in one.
    assert sorted(corpus.vocab) == ["regime_change", "russia"]
    assert corpus.doc_ids == ["d0", "d1", "d2"]
    assert corpus.texts[0] == ["regime_change", "russia", "russia"]
    assert corpus.dictionary.num_docs == 3 and corpus.dictionary.num_pos == 7
    stats = corpus.stats
    assert (stats["emptied_by_preprocessing"], stats["emptied_by_filters"]) == (1, 1)
    assert stats["emptied_ids"] == ["d4", "d3"]
    assert (stats["vocabulary_before_filters"], stats["vocabulary_after_filters"]) == (6, 2)
    assert (stats["tokens_before_filters"], stats["tokens_after_filters"]) == (11, 7)
    assert stats["top_terms"] == [["russia", 4], ["regime_change", 3]]
    assert stats["top_phrases"] == [["regime_change", 3]]


def test_keep_n_keeps_the_most_frequent_by_document_frequency():
    corpus = build(keep_n=2)
    assert sorted(corpus.vocab) == ["regime_change", "russia"]
    assert corpus.doc_ids == ["d0", "d1", "d2"]


@pytest.mark.parametrize("options, key", [
    ({"no_below": 5}, "preprocess.no_below"),
    ({"no_above": 0.2}, "preprocess.no_above"),
])
def test_a_filter_that_empties_the_corpus_is_named(options, key):
    with pytest.raises(ConfigError) as info:
        build(**options)
    assert info.value.key == key
    assert "empty" in info.value.message


def test_all_documents_empty_before_filters():
    with pytest.raises(ConfigError) as info:
        build_corpus(["a", "b"], [{}, {}], [[], []])
    assert info.value.key == "preprocess"


def test_report_goes_into_stats():
    report = ReadReport(read=6)
    report.skip("bad.txt", "empty file")
    corpus = build(report=report, extra_stats={"stopwords": "builtin"})
    assert corpus.stats["documents_read"] == 6
    assert corpus.stats["skipped"] == [{"name": "bad.txt", "reason": "empty file"}]
    assert corpus.stats["stopwords"] == "builtin"


def test_corpus_hash_covers_ids_texts_tokens_and_meta_in_order():
    a, b = Document("a", "x y", {"k": 1}), Document("b", "z")
    base = corpus_hash([a, b])
    assert corpus_hash([Document("a", "x y", {"k": 1}), Document("b", "z")]) == base
    changed = [
        [b, a],
        [Document("a2", "x y", {"k": 1}), b],
        [Document("a", "x  y", {"k": 1}), b],
        [Document("a", "x y", {"k": 2}), b],
        [Document("a", "x y", {"k": 1}, tokens=("x",)), b],
        [Document("a", "x y", {"k": 1}), Document("b", "z"), Document("c", "")],
    ]
    assert len({corpus_hash(docs) for docs in changed} | {base}) == len(changed) + 1


def test_save_load_round_trip(tmp_path):
    corpus = build(no_below=2, key="k1", content_hash="h1",
                   extra_stats={"options": {"segment": False}})
    saved = save_corpus(corpus, tmp_path / "c")
    assert saved.path == tmp_path / "c" and saved.mm_path == tmp_path / "c" / "bow.mm"
    loaded = load_corpus(tmp_path / "c")
    assert loaded == corpus
    assert loaded.dictionary.token2id == corpus.dictionary.token2id
    assert loaded.dictionary.dfs == corpus.dictionary.dfs
    assert (loaded.key, loaded.content_hash) == ("k1", "h1")
    # equal words share one string object with the dictionary
    assert loaded.texts[0][0] is next(t for t in loaded.dictionary.token2id if t == "regime_change")
    mm = MmCorpus(str(saved.mm_path))
    assert [[(i, int(n)) for i, n in doc] for doc in mm] == list(corpus.bow)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_save_replaces_an_older_corpus(tmp_path):
    save_corpus(build(), tmp_path / "c")
    save_corpus(build(no_below=2), tmp_path / "c")
    assert len(load_corpus(tmp_path / "c").dictionary) == 2  # was 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]


def test_load_damaged_corpus_raises_store_error(tmp_path):
    save_corpus(build(), tmp_path / "c")
    (tmp_path / "c" / "texts.jsonl").write_text('["regime_change"]\n', encoding="utf-8")
    with pytest.raises(StoreError):
        load_corpus(tmp_path / "c")
    (tmp_path / "c" / "corpus.json").write_text(json.dumps({"format": 99}), encoding="utf-8")
    with pytest.raises(StoreError):
        load_corpus(tmp_path / "c")


def test_build_into_a_folder_streams_the_same_corpus_from_disk(tmp_path):
    (tmp_path / "c").mkdir()
    texts = [list(t) for t in TEXTS]
    ids, meta = [f"d{i}" for i in range(len(texts))], [{"n": i} for i in range(len(texts))]
    on_disk = build_corpus(ids, meta, texts, no_below=2, folder=tmp_path / "c")
    in_memory = build(no_below=2)
    assert texts == [list(t) for t in TEXTS]  # not modified
    assert isinstance(on_disk.texts, TextsFile) and on_disk.path == tmp_path / "c"
    assert on_disk == in_memory and on_disk.stats == in_memory.stats
    assert on_disk.texts[-1] == in_memory.texts[-1] == ["regime_change", "russia"]
    assert on_disk.texts[1:] == in_memory.texts[1:]
    with pytest.raises(IndexError):
        on_disk.texts[len(in_memory.texts)]
    loaded = load_corpus(tmp_path / "c")
    assert loaded == in_memory and loaded.stats == in_memory.stats
    assert list(TokenLines(loaded.texts_path)) == in_memory.texts


def test_tokens_with_spaces_and_newlines_survive_save_and_load(tmp_path):
    texts = [["new york", "a\nb", "é\u2028x"], ["new york"]]
    corpus = build_corpus(["a", "b"], [{}, {}], texts)
    loaded = load_corpus(save_corpus(corpus, tmp_path / "c").path)
    assert loaded.texts == texts and list(loaded.bow) == list(corpus.bow)


def test_loaded_texts_stay_readable_after_the_folder_is_replaced_and_pickle(tmp_path):
    import pickle

    loaded = load_corpus(save_corpus(build(), tmp_path / "c").path)
    save_corpus(build(no_below=2), tmp_path / "c")  # replaces the files under it
    assert loaded.texts == build().texts and list(loaded.bow) == list(build().bow)
    again = pickle.loads(pickle.dumps(load_corpus(tmp_path / "c")))
    assert again.texts == build(no_below=2).texts


@pytest.mark.parametrize("chunk_tokens", [1, 3, 1_000_000])
def test_matrix_market_file_is_gensims_byte_for_byte(tmp_path, monkeypatch, chunk_tokens):
    """write_bow_mm writes what MmCorpus.serialize writes (file and index), also with empty
    documents (gensim's -1 offsets), counts above 9, ids past 9 and chunk boundaries."""
    import topics.corpus_mm as corpus_mm

    rng = random.Random(7)
    words = [f"w{i}" for i in range(23)]
    texts = [[rng.choice(words) for _ in range(rng.choice([0, 0, 1, 5, 40]))]
             for _ in range(30)] + [["w3"] * 12, [], []]
    dictionary = Dictionary(texts)
    MmCorpus.serialize(str(tmp_path / "gensim.mm"), [dictionary.doc2bow(t) for t in texts],
                       id2word=dictionary)
    monkeypatch.setattr(corpus_mm, "CHUNK_TOKENS", chunk_tokens)
    corpus_mm.write_bow_mm(tmp_path / "ours.mm", texts, dictionary.token2id,
                           num_terms=len(dictionary))
    for suffix in (".mm", ".mm.index"):
        assert ((tmp_path / f"ours{suffix}").read_bytes()
                == (tmp_path / f"gensim{suffix}").read_bytes())
    assert [list(d) for d in MmCorpus(str(tmp_path / "ours.mm"))] == [
        [(i, float(n)) for i, n in dictionary.doc2bow(t)] for t in texts]
