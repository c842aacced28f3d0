"""The `bvplan-validate` pre-commit hook, run by the real pre-commit in a real git repository."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

PLAN = """\
id: demo
title: Demo improvement plan
authority: A borough council
board: Best Value Improvement Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
"""
THEME = """\
theme: Property
actions:
  - id: PR1
    title: Implement the Community Buildings Scheme
    owner: Director of Property
    milestones:
      - id: PR1.1
        title: Open the second Community Hub
        due: 2018-09-30
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit is not installed in this environment"),
]


def shipped_hook() -> dict[str, Any]:
    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())
    [hook] = [h for h in hooks if h["id"] == "bvplan-validate"]
    return dict(hook)


def local_config() -> str:
    """The shipped hook as a `repo: local` hook, run with this Python so the test needs no network."""
    hook = shipped_hook()
    assert hook["entry"] == "bvplan validate"
    hook["entry"] = f"{shlex.quote(sys.executable)} -m bvplan validate"
    hook["language"] = "system"
    # YAML is a superset of JSON: the config is written as JSON so no YAML writer is needed.
    return json.dumps({"repos": [{"repo": "local", "hooks": [hook]}]}, indent=2)


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "GITHUB_ACTIONS"}
        self.env.update(
            {
                "HOME": str(root.parent),
                "PRE_COMMIT_HOME": str(root.parent / "pre-commit-cache"),
                "GIT_CONFIG_NOSYSTEM": "1",
                "NO_COLOR": "1",
            }
        )

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args], cwd=self.root, env=self.env, capture_output=True, text=True, timeout=300
        )

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("git", *args)

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "council-plans"
    root.mkdir()
    repo = Repo(root)
    assert repo.git("init", "-q", "-b", "main").returncode == 0
    repo.git("config", "user.name", "Performance Officer")
    repo.git("config", "user.email", "performance@example.org")
    repo.git("config", "commit.gpgsign", "false")
    repo.write(".pre-commit-config.yaml", local_config())
    installed = repo.run(PRE_COMMIT, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    repo.write("plans/demo/plan.yaml", PLAN)
    repo.write("plans/demo/property.yaml", THEME)
    repo.git("add", "-A")
    first = repo.git("commit", "-q", "-m", "The plan")
    assert first.returncode == 0, first.stdout + first.stderr
    return repo


def test_shipped_hook_matches_plan_files_only() -> None:
    pattern = re.compile(shipped_hook()["files"])

    assert pattern.search("plans/bvip-2018-19/property.yaml")
    assert pattern.search("plans/bvip-2018-19/plan.yml")
    assert not pattern.search("docs/plans/x.yaml")
    assert not pattern.search(".pre-commit-config.yaml")


def test_good_commit_is_accepted(repo: Repo) -> None:
    repo.write("plans/demo/property.yaml", THEME + "        completed: 2018-09-01\n")
    repo.git("add", "-A")
    before = repo.head()

    result = repo.git("commit", "-m", "PR1.1 completed")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "bvplan validate" in result.stdout + result.stderr
    assert "Passed" in result.stdout + result.stderr
    assert repo.head() != before


def test_bad_commit_is_refused_with_the_message(repo: Repo) -> None:
    repo.write("plans/demo/property.yaml", THEME.replace("due:", "deu:"))
    repo.git("add", "-A")
    before = repo.head()

    result = repo.git("commit", "-m", "A typo")

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Failed" in output
    assert "plans/demo/property.yaml:9:9: error[BV201]: unknown key 'deu'" in output
    assert "did you mean 'due'?" in output
    assert repo.head() == before


def test_files_outside_plans_do_not_run_the_hook(repo: Repo) -> None:
    repo.write("notes/draft.yaml", "not: [valid\n")
    repo.git("add", "-A")

    result = repo.git("commit", "-m", "Notes")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "(no files to check)Skipped" in result.stdout + result.stderr
