"""build_report on tiny experiments run through the real workflow: every figure the data
allows, none it does not, and a report even when no run completed."""

from __future__ import annotations

import json
import logging
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from topics.config import validate
from topics.experiment_report import (best_per_engine, best_run, period,
                                      primary_measure)
from topics.report import STAT_LABELS
from topics.workflow import run_experiment

GROUPS = {
    "sport": "goal match striker keeper league referee penalty stadium coach tackle".split(),
    "money": "bank loan interest inflation bond market lender credit mortgage rate".split(),
    "music": "guitar album chorus melody drummer concert singer lyric rhythm tempo".split(),
}
THEMES = {"football": ["goal", "striker", "penalty", "zzzunseen"],
          "finance": ["bank", "loan", "mortgage"]}


def _section(page: str, name: str) -> str:
    return re.search(rf'<section id="{name}">(.*?)</section>', page, re.S).group(1)


def _left_out(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "topics.experiment_report"]


def _write_corpus(folder: Path, *, dated: bool = True, paragraphs: int = 2) -> Path:
    """Four documents per group of disjoint words; ids 0..11, titles and metadata."""
    rng = random.Random(7)
    folder.mkdir()
    rows = ["file,title,source,label" + (",date" if dated else "")]
    for i in range(12):
        group = list(GROUPS)[i % 3]
        parts = [" ".join(rng.choices(GROUPS[group], k=30)) for _ in range(paragraphs)]
        (folder / f"{i:02d}.txt").write_text("\n\n".join(parts), encoding="utf-8")
        date = f",2021-{1 + i:02d}-15" if dated else ""
        rows.append(f"{i:02d}.txt,Story {i} about {group},{'wire' if i % 2 else 'paper'},{group}{date}")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _config(corpus: Path, out: Path, **sections) -> dict:
    raw = {
        "name": "tiny",
        "corpus": {"path": str(corpus)},
        "preprocess": {"lemmatize": False, "phrases": False, "stopwords": "none",
                       "no_below": 1, "no_above": 1.0, "segment": "paragraph",
                       "chunk_min_words": 5, "chunk_max_words": 40},
        "grid": {"engine": ["gensim", "tomotopy"], "num_topics": [3], "seeds": [0, 1],
                 "iterations": 50, "passes": 5},
        "scoring": {"measures": ["c_npmi", "c_v"]},
        "runner": {"n_jobs": 1},
        "output": {"dir": str(out)},
        "themes": THEMES,
    }
    for name, value in sections.items():
        raw[name] = value if value is None or not isinstance(raw.get(name), dict) else {**raw[name], **value}
    return {k: v for k, v in raw.items() if v is not None}


