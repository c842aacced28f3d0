"""Plan files written through the output guard: all or nothing, never over someone else's change, no debris."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from bvplan.edits import files
from bvplan.edits.files import ChangedOnDisk, Snapshot, read_snapshot, write_plan_files
from bvplan.errors import OutputFailed, RefusedOutput

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def write_atomic(snapshot: Snapshot, data: bytes) -> None:
    write_plan_files([(snapshot, data)])


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
    with pytest.raises(RefusedOutput, match="read-only"):
        write_atomic(read_snapshot(plan_file), b"mine\n")
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"
    assert listing(plan_file.parent) == ["theme.yaml"]


@pytest.mark.skipif(ROOT, reason="root may write in a read-only folder")
def test_refuses_a_read_only_folder(plan_file: Path) -> None:
    plan_file.parent.chmod(0o555)
    try:
        with pytest.raises(RefusedOutput, match="cannot write in"):
            write_atomic(read_snapshot(plan_file), b"mine\n")
    finally:
        plan_file.parent.chmod(0o755)
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"
    assert listing(plan_file.parent) == ["theme.yaml"]


def test_folder_that_refuses_the_temp_file(plan_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def no_new_files(path: str, flags: int, *args: int) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr("bvplan.edits.files.os.open", no_new_files)
    with pytest.raises(RefusedOutput, match="Permission denied"):
        write_atomic(read_snapshot(plan_file), b"mine\n")
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"
    assert listing(plan_file.parent) == ["theme.yaml"]


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_disk_full_or_failed_rename_leaves_original_and_no_temp(
    plan_file: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    def fails(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(f"bvplan.edits.files.os.{step}", fails)
    with pytest.raises(OutputFailed, match="No space left"):
        write_atomic(read_snapshot(plan_file), b"mine\n" * 1000)
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"
    assert listing(plan_file.parent) == ["theme.yaml"]


def test_interrupt_leaves_no_temp(plan_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("bvplan.edits.files.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(read_snapshot(plan_file), b"mine\n")
    assert listing(plan_file.parent) == ["theme.yaml"]
    assert plan_file.read_bytes() == b"theme: T\nactions: []\n"


def test_snapshot_of_missing_file() -> None:
    assert read_snapshot(Path("/nonexistent/bvplan/x.yaml")) == Snapshot(Path("/nonexistent/bvplan/x.yaml"), None)


def test_ctrl_c_just_after_a_rename_puts_every_file_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C lands when the rename has happened but before bvplan knows: the transaction undoes it."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_bytes(b"a: 1\n")
    second.write_bytes(b"b: 1\n")
    real_replace = os.replace
    renames: list[object] = []

    def rename_then_interrupt(source: str, target: str) -> None:
        real_replace(source, target)
        renames.append(target)
        if len(renames) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("bvplan.edits.files.os.replace", rename_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_plan_files([(read_snapshot(first), b"a: 2\n"), (read_snapshot(second), b"b: 2\n")])
    monkeypatch.undo()
    assert (first.read_bytes(), second.read_bytes()) == (b"a: 1\n", b"b: 1\n")
    assert listing(tmp_path) == ["a.yaml", "b.yaml"]


def test_a_failure_at_the_second_file_takes_back_the_first_and_a_new_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "plan" / "a.yaml"
    existing.parent.mkdir()
    existing.write_bytes(b"a: 1\n")
    new = tmp_path / "next" / "deep" / "b.yaml"
    real_replace = os.replace

    def second_fails(source: str, target: str) -> None:
        if str(target).endswith("b.yaml"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr("bvplan.edits.files.os.replace", second_fails)
    with pytest.raises(OutputFailed, match=r"b.yaml: No space left on device; nothing written"):
        write_plan_files([(read_snapshot(existing), b"a: 2\n"), (read_snapshot(new), b"b: 1\n")])
    monkeypatch.undo()
    assert existing.read_bytes() == b"a: 1\n"
    assert listing(tmp_path) == ["plan"]  # the folders it made are gone
    assert listing(existing.parent) == ["a.yaml"]


def test_a_file_changed_before_its_rename_leaves_no_backup_behind(plan_file: Path) -> None:
    other = plan_file.parent / "other.yaml"
    other.write_bytes(b"x: 1\n")
    snapshots = [(read_snapshot(other), b"x: 2\n"), (read_snapshot(plan_file), b"mine\n")]
    plan_file.write_bytes(b"theirs\n")  # an editor saves between bvplan's read and its write
    with pytest.raises(ChangedOnDisk, match="changed on disk"):
        write_plan_files(snapshots)
    assert (other.read_bytes(), plan_file.read_bytes()) == (b"x: 1\n", b"theirs\n")
    assert listing(plan_file.parent) == ["other.yaml", "theme.yaml"]


def test_a_journal_names_every_file_before_the_first_is_made_and_recover_undoes_a_kill(tmp_path: Path) -> None:
    """What a kill after the first rename leaves (the journal, one file written, one temporary file, a
    backup), made by hand from the journal's own names; `recover` puts everything back."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_bytes(b"a: 1\n")
    journal = tmp_path / ".journal.json"
    writes = [(read_snapshot(first), b"a: 2\n"), (read_snapshot(second), b"b: 1\n")]
    record = files._record(writes, "cafe0001")
    journal.write_text(json.dumps(record), encoding="utf-8")
    first_entry, second_entry = record["entries"]
    os.link(first, first_entry["backup"])
    Path(first_entry["temp"]).write_bytes(b"a: 2\n")
    os.replace(first_entry["temp"], first)  # renamed into place
    Path(second_entry["temp"]).write_bytes(b"b: 1\n")  # prepared, never renamed
    assert files.recover(journal) == (2, [])
    assert first.read_bytes() == b"a: 1\n"
    assert listing(tmp_path) == ["a.yaml"]
    assert files.recover(journal) is None
