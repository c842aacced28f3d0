"""The error boundary (bvplan/cli/boundary.py): every way a command ends has its documented exit code
and one message, in process through `bvplan.cli.main` and, for the real streams, in a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bvplan.cli import main
from bvplan.cli.boundary import EXIT_CODES, code_for, run
from bvplan.errors import (
    BvplanError,
    CheckFailed,
    MissingExtra,
    OutputFailed,
    PlanErrors,
    RefusedOutput,
    UsageError,
)
from tests.conftest import REPO, SHIPPED_PLANS


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (PlanErrors("x"), 1),
        (CheckFailed("x"), 1),
        (UsageError("x"), 2),
        (RefusedOutput("x"), 2),
        (MissingExtra("x"), 2),
        (OutputFailed("x"), 74),
        (KeyboardInterrupt(), 130),
        (ValueError("x"), 70),
        (AttributeError("x"), 70),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else str(value),
)
def test_each_error_has_its_code(error: BaseException, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert code_for(error) == code

    def fail() -> None:
        raise error

    assert run(fail) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line, never a traceback
    assert "Traceback" not in err


def test_an_internal_error_says_it_is_a_bug_and_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    table: dict[str, int] = {}

    def broken() -> None:
        _ = table["missing"]

    assert run(broken) == 70
    err = capsys.readouterr().err
    assert err == (
        "bvplan: internal error: KeyError: 'missing' (a bug in bvplan; rerun with --debug for the traceback)\n"
    )
    assert run(broken, debug=True) == 70
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert 'in broken\n    _ = table["missing"]' in err


def test_main_returns_the_code_and_writes_through_the_streams_of_the_call(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--as-of", "2018-06-30", "--format", "csv", "--plans", str(SHIPPED_PLANS)]) == 0
    first = capsys.readouterr()
    assert first.out.startswith("plan,theme,action,")
    assert first.err == ""
    assert main(["status", "--as-of", "2018-13-01", "--plans", str(SHIPPED_PLANS)]) == 2
    second = capsys.readouterr()
    assert second.out == ""  # nothing held over from the first call
    assert second.err == "bvplan: error: '2018-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2018-06-30\n"


def test_plans_with_errors_exit_1_and_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "missing")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    broken = tmp_path / "plans"
    broken.mkdir()
    (broken / "p").mkdir()
    (broken / "p" / "plan.yaml").write_text("id: p\ntitle: [unclosed\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    assert main(["status", "--plans", str(broken)]) == 1
    assert "the plans have errors" in capsys.readouterr().err


def test_typer_usage_errors_exit_2_and_are_cleaned(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--format", "bad\x07\x08"]) == 2
    err = capsys.readouterr().err
    assert "\x07" not in err
    assert "'bad\\x07\\x08' is not a format here" in err
    assert "Usage: bvplan status [OPTIONS]" in err
    assert main(["no-such-command"]) == 2
    assert "No such command 'no-such-command'" in capsys.readouterr().err


def test_help_lists_the_exit_codes_as_the_readme_does(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    helped = dict(re.findall(r"^ {4}(\d+) +(.+)$", shown.split("Exit codes:")[1], re.MULTILINE))
    assert {int(code): meaning for code, meaning in helped.items()} == dict(EXIT_CODES)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = re.split(r"\n##", readme.split("### Exit codes\n")[1])[0]
    documented = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", table, re.MULTILINE))
    assert {int(code): meaning for code, meaning in documented.items()} == dict(EXIT_CODES)


def test_version_and_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("bvplan ")
    assert main(["status", "--help"]) == 0
    assert "--as-of DATE" in capsys.readouterr().out


def _bvplan(shell: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    command = f"{sys.executable} -m bvplan"
    return subprocess.run(
        ["bash", "-c", shell.replace("bvplan", command)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_paper_cut_short_by_a_file_size_limit_exits_74(tmp_path: Path) -> None:
    # Python ignores SIGXFSZ, so the write past the limit fails with EFBIG after a short write.
    done = _bvplan(f"ulimit -f 10; bvplan report q1 --plan bvip-2018-19 --plans {SHIPPED_PLANS} > paper.md", tmp_path)
    assert done.returncode == 74, done.stderr
    assert done.stderr.endswith(
        "bvplan: error: cannot write to standard output: File too large; the output is incomplete\n"
    )
    assert (tmp_path / "paper.md").stat().st_size == 10 * 1024


def test_closed_standard_output_exits_74_and_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    closed = _bvplan(f"bvplan status --as-of 2018-06-30 --plans {SHIPPED_PLANS} >&-", tmp_path)
    assert closed.returncode == 74
    assert "cannot write to standard output" in closed.stderr
    head = _bvplan(
        f"bvplan status --as-of 2018-06-30 --format csv --plans {SHIPPED_PLANS} | head -1; exit ${{PIPESTATUS[0]}}",
        tmp_path,
    )
    assert head.returncode == 0, head.stderr
    assert head.stdout.startswith("plan,theme,")
    assert head.stderr == ""


def test_every_bvplan_error_is_one_of_the_documented_kinds() -> None:
    documented = (PlanErrors, CheckFailed, UsageError, OutputFailed)
    for kind in BvplanError.__subclasses__():
        assert issubclass(kind, documented), kind


def test_main_leaves_the_process_streams_as_they_were(capsys: pytest.CaptureFixture[str]) -> None:
    streams = (sys.stdout, sys.stderr)
    assert main(["status", "--as-of", "2018-06-30", "--plans", str(SHIPPED_PLANS)]) == 0
    assert main(["status", "--bogus"]) == 2
    assert (sys.stdout, sys.stderr) == streams
    capsys.readouterr()


def test_help_written_to_a_full_disk_exits_74(tmp_path: Path) -> None:
    done = _bvplan("bvplan --help > /dev/full", tmp_path)
    assert done.returncode == 74
    assert "No space left on device" in done.stderr
    assert _bvplan("bvplan", tmp_path).returncode == 2  # no command: the list of commands, as a usage error


def test_only_the_command_line_knows_typer_and_exit_codes() -> None:
    """Rules, edits, formats and papers raise bvplan.errors; they import no typer and pick no exit code."""
    package = REPO / "bvplan"
    for path in package.rglob("*.py"):
        if path.parent.name == "cli" or path.name == "__main__.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import typer|from typer)", text, re.MULTILINE), path
        assert not re.search(r"\bEXIT_(OK|PROBLEMS|USAGE|INTERNAL|OUTPUT\w*)\s*=|typer\.Exit|SystemExit\(", text), path


def test_an_error_quoting_what_was_typed_shows_control_characters_as_escapes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["status", "--as-of", "\x1b]0;owned\x07q1", "--plans", str(SHIPPED_PLANS)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "'\\x1b]0;owned\\x07q1' is not a period or date" in err
