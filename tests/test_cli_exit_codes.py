"""The exit codes ``topics --help`` and the README list: 0, 1, 2 (bad input, config, OS
errors; one line) and 130 (interrupted, completed runs kept)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from topics.cli import EPILOG, main

PROJECT = Path(__file__).resolve().parents[1]


def test_help_lists_every_exit_code():
    for code in ("0 success", "2 bad input", "OS error", "1 failed runs", "130 interrupted"):
        assert code in " ".join(EPILOG.split())


def test_an_os_error_is_one_line_and_exit_2(tmp_path, capsys):
    corpus = tmp_path / "c.csv"
    corpus.write_text("text\n" + "some words here\n" * 3, encoding="utf-8")
    too_long = tmp_path / ("x" * 300 + ".yaml")  # ENAMETOOLONG from the file system
    code = main(["init", str(corpus), "--config", str(too_long)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("topics: error: ") and err.endswith(": File name too long\n")


def test_a_config_path_under_a_file_names_it(tmp_path, capsys):
    corpus = tmp_path / "c.csv"
    corpus.write_text("text\n" + "some words here\n" * 3, encoding="utf-8")
    (tmp_path / "a_file").write_text("", encoding="utf-8")
    code = main(["init", str(corpus), "--config", str(tmp_path / "a_file" / "c.yaml")])
    assert code == 2
    assert capsys.readouterr().err == f"topics: error: {tmp_path / 'a_file'}: not a folder\n"


@pytest.mark.slow
def test_ctrl_c_during_a_grid_exits_130(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(6):
        (folder / f"d{i}.txt").write_text("goal match team league " * 20 + "bank market " * i,
                                          encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({
        "corpus": {"path": str(folder)},
        "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
        "grid": {"engine": "gensim", "num_topics": 2, "passes": 10**6, "seeds": [0]},
        "runner": {"n_jobs": 1}, "output": {"ldavis": False, "report": False}}))
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    process = subprocess.Popen([sys.executable, "-m", "topics.cli", "run", str(config),
                                "--out", str(tmp_path / "out")], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # its own group: Ctrl-C hits all
    try:
        deadline = time.monotonic() + 300
        while not (tmp_path / "out" / "results.sqlite").exists() and time.monotonic() < deadline:
            if process.poll() is not None:
                break
            time.sleep(0.2)
        assert process.poll() is None, process.communicate()
        time.sleep(3)  # the store is open: the grid is starting, its one run training
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == "topics: interrupted; completed runs are kept"
