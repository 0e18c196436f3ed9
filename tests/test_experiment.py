"""The notebook API on one small real experiment: ``topics.run``, ``load_experiment`` and every
``Experiment`` method, then folders whose files were removed, damaged or written by an older
version.  The experiment is trained once per module (gensim and tomotopy, K 2 and 3, two
seeds) on a tiny txt corpus of three word groups that share no word."""

from __future__ import annotations

import html
import json
import random
import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import topics
from topics.engines import ModelOutput
from topics.errors import ConfigError, StoreError
from topics.experiment import Experiment, ThemeScores

pytestmark = pytest.mark.slow  # the module's experiment trains 8 models (~10-20 s)

GROUPS = {
    "sport": "football goal match player team league striker coach stadium referee penalty",
    "money": "market stock bank price investor profit economy inflation trade dividend currency",
    "space": "planet star galaxy telescope orbit comet rocket astronaut moon nebula asteroid",
}
SOURCES = {"sport": "Daily Sport", "money": "Finance Weekly", "space": "Sky Journal"}
THEMES = {"sport": ["football", "striker", "referee"], "money": ["bank", "investor", "stock"]}
PER_GROUP = 8
MEASURES = ["c_npmi", "u_mass"]


def doc_id(group: str, i: int) -> str:
    return f"{group}_{i:02d}"


def write_corpus(folder: Path) -> Path:
    """``PER_GROUP`` .txt files per word group (50 words each) and a metadata CSV giving each
    file a date and its group's source."""
    rng = random.Random(3)
    folder.mkdir(parents=True)
    rows = ["file,source,date"]
    for g, (group, words) in enumerate(GROUPS.items()):
        vocab = words.split()
        for i in range(PER_GROUP):
            text = " ".join(rng.choice(vocab) for _ in range(50))
            (folder / f"{doc_id(group, i)}.txt").write_text(text, encoding="utf-8")
            rows.append(f"{doc_id(group, i)}.txt,{SOURCES[group]},2021-0{g + 1}-{i + 10}")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def raw_config(corpus: Path, name: str = "notebook api") -> dict:
    return {
        "name": name, "corpus": {"path": str(corpus)}, "themes": THEMES,
        "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
        "grid": {"engine": ["gensim", "tomotopy"], "num_topics": [2, 3], "seeds": [0, 1],
                 "passes": 5, "iterations": 50},
        "scoring": {"measures": MEASURES, "topn": 5, "diversity_topn": 5},
        "topwords": {"topn": 4, "method": "probability"}, "runner": {"n_jobs": 2},
        "output": {"ldavis": True, "report": False},
    }


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "txt")


@pytest.fixture(scope="module")
def exp(corpus_dir, tmp_path_factory) -> Experiment:
    return topics.run(raw_config(corpus_dir), out=tmp_path_factory.mktemp("exp") / "run")


@pytest.fixture
def copy_of(exp, tmp_path):
    """A fresh copy of the experiment folder, to damage."""
    def make() -> Path:
        return Path(shutil.copytree(exp.folder, tmp_path / "copy"))
    return make


