"""Write a figure as PNG and SVG, each atomically (temporary file, then ``os.replace``)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from topics.errors import ConfigError
from topics.atomic import atomic_file

log = logging.getLogger(__name__)

FORMATS = ("png", "svg", "pdf")


def save_figure(
    fig: Figure,
    path_without_suffix: str | os.PathLike,
    *,
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Write ``fig`` to ``<path_without_suffix>.<format>`` for each format; returns the paths.

    The suffix is appended to the whole name (``figs/coherence_k1.5`` gives
    ``figs/coherence_k1.5.png``), parent folders are created, and each file is first written
    to a temporary name in the same folder, then moved into place, so a reader never sees a
    half-written image. SVG and PDF are written without a creation date.
    """
    if not isinstance(fig, Figure):
        raise ConfigError("fig", f"expected a matplotlib Figure, got {type(fig).__name__}")
    if isinstance(formats, str) or not formats or any(f not in FORMATS for f in formats):
        raise ConfigError("formats", f"expected a non-empty list among {FORMATS}, got {formats!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 30 <= dpi <= 1200:
        raise ConfigError("dpi", f"must be an integer between 30 and 1200, got {dpi!r}")
    base = Path(path_without_suffix)
    if not base.name:
        raise ConfigError("path_without_suffix", f"{str(path_without_suffix)!r} has no file name")
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        target = base.with_name(f"{base.name}.{fmt}")
        _atomic_savefig(fig, target, fmt, dpi)
        written.append(target)
    log.debug("saved figure to %s", ", ".join(map(str, written)))
    return written


def _atomic_savefig(fig: Figure, target: Path, fmt: str, dpi: int) -> None:
    metadata = {"Date": None} if fmt in ("svg", "pdf") else None
    with atomic_file(target) as handle:
        fig.savefig(handle, format=fmt, dpi=dpi, metadata=metadata)
