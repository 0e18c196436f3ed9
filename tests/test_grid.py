"""Grid expansion: cartesian product, seeds, stable ids, engine-specific parameters."""

from __future__ import annotations

from topics.grid import expand_grid, seed_groups

PARAMS = {"gensim": {"passes": 10, "alpha": "auto"}, "tomotopy": {"iterations": 100, "alpha": "auto"}}


def _grid(**axes):
    grid = {"engine": ["gensim"], "num_topics": [5], "guided": [False], "guided_boost": [100.0],
            "alpha": [None], "passes": [None], "iterations": [None], "seeds": [0]}
    grid.update(axes)
    return grid


def test_product_of_axes_times_seeds_with_engine_defaults():
    specs = expand_grid(_grid(num_topics=[10, 5], seeds=[0, 1, 2]), corpus_key="c",
                        engine_params=PARAMS)
    assert len(specs) == 6
    assert [(s.num_topics, s.seed) for s in specs] == [(5, 0), (5, 1), (5, 2), (10, 0), (10, 1), (10, 2)]
    assert dict(specs[0].params) == {"passes": 10, "alpha": "auto"}
    assert len({s.run_id for s in specs}) == 6


def test_ids_are_stable_and_depend_on_parameters_and_corpus():
    a = expand_grid(_grid(num_topics=[5, 6]), corpus_key="c", engine_params=PARAMS)
    b = expand_grid(_grid(num_topics=[6, 5]), corpus_key="c", engine_params=PARAMS)
    assert [s.run_id for s in a] == [s.run_id for s in b]
    other = expand_grid(_grid(num_topics=[5, 6]), corpus_key="d", engine_params=PARAMS)
    assert not {s.run_id for s in a} & {s.run_id for s in other}
    explicit = expand_grid(_grid(passes=[10]), corpus_key="c", engine_params=PARAMS)
    default = expand_grid(_grid(), corpus_key="c", engine_params=PARAMS)
    assert explicit[0].run_id == default[0].run_id  # the default, written out, is the same run


def test_parameters_an_engine_does_not_use_do_not_multiply_its_runs():
    specs = expand_grid(_grid(engine=["gensim", "tomotopy"], passes=[5, 10]), corpus_key="c",
                        engine_params=PARAMS)
    assert sorted((s.engine, s.params.get("passes")) for s in specs) == [
        ("gensim", 5), ("gensim", 10), ("tomotopy", None)]


def test_seed_groups_collect_runs_that_differ_only_by_seed():
    specs = expand_grid(_grid(num_topics=[5, 6], seeds=[0, 1]), corpus_key="c", engine_params=PARAMS)
    groups = seed_groups(specs)
    assert len(groups) == 2
    assert all(sorted(s.seed for s in g) == [0, 1] for g in groups.values())


def test_themes_enter_guided_ids_and_a_held_out_split_enters_every_id():
    grid = _grid(guided=[False, True], seeds=[0])
    base = {s.guided: s.run_id for s in expand_grid(grid, corpus_key="c", engine_params=PARAMS,
                                                   themes={"a": ["x"]})}
    other = {s.guided: s.run_id for s in expand_grid(grid, corpus_key="c", engine_params=PARAMS,
                                                    themes={"a": ["y"]})}
    assert base[False] == other[False] and base[True] != other[True]
    held = expand_grid(grid, corpus_key="c", engine_params=PARAMS, themes={"a": ["x"]},
                       held_out_split="test")
    assert not {s.run_id for s in held} & set(base.values())
