"""The README's quality table is bench/results/quality.csv, rendered by quality_table.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def table_module():
    spec = importlib.util.spec_from_file_location("bench_quality_table",
                                                  ROOT / "bench" / "quality_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_table_is_the_csv(table_module):
    table = pd.read_csv(ROOT / "bench" / "results" / "quality.csv")
    assert table_module.current(ROOT / "README.md") == table_module.block(table), (
        "README's quality table differs from bench/results/quality.csv: run "
        "bench/quality.py --skip-octis --skip-bbc --from-runs bench/results/quality_runs.csv "
        "--readme README.md")


def _row(setup, npmi, td10, **more):
    return {"setup": setup, "engine": "nmf", "params": float("nan"), "paper_npmi": npmi,
            "paper_td10": td10, "npmi": npmi, "diversity": td10, "octis_runs": 15,
            "octis_ks": "10,20,30,40,50", "octis_seeds": "0,1,2", "octis_train_s": 2.0,
            "K_model": 30.0,
            **more}


def test_render_states_floor_and_goal(table_module):
    table = pd.DataFrame([_row("x", 0.18, 0.86, nmi_bbc_k5=0.79, purity_bbc_k5=0.92,
                               bbc_runs=3), _row("y", 0.15, 0.81)])
    text = table_module.render(table)
    assert ("| `x` | `nmf` | defaults | 15 (K 10,20,30,40,50; seeds 0,1,2) | 30.0 | 0.180 "
            "| 0.860 |") in text
    assert "0.790 / 0.920 (3)" in text
    assert "Floor (paper NPMI >= 0.14, diversity@10 >= 0.80): met by `x`, `y`." in text
    assert "Goal (paper NPMI >= 0.171, diversity@10 >= 0.82): met by `x`." in text
    low = table_module.render(pd.DataFrame([_row("z", 0.10, 0.90)]))
    assert "Floor (paper NPMI >= 0.14, diversity@10 >= 0.80): NOT met." in low
    assert "Goal (paper NPMI >= 0.171, diversity@10 >= 0.82): NOT met by any engine." in low


def test_rewrite_replaces_only_the_block(table_module, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{table_module.START}\nold\n{table_module.END}\noutro\n",
                      encoding="utf-8")
    table = pd.DataFrame([_row("x", 0.18, 0.86)])
    table_module.rewrite(readme, table)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("intro\n") and text.endswith("\noutro\n") and "\nold\n" not in text
    assert table_module.current(readme) == table_module.block(table)
