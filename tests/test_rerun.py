"""A rerun with nothing to do is answered from the store; any change means a real run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from test_workflow import raw_config, write_corpus
from topics.config import validate
from topics.rerun import STAMP, fresh_summary
from topics.workflow import run_experiment


def _config(tmp_path: Path, corpus: Path, **sections):
    raw = raw_config(corpus, grid={"num_topics": 3, "seeds": [0, 1]},
                     output={"ldavis": True, "report": True}, **sections)
    return validate(raw, source=tmp_path / "c.yaml")


def _mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file() and p.name != ".lock" and not p.name.startswith("results.sqlite")}


def test_nothing_to_do_touches_nothing_and_any_change_reruns(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    out = tmp_path / "exp"
    config = _config(tmp_path, corpus)
    first = run_experiment(config, out=out)
    assert (first.done, first.failed) == (2, 0) and (out / STAMP).exists()
    before = _mtimes(out)

    again = run_experiment(config, out=out)
    assert (again.total, again.skipped, again.done, again.failed) == (2, 2, 0, 0)
    assert again.best == first.best and again.report == first.report
    assert len(again.ldavis) == 2
    # no report, figure, page, model, csv or manifest rewritten (the SQLite store is opened)
    assert _mtimes(out) == before

    # damage a full run would repair: a rerun notices it and does the full pass
    run_id = sorted(p.name for p in (out / "models").iterdir())[0]
    (out / "models" / run_id / "top_words.json").unlink()
    assert fresh_summary(out, config) is None
    assert run_experiment(config, out=out).done == 0
    assert (out / "models" / run_id / "top_words.json").exists()
    assert fresh_summary(out, config) is not None

    # another config value: the stamp no longer applies
    other = validate(raw_config(corpus, grid={"num_topics": 3, "seeds": [0, 1, 2]},
                                output={"ldavis": True, "report": True}),
                     source=tmp_path / "c.yaml")
    assert fresh_summary(out, other) is None
    assert run_experiment(other, out=out).done == 1
    assert fresh_summary(out, other) is not None

    # an input file changed: its size or modification time differs
    first_file = sorted(corpus.iterdir())[0]
    first_file.write_text(first_file.read_text() + " goal", encoding="utf-8")
    assert fresh_summary(out, other) is None
    changed = run_experiment(other, out=out)
    assert changed.done == 3  # a new corpus: new run ids, trained

    # a run's model folder removed: the run is missing, so it is trained again
    stamp = fresh_summary(out, other)
    shutil.rmtree(out / "models" / stamp["runs"][0])
    assert fresh_summary(out, other) is None
    assert run_experiment(other, out=out).done == 1
    os.utime(first_file)  # same content, new modification time: a full pass, nothing to train
    assert fresh_summary(out, other) is None
    assert run_experiment(other, out=out).done == 0
