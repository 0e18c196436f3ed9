"""Debris removal: repeated paragraphs, lines repeated across a source, navigation menus; on
by default for folders of text files, counted in the statistics, part of the cache key."""

from __future__ import annotations

from pathlib import Path

import pytest

from topics.documents import Document
from topics.io import read_documents
from topics.preprocess import prepare_corpus, remove_debris

LONG = ("The ministers met in the capital on Monday to discuss the pipeline and the new railway "
        "that would link the port to the northern provinces, and they agreed to meet again "
        "before the end of the year to settle the remaining questions of finance and tariffs.")


def doc(i, text, source="Wire", file=True):
    return Document(id=f"d{i}", text=text, meta={"source": source,
                                                 **({"file": f"d{i}.txt"} if file else {})})


def test_repeated_paragraphs_short_repeats_and_contained_ledes():
    footer = "Sign up to receive the Morning Brief in your inbox every weekday."
    extended = LONG + " Officials said the talks had gone well and that both sides were ready."
    text = "\n\n".join(["Header Line Of The Page", footer, LONG, "A new paragraph of news.",
                        extended, footer, "Header Line Of The Page"])
    (out,), stats = remove_debris([doc(0, text)])
    kept = [p for p in out.text.split("\n") if p.strip()]
    # The short repeats go entirely; the lede contained in a longer paragraph goes.
    assert kept == ["A new paragraph of news.", extended]
    assert stats == {"repeated_in_document": 5, "repeated_across_documents": 0,
                     "navigation": 0, "documents_changed": 1}


def test_lines_repeated_across_documents_of_one_source():
    nav = "Subscribe to our newsletter for more stories like this one today"
    bodies = [LONG.replace("Monday", day) for day in ("Monday", "Tuesday", "Friday")]
    docs = [doc(i, f"{body}\n{nav}") for i, body in enumerate(bodies)]
    docs.append(doc(3, f"{LONG} {nav}.\n{nav}", "Other"))
    out, stats = remove_debris(docs)
    assert [d.text for d in out[:3]] == bodies
    assert out[3].text == docs[3].text  # another source: seen once there
    assert stats["repeated_across_documents"] == 3 and stats["documents_changed"] == 3
    _, two = remove_debris(docs[:2])  # in two documents only: below min_documents
    assert two["repeated_across_documents"] == 0
    _, low = remove_debris(docs[:2], min_documents=2)
    assert low["repeated_across_documents"] == 2


def test_navigation_menus_and_furniture_at_the_edges():
    other = "Prices of fuel rose again this week, the third rise in a month."
    text = "\n".join(["Featured Shows", "Follow msnbc", "More Brands", LONG,
                      "Related:", other, "Leave a Reply", "Back To Top"])
    (out,), stats = remove_debris([doc(0, text)])
    assert out.text.splitlines() == [LONG, "Related:", other]
    assert stats["navigation"] == 5
    pretokenized = Document(id="t", text="", tokens=("a", "b"))
    assert remove_debris([pretokenized])[0] == [pretokenized]


def test_on_by_default_for_text_files_counted_and_in_the_cache_key(tmp_path):
    text = f"Home\nNews\nSport\n{LONG}\n\nJoin our mailing list now\n\nJoin our mailing list now"
    files = [doc(0, text), doc(1, LONG.replace("capital", "city"))]
    rows = [doc(0, text, file=False), doc(1, LONG, file=False)]
    options = dict(lemmatize=False, phrases=False, no_below=1, no_above=1.0)
    auto = prepare_corpus(files, **options)
    assert auto.stats["options"]["debris"] is True
    assert auto.stats["debris"]["navigation"] == 3
    assert auto.stats["debris"]["repeated_in_document"] == 2
    assert "mailing" not in auto.dictionary.token2id
    table = prepare_corpus(rows, **options)  # not text files: off unless asked
    assert table.stats["options"]["debris"] is False and "mailing" in table.dictionary.token2id
    assert prepare_corpus(rows, debris=True, **options).stats["debris"]["navigation"] == 3
    off = prepare_corpus(files, debris=False, **options)
    assert off.key != auto.key and "mailing" in off.dictionary.token2id


def test_the_seed_articles_lose_their_debris(seeds_dir: Path):
    docs, _ = read_documents(seeds_dir)
    out, stats = remove_debris(docs)
    text = {d.id[:3]: d.text for d in out}
    assert "Featured Shows" not in text["001"] and "Follow msnbc" not in text["001"]
    assert "Morning Brief" not in text["004"] and "inbox" not in text["004"]
    assert text["004"].count("CSTO troops begin withdrawal") == 0
    first = "This thought exercise is intended to expose the political double standards"
    assert text["000"].count(first) == 1  # the lede, printed again extended, stays once
    assert stats["documents_changed"] == 3
    assert text["002"] == next(d.text for d in docs if d.id.startswith("002"))
