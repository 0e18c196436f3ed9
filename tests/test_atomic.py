"""topics.atomic: one way to publish files and folders (temporary name, fsync, rename, mode)."""

from __future__ import annotations

import stat

import pytest

from topics.atomic import atomic_file, atomic_folder, publish_folder, staging_folder, write_atomic


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_atomic_replaces_with_one_mode_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    write_atomic(target, "one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert _mode(target) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "a.txt"
    write_atomic(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_file(target, text=True) as handle:
            handle.write("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_folder_replaces_a_folder_whole(tmp_path):
    target = tmp_path / "model"
    with atomic_folder(target) as staged:
        (staged / "x").write_text("1")
        assert not target.exists()
        assert staged.name.startswith(".model.") and staged.name.endswith(".tmp")
    with atomic_folder(target) as staged:
        (staged / "y").write_text("2")
    assert sorted(p.name for p in target.iterdir()) == ["y"]
    assert _mode(target) == 0o755
    with pytest.raises(ValueError):
        with atomic_folder(target) as staged:
            (staged / "z").write_text("3")
            raise ValueError("killed")
    assert sorted(p.name for p in target.iterdir()) == ["y"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_publish_a_file_out_of_a_staging_folder(tmp_path):
    with staging_folder(tmp_path, "dl") as staging:
        (staging / "w.zip").write_bytes(b"zip")
        publish_folder(staging / "w.zip", tmp_path / "w.zip")
    assert (tmp_path / "w.zip").read_bytes() == b"zip"
    assert _mode(tmp_path / "w.zip") == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.zip"]
