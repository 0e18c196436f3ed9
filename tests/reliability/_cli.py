"""Running the ``topics`` command in a subprocess, and what a user-fixable error looks like."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parents[2]
CLI_TIMEOUT_S = 600


def run_topics(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m topics.cli ARGS`` with this interpreter; output captured as text."""
    return subprocess.run([sys.executable, "-m", "topics.cli", *map(str, args)],
                          cwd=cwd or PROJECT, capture_output=True, text=True,
                          timeout=CLI_TIMEOUT_S)


def write_config(path: Path, config: dict[str, Any]) -> Path:
    """Write ``config`` as YAML at ``path``."""
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    """The ``topics: error:`` lines of a run's stderr."""
    return [line for line in result.stderr.splitlines() if line.startswith("topics: error:")]


def assert_user_error(result: subprocess.CompletedProcess, *fragments: str,
                      only_line: bool = True) -> str:
    """Exit 2, no traceback, one ``topics: error:`` line holding every fragment (and, with
    ``only_line``, nothing else on stderr).  Returns that line."""
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 2, (result.returncode, result.stderr[-3000:])
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr[-3000:]
    if only_line:
        assert result.stderr.strip().splitlines() == lines, result.stderr[-3000:]
    else:
        assert result.stderr.strip().splitlines()[-1] == lines[0], result.stderr[-3000:]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0][:3000])
    return lines[0]
