"""What ``pip install .`` ships: every package under topics/ is listed, templates included
(setuptools warns about, and may drop, an importable folder that ``packages`` omits)."""

from __future__ import annotations

import configparser
from pathlib import Path

from setuptools import find_packages

PROJECT = Path(__file__).resolve().parents[1]


def test_every_folder_of_python_files_under_topics_is_a_listed_package():
    setup = configparser.ConfigParser()
    setup.read(PROJECT / "setup.cfg")
    include = setup["options.packages.find"]["include"].replace(",", " ").split()
    found = set(find_packages(str(PROJECT), include=include))
    folders = {".".join(p.relative_to(PROJECT).parts) for p in (PROJECT / "topics").rglob("*")
               if p.is_dir() and "__pycache__" not in p.parts
               and (any(p.glob("*.py")) or any(p.glob("*.html")))}
    assert "topics.templates" in found
    assert folders <= found, f"folders not packaged: {sorted(folders - found)}"
    assert "*.html" in setup["options.package_data"]["topics.templates"]
