"""The output guard: every file bvplan writes goes through this module, and only through it.

Two entry points:

- `write_output` writes a command's output (a paper, a status file, an owner's workbook or calendar,
  a file of a new repository). It refuses a path that is, or resolves (through a link at any level)
  to, a file of the plans the command loaded, anything inside one of their folders, or a YAML file
  in the plans folder (which the next run would read as a plan); it refuses a folder and any
  special file it cannot use. A character device, or a pipe that has a reader, is
  written as a stream (never renamed over: that would replace `/dev/null` with a file); a pipe
  nobody reads is refused rather than waited on. Anything else is written atomically.
- `write_plan_files` writes plan files (an edit, an import, a carry-forward): all of them or none,
  each refused if it changed on disk since the command read it.

Atomic means: the new bytes go to a temporary file beside the target, are flushed and fsynced, then
renamed over it (`os.replace` is atomic within a file system), and the folder is fsynced so that the
rename itself survives a power cut. A file replaced keeps its mode, owner and group. A write that
fails (a full disk, a file-size limit) raises OutputFailed and leaves the old file, and no temporary
file; a path bvplan will not write raises RefusedOutput. Both name the path.

Plan files are written as a small transaction, so that an error, a Ctrl-C or (with a journal) a kill
between two files never leaves a plan half-written:

1. a journal, when the caller keeps one (carry-forward does), records each target, the names of its
   temporary file and its backup, and the hashes of its content before and after; it is written
   aside, flushed to disk and renamed into place, so it is complete or absent;
2. prepare: each new content goes to its temporary file, each existing target gets its backup (a
   hard link, else a copy);
3. commit: each temporary file is renamed over its target in order, under a lock on the target and
   only while the target still holds what was read;
4. the journal and the backups are removed.

Anything that stops 1-3 inside the process, a Ctrl-C at a rename included, rolls every file back:
a target is restored only while it still holds exactly what was written, so nobody's later edit is
undone. A process killed at any step leaves the journal (or one aside, before step 2), and
`recover` rolls it back.

Temporary files are named `.<name>.<random>.bvplan-tmp` and backups `.<name>.<random>.bvplan-bak`:
hidden, and never ending in `.yaml`, so that no crash leaves something bvplan or an editor's glob
would take for a plan file.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import json
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bvplan.errors import BvplanError, OutputFailed, RefusedOutput, UsageError
from bvplan.format.loader import YAML_SUFFIXES, display_path, plan_sources

TEMP_SUFFIX = ".bvplan-tmp"
BACKUP_SUFFIX = ".bvplan-bak"
DEFAULT_MODE = 0o666
# Errors of the disk rather than of the path: the output could not be written in full.
DISK_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO})


class ChangedOnDisk(UsageError):
    """A plan file changed since it was read; writing would lose someone else's edit."""


@dataclass(frozen=True)
class Snapshot:
    """A file's content as read before an edit; `content` is None when the file did not exist."""

    path: Path
    content: bytes | None


def _failure(what: str, path: Path | str, exc: OSError, tail: str = "") -> BvplanError:
    """OutputFailed for a full disk or a size limit; RefusedOutput for a path that cannot be used."""
    message = f"{what} {path}: {exc.strerror or exc}{tail}"
    return OutputFailed(message) if exc.errno in DISK_ERRORS else RefusedOutput(message)


