"""Every shell example in README.md runs, as printed, with the exit code it documents.

Each ```sh block runs as one bash script in a fresh folder holding a copy of the shipped plans,
committed to a new git repository (so `changes` examples have history), with this venv's bvplan and
pre-commit first on PATH. Each line is one command, whose exit code must be 0 unless its comment
says `exits N`. A block is left out only when an HTML comment just above it says
`<!-- readme-test: skip (why) -->` (installing from an index, benchmarks, the whole test suite).
New examples anywhere in the README are picked up with no change here.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, SHIPPED_PLANS

README = REPO / "README.md"
EXPECTED_EXIT = re.compile(r"#.*\bexits (\d+)\b")
SKIP = "<!-- readme-test: skip"


@dataclass(frozen=True)
class Example:
    line: int  # of the block's opening fence in README.md
    commands: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"README.md:{self.line}"


def examples(text: str) -> tuple[list[Example], list[int]]:
    """The ```sh blocks to run, and the lines of those skipped on purpose."""
    lines = text.splitlines()
    found: list[Example] = []
    skipped: list[int] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```sh":
            index += 1
            continue
        start = index
        body: list[str] = []
        index += 1
        while lines[index].strip() != "```":
            body.append(lines[index])
            index += 1
        above = [line.strip() for line in lines[max(0, start - 3) : start] if line.strip().startswith("<!--")]
        if any(line.startswith(SKIP) for line in above):
            skipped.append(start + 1)
        else:
            found.append(Example(start + 1, tuple(_commands(body))))
        index += 1
    return found, skipped


def _commands(body: list[str]) -> list[str]:
    commands: list[str] = []
    pending = ""
    for line in body:
        pending += line
        if line.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        if pending.strip() and not pending.strip().startswith("#"):
            commands.append(pending)
        pending = ""
    return commands


def script(example: Example) -> str:
    """Bash that runs each command and stops at the first whose exit code is not the documented one."""
    parts = ["set +e"]
    for number, command in enumerate(example.commands, 1):
        match = EXPECTED_EXIT.search(command)
        expected = int(match.group(1)) if match else 0
        shown = shlex.quote(command)
        parts += [
            command,
            "rc=$?",
            f'if [ "$rc" -ne {expected} ]; then echo "command {number} exited $rc, not {expected}:" {shown} >&2; '
            "exit 99; fi",
        ]
    return "\n".join(parts) + "\n"


def _environment(home: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment.update(
        {
            "PATH": bin_dir + os.pathsep + environment.get("PATH", ""),
            "HOME": str(home),
            "NO_COLOR": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Policy Officer",
            "GIT_AUTHOR_EMAIL": "policy@example.org",
            "GIT_COMMITTER_NAME": "Policy Officer",
            "GIT_COMMITTER_EMAIL": "policy@example.org",
            "PRE_COMMIT_HOME": str(home / "pre-commit-cache"),
        }
    )
    return environment


FOUND, SKIPPED = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples_and_skips_few() -> None:
    assert len(FOUND) >= 6
    assert len(SKIPPED) <= 4, SKIPPED


@pytest.mark.parametrize("example", FOUND, ids=[e.name for e in FOUND])
def test_readme_example_runs_with_its_documented_exit_code(example: Example, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(SHIPPED_PLANS, work / "plans")
    environment = _environment(tmp_path)
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "The shipped plans")):
        subprocess.run(["git", *args], cwd=work, env=environment, check=True, capture_output=True)
    result = subprocess.run(
        ["bash", "-c", script(example)], cwd=work, env=environment, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{example.name}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr


def test_the_harness_checks_documented_exit_codes(tmp_path: Path) -> None:
    """A wrong exit code fails the example, and `exits N` is honoured: this harness can fail."""
    wrong = Example(1, ("false",))
    documented = Example(1, ("false   # exits 1",))
    assert subprocess.run(["bash", "-c", script(wrong)], cwd=tmp_path).returncode == 99
    assert subprocess.run(["bash", "-c", script(documented)], cwd=tmp_path).returncode == 0