def _run(tmp_path: Path, **sections):
    corpus = _write_corpus(tmp_path / "corpus", dated=sections.pop("dated", True))
    out = tmp_path / "exp"
    summary = run_experiment(validate(_config(corpus, out, **sections)), out=out)
    return out, summary


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """Both engines, themes, dates, source and label, paragraph chunks."""
    out, summary = _run(tmp_path_factory.mktemp("full"))
    return out, summary, (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_full_report_draws_every_figure(full):
    out, summary, page = full
    assert summary.done == 4 and summary.report == out / "report.html"
    names = sorted(p.name for p in (out / "figures").glob("*.svg"))
    assert names == ["coherence_c_npmi.svg", "coherence_c_v.svg", "coherence_diversity.svg",
                     "doc_theme_heatmap.svg", "theme_by_label.svg", "theme_by_period.svg",
                     "theme_by_source.svg", "theme_over_time.svg", "top_words_best.svg",
                     "topic_similarity_engines.svg"]
    assert (out / "figures" / "theme_by_period.csv").is_file()
    for src in re.findall(r'<img src="([^"]+)"', page):
        assert (out / src).is_file(), src
    # The theme figures (pooled over the runs) open the page; the rest are per run.
    assert len(re.findall(r"<figure>", _section(page, "figures"))) == 5
    assert len(re.findall(r"<figure>", _section(page, "pooled"))) == 5


@pytest.mark.slow
def test_full_report_links_every_ldavis_page_and_lists_all_runs(full):
    out, _, page = full
    pages = sorted(p.name for p in (out / "ldavis").glob("*.html"))
    assert len(pages) == 4
    links = re.findall(r'<a href="(ldavis/[^"]+)">', _section(page, "ldavis"))
    assert sorted(Path(link).name for link in links) == pages
    results = _section(page, "results")
    assert results.count("<tr>") == 1 + 4  # header + one row per run
    for column in ("engine", "num_topics", "seed", "c_npmi", "c_v", "diversity"):
        assert f"<th>{column}</th>" in results


@pytest.mark.slow
def test_full_report_themes_evidence_and_missing_seeds(full):
    _, _, page = full
    themes = _section(page, "themes")
    assert "<td>football</td>" in themes and "<td>finance</td>" in themes
    assert "zzzunseen" in themes  # the seed missing from the vocabulary is shown
    evidence = _section(page, "evidence")
    # Evidence is per parent document (chunks folded): ids 00..11, never chunk ids.
    football = re.search(r"<h3>football</h3>(.*?)(<h3>|$)", evidence, re.S).group(1)
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", football, re.S).group(1)
    assert "about sport" in first_row  # the top football document is a sport story
    assert "#" not in first_row.split("</td>")[0]
    assert "Story 0 about sport" in _section(page, "evidence")


@pytest.mark.slow
def test_report_leads_with_themes_pooled_over_all_runs(full):
    _, _, page = full
    assert page.index('<section id="pooled">') < page.index('<section id="results">')
    pooled = _section(page, "pooled")
    assert "Pooled over all 4 completed runs (engines gensim, tomotopy; K 3; seeds 0, 1)" in pooled
    rows = re.findall(r"<tr>(.*?)</tr>", pooled, re.S)[1:]
    assert len(rows) == 12  # one per article (chunks folded)
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        group = cells[1].split()[-1]  # "Story 3 about money"
        expected = {"sport": "football", "money": "finance"}.get(group)
        if expected:  # the theme of its own group is above average, with its interval
            assert cells[2].startswith(expected + " "), cells
            assert re.search(r"\[\d+\.\d\d-\d+\.\d\d\], first in 100%", cells[2])
        else:
            assert cells[2] == "none"
    themes = _section(page, "themes")
    assert re.search(r"goal \(\d+\)", themes)  # tokens used, with their corpus counts
    evidence = _section(page, "evidence")
    assert "theme words in the document" in evidence and re.search(r"striker x\d+", evidence)


@pytest.mark.slow
def test_reading_page_has_passages_and_highlighted_texts(full):
    out, _, page = full
    assert '<a href="themes.html">' in _section(page, "pooled")
    reading = (out / "themes.html").read_text(encoding="utf-8")
    football = re.search(r'<section id="theme-\d"><h2>football: (.*?)</section>', reading,
                         re.S).group(1)
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", football, re.S)
    assert 1 <= len(quotes) <= 5
    # Every highlighted word of a football passage is one of its seeds, marked as football.
    assert set(re.findall(r'title="(\w+)"', quotes[0])) == {"football"}
    marked = re.findall(r'<mark class="t\d" title="football">(\w+)</mark>', quotes[0])
    assert marked and set(marked) <= {"goal", "striker", "penalty"}
    assert "about sport" in football  # the passages come from sport stories
    documents = re.search(r'<section id="documents">(.*?)</section>', reading, re.S).group(1)
    assert 'title="finance"' in documents and 'title="football"' in documents


@pytest.mark.slow
def test_report_takes_the_corpus_statistics_and_manifest(full):
    out, _, page = full
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    stats, corpus = manifest["corpus_stats"], _section(page, "corpus")
    counts = [k for k in STAT_LABELS if k in stats]
    assert len(counts) >= 12
    for key in counts:  # every count under its label, lists of entries counted
        value = len(stats[key]) if isinstance(stats[key], list) else stats[key]
        assert re.search(rf"<th>{re.escape(STAT_LABELS[key])}</th><td[^>]*>{value}</td>", corpus), key
    word, count = stats["top_terms"][0]
    assert f'<li>{word} <span class="count">({count})</span></li>' in corpus
    assert "<summary>Preprocessing options</summary>" in corpus
    assert f"<th>corpus_key</th><td><code>{manifest['corpus_key']}</code></td>" in _section(page, "manifest")


@pytest.mark.slow
def test_results_table_leads_with_the_measures_and_names_shared_settings(full):
    _, _, page = full
    results = _section(page, "results")
    head = re.findall(r"<th>([^<]+)</th>", results)
    assert head[:7] == ["run_id", "engine", "num_topics", "seed", "c_npmi", "c_v", "diversity"]
    # no run was guided, all used the same iterations and finished: said once, not per row
    assert re.search(r"<p>Same for every run: guided = False, [^<]*iterations = 50[^<]*"
                     r"status = done", results)
    assert "<th>guided</th>" not in results
    assert "<th>iterations</th>" not in results and "<th>status</th>" not in results


@pytest.mark.slow
def test_single_engine_without_themes_or_dates(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="topics.experiment_report")
    out, summary = _run(tmp_path, dated=False, themes=None,
                        grid={"engine": "tomotopy", "seeds": [0]})
    assert summary.done == 1
    page = (out / "report.html").read_text(encoding="utf-8")
    names = sorted(p.stem for p in (out / "figures").glob("*.svg"))
    assert names == ["coherence_c_npmi", "coherence_c_v", "coherence_diversity",
                     "top_words_best"]
    assert "No themes." in _section(page, "themes")
    assert not _left_out(caplog)  # nothing was left out: there was nothing more to draw


@pytest.mark.slow
def test_no_completed_run_still_gives_a_report(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="topics.experiment_report")
    # models/ is a file: no run can save its model, so every run fails, and is recorded.
    (tmp_path / "exp").mkdir()
    (tmp_path / "exp" / "models").write_text("not a folder")
    out, summary = _run(tmp_path, grid={"engine": "tomotopy", "seeds": [0]})
    assert summary.done == 0 and summary.failed == 1
    page = (out / "report.html").read_text(encoding="utf-8")
    assert not (out / "figures").exists()
    assert "No figures." in _section(page, "figures")
    assert "failed" in _section(page, "results")
    assert "zzzunseen" in _section(page, "themes")  # themes resolved on the corpus alone
    assert not _left_out(caplog)


def test_choosing_runs_prefers_c_npmi_and_the_highest_value():
    done = pd.DataFrame({"run_id": ["a", "b", "c"], "engine": ["gensim", "tomotopy", "gensim"],
                         "c_v": [0.9, 0.1, 0.5], "c_npmi": [-0.2, 0.3, 0.1]})
    assert primary_measure(done, ["c_v", "c_npmi"]) == "c_npmi"
    assert primary_measure(done.drop(columns="c_npmi"), ["u_mass", "c_v"]) == "c_v"
    assert primary_measure(done.iloc[0:0], ["c_v"]) is None
    assert best_run(done, "c_npmi") == "b" and best_run(done, "c_v") == "a"
    assert best_per_engine(done, "c_npmi") == {"gensim": "c", "tomotopy": "b"}
    assert best_per_engine(done[done["engine"] == "gensim"], "c_npmi") == {"gensim": "c"}


def test_period_follows_the_span_of_the_dates():
    def span(*dates):
        return period(pd.Series(pd.to_datetime(list(dates))))
    assert span("2021-01-01", "2021-02-01") == "W"
    assert span("2022-04-12", "2023-08-10") == "M"
    assert span("2001-01-01", "2008-01-01") == "Q"
    assert span("1950-01-01", "2020-01-01") == "Y"


def test_themes_follow_the_best_run_of_the_engine_that_scores_best_on_average():
    import pandas as pd

    from topics.experiment_report import best_run, theme_run

    done = pd.DataFrame({"run_id": ["g1", "g2", "t1", "t2"],
                         "engine": ["gensim", "gensim", "tomotopy", "tomotopy"],
                         "c_npmi": [0.30, -0.50, 0.20, 0.10]})
    assert best_run(done, "c_npmi") == "g1"      # the single best run is a gensim one
    assert theme_run(done, "c_npmi") == "t1"     # but tomotopy is better on average
    assert theme_run(done.iloc[:2], "c_npmi") == "g1"
    assert theme_run(done.iloc[0:0], "c_npmi") is None