def rewrite_manifest(folder: Path, edit) -> None:
    """Apply ``edit`` (a function changing the manifest dict in place) to the folder's."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    edit(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def set_model_dir(folder: Path, run_id: str, model_dir: str) -> None:
    db = sqlite3.connect(folder / "results.sqlite")
    with db:
        db.execute("UPDATE runs SET model_dir=? WHERE run_id=?", (model_dir, run_id))
    db.close()


def run_ids(exp: Experiment, **where) -> list[str]:
    frame = exp.results
    for key, value in where.items():
        frame = frame[frame[key] == value]
    return list(frame["run_id"])


def group_docs(group: str) -> list[str]:
    return [doc_id(group, i) for i in range(PER_GROUP)]


def group_topic(exp: Experiment, run_id: str, group: str) -> str:
    """The topic column holding most of the group's documents' mass."""
    theta = exp.doc_topics(run_id).filter(like="topic ")
    return theta.loc[group_docs(group)].mean().idxmax()


# ------------------------------------------------------------------ results and best
def test_results_has_one_done_row_per_run_with_every_measure(exp):
    frame = exp.results
    assert len(frame) == 8 and frame["run_id"].is_unique
    assert set(map(tuple, frame[["engine", "num_topics", "seed"]].to_numpy())) == {
        (e, k, s) for e in ("gensim", "tomotopy") for k in (2, 3) for s in (0, 1)}
    assert (frame["status"] == "done").all()
    for measure in [*MEASURES, "diversity", "stability"]:
        assert frame[measure].notna().all(), measure
        assert np.isfinite(frame[measure].astype(float)).all(), measure
    assert frame["diversity"].between(0, 1).all()
    assert (frame["c_npmi"].between(-1, 1)).all()


def test_best_picks_the_highest_overall_and_per_num_topics(exp):
    frame = exp.results
    best = exp.best("c_npmi")
    assert len(best) == 1
    assert best.loc[0, "c_npmi"] == frame["c_npmi"].max()
    assert best.loc[0, "run_id"] in set(frame.loc[frame["c_npmi"] == frame["c_npmi"].max(),
                                                  "run_id"])
    per_k = exp.best("c_npmi", by="num_topics")
    assert list(per_k["num_topics"]) == [2, 3]
    for _, row in per_k.iterrows():
        assert row["c_npmi"] == frame.loc[frame["num_topics"] == row["num_topics"],
                                          "c_npmi"].max()
    assert exp.best("u_mass", lowest=True).loc[0, "u_mass"] == frame["u_mass"].min()
    assert len(exp.best("diversity", by=["engine", "num_topics"])) == 4
    with pytest.raises(KeyError, match=r"no metric 'c_nope'; known: .*c_npmi"):
        exp.best("c_nope")


# ------------------------------------------------------------------ models and topics
def test_model_is_a_model_output_aligned_with_the_corpus(exp):
    for rid in run_ids(exp):
        out = exp.model(rid)
        row = exp.results.set_index("run_id").loc[rid]
        assert isinstance(out, ModelOutput)
        assert out.engine == row["engine"] and out.num_topics == row["num_topics"]
        assert out.params["seed"] == row["seed"]
        assert list(out.doc_ids) == list(exp.corpus.doc_ids)
        assert out.vocab == tuple(exp.corpus.dictionary[i] for i in range(len(out.vocab)))
        assert len(out.vocab) == len(exp.corpus.dictionary) == 33
        assert np.allclose(out.topic_word.sum(axis=1), 1)
        assert out.native is not None  # inference needs it
    assert exp.model(rid) is exp.model(rid)  # loaded once
    with pytest.raises(KeyError, match="no completed run 'nope'"):
        exp.model("nope")


def test_topics_gives_topn_rows_per_topic_ranked_by_weight(exp):
    rid = run_ids(exp, num_topics=3)[0]
    out = exp.model(rid)
    table = exp.topics(rid, topn=6)
    assert list(table.columns) == ["topic", "name", "rank", "word", "weight"]
    assert table.groupby("topic").size().to_dict() == {0: 6, 1: 6, 2: 6}
    for k, rows in table.groupby("topic"):
        assert list(rows["rank"]) == list(range(6))
        assert rows["weight"].is_monotonic_decreasing
        expected = np.argsort(-out.topic_word[k], kind="stable")[:6]
        assert np.allclose(rows["weight"], out.topic_word[k][expected])
        assert set(rows["word"]) <= set(out.vocab)
    assert exp.topics(rid).groupby("topic").size().eq(4).all()  # the config's topwords.topn


def test_each_topic_of_a_three_topic_run_is_one_word_group(exp):
    vocab_group = {w: g for g, words in GROUPS.items() for w in words.split()}
    for rid in run_ids(exp, num_topics=3):
        table = exp.topics(rid, topn=5)
        groups = [set(vocab_group[w] for w in rows["word"]) for _, rows in table.groupby("topic")]
        assert sorted(map(len, groups)) == [1, 1, 1], rid
        assert set().union(*groups) == set(GROUPS), rid


# ------------------------------------------------------------------ documents
def test_documents_carry_the_metadata_csv(exp):
    docs = exp.documents()
    assert list(docs.index) == sorted(d for g in GROUPS for d in group_docs(g))  # by path
    assert docs.index.name == "id"
    assert docs.loc["money_03", "source"] == "Finance Weekly"
    assert docs.loc["space_07", "date"] == "2021-03-17"
    assert docs.loc["sport_00", "file"] == "sport_00.txt"


def test_doc_topics_rows_sum_to_one_and_carry_the_metadata(exp):
    rid = run_ids(exp, engine="gensim", num_topics=3)[0]
    frame = exp.doc_topics(rid)
    cols = ["topic 0", "topic 1", "topic 2"]
    assert list(frame.columns[-3:]) == cols
    assert len(frame) == 3 * PER_GROUP
    assert np.allclose(frame[cols].sum(axis=1), 1)
    assert np.allclose(frame[cols].to_numpy(), exp.model(rid).doc_topic)
    assert (frame.loc[group_docs("sport"), "source"] == "Daily Sport").all()
    assert frame.loc["sport_01", "date"] == "2021-01-11"


# ------------------------------------------------------------------ themes
def test_themes_rank_each_groups_documents_first_on_their_own_theme(exp):
    for rid in run_ids(exp, num_topics=3):
        themes = exp.themes(rid)
        assert isinstance(themes, ThemeScores)
        assert sorted(themes.scores.columns) == ["money", "sport"]
        assert themes.missing == {}  # every seed word is in the vocabulary
        for theme in ("sport", "money"):
            ranked = themes.scores[theme].sort_values(ascending=False, kind="stable")
            assert set(ranked.index[:PER_GROUP]) == set(group_docs(theme)), (rid, theme)
            assert (ranked.iloc[:PER_GROUP] > 1).all()  # lift above the corpus average
        assert set(themes.affinity.columns) >= {"sport", "money"}
        assert not themes.evidence.empty
        assert "<table" in themes._repr_html_()


def test_themes_report_seed_words_missing_from_the_vocabulary(exp, copy_of):
    folder = copy_of()
    rewrite_manifest(folder, lambda m: m["config"].update(themes={"sport": ["goal", "cricket"]}))
    themes = topics.load_experiment(folder).themes(run_ids(exp)[0])
    assert themes.missing == {"sport": ("cricket",)}


def test_themes_without_a_themes_section_is_a_key_error(exp, copy_of):
    folder = copy_of()
    rewrite_manifest(folder, lambda m: m["config"].update(themes={}))
    with pytest.raises(KeyError, match="no themes"):
        topics.load_experiment(folder).themes(run_ids(exp)[0])


# ------------------------------------------------------------------ compare, infer
def test_compare_a_run_with_itself_matches_each_topic_to_itself(exp):
    rid = run_ids(exp, engine="tomotopy", num_topics=3)[0]
    frame = exp.compare(rid, rid, topn=3)
    assert list(frame["topic_a"].sort_values()) == [0, 1, 2]
    assert (frame["topic_a"] == frame["topic_b"]).all()
    assert np.allclose(frame["similarity"], 1)
    assert (frame["words_a"] == frame["words_b"]).all()
    assert frame["words_a"].str.split().map(len).eq(3).all()


def test_compare_across_engines_pairs_topics_of_the_same_group(exp):
    a = run_ids(exp, engine="gensim", num_topics=3)[0]
    b = run_ids(exp, engine="tomotopy", num_topics=3)[0]
    frame = exp.compare(a, b)
    assert frame["similarity"].is_monotonic_decreasing
    for group in GROUPS:
        ta, tb = group_topic(exp, a, group), group_topic(exp, b, group)
        row = frame[frame["topic_a"] == int(ta.split()[-1])]
        assert row["topic_b"].item() == int(tb.split()[-1])
        assert row["similarity"].item() > 0.9


def test_infer_puts_a_new_sport_text_on_the_sport_topic(exp):
    for rid in run_ids(exp, num_topics=3):
        texts = ["The striker scored a late penalty goal; the referee and the coach argued.",
                 "Astronauts saw a comet orbit the planet through the telescope.",
                 "Nothing here is in the dictionary at all."]
        frame = exp.infer(rid, texts)
        assert list(frame.columns) == [c for c in exp.doc_topics(rid).columns
                                       if c.startswith("topic ")]
        assert len(frame) == 3
        assert np.allclose(frame.sum(axis=1), 1)
        assert frame.iloc[0].idxmax() == group_topic(exp, rid, "sport"), rid
        assert frame.iloc[0].max() > 0.6, rid
        assert frame.iloc[1].idxmax() == group_topic(exp, rid, "space"), rid
        assert np.allclose(frame.iloc[2], 1 / 3)  # no dictionary word: uniform
        assert frame.equals(exp.infer(rid, texts))  # repeatable


def test_infer_takes_any_iterable_of_strings_and_rejects_a_bare_string(exp):
    rid = run_ids(exp)[0]
    assert len(exp.infer(rid, (t for t in ["goal", "bank"]))) == 2
    assert exp.infer(rid, []).shape == (0, exp.model(rid).num_topics)
    with pytest.raises(ConfigError, match="texts: expected a list of strings, got 'goal'"):
        exp.infer(rid, "goal")
    with pytest.raises(ConfigError, match="texts: .* got 3"):
        exp.infer(rid, ["goal", 3])


# ------------------------------------------------------------------ ldavis, html
def test_ldavis_embeds_the_runs_page_in_an_iframe(exp, monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", None)  # not a dependency: works without it
    rid = run_ids(exp)[0]
    shown = exp.ldavis(rid)
    assert shown._repr_html_() == shown.data
    assert shown.path == exp.folder / "ldavis" / f"{rid}.html" and str(shown) == str(shown.path)
    page = (exp.folder / "ldavis" / f"{rid}.html").read_text(encoding="utf-8")
    assert '<iframe srcdoc="' in shown.data
    assert html.escape(page, quote=True) in shown.data
    assert "<script" not in shown.data.split('srcdoc="', 1)[1].split('"', 1)[0]


def test_ldavis_of_a_run_without_a_page_names_the_file(exp, copy_of):
    folder = copy_of()
    rid = run_ids(exp)[0]
    (folder / "ldavis" / f"{rid}.html").unlink()
    with pytest.raises(StoreError, match=rf"ldavis/{rid}\.html: no pyLDAvis page"):
        topics.load_experiment(folder).ldavis(rid)


def test_repr_html_lists_the_runs_and_escapes_the_name(exp, copy_of):
    table = exp._repr_html_()
    assert "<h3>Experiment notebook api</h3>" in table
    assert all(rid in table for rid in run_ids(exp))
    assert "24 documents, vocabulary 33" in table
    assert repr(exp) == f"Experiment({str(exp.folder)!r}, runs=8)"
    folder = copy_of()
    rewrite_manifest(folder, lambda m: m["config"].update(name="<script>alert(1)</script>"))
    shown = topics.load_experiment(folder)._repr_html_()
    assert "<script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


# ------------------------------------------------------------------ topics.run, load_config
def test_run_from_a_yaml_file_with_overrides_changes_the_grid(corpus_dir, tmp_path):
    raw = raw_config(corpus_dir)
    raw["grid"] = {"engine": "gensim", "num_topics": [3, 4], "seeds": [0], "passes": 2,
                   "iterations": 20}
    raw["output"]["ldavis"] = False
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    exp = topics.run(path, out=tmp_path / "out", grid={"num_topics": [2]},
                     **{"scoring.measures": ["c_npmi"]})
    assert isinstance(exp, Experiment) and exp.folder == (tmp_path / "out").resolve()
    assert list(exp.results["num_topics"]) == [2]
    assert "u_mass" not in exp.results.columns
    assert exp.config["grid"]["num_topics"] == [2]
    config = topics.load_config(path, {"grid.num_topics": [5]})
    assert config.grid["num_topics"] == [5] and config.grid["engine"] == ["gensim"]


def test_run_rejects_a_bad_override_naming_the_key(corpus_dir, tmp_path):
    with pytest.raises(ConfigError, match=r"grid\.num_topics\[0\]"):
        topics.run(raw_config(corpus_dir), out=tmp_path / "out", grid={"num_topics": [1]})
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ damaged folders
@pytest.mark.parametrize("name", ["manifest.json", "results.sqlite"])
def test_a_missing_manifest_or_store_is_named(copy_of, name):
    folder = copy_of()
    (folder / name).unlink()
    with pytest.raises(StoreError, match=rf"{folder / name}: missing"):
        topics.load_experiment(folder)


def test_a_damaged_manifest_is_named(copy_of):
    folder = copy_of()
    (folder / "manifest.json").write_text('{"config": {', encoding="utf-8")
    with pytest.raises(StoreError, match=rf"{folder / 'manifest.json'}: damaged"):
        topics.load_experiment(folder)


def test_a_damaged_store_is_named(copy_of):
    folder = copy_of()
    for side in folder.glob("results.sqlite-*"):
        side.unlink()
    (folder / "results.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError, match=rf"{folder / 'results.sqlite'}: not a readable"):
        topics.load_experiment(folder).results


def test_a_missing_model_folder_is_named(exp, copy_of):
    folder = copy_of()
    rid = run_ids(exp)[0]
    shutil.rmtree(folder / "models" / rid)
    loaded = topics.load_experiment(folder)
    with pytest.raises(StoreError, match=rf"{folder / 'models' / rid}: model folder missing"):
        loaded.model(rid)
    assert loaded.model(run_ids(exp)[1]).num_topics >= 2  # the others still load


def test_a_damaged_model_file_is_named(exp, copy_of):
    folder = copy_of()
    rid = run_ids(exp)[0]
    (folder / "models" / rid / "output.json").write_text("{", encoding="utf-8")
    with pytest.raises(StoreError, match=rf"{folder / 'models' / rid}: not a readable model"):
        topics.load_experiment(folder).model(rid)


def test_a_missing_corpus_cache_is_named(exp, copy_of):
    folder = copy_of()
    shutil.rmtree(folder / "cache" / exp.corpus_key)
    loaded = topics.load_experiment(folder)
    with pytest.raises(StoreError, match=rf"{folder / 'cache' / exp.corpus_key}: corpus cache "
                                         "missing; rerun `topics run`"):
        loaded.documents()
    assert len(loaded.results) == 8  # results and models do not need the corpus
    assert loaded.topics(run_ids(exp)[0]).shape[0] > 0


@pytest.mark.parametrize("name", ["docs.json", "dictionary.json", "texts.jsonl"])
def test_a_damaged_corpus_cache_file_is_named(exp, copy_of, name):
    folder = copy_of()
    entry = folder / "cache" / exp.corpus_key / "corpus"
    (entry / name).write_bytes(b"\x80garbage")
    with pytest.raises(StoreError, match=rf"{entry}"):
        topics.load_experiment(folder).corpus


def test_an_older_manifest_without_corpus_key_says_what_is_missing(copy_of):
    folder = copy_of()
    rewrite_manifest(folder, lambda m: m.pop("corpus_key"))
    with pytest.raises(StoreError, match=r"manifest\.json: has no 'corpus_key' \(written by "
                                         r"an older or newer version"):
        topics.load_experiment(folder)


def test_a_model_dir_outside_the_folder_is_refused(exp, copy_of):
    folder = copy_of()
    rid = run_ids(exp)[0]
    outside = exp.folder / "models" / rid  # a real model folder, but not this experiment's
    set_model_dir(folder, rid, str(outside))
    with pytest.raises(StoreError, match=rf"{outside}: outside the experiment folder"):
        topics.load_experiment(folder).model(rid)
    set_model_dir(folder, rid, f"models/../../{rid}")
    with pytest.raises(StoreError, match="outside the experiment folder; refusing"):
        topics.load_experiment(folder).model(rid)


def test_documents_of_the_loaded_folder_equal_the_run_ones(exp):
    again = topics.load_experiment(exp.folder)
    pd.testing.assert_frame_equal(again.documents(), exp.documents())
    pd.testing.assert_frame_equal(again.results, exp.results)


def test_topics_by_relevance_keep_probabilities_as_weights(exp):
    from topics.topwords import top_words

    rid = run_ids(exp, num_topics=3)[0]
    out = exp.model(rid)
    exp.config["topwords"] = {**exp.config["topwords"], "method": "relevance", "lambda": 0.6}
    try:
        table = exp.topics(rid, topn=5)
    finally:
        exp.config["topwords"]["method"] = "probability"
    expected = top_words(out.topic_word, out.vocab, topn=5, method="relevance", lam=0.6,
                         term_frequency=out.term_frequency)
    for k, rows in table.groupby("topic"):
        assert list(rows["word"]) == expected[k]
        assert rows["relevance"].is_monotonic_decreasing
        index = [out.vocab.index(w) for w in rows["word"]]
        assert np.allclose(rows["weight"], out.topic_word[k][index])
