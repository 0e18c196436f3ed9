"""Changed scoring settings re-score the completed runs from their saved matrices.

A run's id hashes its training parameters and corpus only, so a finished config run again
with other scoring settings (measures, top-N, diversity top-N, reference corpus, how top
words are ranked) skips training; its scores must then be those a fresh folder gives with
the new settings, every run must record the settings it was scored under, and ``best()``
must never compare runs scored under different ones.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

import topics
from topics.store import Store
from topics.workflow import run_experiment

from ._cli import run_topics, write_config
from ._tiny import GROUPS, config_of, done_metrics, raw_config, write_corpus

SUMMARY = re.compile(r"runs: 2 in the grid, (\d+) already completed, (\d+) done now")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A finished tiny experiment under the default scoring settings."""
    root = tmp_path_factory.mktemp("rescoring")
    write_corpus(root / "corpus")
    run_experiment(config_of(root), out=root / "exp")
    return root / "exp"


@pytest.fixture
def copy(built, tmp_path) -> Path:
    shutil.copytree(built, tmp_path / "exp")
    shutil.copytree(built.parent / "corpus", tmp_path / "corpus")
    return tmp_path / "exp"


def model_times(folder: Path) -> dict[str, int]:
    return {p.parent.name: p.stat().st_mtime_ns for p in (folder / "models").glob("*/*.npy")}


def assert_same_scores(a: dict, b: dict) -> None:
    assert a.keys() == b.keys() and a
    for run_id in a:
        assert a[run_id].keys() == b[run_id].keys(), run_id
        assert a[run_id] == pytest.approx(b[run_id], rel=1e-12, abs=1e-12), run_id


def write_reference(path: Path, *, mix: bool) -> Path:
    """Documents mixing the groups (``mix``) or not: other co-occurrences than the corpus."""
    words = [g.split() for g in GROUPS]
    lines = []
    for i in range(30):
        a, b = words[i % 3], words[(i + 1) % 3] if mix else words[i % 3]
        lines.append(" ".join(a[(i + j) % 12] if j % 2 else b[(i * j) % 12] for j in range(20)))
    path.write_text("\n".join(f'{{"id": "r{i}", "text": "{t}"}}' for i, t in
                              enumerate(lines)) + "\n", encoding="utf-8")
    return path


def test_changed_scoring_settings_rescore_like_a_fresh_folder(copy):
    """The issue's case, through the CLI: ``--set topwords.lambda=1.0 --set scoring.topn=5``."""
    config = write_config(copy.parent / "c.yaml", raw_config(copy.parent / "corpus"))
    before, times = done_metrics(copy), model_times(copy)
    sets = ("--set", "topwords.lambda=1.0", "--set", "scoring.topn=5")
    again = run_topics("run", config, "--out", copy, *sets)
    fresh = run_topics("run", config, "--out", copy.parent / "fresh", *sets)
    assert again.returncode == 0 and fresh.returncode == 0, again.stderr[-3000:]
    assert SUMMARY.search(again.stdout).groups() == ("2", "0")  # nothing trained again
    assert "2 re-scored" in again.stdout
    assert model_times(copy) == times
    rescored = done_metrics(copy)
    assert_same_scores(rescored, done_metrics(copy.parent / "fresh"))
    assert rescored != before
    with Store(copy, create=False) as store:
        for run in store.runs():
            assert run.scoring["topn"] == 5 and run.scoring["topwords_lambda"] == 1.0


def test_fewer_measures_leave_no_stale_score(copy):
    run_experiment(config_of(copy.parent, scoring={"measures": ["c_npmi"],
                                                   "diversity_topn": 5}), out=copy)
    for metrics in done_metrics(copy).values():
        assert "c_v" not in metrics and {"c_npmi", "diversity", "stability"} <= set(metrics)


