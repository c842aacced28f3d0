"""What an outside red team broke, held as classes: output that cannot be written, output that does harm
where it lands, arguments that are not text, special files, owners, line endings, periods that do
not cover every day, and init failing half-way. Faults injected from outside the process (a kill,
Ctrl-C or a full disk at one system call) are in tests/e2e/test_faults.py.

The hostile corpus (tests/hostile/) holds the single cases; here are the ones that need a real
terminal, a full disk (/dev/full), a closed pipe, another user's file, or many runs (fuzzing).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bvplan.cli.output import clean, defuse_workflow_commands, safe_json
from bvplan.format.periods import make_period, period_for_date
from tests.conftest import RunCli, run_in_terminal
from tests.e2e.test_hostile import CORPUS, run_bounded

EXAMPLES = int(os.environ.get("BVPLAN_FUZZ_EXAMPLES", "150"))
FROM, TO = "bvip-2017-18", "bvip-2018-19"
# Valid text that does harm where it lands: a bidi override and a workflow command on a line of its own.
HOSTILE_TITLE = '"Report\\u202e\\n::error file=x::pwned\\u2066"'
# Not text at all: escape sequences (a plan may not hold them, BV350), refused with no raw escape shown.
CONTROL_TITLE = '"Report\\e[2J\\e]0;pwned\\a\\x9b1m"'


def _environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment["NO_COLOR"] = "1"
    return environment


def _bvplan(*args: str | os.PathLike[str]) -> list[str]:
    return [sys.executable, "-m", "bvplan", *map(str, args)]


def _titled(work: Path, title: str) -> Path:
    shutil.copytree(CORPUS / "_base", work)
    grants = work / "plans/hp/grants.yaml"
    grants.write_text(grants.read_text(encoding="utf-8").replace("Report to CMT", title), "utf-8")
    return work


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The corpus's small plan, its milestone titled with a bidi override and a workflow command."""
    return _titled(tmp_path / "case", HOSTILE_TITLE)


@pytest.fixture
def controls(tmp_path: Path) -> Path:
    """The corpus's small plan, its milestone titled with escape sequences (refused: BV350)."""
    return _titled(tmp_path / "controls", CONTROL_TITLE)


# ---- standard output that cannot be written ---------------------------------------------------------

EVERY_OUTPUT = [
    ["status", "--as-of", "2018-06-30", "--format", "json"],
    ["status", "--as-of", "2018-06-30", "--format", "csv"],
    ["status", "--as-of", "2018-06-30", "--format", "markdown"],
    ["status", "--as-of", "2018-06-30"],
    ["report", "2018-19", "q1"],
    ["report", "2018-19", "q1", "--format", "html"],
    ["validate", "plans"],
    ["validate", "plans", "--format", "json"],
    ["schema", "theme"],
    ["carry-forward", "--from", FROM, "--to", "bvip-2019-20"],
]


@pytest.mark.parametrize("args", EVERY_OUTPUT, ids=lambda a: " ".join(a))
def test_a_full_disk_on_standard_output_is_an_error_not_a_silent_half(
    args: list[str], plans_copy: Path, tmp_path: Path
) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            _bvplan(*args),
            cwd=tmp_path,
            env=_environment(),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 74, result.stderr
    assert "cannot write to standard output: No space left on device" in result.stderr


