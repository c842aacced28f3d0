"""`bvplan site` as a user runs it: the command's output, its arguments, its exit codes, its bytes.

In-process through `bvplan.cli.main` (the `run_main` fixture), but for a full disk, which strace
injects into a real process.

The site's content is tested in-process in tests/papers/test_site.py, in a browser in
tests/e2e/test_site_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bvplan.cli import site as site_command
from tests.conftest import SHIPPED_PLANS, RunMain
from tests.e2e.test_faults import OUTPUT_FAILED, _strace_works, under_strace
from tests.papers.test_site import visible


def test_the_command_builds_the_shipped_site_twice_alike(run_main: RunMain, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        result = run_main("site", "--plans", SHIPPED_PLANS, "--as-of", "2026-03-31", "-o", out)
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(r"wrote \d+ pages and \d+ other files to .*\n", result.stderr)
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)
    # By 31 March 2026 every shipped board has met: the browser tests' site has every page of today's.
    today = tmp_path / "today"
    assert run_main("site", "--plans", SHIPPED_PLANS, "-o", today).returncode == 0
    assert sorted(p.relative_to(today) for p in today.rglob("*") if p.is_file()) == names
    statement = visible((first / "accessibility.html").read_text(encoding="utf-8"))
    assert "improvement.plan@example.org" in statement


def test_the_command_says_what_is_wrong_with_its_arguments(run_main: RunMain, tmp_path: Path) -> None:
    bad = run_main("site", "--plans", SHIPPED_PLANS, "--as-of", "30/09/2018", "-o", tmp_path / "out")
    assert bad.returncode == 2 and "--as-of '30/09/2018' is not a date" in bad.stderr
    inside = run_main("site", "--plans", SHIPPED_PLANS, "-o", SHIPPED_PLANS / "public")
    assert inside.returncode == 2 and "plans folder" in inside.stderr
    assert not (SHIPPED_PLANS / "public").exists()


@pytest.mark.skipif(not _strace_works(), reason="strace is missing or may not trace here: .ci/run installs it")
def test_a_full_disk_ends_the_command_with_exit_74_and_no_temporary_files(tmp_path: Path) -> None:
    """The third fsync fails with ENOSPC, injected from outside the process by strace."""
    out = tmp_path / "public"
    result = under_strace(SHIPPED_PLANS, ["site", "-o", str(out)], "fsync:error=ENOSPC:when=3", trace="fsync")
    assert result.returncode == OUTPUT_FAILED, result.stderr
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".bvplan-tmp")]


def test_the_help_promises_the_public_rule_and_the_same_bytes() -> None:
    words = " ".join((site_command.site.__doc__ or "").split())
    assert "Nothing marked exempt is shown or counted" in words and "the same bytes" in words