def read_snapshot(path: Path) -> Snapshot:
    """The file's bytes; refused for anything but a regular file, which is never read (a pipe would hang)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return Snapshot(path, None)
    except OSError as exc:
        raise RefusedOutput(f"cannot read {path}: {exc.strerror}") from exc
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise RefusedOutput(f"{path} is not a regular file (a device, pipe, socket or folder); nothing written")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return Snapshot(path, stream.read())
    except OSError as exc:
        raise RefusedOutput(f"cannot read {path}: {exc.strerror}") from exc
    finally:
        os.close(descriptor)


# --- a command's output ---------------------------------------------------------------------------


def write_output(path: Path, data: bytes, *, plans: Sequence[Path] = (), replace: bool = True) -> str:
    """Write a command's output file; returns how ("wrote" or "streamed to").

    `plans` are the plans paths the command loaded (its `--plans`): no output lands on their files or
    in their folders, however the path reaches them. Without `replace`, an existing file is refused.
    Raises RefusedOutput or OutputFailed; the file is then as it was, and no temporary file is left.
    """
    refuse_plan_paths(path, plans)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _failure("cannot write", path, exc) from exc
    if info is None or stat.S_ISREG(info.st_mode):
        if info is not None and not replace:
            raise RefusedOutput(f"{path} exists; nothing written")
        target = Path(os.path.realpath(path))  # write through a link, not over it
        mode = _mode_of(target, path) if info is not None else _new_file_mode()
        temp = _temp_file(target, path, data, mode, _owner_of(target))
        try:
            if info is None and not replace:
                _create(temp, target, path)
            else:
                os.replace(temp, target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            if isinstance(exc, OSError):
                raise _failure("cannot write", path, exc) from exc
            raise
        fsync_folder(target.parent)
        return "wrote"
    if stat.S_ISDIR(info.st_mode):
        raise RefusedOutput(f"'{path}' is a folder; give a file name")
    if not (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        raise RefusedOutput(f"will not write to {path}: it is not a regular file, a character device or a pipe")
    _stream(path, data, stat.S_ISFIFO(info.st_mode))
    return "streamed to"


def refuse_plan_paths(path: Path, plans: Sequence[Path]) -> None:
    """RefusedOutput when `path` is, or resolves to, where loading `plans` reads a plan: a plan file,
    anything in a plan's folder, or a YAML file in a plans folder (the loader would read it next time)."""
    if not plans:
        return
    real = os.path.realpath(path)
    protected = _protected(plans)
    # Named by where the path leads, so the user sees which plan file a link would have replaced.
    how = f"it points at {display_path(Path(real))}," if real != os.path.abspath(path) else "it is"
    if real in protected.files:
        raise RefusedOutput(f"will not write to {path}: {how} a plan file; nothing written")
    for folder in protected.folders:
        if real == folder or real.startswith(folder.rstrip(os.sep) + os.sep):
            where = f"inside the plan folder {display_path(Path(folder))}"
            raise RefusedOutput(f"will not write to {path}: {how} {where}; nothing written")
    if os.path.dirname(real) in protected.roots and real.endswith(YAML_SUFFIXES):
        where = f"a YAML file in the plans folder {display_path(Path(os.path.dirname(real)))}, read as a plan file"
        raise RefusedOutput(f"will not write to {path}: {how} {where}; nothing written")


@dataclass(frozen=True)
class _Protected:
    """Real paths: plan folders (all they hold), plan files (wherever a link in a folder puts them),
    and plans folders (whose YAML files the loader reads)."""

    folders: list[str]
    files: set[str]
    roots: set[str]


def _protected(plans: Sequence[Path]) -> _Protected:
    try:
        plan_folders, strays = plan_sources(list(plans))
    except (UsageError, OSError):  # plans that could not be loaded hold nothing to protect
        return _Protected([], set(), set())
    files = {os.path.realpath(stray) for stray in strays}
    for folder in plan_folders:
        with contextlib.suppress(OSError):
            files.update(os.path.realpath(entry) for entry in folder.iterdir())
    roots = {os.path.realpath(p) for p in plans if os.path.isdir(p)}
    return _Protected([os.path.realpath(f) for f in plan_folders], files, roots)


