"""Faults injected from outside the process: Ctrl-C, a kill or a full disk at one system call.

bvplan has no test hooks. strace stops, signals or fails the real command at the Nth `rename` or
`write` it makes (`-e inject=...`), and the tests check what is left on disk: every plan file as it
was (or, for a carry killed half-way, as the next run leaves it), no temporary file, the documented
exit code. Two edits are raced for real by holding one back at the lock before its rename.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_hostile import CORPUS

STRACE = shutil.which("strace")
RENAMES = "rename,renameat,renameat2"
FROM, TO = "bvip-2017-18", "bvip-2018-19"
CARRY = ["carry-forward", "--from", FROM, "--to", TO, "--apply"]
INTERRUPTED = (130, -signal.SIGINT)  # bvplan exits 130; a shell shows a death by SIGINT as 130 too
OUTPUT_FAILED = 74


def _strace_works() -> bool:
    if STRACE is None:
        return False
    done = subprocess.run([STRACE, "-qq", "-o", os.devnull, "true"], capture_output=True)
    return done.returncode == 0  # a container may forbid ptrace


pytestmark = pytest.mark.skipif(
    not _strace_works(),
    reason="strace is missing or may not trace here: .ci/run installs it (apt-get install strace)",
)


def _environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment["NO_COLOR"] = "1"
    return environment


def under_strace(
    plans: Path, args: list[str], *injections: str, trace: str = RENAMES, log: str = os.devnull
) -> subprocess.CompletedProcess[str]:
    """Run `bvplan ARGS --plans PLANS` under strace with the given `-e inject=` clauses."""
    assert STRACE is not None
    options = [option for injection in injections for option in ("-e", f"inject={injection}")]
    command = [STRACE, "-f", "-qq", "-o", log, "-e", f"trace={trace}", *options]
    return subprocess.run(
        [*command, sys.executable, "-m", "bvplan", *args, "--plans", str(plans)],
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def bvplan(plans: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bvplan", *args, "--plans", str(plans)],
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder`, hidden ones included, by its content's hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def debris(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if ".bvplan-" in p.name]


@pytest.fixture
def fresh(plans_copy: Path) -> Path:
    """The shipped plans without bvip-2018-19, which a carry from bvip-2017-18 then writes (six files)."""
    shutil.rmtree(plans_copy / TO)
    return plans_copy


@pytest.fixture
def carried(fresh: Path, tmp_path: Path) -> dict[str, str]:
    """What an uninterrupted carry writes: the reference every interrupted one must end up at."""
    reference = tmp_path / "reference"
    shutil.copytree(fresh, reference)
    done = bvplan(reference, *CARRY)
    assert done.returncode == 0, done.stderr
    return tree(reference)


def _renames_of(plans: Path, args: list[str], tmp_path: Path) -> int:
    """How many renames a command makes in `plans`, counted on a copy."""
    copy = tmp_path / "counted"
    shutil.copytree(plans, copy)
    log = tmp_path / "renames.log"
    done = under_strace(copy, args, log=str(log))
    assert done.returncode == 0, done.stderr
    shutil.rmtree(copy)
    return sum(1 for line in log.read_text().splitlines() if re.search(r"\brename(at2?)?\(", line))


# ---- Ctrl-C at the moment a temporary file is renamed into place -----------------------------------

EDITS = [
    ["complete", "bvip-2017-18/PR1.5", "--on", "2018-04-05"],
    ["note", "bvip-2018-19/PR1.6", "Checked with the contractor", "--on", "2018-06-30"],
    ["cancel", "bvip-2018-19/PR1.6", "--reason", "No longer needed", "--on", "2018-06-30"],
]


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e[0])
def test_ctrl_c_at_the_rename_of_an_edit_leaves_the_plan_byte_identical(plans_copy: Path, edit: list[str]) -> None:
    before = tree(plans_copy)
    done = under_strace(plans_copy, edit, f"{RENAMES}:signal=SIGINT:when=1")
    assert done.returncode in INTERRUPTED, done.stderr
    assert "Traceback" not in done.stderr
    assert tree(plans_copy) == before
    assert not debris(plans_copy)
    # Nothing is in the way of the same edit run again.
    assert bvplan(plans_copy, *edit).returncode == 0


@pytest.mark.slow
def test_ctrl_c_at_any_rename_of_a_carry_leaves_every_file_as_it_was(fresh: Path, tmp_path: Path) -> None:
    renames = _renames_of(fresh, CARRY, tmp_path)
    assert renames == 7  # the journal put in place, five theme files, then plan.yaml
    before = tree(fresh)
    for when in range(1, renames + 1):
        done = under_strace(fresh, CARRY, f"{RENAMES}:signal=SIGINT:when={when}")
        assert done.returncode in INTERRUPTED, (when, done.stderr)
        assert tree(fresh) == before, when
        assert not (fresh / TO).exists(), when  # the folder it made is gone too
        assert not debris(fresh), when


# ---- a kill at any step of carry-forward -------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("when", range(1, 8))  # the journal, then each of the six files (plan.yaml last)
def test_a_carry_killed_at_any_rename_is_rolled_back_and_completed_by_the_rerun(
    when: int, fresh: Path, carried: dict[str, str]
) -> None:
    before = tree(fresh)
    killed = under_strace(fresh, CARRY, f"{RENAMES}:signal=SIGKILL:when={when}")
    assert killed.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL)
    # Killed before its journal was in place, the carry had made nothing but the journal, aside.
    assert (fresh / ".bvplan-carry-journal.json").exists() == (when > 1)
    rerun = bvplan(fresh, *CARRY)
    assert rerun.returncode == 0, rerun.stderr
    if when > 1:
        assert "rolled back an interrupted carry-forward" in rerun.stderr
    assert tree(fresh) == carried  # exactly what an uninterrupted carry writes, nothing twice
    assert before.items() <= tree(fresh).items()
    assert not debris(fresh)


def _writes_in(plans: Path, args: list[str], tmp_path: Path, into: Path | None = None) -> list[int]:
    """Which of a command's `write` calls (1-based) write into `plans` (or under `into`), counted on a
    copy of the plans: the journal and the temporary files, not standard output."""
    copy = tmp_path / "counted"
    shutil.copytree(plans, copy)
    log = tmp_path / "writes.log"
    assert STRACE is not None
    command = [STRACE, "-f", "-qq", "-y", "-o", str(log), "-e", "trace=write"]
    done = subprocess.run(
        [*command, sys.executable, "-m", "bvplan", *args, "--plans", str(copy)],
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    calls = [line for line in log.read_text().splitlines() if re.match(r"\d+ +write\(", line)]
    shutil.rmtree(copy)
    return [n for n, line in enumerate(calls, start=1) if f"<{into or copy}/" in line]


@pytest.mark.slow
def test_a_carry_killed_while_preparing_leaves_nothing_the_rerun_does_not_clear(
    fresh: Path, carried: dict[str, str], tmp_path: Path
) -> None:
    """Killed at its first write (the journal) or its last (the last temporary file)."""
    writes = _writes_in(fresh, CARRY, tmp_path)
    for when in (writes[0], writes[-1]):
        attempt = tmp_path / f"attempt-{when}"
        shutil.copytree(fresh, attempt)
        killed = under_strace(attempt, CARRY, f"write:signal=SIGKILL:when={when}", trace="write")
        assert killed.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL)
        rerun = bvplan(attempt, *CARRY)
        assert rerun.returncode == 0, rerun.stderr
        assert tree(attempt) == carried, when
        assert not debris(attempt), when


# ---- a full disk at any write --------------------------------------------------------------------------


@pytest.mark.slow
def test_a_full_disk_at_any_write_of_a_carry_leaves_every_file_as_it_was(fresh: Path, tmp_path: Path) -> None:
    writes = _writes_in(fresh, CARRY, tmp_path)
    assert len(writes) == 7  # the journal, then six temporary files
    before = tree(fresh)
    for when in writes:
        failed = under_strace(fresh, CARRY, f"write:error=ENOSPC:when={when}", trace="write")
        assert failed.returncode == OUTPUT_FAILED, (when, failed.stderr)
        assert "No space left on device" in failed.stderr and "rolled back" in failed.stderr
        assert "Traceback" not in failed.stderr
        assert tree(fresh) == before, when
        assert not (fresh / TO).exists(), when
        assert not debris(fresh), when


def test_a_full_disk_at_an_edit_leaves_the_plan_byte_identical(plans_copy: Path, tmp_path: Path) -> None:
    edit = EDITS[0]
    (when,) = _writes_in(plans_copy, edit, tmp_path)
    before = tree(plans_copy)
    failed = under_strace(plans_copy, edit, f"write:error=ENOSPC:when={when}", trace="write")
    assert failed.returncode == OUTPUT_FAILED, failed.stderr
    assert "property.yaml: No space left on device; nothing written" in failed.stderr
    assert tree(plans_copy) == before
    assert not debris(plans_copy)


@pytest.mark.parametrize("suffix", ["csv", "md"])
def test_a_full_disk_or_a_size_limit_on_status_o_keeps_the_previous_file(
    plans_copy: Path, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / "out" / f"status.{suffix}"
    out.parent.mkdir()
    args = ["status", "--as-of", "2018-06-30", "-o", str(out)]
    (when,) = _writes_in(plans_copy, args, tmp_path, into=out.parent)  # writes `out`: then replaced
    out.write_bytes(b"last quarter\n")
    failed = under_strace(plans_copy, args, f"write:error=ENOSPC:when={when}", trace="write")
    assert failed.returncode == OUTPUT_FAILED, failed.stderr
    assert "No space left on device" in failed.stderr
    # A file-size limit: the kernel takes part of the file, then refuses the rest (EFBIG).
    command = [sys.executable, "-m", "bvplan", *args, "--plans", str(plans_copy)]
    limited = subprocess.run(
        ["bash", "-c", 'ulimit -f 1 && exec "$@"', "bash", *command],
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert limited.returncode == OUTPUT_FAILED, limited.stderr
    assert "File too large" in limited.stderr
    assert out.read_bytes() == b"last quarter\n"
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


# ---- two edits racing for the same file ------------------------------------------------------------


def test_two_racing_edits_one_wins_the_other_refuses(plans_copy: Path, tmp_path: Path) -> None:
    """The slow edit has read the file and holds its change; strace stops it at the lock it takes to
    check and rename (the call fails with EINTR, which Python retries once it is continued). The fast
    edit writes meanwhile; the slow one, continued, finds the file changed and writes nothing."""
    assert STRACE is not None
    theme = plans_copy / "bvip-2017-18" / "property.yaml"
    log = tmp_path / "slow.log"
    slow_command = ["complete", "bvip-2017-18/PR1.5", "--on", "2018-04-05"]
    slow = subprocess.Popen(
        [STRACE, "-f", "-qq", "-o", str(log), "-e", "trace=flock", "-e", "inject=flock:error=EINTR:signal=SIGSTOP:when=1",
         sys.executable, "-m", "bvplan", *slow_command, "--plans", str(plans_copy)],
        env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while "stopped by SIGSTOP" not in (log.read_text() if log.exists() else ""):
            assert slow.poll() is None, slow.communicate()
            assert time.monotonic() < deadline, "the slow edit never reached its lock"
            time.sleep(0.05)
        fast = bvplan(plans_copy, "note", "bvip-2017-18/PR1.6", "Fast note", "--on", "2018-04-06")
        assert fast.returncode == 0, fast.stderr
        stopped = int(log.read_text().split()[0])
        os.kill(stopped, signal.SIGCONT)
        _out, err = slow.communicate(timeout=120)
    finally:
        if slow.poll() is None:
            slow.kill()
            slow.communicate()
    assert slow.returncode == 2, err  # refused as asked: run it again
    assert "changed on disk since bvplan read it; nothing written" in err
    text = theme.read_text(encoding="utf-8")
    assert "text: Fast note" in text  # the winner's edit is there
    assert "completed: 2018-04-05" not in text  # the loser wrote nothing
    assert not debris(plans_copy)
    # Nothing lost: the refused edit, run again, lands beside the winner's.
    assert bvplan(plans_copy, *slow_command).returncode == 0
    text = theme.read_text(encoding="utf-8")
    assert "text: Fast note" in text and "completed: 2018-04-05" in text


@pytest.fixture
def existing_target(tmp_path: Path) -> Path:
    """The corpus's plan `hp` with two themes, and a plan `hp2` that already holds one of them."""
    work = tmp_path / "case"
    shutil.copytree(CORPUS / "_base", work)
    plans = work / "plans"
    grants = (plans / "hp/grants.yaml").read_text(encoding="utf-8")
    (plans / "hp/property.yaml").write_text(grants.replace("Grants", "Property").replace("GR1", "PR1"), "utf-8")
    (plans / "hp2").mkdir()
    plan = (plans / "hp/plan.yaml").read_text(encoding="utf-8").replace("id: hp", "id: hp2")
    plan = plan.replace("2019-03-31", "2020-03-31").replace("2018-04-01", "2019-04-01")
    (plans / "hp2/plan.yaml").write_text(plan + "themes: [grants]\n", "utf-8")
    (plans / "hp2/grants.yaml").write_text(grants.replace("GR1", "XG1").replace("2018-06-30", "2019-06-30"), "utf-8")
    return plans


