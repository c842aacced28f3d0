"""`bvplan report --since REV`: the paper's "Changes since the last meeting", read from real git history."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLANS, RunMain


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)


@pytest.fixture
def plan_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "council"
    repo.mkdir()
    shutil.copytree(SHIPPED_PLANS, repo / "plans")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.name", "Policy Officer")
    _git(repo, "config", "user.email", "policy@example.org")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "Plans as agreed")
    _git(repo, "tag", "board-2018-06-11")
    return repo


def test_report_lists_what_moved_since_the_tag(plan_repo: Path, run_main: RunMain) -> None:
    done = run_main("complete", "bvip-2018-19/PR1.4", "--on", "2018-07-02", cwd=plan_repo)
    assert done.returncode == 0, done.stderr
    paper = run_main("report", "q2", "--plan", "bvip-2018-19", "--since", "board-2018-06-11", cwd=plan_repo)
    assert paper.returncode == 0, paper.stderr
    section = paper.stdout.split("Changes since the last meeting", 1)[1].split("\n## ", 1)[0]
    assert "PR1.4" in section
    assert "2 Jul 2018" in section and "| Completed |" in section  # words and dates a board member reads
    assert "No changes were recorded" not in section


def test_report_without_changes_says_so(plan_repo: Path, run_main: RunMain) -> None:
    paper = run_main("report", "q1", "--plan", "bvip-2018-19", "--since", "board-2018-06-11", cwd=plan_repo)
    assert paper.returncode == 0, paper.stderr
    assert "No changes were recorded since the last meeting." in paper.stdout


def test_report_since_an_unknown_revision_is_a_usage_error(plan_repo: Path, run_main: RunMain) -> None:
    paper = run_main("report", "q1", "--plan", "bvip-2018-19", "--since", "board-2099-01-01", cwd=plan_repo)
    assert paper.returncode == 2
    assert "board-2099-01-01" in paper.stderr
    assert "Traceback" not in paper.stderr
    assert paper.stdout == ""


def test_report_without_since_has_no_changes_section(plan_repo: Path, run_main: RunMain) -> None:
    paper = run_main("report", "q1", "--plan", "bvip-2018-19", cwd=plan_repo)
    assert paper.returncode == 0, paper.stderr
    assert "Changes since the last meeting" not in paper.stdout
