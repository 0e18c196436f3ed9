"""Fixtures shared by the reliability tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """Three short .txt documents about markets and rates."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = ["Markets rallied as inflation eased and the central bank paused rates.",
             "The central bank raised rates again and markets fell on inflation fears.",
             "Inflation eased, rates held, and markets rallied on the central bank news."]
    for i, text in enumerate(texts):
        (folder / f"doc{i}.txt").write_text(text, encoding="utf-8")
    return folder
