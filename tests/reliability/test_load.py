"""Load: a grid of 60 runs on the seed articles, two workers, every run recorded exactly once.

Six numbers of topics times ten seeds (tomotopy, few iterations, no pyLDAvis pages, no
report) through ``topics run``; then the same command again, which must find all 60 runs
completed and add none.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path

import pytest

from topics.engines import load_model

from ._cli import run_topics, write_config

NUM_TOPICS = [3, 4, 5, 6, 7, 8]
SEEDS = list(range(10))
RUNS = len(NUM_TOPICS) * len(SEEDS)


def grid_config(path: Path, corpus: Path) -> Path:
    return write_config(path, {
        "name": "load", "corpus": {"path": str(corpus)},
        "preprocess": {"segment": "paragraph", "chunk_min_words": 40, "chunk_max_words": 200,
                       "lemmatize": False, "phrase_min_count": 2, "phrase_threshold": 5.0,
                       "no_below": 1, "no_above": 0.5},
        "grid": {"engine": "tomotopy", "num_topics": NUM_TOPICS, "guided": False,
                 "iterations": 30, "seeds": SEEDS},
        "runner": {"n_jobs": 2}, "output": {"ldavis": False, "report": False}})


def stored(folder: Path) -> list[tuple]:
    """(run_id, status, num_topics, seed, metrics, model_dir) of every row, read-only."""
    db = sqlite3.connect(f"file:{folder / 'results.sqlite'}?mode=ro", uri=True)
    try:
        return db.execute("SELECT run_id, status, json_extract(params, '$.num_topics'), "
                          "json_extract(params, '$.seed'), metrics, model_dir "
                          "FROM runs").fetchall()
    finally:
        db.close()


def summary_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("runs: "))


@pytest.mark.slow
def test_sixty_runs_are_each_recorded_exactly_once(tmp_path, seeds_dir):
    config, out = grid_config(tmp_path / "load.yaml", seeds_dir), tmp_path / "exp"
    first = run_topics("run", config, "--out", out)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Traceback" not in first.stderr
    assert summary_line(first.stdout) == (
        f"runs: {RUNS} in the grid, 0 already completed, {RUNS} done now, 0 failed")

    rows = stored(out)
    assert len(rows) == RUNS and len({r[0] for r in rows}) == RUNS
    assert {r[1] for r in rows} == {"done"}
    assert sorted((r[2], r[3]) for r in rows) == sorted(
        (k, s) for k in NUM_TOPICS for s in SEEDS)
    assert all('"stability"' in r[4] for r in rows)  # every grid point has ten seeds
    models = sorted(p.name for p in (out / "models").iterdir())
    assert models == sorted(r[0] for r in rows)  # no leftover staging folder either
    for run_id, _, k, _, _, model_dir in rows[::7]:
        assert load_model(out / model_dir, native=False).topic_word.shape[0] == k
    with open(out / "results.csv", encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == RUNS and {row["run_id"] for row in table} == {r[0] for r in rows}
    assert {row["status"] for row in table} == {"done"}

    again = run_topics("run", config, "--out", out)
    assert again.returncode == 0, again.stderr[-3000:]
    assert summary_line(again.stdout) == (
        f"runs: {RUNS} in the grid, {RUNS} already completed, 0 done now, 0 failed")
    assert sorted(stored(out)) == sorted(rows)
    assert re.search(rf"grid: {RUNS} runs \({RUNS} already completed, 0 to run\)", again.stderr)