@pytest.mark.parametrize("args", EVERY_OUTPUT[:6], ids=lambda a: " ".join(a))
def test_a_reader_that_stops_early_is_not_an_error(args: list[str], plans_copy: Path, tmp_path: Path) -> None:
    """`bvplan ... | head -1`: bvplan stops writing quietly, exit 0."""
    process = subprocess.Popen(
        _bvplan(*args), cwd=tmp_path, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # the reader goes away, as head does
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, error
    assert "Traceback" not in error and "Exception" not in error, error


# ---- output that does harm where it lands -----------------------------------------------------------


def test_a_terminal_never_receives_escape_sequences_from_a_plan(hostile: Path, controls: Path) -> None:
    """A real terminal, colour on: rich's own styles pass, nothing from the plan or the arguments does."""
    for folder, args in (
        (hostile, ["status", "--plans", "plans", "--as-of", "2018-06-30", "--format", "markdown"]),
        (hostile, ["status", "--plans", "plans", "--as-of", "2018-06-30"]),
        (hostile, ["report", "q1", "--plans", "plans", "--plan", "hp"]),
        (hostile, ["complete", "\x1b]0;pwned\x07", "--plans", "plans"]),
        (controls, ["validate", "plans"]),
        (controls, ["status", "--plans", "plans", "--as-of", "2018-06-30"]),
        (controls, ["report", "q1", "--plans", "plans", "--plan", "hp"]),
    ):
        shown = run_in_terminal(folder, *args)
        assert "Traceback" not in shown
        for sequence in ("\x1b[2J", "\x1b]0;", "\x07", "\u202e", "\u2066", "\x9b"):
            assert sequence not in shown, (args, shown)
    markdown = run_in_terminal(hostile, "status", "--plans", "plans", "--as-of", "2018-06-30", "--format", "markdown")
    assert "\\u202e" in markdown  # shown as an escape: the reader sees what is in the file
    refused = run_in_terminal(controls, "validate", "plans")
    assert "error[BV350]" in refused and "U+001B (escape)" in refused


def test_no_output_line_is_a_workflow_command(hostile: Path, run_cli: RunCli) -> None:
    """Under GitHub Actions, a line starting '::' is a command to the runner; none comes from a plan."""
    outputs = []
    for args in (
        ["status", "--plans", "plans", "--as-of", "2018-06-30", "--format", fmt] for fmt in ("csv", "markdown", "table")
    ):
        outputs.append(run_cli(*args, cwd=hostile))
    outputs.append(run_cli("report", "q1", "--plans", "plans", "--plan", "hp", cwd=hostile))
    outputs.append(run_cli("complete", "GR1.9\n::error::x", "--plans", "plans", cwd=hostile))
    for result in outputs:
        for line in (result.stdout + result.stderr).splitlines():
            assert not line.lstrip().startswith(("::", "##[")), line
    assert any("pwned" in r.stdout for r in outputs)


@given(st.text(max_size=60))
@settings(max_examples=EXAMPLES, deadline=None)
def test_cleaned_text_holds_no_control_and_no_workflow_command(text: str) -> None:
    shown = defuse_workflow_commands(clean(text))
    assert not any((ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(line.lstrip(" \t").startswith(("::", "##[")) for line in shown.split("\n"))
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in shown)


@given(st.text(max_size=60))
@settings(max_examples=EXAMPLES, deadline=None)
def test_json_escaping_keeps_the_data(text: str) -> None:
    import json

    encoded = safe_json(json.dumps(text, ensure_ascii=False))
    assert not any(0x7F <= ord(c) <= 0x9F for c in encoded)
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        assert json.loads(encoded) == text


# ---- arguments that are not text (fuzzing over every command's options) -----------------------------

COMMAND_LINES = [
    ["status", "--plans", "plans", "--as-of", "{}"],
    ["status", "--plans", "plans", "--theme", "{}"],
    ["status", "--plans", "plans", "--plan", "{}"],
    ["report", "{}", "--plans", "plans"],
    ["report", "q1", "--plans", "plans", "--plan", "hp", "--item", "{}"],
    ["report", "q1", "--plans", "plans", "--plan", "hp", "--author", "{}"],
    ["report", "q1", "--plans", "plans", "--plan", "hp", "--since", "{}"],
    ["complete", "{}", "--plans", "plans"],
    ["note", "GR1.1", "{}", "--plans", "plans", "--dry-run"],
    ["revise", "GR1.1", "--to", "2018-09-30", "--reason", "{}", "--plans", "plans", "--dry-run"],
    ["carry-forward", "--from", "hp", "--to", "{}", "--plans", "plans"],
    ["changes", "--since", "{}", "--plans", "plans"],
    ["init", "new", "--authority", "{}", "--year", "2018-19"],
    ["validate", "{}"],
    ["{}"],
]


@given(
    line=st.sampled_from(COMMAND_LINES),
    value=st.binary(min_size=1, max_size=12).filter(lambda b: b"\0" not in b),
)
@settings(max_examples=max(10, EXAMPLES // 5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_bytes_as_any_argument_get_a_clean_answer(
    line: list[str], value: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("args")
    shutil.copytree(CORPUS / "_base/plans", work / "plans")
    before = {p: p.read_bytes() for p in (work / "plans").rglob("*.yaml")}
    args = [word.replace("{}", os.fsdecode(value)) for word in line]
    result = run_bounded(args, work)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, (args, output)
    assert result.returncode in (0, 1, 2), (args, output)
    assert {p: p.read_bytes() for p in (work / "plans").rglob("*.yaml")} == before
    if line[0] == "init" and result.returncode != 0:
        assert not (work / "new").exists()  # a refused init leaves nothing behind


# ---- special files as output ------------------------------------------------------------------------


def _special(kind: str, where: Path) -> Path:
    target = where / "paper.md"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "socket":
        import socket

        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to({"null": "/dev/null", "full": "/dev/full", "zero": "/dev/zero", "tty": "/dev/tty"}[kind])
    return target


@pytest.mark.parametrize("kind", ["fifo", "socket", "folder", "null", "full", "zero", "tty"])
def test_report_onto_a_special_file_is_streamed_or_refused_never_replaced(
    kind: str, plans_copy: Path, tmp_path: Path
) -> None:
    target = _special(kind, tmp_path)
    before = os.lstat(target)
    result = run_bounded(["report", "2018-19", "q1", "-o", "paper.md", "--format", "md"], tmp_path)
    assert "Traceback" not in result.stderr
    # Streamed (0); refused (2); a device that takes nothing, /dev/full: the paper is not written (74).
    # /dev/tty streams where the tests have a terminal, and is refused where they have none.
    expected = {"fifo": (2,), "socket": (2,), "folder": (2,), "null": (0,), "full": (74,), "zero": (0,)}
    assert result.returncode in expected.get(kind, (0, 2)), result.stderr
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)  # the very same file
    for device in ("/dev/null", "/dev/full", "/dev/zero"):
        assert Path(device).is_char_device()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".bvplan-tmp")]


# ---- owners and line endings ------------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_an_edit_by_root_keeps_the_owner_group_and_mode(plans_copy: Path, run_cli: RunCli) -> None:
    theme = plans_copy / "bvip-2018-19/property.yaml"
    os.chown(theme, 12345, 23456)
    theme.chmod(0o640)
    done = run_cli("note", "bvip-2018-19/PR1.6", "Checked", "--on", "2018-06-30", "--plans", plans_copy)
    assert done.returncode == 0, done.stderr
    info = theme.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (12345, 23456, 0o640)
    assert "Checked" in theme.read_text(encoding="utf-8")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_every_edit_keeps_the_files_own_line_endings(newline: str, plans_copy: Path, run_cli: RunCli) -> None:
    theme = plans_copy / "bvip-2018-19/property.yaml"
    theme.write_bytes(theme.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", newline.encode()))
    for args in (
        ["note", "bvip-2018-19/PR1.6", "Checked", "--on", "2018-06-30"],
        ["revise", "bvip-2018-19/PR1.6", "--to", "2018-12-31", "--reason", "Later", "--proposed", "2018-06-30"],
        ["agree", "bvip-2018-19/PR1.6", "--on", "2018-07-01"],
        ["complete", "bvip-2018-19/PR1.6", "--on", "2018-07-02"],
    ):
        done = run_cli(*args, "--plans", plans_copy)
        assert done.returncode == 0, (args, done.stderr)
    data = theme.read_bytes()
    others = {"\n": [b"\r"], "\r\n": [b"\r\r", b"\n\n"], "\r": [b"\n"]}[newline]
    if newline == "\r\n":
        assert data.replace(b"\r\n", b"").count(b"\n") == 0 and data.replace(b"\r\n", b"").count(b"\r") == 0
    for other in others:
        assert other not in data.replace(b"\r\n", b"") if newline != "\r\n" else other not in data


# ---- periods cover every day ------------------------------------------------------------------------


@given(
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    when=st.dates(dt.date(1990, 1, 1), dt.date(9999, 12, 31)),
    cadence=st.sampled_from(["quarterly", "six-monthly"]),
)
@settings(max_examples=EXAMPLES * 4, deadline=None)
def test_every_day_falls_in_exactly_one_period_whatever_the_year_start(
    month: int, day: int, when: dt.date, cadence: str
) -> None:
    """Even year starts the format refuses (02-29, 04-31) leave no day outside a period."""
    year_start = f"{month:02d}-{day:02d}"
    period = period_for_date(when, cadence, year_start)
    assert period.start <= when == period.end
    full = make_period(period.year, period.part, year_start)
    assert full.start <= when <= full.end


# ---- init: all or nothing -------------------------------------------------------------------------


def test_init_that_fails_half_way_leaves_nothing_behind(tmp_path: Path, run_cli: RunCli) -> None:
    """A file where init needs a folder (schemas/) fails the run after other files were written: they go."""
    target = tmp_path / "council"
    target.mkdir()
    (target / "schemas").write_text("not a folder", encoding="utf-8")
    failed = run_cli("init", target, "--authority", "A council", "--year", "2018-19")
    assert failed.returncode == 2, failed.stderr
    assert "Traceback" not in failed.stderr
    assert sorted(p.name for p in target.rglob("*")) == ["schemas"]
    (target / "schemas").unlink()
    again = run_cli("init", target, "--authority", "A council", "--year", "2018-19")
    assert again.returncode == 0, again.stderr  # and a second run starts clean
