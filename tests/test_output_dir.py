"""Where an experiment goes, as ``output.dir``'s doc says: ``--out``, else ``output.dir``
(relative to the config file), else ``runs/<name>`` in the current folder."""

from __future__ import annotations

from topics.config import OUTPUT_FIELDS, load_config
from topics.workflow import experiment_folder


def test_the_experiment_folder_is_where_the_doc_says(tmp_path, monkeypatch):
    assert "runs/<name> in the current folder" in OUTPUT_FIELDS["dir"].doc
    (tmp_path / "configs").mkdir()
    (tmp_path / "elsewhere").mkdir()
    plain = tmp_path / "configs" / "plain.yaml"
    plain.write_text("corpus: {path: corpus}\n", encoding="utf-8")
    placed = tmp_path / "configs" / "placed.yaml"
    placed.write_text("corpus: {path: corpus}\noutput: {dir: ../results/x}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert experiment_folder(load_config(plain)) == tmp_path / "elsewhere" / "runs" / "plain"
    assert experiment_folder(load_config(placed)) == tmp_path / "results" / "x"
    assert experiment_folder(load_config(placed), out="o") == tmp_path / "elsewhere" / "o"
