"""Atomic writes: the one way the toolkit publishes a file or a folder.

Everything is first written under a hidden temporary name in the target's own folder
(``.NAME.<random>.tmp``), flushed to disk (``fsync``), given one mode (files ``0644``,
folders ``0755``) and only then renamed over the target (``os.replace``).  A reader never
sees a half-written file, and a writer killed at any point leaves at most a hidden
``.tmp``/``.old`` entry that :func:`topics.store.remove_staging` clears on the next run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

FILE_MODE = 0o644
DIR_MODE = 0o755


@contextlib.contextmanager
def atomic_file(target: str | os.PathLike, *, text: bool = False) -> Iterator[IO]:
    """Open a temporary file beside ``target`` for writing; on success it is fsynced, made
    ``0644`` and renamed to ``target``; on error it is removed and ``target`` is untouched."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w" if text else "wb",
                       **({"encoding": "utf-8"} if text else {})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically; return the path."""
    path = Path(path)
    with atomic_file(path, text=isinstance(data, str)) as handle:
        handle.write(data)
    return path


@contextlib.contextmanager
def staging_folder(parent: str | os.PathLike, name: str) -> Iterator[Path]:
    """A new hidden folder ``parent/.NAME.<random>.tmp`` (mode ``0755``), removed on exit
    with whatever was not moved out of it (see :func:`publish_folder`)."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent))
    try:
        path.chmod(DIR_MODE)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def publish_folder(staged: str | os.PathLike, target: str | os.PathLike) -> Path:
    """Fsync the finished folder (or file) ``staged`` and rename it to ``target`` (same file
    system); an older ``target`` is first moved aside, then removed."""
    staged, target = Path(staged), Path(target)
    _fsync_tree(staged)
    staged.chmod(DIR_MODE if staged.is_dir() else FILE_MODE)
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, old / "previous")
        os.replace(staged, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staged, target)
    _fsync_dir(target.parent)
    return target


@contextlib.contextmanager
def atomic_folder(target: str | os.PathLike) -> Iterator[Path]:
    """A staging folder to fill; on success it replaces ``target`` (:func:`publish_folder`),
    on error it is removed and ``target`` is untouched."""
    target = Path(target)
    with staging_folder(target.parent, target.name) as staged:
        yield staged
        publish_folder(staged, target)


def _fsync_tree(folder: Path) -> None:
    if not folder.is_dir():
        _fsync_path(str(folder))
        return
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                _fsync_path(path)


def _fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be fsynced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
