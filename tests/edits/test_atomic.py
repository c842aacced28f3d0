"""Atomic writes: all or nothing, never over someone else's change, never leaving debris."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bvplan.edits import atomic
from bvplan.edits.atomic import ChangedOnDisk, Snapshot, WriteError, read_snapshot, write_atomic

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "theme.yaml"
    path.write_bytes(b"theme: T\nactions: []\n")
    return path


def test_replaces_content_and_keeps_permission_bits(plan_file: Path) -> None:
    plan_file.chmod(0o640)
    write_atomic(read_snapshot(plan_file), b"new\n")
    assert plan_file.read_bytes() == b"new\n"
    assert stat.S_IMODE(plan_file.stat().st_mode) == 0o640
    assert listing(plan_file.parent) == ["theme.yaml"]


def test_creates_a_new_file_with_the_usual_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    write_atomic(read_snapshot(path), b"x: 1\n")
    umask = os.umask(0)
    os.umask(umask)
    assert path.read_bytes() == b"x: 1\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_writes_through_a_symlink(plan_file: Path) -> None:
    link = plan_file.parent / "link.yaml"
    link.symlink_to(plan_file.name)
    write_atomic(read_snapshot(link), b"via link\n")
    assert link.is_symlink()
    assert plan_file.read_bytes() == b"via link\n"


def test_refuses_when_the_file_changed_since_it_was_read(plan_file: Path) -> None:
    snapshot = read_snapshot(plan_file)
    plan_file.write_bytes(b"someone else's edit\n")
    with pytest.raises(ChangedOnDisk, match="changed on disk"):
        write_atomic(snapshot, b"mine\n")
    assert plan_file.read_bytes() == b"someone else's edit\n"
    assert listing(plan_file.parent) == ["theme.yaml"]


def test_refuses_when_a_new_file_appeared_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    snapshot = read_snapshot(path)
    path.write_bytes(b"theirs\n")
    with pytest.raises(ChangedOnDisk, match="was created"):
        write_atomic(snapshot, b"mine\n")
    assert path.read_bytes() == b"theirs\n"


def test_refuses_when_the_file_was_deleted_meanwhile(plan_file: Path) -> None:
    snapshot = read_snapshot(plan_file)
    plan_file.unlink()
    with pytest.raises(ChangedOnDisk, match="deleted"):
        write_atomic(snapshot, b"mine\n")
    assert listing(plan_file.parent) == []


def test_refuses_a_read_only_file(plan_file: Path) -> None:
    plan_file.chmod(0o444)
    with pytest.raises(WriteError, match="read-only"):
        write_atomic(read_snapshot(plan_file), b"mine\n")
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"
    assert listing(plan_file.parent) == ["theme.yaml"]


@pytest.mark.skipif(ROOT, reason="root may write in a read-only folder")
def test_refuses_a_read_only_folder(plan_file: Path) -> None:
    plan_file.parent.chmod(0o555)
    try:
        with pytest.raises(WriteError, match="cannot write in"):
            write_atomic(read_snapshot(plan_file), b"mine\n")
    finally:
        plan_file.parent.chmod(0o755)
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"
    assert listing(plan_file.parent) == ["theme.yaml"]


def test_folder_that_refuses_the_temp_file(plan_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_permission(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("bvplan.edits.atomic.tempfile.mkstemp", no_permission)
    with pytest.raises(WriteError, match="Permission denied"):
        write_atomic(read_snapshot(plan_file), b"mine\n")
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_disk_full_or_failed_rename_leaves_original_and_no_temp(
    plan_file: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    def fails(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(f"bvplan.edits.atomic.os.{step}", fails)
    with pytest.raises(WriteError, match="No space left"):
        write_atomic(read_snapshot(plan_file), b"mine\n" * 1000)
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"
    assert listing(plan_file.parent) == ["theme.yaml"]


def test_interrupt_leaves_no_temp(plan_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("bvplan.edits.atomic.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(read_snapshot(plan_file), b"mine\n")
    assert listing(plan_file.parent) == ["theme.yaml"]


def test_process_killed_before_the_rename_leaves_the_original(plan_file: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from bvplan.edits.atomic import read_snapshot, write_atomic; "
        "p = Path(sys.argv[1]); write_atomic(read_snapshot(p), b'half-done\\n')"
    )
    env = {**os.environ, atomic.CRASH_HOOK: "1"}
    done = subprocess.run([sys.executable, "-c", script, str(plan_file)], env=env, capture_output=True)
    assert done.returncode == -signal.SIGKILL
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"
    leftovers = [name for name in listing(plan_file.parent) if name != "theme.yaml"]
    # The temp file was fully written but never renamed: hidden, and not a .yaml file.
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".theme.yaml.")
    assert leftovers[0].endswith(atomic.TEMP_SUFFIX)
    assert not leftovers[0].endswith((".yaml", ".yml"))


def test_snapshot_of_missing_file() -> None:
    assert read_snapshot(Path("/nonexistent/bvplan/x.yaml")) == Snapshot(Path("/nonexistent/bvplan/x.yaml"), None)
