"""report.html: sections, sortable results, relative links, and escaping of every text."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from topics.errors import ConfigError
from topics.report import write_report

EVIL = "<script>document.title='pwned'</script>"


def _results() -> pd.DataFrame:
    return pd.DataFrame({
        "engine": ["gensim", "tomotopy", "gensim"],
        "num_topics": [5, 5, 10],
        "seed": [0, 0, 1],
        "c_npmi": [0.0812345, np.nan, -0.0123],
        "top_words": [["oil", "gas"], ["vote"], ["goal"]],
    })


def _write(folder, **overrides):
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    (folder / "figures" / "heat map.svg").write_text("<svg/>")
    (folder / "figures" / "heat map.png").write_bytes(b"png")
    args = dict(
        title="Seeds & friends",
        results=_results(),
        figures={"Theme heatmap": [folder / "figures" / "heat map.png", "figures/heat map.svg"]},
        ldavis_pages={"gensim K=5": "ldavis/gensim_k5.html"},
        themes=pd.DataFrame({"theme": ["energy"], "words": [["oil", "gas"]]}),
        evidence={"energy": ["oil prices rose", "gas pipeline"]},
        corpus_stats={"documents": 5, "vocabulary": 1234, "lengths": {"min": 10, "max": 900}},
        manifest={"config": {"grid": {"num_topics": [5, 10]}}, "version": "0.1.0"},
    )
    args.update(overrides)
    return write_report(folder, **args)


def test_report_has_every_section(tmp_path):
    path = _write(tmp_path)
    assert path == tmp_path / "report.html"
    page = path.read_text(encoding="utf-8")
    assert "<title>Seeds &amp; friends</title>" in page
    assert '<img src="figures/heat%20map.svg" alt="Theme heatmap"' in page  # SVG preferred
    assert '<a href="figures/heat%20map.png">PNG</a>' in page
    assert '<a href="ldavis/gensim_k5.html">gensim K=5</a>' in page
    assert "<td>oil, gas</td>" in page and "<li>oil prices rose</li>" in page
    assert "<th>vocabulary</th><td class=\"num\" data-sort=\"1234\">1234</td>" in page
    assert "&quot;num_topics&quot;: [" in page  # the manifest, as escaped JSON
    assert "http://" not in page and "https://" not in page and "<script src" not in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures", "report.html"]


def test_results_table_is_sortable_with_numeric_keys(tmp_path):
    page = _write(tmp_path).read_text()
    table = re.search(r'<table class="sortable">.*?</table>', page, re.S).group(0)
    assert "<th>engine</th><th>num_topics</th><th>seed</th><th>c_npmi</th>" in table
    assert '<td class="num" data-sort="0.0812345">0.08123</td>' in table
    assert '<td class="num" data-sort="-0.0123">-0.0123</td>' in table
    assert table.count("<tr>") == 4 and "<td></td>" in table  # NaN shown empty
    assert 'querySelectorAll("table.sortable")' in page


def test_every_text_is_escaped(tmp_path):
    results = _results().assign(engine=[EVIL, "gensim", "gensim"])
    page = _write(
        tmp_path, title=EVIL, results=results,
        themes=pd.DataFrame({"theme": [EVIL], "words": [[EVIL, "oil"]]}),
        evidence=pd.DataFrame({"theme": [EVIL], "title": [EVIL], "source": [EVIL]}),
        figures={EVIL: "figures/heat map.svg"}, ldavis_pages={EVIL: "x.html"},
        corpus_stats={EVIL: EVIL}, manifest={"title": EVIL},
    ).read_text()
    escaped = "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;"
    assert page.count(escaped) >= 9
    assert "<script>document.title" not in page
    assert page.count("<script") == 1  # the page's own sorting script only


def test_evidence_per_theme_tables_and_empty_sections(tmp_path):
    evidence = {"energy": pd.DataFrame({"doc": ["d1"], "score": [0.9]}), "sport": []}
    page = write_report(tmp_path, title="t", results=pd.DataFrame(), evidence=evidence).read_text()
    assert "<h3>energy</h3>" in page and '<td class="num" data-sort="0.9">0.9</td>' in page
    assert "No evidence for this theme." in page
    for message in ("No runs yet.", "No figures.", "No pyLDAvis pages.", "No themes.",
                    "No corpus statistics.", "No manifest."):
        assert message in page


def test_paths_outside_the_folder_are_refused(tmp_path):
    outside = tmp_path / "elsewhere.png"
    with pytest.raises(ConfigError) as err:
        write_report(tmp_path / "run", title="t", results=_results(), figures={"f": outside})
    assert err.value.key == "figures['f']"
    assert not (tmp_path / "run" / "report.html").exists()


@pytest.mark.parametrize("kwargs, key", [
    (dict(results=[1, 2]), "results"),
    (dict(results=pd.DataFrame(), manifest=[("a", 1)]), "manifest"),
    (dict(results=pd.DataFrame(), themes={"a": 1}), "themes"),
    (dict(results=pd.DataFrame(), evidence=["a"]), "evidence"),
])
def test_bad_arguments_name_the_parameter(tmp_path, kwargs, key):
    with pytest.raises(ConfigError) as err:
        write_report(tmp_path, title="t", **kwargs)
    assert err.value.key == key


def test_rewriting_replaces_the_report(tmp_path):
    _write(tmp_path, title="first")
    second = _write(tmp_path, title="second").read_text()
    assert "<h1>second</h1>" in second and "first" not in second


def _corpus_stats() -> dict:
    return {
        "documents_read": 5, "documents_in": 62, "documents_out": 61,
        "skipped": [{"name": "notes/<b>bad</b>.txt", "reason": "empty file"}],
        "repaired": [], "emptied_by_preprocessing": 1, "emptied_by_filters": 0,
        "emptied_ids": ["doc-7#3"],
        "tokens_before_filters": 3100, "tokens_after_filters": 3023,
        "vocabulary_before_filters": 1500, "vocabulary_after_filters": 1454,
        "top_terms": [["country", 39], ["russia", 38]],
        "top_phrases": [["foreign_policy", 12]],
        "phrases_learned": 41, "stopwords": "builtin",
        "options": {"lowercase": True, "extra_stopwords": [], "no_above": 0.5},
    }


def test_corpus_statistics_read_as_tables_and_word_lists(tmp_path):
    page = _write(tmp_path, corpus_stats=_corpus_stats()).read_text()
    section = re.search(r'<section id="corpus">.*?</section>', page, re.S).group(0)
    assert ('<tr><th>documents read (files or rows)</th>'
            '<td class="num" data-sort="5">5</td></tr>') in section
    assert '<th>entries skipped while reading</th><td class="num" data-sort="1">1</td>' in section
    assert '<th>entries repaired while reading</th><td class="num" data-sort="0">0</td>' in section
    assert '<th>tokens after the vocabulary filters</th><td class="num" data-sort="3023">' in section
    assert "<th>stopword list</th><td>builtin</td>" in section
    # skipped entries: name and reason, escaped; no repaired table when nothing was repaired
    assert "<td>notes/&lt;b&gt;bad&lt;/b&gt;.txt</td><td>empty file</td>" in section
    assert "Skipped while reading" in section and "Repaired while reading" not in section
    # top terms inline as word (count), in order, no JSON pairs
    assert ('<ol class="inline"><li>country <span class="count">(39)</span></li>'
            '<li>russia <span class="count">(38)</span></li></ol>') in section
    assert "foreign_policy <span" in section and "&quot;country&quot;" not in section
    assert "<li>doc-7#3</li>" in section
    # options folded away, one row each, an empty list shown as (none)
    options = re.search(r"<details><summary>Preprocessing options</summary>.*?</details>",
                        section, re.S).group(0)
    assert "<th>no_above</th><td><code>0.5</code></td>" in options
    assert "<th>extra_stopwords</th><td><code>(none)</code></td>" in options


def test_manifest_shows_versions_and_folds_the_config(tmp_path):
    manifest = {"config": {"name": "seeds", "grid": {"num_topics": [8, 12]}},
                "corpus_stats": {"documents_read": 5}, "host": "vm",
                "versions": {"gensim": "4.4.0", "python": "3.11.7"}, "history": []}
    page = _write(tmp_path, manifest=manifest).read_text()
    section = re.search(r'<section id="manifest">.*?</section>', page, re.S).group(0)
    assert "<th>host</th><td><code>vm</code></td>" in section
    assert ("<thead><tr><th>gensim</th><th>python</th></tr></thead>"
            "<tbody><tr><td>4.4.0</td><td>3.11.7</td></tr></tbody>") in section
    config = re.search(r"<details><summary>Configuration</summary>\n<pre>(.*?)</pre>",
                       section, re.S).group(1)
    assert "&quot;num_topics&quot;: [" in config and "corpus_stats" not in config
    assert "Earlier invocations" not in section  # no history, no fold for it
    assert "<th>corpus_stats</th>" not in section  # shown in its own section


def test_results_come_before_the_corpus_and_the_manifest(tmp_path):
    page = _write(tmp_path).read_text()
    order = [page.index(f'<section id="{s}">') for s in
             ("results", "figures", "ldavis", "themes", "evidence", "corpus", "manifest")]
    assert order == sorted(order)
