"""Shared test fixtures: where ../shared is, and skipping when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_CORPORA = PROJECT.parent / "shared" / "corpora"


def _corpus(name: str) -> Path:
    path = SHARED_CORPORA / name
    if not path.exists():
        pytest.skip(f"needs ../shared/corpora/{name} beside the project (absent here)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    """The five seed articles (skips when ../shared is absent)."""
    return _corpus("seeds")


@pytest.fixture
def bbc_dir() -> Path:
    """The raw BBC corpus, 2,225 articles (skips when ../shared is absent)."""
    return _corpus("bbc")


@pytest.fixture
def octis_bbc_dir() -> Path:
    """OCTIS's preprocessed BBC corpus (skips when ../shared is absent)."""
    return _corpus("octis-bbc")