def _create(temp: Path, target: Path, shown: Path) -> None:
    """Put `temp` at `target` only if nothing is there yet (a hard link cannot replace a file)."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise RefusedOutput(f"{shown} exists; nothing written") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # A file system without hard links: check, then rename (a race here can only lose to a newcomer).
        if os.path.lexists(target):
            raise RefusedOutput(f"{shown} exists; nothing written") from None
        os.replace(temp, target)
        return
    temp.unlink()


def _stream(path: Path, data: bytes, pipe: bool) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            what = "a pipe that nothing is reading" if pipe else "a device with nothing behind it"
            raise RefusedOutput(f"cannot write to {path}: it is {what}") from exc
        raise _failure("cannot write to", path, exc) from exc
    try:
        os.set_blocking(descriptor, True)
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            if written == 0:
                raise OutputFailed(f"cannot write to {path}: it took no more bytes; the output is incomplete")
            view = view[written:]
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            return  # the reader stopped early: as with `| head`, not an error
        raise OutputFailed(f"cannot write to {path}: {exc.strerror}; the output is incomplete") from exc
    finally:
        os.close(descriptor)


# --- plan files -----------------------------------------------------------------------------------


def write_plan_files(writes: Sequence[tuple[Snapshot, bytes]], journal: Path | None = None) -> None:
    """Write every (snapshot, new bytes) or none, in order; see the module's docstring.

    Raises ChangedOnDisk, RefusedOutput or OutputFailed, with every file as it was; a missing folder
    is made (and removed again on failure). With `journal`, a kill at any step can be rolled back by
    `recover(journal)`; a journal already there is refused.
    """
    if journal is not None and os.path.lexists(journal):
        raise RefusedOutput(f"{display_path(journal)}: an interrupted write; run the command again to roll it back")
    if journal is not None:
        _clear_asides(journal)
    for snapshot, _data in writes:
        _check_unchanged(Path(os.path.realpath(snapshot.path)), snapshot)
    # Every name this write will make is known, and journalled, before the first is made, so that a
    # run killed at any step leaves nothing the journal does not name.
    token = secrets.token_hex(4)
    record = _record(writes, token)
    entries: list[dict[str, str | None]] = record["entries"]
    renaming: set[int] = set()  # the entries whose rename was begun: only these may need putting back
    try:
        if journal is not None:
            _write_journal(journal, record, token)
        for folder in record["created_folders"]:
            _make_folder(Path(folder))
        for (snapshot, data), entry in zip(writes, entries, strict=True):
            _prepare(snapshot, data, Path(str(entry["temp"])))
            if entry["backup"] is not None:
                _backup(Path(str(entry["target"])), Path(entry["backup"]))
        for index, ((snapshot, _data), entry) in enumerate(zip(writes, entries, strict=True)):
            target = Path(str(entry["target"]))
            with _locked(target):
                _check_unchanged(target, snapshot)
                renaming.add(index)  # from here on the target may hold what was written
                _rename(Path(str(entry["temp"])), target, snapshot.path)
            fsync_folder(target.parent)
    except BaseException as exc:
        _roll_back(record, renaming)
        if journal is not None:
            with contextlib.suppress(OSError):
                journal.unlink()
        if isinstance(exc, OSError):
            raise _failure("cannot write", exc.filename or "the plan files", exc, "; nothing written") from exc
        raise
    _discard(record)
    if journal is not None:
        with contextlib.suppress(OSError):
            journal.unlink()
        fsync_folder(journal.parent)


def _record(writes: Sequence[tuple[Snapshot, bytes]], token: str) -> dict[str, Any]:
    """What a write will do, as the journal keeps it: each target (its real path), its temporary
    file, its backup, the hashes of its content before and after; and the folders it will make."""
    entries: list[dict[str, str | None]] = []
    folders: list[str] = []
    for snapshot, data in writes:
        target = Path(os.path.realpath(snapshot.path))
        folders += [os.fsdecode(f) for f in reversed([target.parent, *target.parent.parents]) if not os.path.lexists(f)]
        backup = target.with_name(f".{target.name}.{token}{BACKUP_SUFFIX}")
        entries.append(
            {
                "target": os.fsdecode(target),
                "temp": os.fsdecode(target.with_name(f".{target.name}.{token}{TEMP_SUFFIX}")),
                "backup": os.fsdecode(backup) if snapshot.content is not None else None,
                "before": _digest(snapshot.content),
                "after": _digest(data),
            }
        )
    return {"entries": entries, "created_folders": list(dict.fromkeys(folders))}


def recover(journal: Path) -> tuple[int, list[str]] | None:
    """Roll back a write killed while committing: (how many files it held, those changed since and
    left as they are); None when there is no journal. RefusedOutput if the journal cannot be read."""
    _clear_asides(journal)
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise RefusedOutput(
            f"{display_path(journal)} is an unreadable record of an interrupted write ({exc}); "
            "check the plans with 'bvplan validate' and 'git status', then remove it"
        ) from exc
    kept = _roll_back(record)
    journal.unlink()
    fsync_folder(journal.parent)
    return len(record.get("entries", [])), kept


def _make_folder(folder: Path) -> None:
    try:
        os.mkdir(folder)
    except OSError as exc:
        raise _failure("cannot create", display_path(folder), exc) from exc


def _prepare(snapshot: Snapshot, data: bytes, temp: Path) -> None:
    """The new bytes in `temp`, beside the target, with the target's mode, owner and group."""
    target = Path(os.path.realpath(snapshot.path))  # write through a link, not over it
    try:
        info = target.stat()
    except FileNotFoundError:
        if snapshot.content is not None:
            raise ChangedOnDisk(f"{snapshot.path} was deleted since it was read; nothing written") from None
        _temp_file(target, snapshot.path, data, _new_file_mode(), None, temp)
        return
    except OSError as exc:
        raise _failure("cannot write", snapshot.path, exc) from exc
    if not stat.S_ISREG(info.st_mode):
        raise RefusedOutput(
            f"{snapshot.path} is not a regular file (a device, pipe, socket or folder); nothing written"
        )
    _temp_file(target, snapshot.path, data, _mode_of(target, snapshot.path), (info.st_uid, info.st_gid), temp)


