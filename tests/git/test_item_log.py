"""Which commits changed an item, read through git: the change each made, with its commit, oldest first."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bvplan.git.item_log import item_commits
from tests.conftest import PinToday, RunMain


def git(repo: Path, home: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(home),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_each_commit_that_changed_the_item_with_what_it_changed(
    plans_copy: Path, run_main: RunMain, pin_today: PinToday, tmp_path: Path
) -> None:
    repo = plans_copy.parent
    git(repo, tmp_path, "init", "-q")
    git(repo, tmp_path, "add", "-A")
    git(repo, tmp_path, "commit", "-qm", "The plans")
    pin_today("2018-06-30")
    assert run_main("note", "GR4.1", "Contracts reviewed", "--on", "2018-06-30", "--plans", plans_copy).returncode == 0
    git(repo, tmp_path, "commit", "-qam", "GR4.1: contracts reviewed")
    assert run_main("note", "GR4.2", "Policy drafted", "--on", "2018-06-30", "--plans", plans_copy).returncode == 0
    git(repo, tmp_path, "commit", "-qam", "GR4.2: policy drafted")

    found = item_commits(plans_copy, {"bvip-2018-19/GR4.1"})
    assert [(commit.subject, change.item_id, change.kind) for commit, change in found] == [
        ("GR4.1: contracts reviewed", "GR4.1", "note-added")
    ]
    assert found[0][1].detail.endswith("Contracts reviewed")


def test_plans_outside_a_repository_are_refused(plans_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(plans_copy.parent.parent))
    with pytest.raises(Exception, match="not in a git repository"):
        item_commits(plans_copy, {"bvip-2018-19/GR4.1"})
