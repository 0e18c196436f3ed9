"""Segmentation of long documents into paragraph-sized chunks."""

from __future__ import annotations

from topics.documents import Document
from topics.preprocess import chunk_paragraphs, segment_documents, split_paragraphs


def words(n: int, stem: str = "w") -> str:
    return " ".join(f"{stem}{i}" for i in range(n))


def test_split_paragraphs_on_blank_lines_or_else_lines():
    assert split_paragraphs("Title\n\n  First para\nstill first.\n \t\nSecond.\n\n\n") == [
        "Title", "First para\nstill first.", "Second."]
    assert split_paragraphs("one\ntwo\n\nthree") == ["one\ntwo", "three"]
    assert split_paragraphs("line one\nline two\nline three") == [
        "line one", "line two", "line three"]
    assert split_paragraphs("   \n\n ") == []


def test_short_paragraphs_are_merged_until_min_words():
    paragraphs = [words(3, "a"), words(4, "b"), words(5, "c"), words(10, "d"), words(2, "e")]
    chunks = chunk_paragraphs(paragraphs, min_words=8, max_words=20)
    assert [len(c.split()) for c in chunks] == [12, 12]
    assert chunks[0] == "\n\n".join(paragraphs[:3])
    assert chunks[1] == "\n\n".join(paragraphs[3:])  # the short tail joins its neighbour


def test_long_paragraphs_split_at_sentence_ends_within_max_words():
    sentence = "alpha beta gamma delta epsilon."  # 5 words
    paragraph = " ".join([sentence] * 7)  # 35 words
    chunks = chunk_paragraphs([paragraph], min_words=5, max_words=12)
    assert [len(c.split()) for c in chunks] == [10, 10, 10, 5]
    assert all(c.endswith("epsilon.") for c in chunks)


def test_a_sentence_longer_than_max_words_is_cut_at_words():
    chunks = chunk_paragraphs([words(25)], min_words=1, max_words=10)
    assert [c.split() for c in chunks] == [words(25).split()[i:i + 10] for i in (0, 10, 20)]


def test_no_chunk_exceeds_max_words_when_merging():
    paragraphs = [words(6, "a"), words(9, "b"), words(6, "c")]
    chunks = chunk_paragraphs(paragraphs, min_words=8, max_words=10)
    assert [len(c.split()) for c in chunks] == [6, 9, 6]


def test_chunks_keep_parent_meta_with_parent_id_and_index():
    doc = Document("art1", f"{words(30, 'a')}\n\n{words(30, 'b')}\n\n{words(30, 'c')}",
                   meta={"title": "T", "date": "2022-01-13"})
    chunks = list(segment_documents([doc, Document("art2", "short")], min_words=20,
                                    max_words=40))
    assert [c.id for c in chunks] == ["art1#0", "art1#1", "art1#2", "art2#0"]
    assert chunks[1].meta == {"title": "T", "date": "2022-01-13", "parent_id": "art1",
                              "chunk": 1}
    assert chunks[1].text == words(30, "b")
    assert chunks[3].meta == {"parent_id": "art2", "chunk": 0}
    assert doc.meta == {"title": "T", "date": "2022-01-13"}  # the parent is untouched


def test_pretokenized_documents_stay_whole():
    doc = Document("o1", "", meta={"label": "tech"}, tokens=("a", "b"))
    (chunk,) = segment_documents([doc], min_words=1, max_words=2)
    assert (chunk.id, chunk.tokens, chunk.meta["parent_id"]) == ("o1#0", ("a", "b"), "o1")