def _rename(temp: Path, target: Path, shown: Path) -> None:
    try:
        os.replace(temp, target)
    except OSError as exc:
        raise _failure("cannot write", shown, exc, "; nothing written") from exc


def _check_unchanged(target: Path, snapshot: Snapshot) -> None:
    current = read_snapshot(target).content
    if current != snapshot.content:
        what = "was created" if snapshot.content is None else "was deleted" if current is None else "changed on disk"
        raise ChangedOnDisk(f"{snapshot.path} {what} since bvplan read it; nothing written, run the command again")


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _content(path: Path) -> bytes | None:
    try:
        return read_snapshot(path).content
    except BvplanError:
        return None


def _backup(target: Path, backup: Path) -> None:
    try:
        os.link(target, backup)  # the very file, owner and mode included, for the cost of a name
    except OSError:
        try:
            shutil.copy2(target, backup)
        except OSError as exc:
            raise _failure("cannot keep a copy of", display_path(target), exc, "; nothing written") from exc


def _write_journal(journal: Path, record: dict[str, Any], token: str) -> None:
    """The journal, complete or not at all: written aside, then renamed into place (a journal cut
    short by a kill would say nothing of what to roll back). `recover` clears one left aside."""
    data = json.dumps(record, indent=1).encode("utf-8")
    aside = journal.with_name(f"{journal.name}.{token}{TEMP_SUFFIX}")
    try:
        with open(aside, "xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(aside, journal)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            aside.unlink()
        if isinstance(exc, OSError):
            raise _failure("cannot write", display_path(journal), exc, "; nothing written") from exc
        raise
    fsync_folder(journal.parent)


def _clear_asides(journal: Path) -> None:
    """Remove journals left aside: each was cut short before it was put in place, before any file was made."""
    for aside in journal.parent.glob(f"{glob.escape(journal.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            aside.unlink()


def _roll_back(record: dict[str, Any], renaming: set[int] | None = None) -> list[str]:
    """Put every target back as it was, where it still holds what was written; returns what could not be.

    `renaming`: the entries whose rename was begun, when known (in the process that wrote); after a
    kill, any entry's may have been, and each target is judged by its content alone.
    """
    kept: list[str] = []
    entries = record.get("entries", [])
    for index in reversed(range(len(entries))):
        entry = entries[index]
        target = Path(entry["target"])
        if entry.get("temp"):
            with contextlib.suppress(OSError):
                Path(entry["temp"]).unlink()
        backup = Path(entry["backup"]) if entry.get("backup") else None
        if renaming is None or index in renaming:
            current = _digest(_content(target))
            if current == entry["after"] and current != entry["before"]:
                if backup is not None and backup.exists():
                    os.replace(backup, target)
                elif entry["before"] is None:
                    target.unlink()
                else:
                    kept.append(display_path(target))
            elif current != entry["before"]:
                kept.append(display_path(target))  # changed by someone since: theirs stays, with the backup
                continue
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()
    for folder in reversed(record.get("created_folders", [])):
        with contextlib.suppress(OSError):
            os.rmdir(folder)
    return kept


def _discard(record: dict[str, Any]) -> None:
    for entry in record["entries"]:
        if entry.get("backup"):
            with contextlib.suppress(OSError):
                Path(entry["backup"]).unlink()


# --- shared steps ---------------------------------------------------------------------------------


def _temp_file(
    target: Path, shown: Path, data: bytes, mode: int, owner: tuple[int, int] | None, name: Path | None = None
) -> Path:
    """`data` in a temporary file beside `target` (named `name`, else a fresh name), flushed to disk,
    with `mode` and `owner`; on any failure nothing is left behind. A short write (a full disk, a
    file-size limit) is OutputFailed."""
    folder = target.parent
    try:
        if name is None:
            handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=folder)
        else:
            handle, temp_name = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), os.fsdecode(name)
    except OSError as exc:
        raise _failure("cannot write in", display_path(folder) if str(folder) else ".", exc) from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if temp.stat().st_size != len(data):
            raise OutputFailed(f"cannot write {shown}: the disk took only part of it; nothing written")
        os.chmod(temp, mode)
        _keep_owner(temp, owner, shown)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise _failure("cannot write", shown, exc, "; nothing written") from exc
        raise
    return temp


