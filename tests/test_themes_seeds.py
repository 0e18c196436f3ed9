"""End to end on the five seed articles: io -> preprocess -> tomotopy LDA -> themes.

The lexicon is configs/themes/seeds.yaml; its comments give a careful reader's view of each
article.  The tests check the orderings those judgements imply (which article ranks first on
a theme, which theme dominates an article), never numbers.  Model scores are averaged over
three seeds, as a grid point is run with several seeds: single runs of a 62-chunk corpus
occasionally swap close neighbours.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from topics.engines import train
from topics.errors import SetupError
from topics.io import read_documents
from topics.preprocess import prepare_corpus
from topics.themes import (document_theme_counts, document_theme_scores, fold_chunks,
                           guided_prior, lift, pool_runs, rate_posterior, resolve_themes,
                           theme_evidence, topic_theme_affinity)

pytestmark = [pytest.mark.slow, pytest.mark.shared]

LEXICON = Path(__file__).resolve().parents[1] / "configs" / "themes" / "seeds.yaml"
SEEDS = (0, 1, 2)
# The seeds config's preprocessing, except no_below=1: with five articles most telling
# words ("lawfare", "multipolarity") occur in a single paragraph chunk.
OPTIONS = dict(segment="paragraph", chunk_min_words=40, chunk_max_words=200,
               phrase_min_count=2, phrase_threshold=5.0, no_below=1, no_above=0.5)


def short(frame: pd.DataFrame) -> pd.DataFrame:
    """Index by the article number ("000_a757..." -> "000")."""
    return frame.rename(index=lambda doc_id: str(doc_id)[:3])


def prepared(seeds_dir: Path, lemmatize: bool):
    if lemmatize:
        from topics.resources import require_wordnet

        try:
            require_wordnet()
        except SetupError as err:
            pytest.skip(f"WordNet is not installed: {err.one_line()[:120]}")
    documents, report = read_documents(seeds_dir)
    corpus = prepare_corpus(documents, report, lemmatize=lemmatize, **OPTIONS)
    themes = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))["themes"]
    resolved = resolve_themes(themes, transform=corpus.transform_text, vocab=corpus.vocab)
    return corpus, resolved


# The reading of configs/themes/seeds.yaml: per article, its dominant and its absent themes.
READING = {
    "000": (("regime_change", "sovereignty", "great_power_rivalry"), ("political_islam",)),
    "001": (("regime_change",), ("multipolarity", "security_blocs", "protests_unrest",
                                 "political_islam")),
    "002": (("multipolarity", "economy_trade"), ("political_islam",)),
    "003": (("economy_trade", "political_islam", "sovereignty", "great_power_rivalry"),
            ("regime_change", "security_blocs", "protests_unrest")),
    "004": (("security_blocs", "protests_unrest"), ("multipolarity", "sovereignty",
                                                    "political_islam")),
}


def reading_disagreements(summary: pd.DataFrame) -> list[str]:
    """The reading's judgements a pooled summary (Experiment.theme_summary's columns) breaks:
    each article's top theme is a dominant one, every dominant theme's pooled lift is above
    the corpus average and above every absent theme's."""
    mean = summary.pivot(index="doc_id", columns="theme", values="mean")
    out = []
    for doc, (dominant, absent) in READING.items():
        row = mean.loc[doc]
        if row.idxmax() not in dominant:
            out.append(f"{doc}: top theme {row.idxmax()}")
        out += [f"{doc}: {t} at {row[t]:.2f}" for t in dominant
                if row[t] <= 1 or row[t] <= row[list(absent)].max()]
    return out


def parents(corpus) -> list[str]:
    return [meta["parent_id"] for meta in corpus.meta]


def reader_disagreements(scores: pd.DataFrame) -> list[str]:
    """The judgements of configs/themes/seeds.yaml that ``scores`` (articles x themes,
    comparable across themes: lift) contradicts."""
    s = scores
    checks = {
        "000 and 001: regime_change > multipolarity":
            all(s.loc[d, "regime_change"] > s.loc[d, "multipolarity"] for d in ("000", "001")),
        "001: regime_change is its top theme": s.loc["001"].idxmax() == "regime_change",
        "002 ranks first on multipolarity": s["multipolarity"].idxmax() == "002",
        "000 and 001 top regime_change": set(s["regime_change"].nlargest(2).index) == {
            "000", "001"},
        "003 ranks last on regime_change": s["regime_change"].idxmin() == "003",
        "004 ranks first on security_blocs": s["security_blocs"].idxmax() == "004",
        "004's top theme is security_blocs or protests_unrest": s.loc["004"].idxmax() in (
            "security_blocs", "protests_unrest"),
        "003 ranks first on political_islam": s["political_islam"].idxmax() == "003",
        "003 above 000 and 001 on economy_trade": s.loc["003", "economy_trade"] > max(
            s.loc["000", "economy_trade"], s.loc["001", "economy_trade"]),
        "004 above 001 and 003 on protests_unrest": s.loc["004", "protests_unrest"] > max(
            s.loc["001", "protests_unrest"], s.loc["003", "protests_unrest"]),
        "000 or 003 ranks first on sovereignty": s["sovereignty"].idxmax() in ("000", "003"),
    }
    return [name for name, ok in checks.items() if not ok]


