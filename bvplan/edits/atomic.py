"""Write a file so that it is either wholly the old content or wholly the new, never a mix or lost.

The new bytes go to a temporary file in the same folder, are flushed and fsynced, then renamed over
the original (`os.replace` is atomic within a file system), and the folder is fsynced so the rename
itself survives a power cut. Before the rename the file on disk is compared with what the edit was
computed from: if someone (an editor, another bvplan) changed it meanwhile, the write is refused
rather than silently throwing their change away. Between bvplan processes that compare-and-rename
step is serialised with a lock on the file, so two racing edits cannot both pass the check.

Temporary files are named `.<name>.<random>.bvplan-tmp`: hidden, and never ending in `.yaml`, so a
crash can never leave something that bvplan or an editor's glob would take for a plan file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TEMP_SUFFIX = ".bvplan-tmp"
# Test hooks, read only when set: simulate a crash, or hold still, between the temp file's fsync and
# the check-and-rename, so that tests can kill a writer or race two of them at exactly that point.
CRASH_HOOK = "BVPLAN_TEST_CRASH_BEFORE_RENAME"
PAUSE_HOOK = "BVPLAN_TEST_PAUSE_BEFORE_RENAME"
DEFAULT_MODE = 0o666


class WriteError(Exception):
    """The file could not be written; the original is untouched."""


class ChangedOnDisk(WriteError):
    """The file changed since it was read; writing would lose someone else's edit."""


@dataclass(frozen=True)
class Snapshot:
    """A file's content as read before an edit; `content` is None when the file did not exist."""

    path: Path
    content: bytes | None


def read_snapshot(path: Path) -> Snapshot:
    """The file's bytes; refused for anything but a regular file, which is never read (a pipe would hang)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return Snapshot(path, None)
    except OSError as exc:
        raise WriteError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise WriteError(f"{path} is not a regular file (a device, pipe, socket or folder); nothing written")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return Snapshot(path, stream.read())
    except OSError as exc:
        raise WriteError(f"cannot read {path}: {exc.strerror}") from exc
    finally:
        os.close(descriptor)


def write_output(path: Path, data: bytes) -> str:
    """Write a command's output file (a paper): atomically over a regular file or none, as a stream
    into a character device or a pipe that has a reader; refused for anything else. Returns how.

    A device or pipe is never renamed over (that would replace `/dev/null` with a file) and never
    read first (a pipe would block). A pipe nobody reads is refused rather than waited on.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        write_atomic(Snapshot(path, None), data)
        return "wrote"
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror}") from exc
    if stat.S_ISREG(info.st_mode):
        write_atomic(read_snapshot(path), data)
        return "wrote"
    if not (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        raise WriteError(f"will not write to {path}: it is not a regular file, a character device or a pipe")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            what = (
                "a pipe that nothing is reading" if stat.S_ISFIFO(info.st_mode) else "a device with nothing behind it"
            )
            raise WriteError(f"cannot write to {path}: it is {what}") from exc
        raise WriteError(f"cannot write to {path}: {exc.strerror}") from exc
    try:
        os.set_blocking(descriptor, True)
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            return "streamed to"  # the reader stopped early: as with `| head`, not an error
        raise WriteError(f"cannot write to {path}: {exc.strerror}; the output is incomplete") from exc
    finally:
        os.close(descriptor)
    return "streamed to"


def write_atomic(snapshot: Snapshot, data: bytes) -> None:
    """Replace `snapshot.path` with `data`, provided the file still holds `snapshot.content`.

    Raises ChangedOnDisk or WriteError; in every failure the original file is as it was and no
    temporary file is left behind.
    """
    temp = prepare(snapshot, data)
    _test_hooks()
    commit(temp, snapshot)


def prepare(snapshot: Snapshot, data: bytes) -> Path:
    """The first half of an atomic write: `data` in a temporary file beside the target, flushed to
    disk, with the target's mode, owner and group. `commit` puts it in place; on failure nothing
    is left behind."""
    target = Path(os.path.realpath(snapshot.path))  # write through a symlink, not over it
    folder = target.parent
    refuse_special(target, snapshot.path)
    mode = _mode_for(target, snapshot)
    owner = _owner_of(target)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write in {folder}: {exc.strerror}") from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        _keep_owner(temp, owner, snapshot.path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {snapshot.path}: {exc.strerror or exc}") from exc
        raise
    return temp


def commit(temp: Path, snapshot: Snapshot) -> None:
    """The second half: rename `temp` over the target, if the target still holds what was read."""
    target = Path(os.path.realpath(snapshot.path))
    try:
        with _locked(target):
            _check_unchanged(target, snapshot)
            os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {snapshot.path}: {exc.strerror or exc}") from exc
        raise
    fsync_folder(target.parent)


def refuse_special(target: Path, shown: Path) -> None:
    """Refuse to replace anything but a regular file: a device, a pipe or a socket is not a plan."""
    try:
        info = target.stat()
    except OSError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(f"{shown} is not a regular file (a device, pipe, socket or folder); nothing written")


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
        raise WriteError(f"cannot keep the owner and group of {shown} ({exc.strerror}); nothing written") from exc


def _mode_for(target: Path, snapshot: Snapshot) -> int:
    try:
        info = target.stat()
    except FileNotFoundError:
        if snapshot.content is not None:
            raise ChangedOnDisk(f"{snapshot.path} was deleted since it was read; nothing written") from None
        umask = os.umask(0)
        os.umask(umask)
        return DEFAULT_MODE & ~umask
    except OSError as exc:
        raise WriteError(f"cannot write {snapshot.path}: {exc.strerror}") from exc
    mode = stat.S_IMODE(info.st_mode)
    # A rename needs only the folder's permission, so a read-only file would be replaced without
    # complaint; honour the owner's intent instead (and do so for root too, who bypasses access()).
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise WriteError(f"{snapshot.path} is read-only; nothing written")
    return mode


def _check_unchanged(target: Path, snapshot: Snapshot) -> None:
    current = read_snapshot(target).content
    if current != snapshot.content:
        what = "was created" if snapshot.content is None else "changed on disk"
        raise ChangedOnDisk(f"{snapshot.path} {what} since bvplan read it; nothing written, run the command again")


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


def _test_hooks() -> None:
    if os.environ.get(CRASH_HOOK):
        os.kill(os.getpid(), signal.SIGKILL)
    release = os.environ.get(PAUSE_HOOK)
    if release:
        # Announce the pause, then wait for the test to create the release file.
        Path(release + ".waiting").touch()
        while not os.path.exists(release):
            time.sleep(0.01)