def _owner_of(target: Path) -> tuple[int, int] | None:
    try:
        info = target.stat()
    except OSError:
        return None
    return info.st_uid, info.st_gid


def _keep_owner(temp: Path, owner: tuple[int, int] | None, shown: Path) -> None:
    """Give the new file the old one's owner and group, as an in-place write would have kept them.

    Root editing someone else's file must not leave it owned by root, unreadable to its owner.
    Where the owner cannot be kept (a user may not give a file away), the write is refused.
    """
    if owner is None:
        return
    info = temp.stat()
    if (info.st_uid, info.st_gid) == owner:
        return
    try:
        os.chown(temp, *owner)
    except OSError as exc:
        raise RefusedOutput(f"cannot keep the owner and group of {shown} ({exc.strerror}); nothing written") from exc


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return DEFAULT_MODE & ~umask


def _mode_of(target: Path, shown: Path) -> int:
    try:
        info = target.stat()
    except OSError as exc:
        raise _failure("cannot write", shown, exc) from exc
    mode = stat.S_IMODE(info.st_mode)
    # A rename needs only the folder's permission, so a read-only file would be replaced without
    # complaint; honour the owner's intent instead (and do so for root too, who bypasses access()).
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise RefusedOutput(f"{shown} is read-only; nothing written")
    return mode


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file (or, for a new file, its folder) while checking and renaming."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; the check still runs
        yield
        return
    try:
        descriptor = os.open(target if target.exists() else target.parent, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open a folder
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - file systems that do not support it
        pass
    finally:
        os.close(descriptor)