@pytest.fixture(params=[False, True], ids=["plain", "lemmatized"])
def seeds(request, seeds_dir):
    return prepared(seeds_dir, request.param)


def test_every_seed_of_the_lexicon_is_found(seeds):
    corpus, resolved = seeds
    assert resolved.missing == {}
    # Phrases resolve to the joined tokens the corpus holds.
    assert "regime_change" in resolved["regime_change"].words
    assert any(w.startswith("no-confidence_") for w in resolved["regime_change"].words)


def test_word_counts_agree_with_the_reader(seeds):
    corpus, resolved = seeds
    counts = document_theme_counts(corpus.bow, resolved, doc_ids=corpus.doc_ids)
    lengths = [sum(n for _, n in bow) for bow in corpus.bow]
    folded = lift(short(fold_chunks(counts, parents(corpus), lengths)))
    assert reader_disagreements(folded) == []


def test_topic_model_theme_scores_agree_with_the_reader(seeds):
    corpus, resolved = seeds
    masses, mixtures = [], []
    for seed in SEEDS:
        out = train(engine="tomotopy", dictionary=corpus.dictionary, corpus=corpus.bow,
                    doc_ids=corpus.doc_ids, num_topics=16, seed=seed)
        affinity = topic_theme_affinity(out.topic_word, resolved)
        mass = document_theme_scores(out.doc_topic, affinity, doc_ids=out.doc_ids,
                                     scale="mass")
        masses.append(fold_chunks(mass, parents(corpus), out.doc_lengths))
        mixtures.append((out, fold_chunks(pd.DataFrame(out.doc_topic, index=out.doc_ids),
                                          parents(corpus), out.doc_lengths)))
    scores = lift(short(sum(masses) / len(masses)))
    assert reader_disagreements(scores) == []

    # The theme rate (the articles' own theme words, smoothed by each run's model), pooled
    # over the runs, agrees with the reading for every dominant theme.
    counts = document_theme_counts(corpus.bow, resolved, doc_ids=corpus.doc_ids, share=False)
    ids = short(counts).index
    counts = counts.groupby(ids.to_numpy(), sort=False).sum()
    lengths = pd.Series([sum(n for _, n in b) for b in corpus.bow]).groupby(
        ids.to_numpy(), sort=False).sum()
    posteriors = {seed: rate_posterior(counts, lengths, short(mass).loc[counts.index])
                  for seed, mass in zip(SEEDS, masses)}
    summary = pool_runs(posteriors, doc_ids=list(counts.index), themes=list(counts.columns))
    assert reading_disagreements(summary) == []
    assert (summary["low"] <= summary["mean"]).all() and (summary["mean"] <= summary["high"]).all()

    # The evidence of 001's regime_change names the no-confidence vote among its words.
    out, mixture = mixtures[0]
    evidence = theme_evidence(mixture.to_numpy(), out.topic_word, resolved,
                              doc_ids=list(mixture.index), top_topics=3, top_words=5)
    rows = evidence[(evidence.doc_id.str[:3] == "001") & (evidence.theme == "regime_change")]
    assert 1 <= len(rows) <= 3
    assert list(rows.share) == sorted(rows.share, reverse=True)
    assert any(w.startswith("no-confidence") for words in rows.words for w in words)


def test_guided_topics_are_anchored_and_named_after_the_themes(seeds_dir):
    corpus, resolved = prepared(seeds_dir, False)
    k = len(resolved.themes) + 2
    prior, names = guided_prior(resolved, num_topics=k, vocab_size=len(corpus.dictionary))
    assert names == resolved.names + ("topic_8", "topic_9")
    masses, affinities = [], []
    for seed in SEEDS:
        out = train(engine="tomotopy", dictionary=corpus.dictionary, corpus=corpus.bow,
                    doc_ids=corpus.doc_ids, num_topics=k, seed=seed, prior=prior,
                    topic_names=names)
        assert out.topic_names == names
        affinity = topic_theme_affinity(out.topic_word, resolved, topic_names=names)
        affinities.append(affinity)
        for theme in resolved.names:
            # Its own topic ranks first or (rarely, when a neighbour theme's topic took the
            # same paragraphs) second among all topics.
            assert theme in affinity[theme].nlargest(2).index
        mass = document_theme_scores(out.doc_topic, affinity, doc_ids=out.doc_ids,
                                     scale="mass")
        masses.append(fold_chunks(mass, parents(corpus), out.doc_lengths))
    # Over the seeds, its own topic holds more of the theme's words than the free topics (in
    # a single run a free topic may catch the one article a rare theme lives in).
    mean = sum(affinities) / len(affinities)
    for theme in resolved.names:
        assert mean.loc[theme, theme] > mean.loc[["topic_8", "topic_9"], theme].max()
    # Fewer judgements hold on guided models than on free ones: an anchored topic also takes
    # its paragraphs' other words, so a rare theme leaks into other articles (002 first on
    # multipolarity, 003 first on political_islam hold in most seed triples, not all).
    scores = lift(short(sum(masses) / len(masses)))
    assert scores["security_blocs"].idxmax() == "004"
    assert set(scores["regime_change"].nlargest(2).index) == {"000", "001"}
    assert np.allclose(scores.mean(), 1.0)
