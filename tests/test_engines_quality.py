"""The clustering and diversity scores of bench/quality.py on tiny known cases."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "quality.py"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("bench_quality", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    sys.path.insert(0, str(BENCH.parent))  # the script imports its sibling quality_table
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCH.parent))
        sys.modules.pop("quality_table", None)
        del sys.modules[spec.name]


def test_nmi_is_one_for_the_same_partition_under_other_names(quality):
    assert quality.nmi(["x", "x", "y", "y", "z"], [2, 2, 0, 0, 1]) == pytest.approx(1.0)
    assert quality.purity(["x", "x", "y", "y", "z"], [2, 2, 0, 0, 1]) == 1.0


def test_nmi_is_zero_for_independent_partitions(quality):
    assert quality.nmi([0, 0, 1, 1], [0, 1, 0, 1]) == 0.0
    assert quality.purity([0, 0, 1, 1], [0, 1, 0, 1]) == 0.5


def test_nmi_and_purity_of_a_worked_example(quality):
    # table [[2, 0], [1, 1]]: MI = .5 ln(4/3) + .25 ln(2/3) + .25 ln 2,
    # H(true) = ln 2, H(pred) = -(.75 ln .75 + .25 ln .25), NMI = MI / mean of the two
    mi = 0.5 * math.log(4 / 3) + 0.25 * math.log(2 / 3) + 0.25 * math.log(2)
    h_pred = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    expected = mi / ((math.log(2) + h_pred) / 2)
    assert quality.nmi([0, 0, 1, 1], [0, 0, 0, 1]) == pytest.approx(expected)
    assert expected == pytest.approx(0.3437, abs=1e-4)
    assert quality.purity([0, 0, 1, 1], [0, 0, 0, 1]) == 0.75


def test_nmi_limit_cases_follow_scikit_learn(quality):
    assert quality.nmi([1, 1, 1], [0, 0, 0]) == 1.0  # both a single class
    assert quality.nmi([0, 1, 2], [0, 0, 0]) == 0.0  # one cluster: no information


def test_topic_diversity(quality):
    assert quality.topic_diversity([["a", "b"], ["c", "d"]], topn=2) == 1.0
    assert quality.topic_diversity([["a", "b", "x"], ["a", "b", "y"]], topn=2) == 0.5


def _run(setup, k, seed, npmi, td10, engine="nmf"):
    return {"task": "octis-bbc", "setup": setup, "engine": engine, "params": "", "K": k,
            "seed": seed, "K_model": k, "paper_npmi": npmi, "paper_td10": td10,
            "npmi": npmi, "diversity": td10, "train_s": 1.0}


def test_best_skips_subsets_and_undiverse_setups(quality):
    import pandas as pd

    runs = pd.DataFrame([
        _run("a", 10, 0, 0.15, 0.90), _run("a", 20, 0, 0.17, 0.84),   # mean .16 / .87
        _run("b", 10, 0, 0.30, 0.50), _run("b", 20, 0, 0.30, 0.50),   # not diverse
        _run("c", 10, 0, 0.40, 0.99, engine="ctm"),                    # a subset (1 model)
    ])
    table = quality.summarise(runs)
    assert list(table.setup) == ["c", "b", "a"]  # by paper NPMI
    assert table.set_index("setup").loc["a", "octis_ks"] == "10,20"
    best = quality.best(table)
    assert (best["setup"], best["paper_npmi"], best["paper_td10"]) == ("a", 0.16, 0.87)
    assert best["nmi_bbc_k5"] is None