def test_a_carry_into_an_existing_plan_restores_what_it_appended_to(existing_target: Path, tmp_path: Path) -> None:
    """Appending to an existing theme file, creating another and listing it in plan.yaml: a full disk
    at any of those writes, or a Ctrl-C at any rename, restores all three."""
    plans = existing_target
    carry = ["carry-forward", "--from", "hp", "--to", "hp2", "--apply"]
    writes = _writes_in(plans, carry, tmp_path)
    assert len(writes) == 4  # the journal, grants.yaml appended to, property.yaml made, plan.yaml
    before = tree(plans)
    for when in writes:
        failed = under_strace(plans, carry, f"write:error=ENOSPC:when={when}", trace="write")
        assert failed.returncode == OUTPUT_FAILED, (when, failed.stdout + failed.stderr)
        assert tree(plans) == before, when
    for when in range(1, 5):
        interrupted = under_strace(plans, carry, f"{RENAMES}:signal=SIGINT:when={when}")
        assert interrupted.returncode in INTERRUPTED, (when, interrupted.stderr)
        assert tree(plans) == before, when
    done = bvplan(plans, *carry)
    assert done.returncode == 0, done.stderr
    assert "themes: [grants, property]" in (plans / "hp2/plan.yaml").read_text(encoding="utf-8")
    assert "carried_from: hp/PR1" in (plans / "hp2/property.yaml").read_text(encoding="utf-8")
    assert "carried_from: hp/GR1" in (plans / "hp2/grants.yaml").read_text(encoding="utf-8")
    assert not debris(plans)
