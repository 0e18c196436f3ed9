"""Reliability round two, configs and grids (issue 16, items 5 and 9).

No NaN or infinity passes any number check, and no huge value that fails every run later
(``guided_boost: 1e308``, an integer C cannot hold); a bad seed is reported as
``grid.seeds[i]``; ``seeds: 0`` is a one-value axis like ``num_topics: 5``; a held-out
split holding every document, and more topics than *training* documents, are one line
naming the key.  A grid axis mixing a named prior and a number (``alpha: [auto, 0.1]``)
expands in a stable order with stable run ids, and runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from topics.config import validate
from topics.errors import ConfigError
from topics.grid import expand_grid

from ._cli import assert_user_error, run_topics, write_config

BASE = {"corpus": {"path": "corpus"}}
NAN, INF = float("nan"), float("inf")


def _with(path: str, value: Any) -> dict:
    section, key = path.split(".")
    return {**BASE, section: {key: value}}


def _error(path: str, value: Any) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        validate(_with(path, value))
    return err.value


# ---------------------------------------------------------------- item 9: non-finite numbers
NON_FINITE = [
    ("topwords.lambda", NAN, "topwords.lambda"),
    ("topwords.lambda", INF, "topwords.lambda"),
    ("grid.guided_boost", INF, "grid.guided_boost[0]"),
    ("grid.guided_boost", NAN, "grid.guided_boost[0]"),
    ("grid.guided_boost", 1e308, "grid.guided_boost[0]"),
    ("grid.guided_boost", [10.0, 1e308], "grid.guided_boost[1]"),
    ("grid.guided_boost", -INF, "grid.guided_boost[0]"),
    ("grid.alpha", INF, "grid.alpha[0]"),
    ("grid.alpha", NAN, "grid.alpha[0]"),
    ("grid.eta", [0.01, INF], "grid.eta[1]"),
    ("preprocess.no_above", NAN, "preprocess.no_above"),
    ("preprocess.phrase_threshold", INF, "preprocess.phrase_threshold"),
    ("preprocess.phrase_threshold", NAN, "preprocess.phrase_threshold"),
]


@pytest.mark.parametrize("path,value,key", NON_FINITE, ids=[f"{p}={v!r}" for p, v, _ in NON_FINITE])
def test_non_finite_and_huge_numbers_are_rejected_naming_the_key(path, value, key):
    err = _error(path, value)
    assert err.key == key, str(err)
    assert str(err).startswith(f"{key}: ")


@pytest.mark.parametrize("path,key", [
    ("grid.iterations", "grid.iterations[0]"), ("grid.passes", "grid.passes[0]"),
    ("grid.chunksize", "grid.chunksize[0]"), ("grid.workers", "grid.workers[0]"),
    ("grid.burn_in", "grid.burn_in[0]"), ("grid.optim_interval", "grid.optim_interval[0]"),
    ("runner.n_jobs", "runner.n_jobs"), ("scoring.topn", "scoring.topn"),
    ("preprocess.min_length", "preprocess.min_length"),
])
def test_integers_no_c_int_can_hold_are_rejected(path, key):
    err = _error(path, 10 ** 30)
    assert err.key == key and "1000000000000000000000000000000" in str(err)


def test_every_number_check_refuses_nan_and_inf():
    from topics.checks import choice_or_number, number

    for check in (number(), number(0), number(0, 1), number(1, strict_min=True),
                  choice_or_number("auto")):
        for value in (NAN, INF, -INF):
            with pytest.raises(ValueError):
                check(value)


def test_a_good_guided_boost_still_passes():
    config = validate(_with("grid.guided_boost", [2, 1000.0]) | {"themes": {"a": ["b"]}})
    assert config.grid["guided_boost"] == [2.0, 1000.0]


@pytest.mark.parametrize("override,key", [
    ("topwords.lambda=.nan", "topwords.lambda"),
    ("grid.guided_boost=.inf", "grid.guided_boost[0]"),
    ("grid.guided_boost=.nan", "grid.guided_boost[0]"),
    ("grid.guided_boost=1e308", "grid.guided_boost[0]"),
    ("grid.alpha=[auto, .inf]", "grid.alpha[1]"),
])
def test_cli_run_rejects_non_finite_values_before_preprocessing(override, key, tmp_path,
                                                                tiny_corpus):
    config = write_config(tmp_path / "c.yaml", _light_run(tiny_corpus))
    result = run_topics("run", config, "--out", tmp_path / "out", "--set", override)
    assert_user_error(result, key)
    assert not (tmp_path / "out" / "cache").exists()


# ---------------------------------------------------------------- item 9: seeds
@pytest.mark.parametrize("value,expected", [(0, [0]), (7, [7]), ([0, 1], [0, 1])])
def test_seeds_scalar_is_a_one_value_axis_like_num_topics(value, expected):
    config = validate({**BASE, "grid": {"seeds": value, "num_topics": 5}})
    assert config.grid["seeds"] == expected and config.grid["num_topics"] == [5]


@pytest.mark.parametrize("value,key", [
    ([0, 2 ** 32], "grid.seeds[1]"), (2 ** 32, "grid.seeds[0]"), ([1, -1], "grid.seeds[1]"),
    ([0, 1.5], "grid.seeds[1]"), ("zero", "grid.seeds[0]"), ([0, True], "grid.seeds[1]"),
    ([], "grid.seeds"), (10 ** 30, "grid.seeds[0]"),
])
def test_bad_seeds_name_their_index(value, key):
    err = _error("grid.seeds", value)
    assert err.key == key, str(err)


def test_seed_error_found_late_still_names_grid_seeds(tmp_path, tiny_corpus):
    from topics.workflow import _check_grid

    class Corpus:
        doc_ids = ["a", "b", "c"]
        meta = [{}, {}, {}]

    from topics.engines import ENGINE_PARAMS

    config = validate({"corpus": {"path": str(tiny_corpus)},
                       "grid": {"num_topics": 2, "seeds": [0, 5]}})
    config.grid["seeds"] = [0, 2 ** 40]  # as if the schema had let it through
    specs = expand_grid(config.grid, corpus_key="k", engine_params=ENGINE_PARAMS)
    with pytest.raises(ConfigError) as err:
        _check_grid(specs, Corpus(), config)
    assert err.value.key == "grid.seeds[1]", str(err.value)


@pytest.mark.parametrize("override,key", [("grid.seeds=[0, 4294967296]", "grid.seeds[1]"),
                                          ("grid.seeds=-3", "grid.seeds[0]")])
def test_cli_bad_seed_names_grid_seeds_index(override, key, tmp_path, tiny_corpus):
    config = write_config(tmp_path / "c.yaml", _light_run(tiny_corpus))
    result = run_topics("run", config, "--out", tmp_path / "out", "--set", override)
    line = assert_user_error(result, key)
    assert "grid.seed:" not in line


# ---------------------------------------------------------------- item 9: held-out documents
def _split_corpus(path: Path, splits: list[str]) -> Path:
    words = ["markets rallied as inflation eased and rates paused",
             "the central bank raised rates and markets fell",
             "inflation eased rates held markets rallied again",
             "bank rates inflation markets news today"]
    lines = ["id,text,split"] + [f"d{i},{words[i % 4]},{s}" for i, s in enumerate(splits)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_held_out_split_holding_every_document_is_one_line(tmp_path):
    corpus = _split_corpus(tmp_path / "docs.csv", ["test"] * 4)
    config = write_config(tmp_path / "c.yaml", _light_run(
        corpus, scoring={"held_out_split": "test", "measures": ["c_npmi"]}))
    result = run_topics("run", config, "--out", tmp_path / "out")
    line = assert_user_error(result, "scoring.held_out_split", only_line=False)
    assert "every document" in line or "all 4 documents" in line, line


@pytest.mark.slow
def test_more_topics_than_training_documents_counts_training_only(tmp_path):
    corpus = _split_corpus(tmp_path / "docs.csv", ["train", "train", "test", "test"])
    config = write_config(tmp_path / "c.yaml", _light_run(
        corpus, grid={"num_topics": 3}, scoring={"held_out_split": "test",
                                                 "measures": ["c_npmi"]}))
    result = run_topics("run", config, "--out", tmp_path / "out")
    line = assert_user_error(result, "grid.num_topics", only_line=False)
    assert "2 training documents" in line, line


# ---------------------------------------------------------------- item 5: mixed axes
ENGINE_PARAMS = {"gensim": {"alpha": "auto", "eta": "symmetric", "passes": 10},
                 "tomotopy": {"alpha": "auto", "eta": 0.01, "optim_interval": None}}


def _grid(**axes: list) -> dict:
    grid = {"engine": ["gensim"], "num_topics": [2], "seeds": [0]}
    grid.update(axes)
    return grid


@pytest.mark.parametrize("axes", [
    {"alpha": ["auto", 0.1]}, {"alpha": [0.1, "auto"]}, {"eta": ["symmetric", 0.01]},
    {"alpha": [None, 0.1]}, {"alpha": [0.5, None, "asymmetric", 0.1, "symmetric"]},
    {"alpha": ["auto", 0.1], "eta": [0.01, "symmetric"], "engine": ["tomotopy", "gensim"]},
    {"alpha": ["auto", 1], "num_topics": [3, 2], "seeds": [1, 0]},
    {"engine": ["tomotopy"], "optim_interval": [None, 5], "alpha": [0.1, "symmetric"]},
])
def test_mixed_named_and_numeric_axes_expand_in_a_stable_order(axes):
    specs = expand_grid(_grid(**axes), corpus_key="k", engine_params=ENGINE_PARAMS)
    reordered = {k: list(reversed(v)) for k, v in _grid(**axes).items()}
    again = expand_grid(reordered, corpus_key="k", engine_params=ENGINE_PARAMS)
    assert [s.run_id for s in specs] == [s.run_id for s in again]
    assert len({s.run_id for s in specs}) == len(specs)


def test_mixed_axis_run_ids_do_not_depend_on_the_other_values():
    one = expand_grid(_grid(alpha=[0.1]), corpus_key="k", engine_params=ENGINE_PARAMS)
    mixed = expand_grid(_grid(alpha=["auto", 0.1]), corpus_key="k",
                        engine_params=ENGINE_PARAMS)
    assert one[0].run_id in {s.run_id for s in mixed}


def test_named_priors_sort_apart_from_numbers():
    specs = expand_grid(_grid(alpha=[0.1, "auto", None, 0.01]), corpus_key="k",
                        engine_params=ENGINE_PARAMS)
    # None is the engine default (auto) and merges with it: three runs, numbers first
    assert [s.params["alpha"] for s in specs] == [0.01, 0.1, "auto"]


@pytest.mark.slow
def test_cli_run_with_mixed_axes_runs_every_point_and_resumes(tmp_path, tiny_corpus):
    config = write_config(tmp_path / "c.yaml", _light_run(
        tiny_corpus, grid={"alpha": ["auto", 0.1], "eta": ["symmetric", 0.01]},
        output={"report": True}))
    result = run_topics("run", config, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "4 in the grid" in result.stdout and "4 done now" in result.stdout, result.stdout
    assert (tmp_path / "out" / "report.html").is_file()
    again = run_topics("run", config, "--out", tmp_path / "out")
    assert again.returncode == 0 and "4 already completed" in again.stdout, again.stdout
    rows = (tmp_path / "out" / "results.csv").read_text(encoding="utf-8")
    assert "auto" in rows and "0.1" in rows and "symmetric" in rows
    from topics import load_experiment

    exp = load_experiment(tmp_path / "out")
    assert list(exp.best("c_npmi", by="alpha")["alpha"]) == [0.1, "auto"]
    assert len(exp.best("c_npmi", by=["alpha", "eta"])) == 4


# ---------------------------------------------------------------- helpers
def _light_run(corpus: Path, **sections: dict) -> dict:
    config = {"corpus": {"path": str(corpus)},
              "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1,
                             "no_above": 1.0},
              "grid": {"engine": "gensim", "num_topics": 2, "passes": 1, "iterations": 5},
              "scoring": {"measures": ["c_npmi"]},
              "output": {"ldavis": False, "report": False},
              "runner": {"n_jobs": 1}}
    for name, values in sections.items():
        config[name] = {**config.get(name, {}), **values}
    return config