def test_the_same_settings_rescore_nothing(copy):
    before = done_metrics(copy)
    with Store(copy, create=False) as store:
        scored = {r.run_id: r.score_s for r in store.runs()}
    summary = run_experiment(config_of(copy.parent), out=copy)
    assert (summary.skipped, summary.done, summary.rescored) == (2, 0, 0)
    with Store(copy, create=False) as store:
        assert {r.run_id: r.score_s for r in store.runs()} == scored
    assert done_metrics(copy) == before


def test_a_changed_reference_is_read_when_nothing_is_left_to_train(copy, tmp_path):
    reference = write_reference(tmp_path / "reference.jsonl", mix=True)
    with_reference = {"reference": str(reference)}
    summary = run_experiment(config_of(copy.parent, scoring=with_reference), out=copy)
    assert (summary.skipped, summary.done, summary.rescored) == (2, 0, 2)
    fresh = run_experiment(config_of(copy.parent, scoring=with_reference),
                           out=tmp_path / "fresh")
    assert fresh.done == 2
    assert_same_scores(done_metrics(copy), done_metrics(tmp_path / "fresh"))
    # The same path with other content is another reference.
    write_reference(reference, mix=False)
    again = run_experiment(config_of(copy.parent, scoring=with_reference), out=copy)
    assert again.rescored == 2
    shutil.rmtree(tmp_path / "fresh")
    run_experiment(config_of(copy.parent, scoring=with_reference), out=tmp_path / "fresh")
    assert_same_scores(done_metrics(copy), done_metrics(tmp_path / "fresh"))


def test_every_run_records_its_scoring_settings(built):
    with Store(built, create=False) as store:
        runs = store.runs()
    assert len(runs) == 2
    for run in runs:
        assert run.scoring["measures"] == ["c_npmi", "c_v"]
        assert (run.scoring["topn"], run.scoring["diversity_topn"]) == (10, 25)
        assert run.scoring["topwords_method"] == "relevance"
        assert run.scoring["reference"] is None
    manifest = topics.load_experiment(built).manifest
    assert manifest["scoring"] == runs[0].scoring


def test_best_never_compares_runs_scored_under_other_settings(copy):
    exp = topics.load_experiment(copy)
    best, other = list(exp.best("c_npmi")["run_id"]), None
    other = next(r for r in exp.results["run_id"] if r not in best)
    db = sqlite3.connect(copy / "results.sqlite")
    with db:  # as if ``other`` had been scored under other settings and not re-scored yet
        db.execute("UPDATE runs SET metrics=json_set(metrics, '$.c_npmi', 99.0), "
                   "scoring=json_set(scoring, '$.topn', 3) WHERE run_id=?", (other,))
    db.close()
    exp = topics.load_experiment(copy)
    assert list(exp.best("c_npmi")["run_id"]) == best
    assert list(exp.best("c_npmi", by="num_topics")["run_id"]) == best
    summary = run_experiment(config_of(copy.parent), out=copy)  # re-scores ``other``
    assert summary.rescored == 1
    assert done_metrics(copy)[other]["c_npmi"] < 1.0


def test_a_store_of_schema_1_is_migrated_and_its_runs_rescored_once(copy):
    before = done_metrics(copy)
    db = sqlite3.connect(copy / "results.sqlite")
    with db:  # the table as schema 1 wrote it: no scoring column
        db.execute("ALTER TABLE runs DROP COLUMN scoring")
        db.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    db.close()
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["scoring"]  # nor did its manifest record them
    (copy / "manifest.json").write_text(json.dumps(manifest))
    exp = topics.load_experiment(copy)
    assert exp.results["scored_with"].isna().all() and exp.scored_with is None
    assert len(exp.best("c_npmi", by="seed")) == 2
    summary = run_experiment(config_of(copy.parent), out=copy)
    assert (summary.skipped, summary.done, summary.rescored) == (2, 0, 2)
    assert_same_scores(done_metrics(copy), before)
    again = run_experiment(config_of(copy.parent), out=copy)
    assert again.rescored == 0
