"""The README stays true: its notebook example runs as written, and the corpus keys it
shows are the schema's, with the schema's defaults."""

from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from topics.config import CORPUS_FIELDS, load_config

PROJECT = Path(__file__).resolve().parents[1]
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def _block(heading: str, language: str) -> str:
    section = README.split(f"\n{heading}\n", 1)[1]
    match = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert match, f"no {language} block under {heading}"
    return match.group(1)


def test_the_readme_shows_the_corpus_keys_with_their_defaults():
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", README, re.S)
                 if b.startswith("corpus:"))
    shown = yaml.safe_load(block)["corpus"]
    assert {"path", "format", "text_column", "id_column", "title_column", "date_column",
            "metadata", "metadata_key"} <= set(shown)
    for key, value in shown.items():
        if key != "path":
            assert value == CORPUS_FIELDS[key].default, key
    assert "[docs/config.md](docs/config.md)" in README


@pytest.mark.slow
def test_the_readme_notebook_example_runs_as_written(tmp_path, monkeypatch):
    code = _block("## Notebook API", "python")
    config = re.search(r'topics\.run\("([^"]+)"', code).group(1)
    project = tmp_path / "project"  # a copy of the configs: the runs go to tmp_path
    shutil.copytree(PROJECT / "configs", project / "configs")
    if (PROJECT.parent / "shared").exists():
        os.symlink(PROJECT.parent / "shared", tmp_path / "shared")
    corpus = load_config(project / config).corpus
    if corpus.get("path") and not Path(corpus["path"]).exists():
        pytest.skip(f"the README example's corpus {corpus['path']} is absent here")
    monkeypatch.chdir(project)
    namespace: dict = {}
    exec(compile(code, "README.md (Notebook API)", "exec"), namespace)
    exp = namespace["exp"]
    assert len(exp.results) >= 2 and set(exp.results["status"]) == {"done"}
    assert not math.isnan(float(exp.results["c_v"].max()))
    topics_frame = exp.topics(namespace["run_id"], topn=10)
    assert len(topics_frame) == 10 * exp.model(namespace["run_id"]).num_topics
    assert "<iframe srcdoc=" in exp.ldavis(namespace["run_id"])._repr_html_()
