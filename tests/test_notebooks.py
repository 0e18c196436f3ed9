"""The notebooks in experiments/ run top to bottom in a real Jupyter kernel (this venv's
Python), on small grids; a cell that raises fails the test.  They are committed without
outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"
NOTEBOOKS = sorted(EXPERIMENTS.glob("*.ipynb"))
KERNEL = "topics-test-venv"
PER_CELL_TIMEOUT = 900


def _kernelspec(root: Path, env: dict[str, str]) -> Path:
    """A kernelspec running ipykernel on this interpreter (the venv), with ``env`` set."""
    folder = root / "kernels" / KERNEL
    folder.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "topics (test venv)", "language": "python", "env": env}
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return root


def _execute(name: str, tmp_path: Path, monkeypatch, env: dict[str, str]):
    monkeypatch.setenv("JUPYTER_PATH", str(_kernelspec(tmp_path / "jupyter", env)))
    nb = nbformat.read(EXPERIMENTS / name, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=PER_CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(EXPERIMENTS)}})
    client.execute()  # raises CellExecutionError naming the cell that failed
    return nb


def _outputs(nb, mime: str) -> int:
    return sum(mime in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
               for out in cell.outputs)


def _errors(nb) -> list[str]:
    return [out.get("ename", "") for cell in nb.cells if cell.cell_type == "code"
            for out in cell.outputs if out.output_type == "error"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_both_notebooks_are_there():
    assert {p.name for p in NOTEBOOKS} >= {"seeds_themes.ipynb", "compare_models.ipynb"}


@pytest.mark.slow
def test_seeds_themes_notebook_runs(seeds_dir, tmp_path, monkeypatch):
    out = tmp_path / "seeds-run"
    nb = _execute("seeds_themes.ipynb", tmp_path, monkeypatch,
                  {"TOPICS_NOTEBOOK_QUICK": "1", "TOPICS_NOTEBOOK_OUT": str(out)})
    assert not _errors(nb)
    assert _outputs(nb, "image/png") >= 5  # coherence, top words, heatmap, time, source
    assert (out / "report.html").is_file() and (out / "results.sqlite").is_file()
    text = json.dumps(nb.cells[-1].outputs)  # the stability table names every theme
    for theme in ("regime_change", "multipolarity", "security_blocs"):
        assert theme in text


def _bbc_subset(bbc_dir: Path, folder: Path, per_class: int) -> Path:
    """The first ``per_class`` articles of each class, linked (not copied) into ``folder``."""
    for label in sorted(p for p in bbc_dir.iterdir() if p.is_dir()):
        (folder / label.name).mkdir(parents=True)
        for article in sorted(label.glob("*.txt"))[:per_class]:
            (folder / label.name / article.name).symlink_to(article)
    return folder


@pytest.mark.slow
def test_compare_models_notebook_runs(bbc_dir, tmp_path, monkeypatch):
    out = tmp_path / "bbc-run"
    subset = _bbc_subset(bbc_dir, tmp_path / "bbc", per_class=40)
    nb = _execute("compare_models.ipynb", tmp_path, monkeypatch,
                  {"TOPICS_NOTEBOOK_QUICK": "1", "TOPICS_NOTEBOOK_OUT": str(out),
                   "TOPICS_BBC_PATH": str(subset)})
    assert not _errors(nb)
    assert _outputs(nb, "image/png") >= 5  # two coherence, top words, similarity, by class
    assert len(list((out / "ldavis").glob("*.html"))) == 8  # 2 engines x 2 K x 2 seeds
    text = json.dumps([cell.outputs for cell in nb.cells if cell.cell_type == "code"])
    assert "purity of the dominant topics" in text and "<iframe srcdoc=" in text
