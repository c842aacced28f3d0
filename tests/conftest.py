"""Fixtures shared by every test module. Add module-specific fixtures in the module itself."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLANS = REPO / "plans"
# The plans of 2015-19, from the council's papers. Tests that pin "today" in 2018 (BVPLAN_TODAY) use
# these: the invented example-2025-26 plan records facts dated 2025-26, which would then be in the future.
HISTORIC_PLANS = ("bvap-2015-16", "bvip-2017-18", "bvip-2018-19")


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def plans_copy(tmp_path: Path) -> Path:
    """A copy of the shipped 2015-19 plans (HISTORIC_PLANS), safe to edit: tmp_path/plans."""
    target = tmp_path / "plans"
    for plan in HISTORIC_PLANS:
        shutil.copytree(SHIPPED_PLANS / plan, target / plan)
    return target


RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli() -> RunCli:
    """Run `python -m bvplan ARGS` in a real process, as a user would; returns the completed process.

    Colour is off (NO_COLOR) and GITHUB_ACTIONS is cleared so output does not depend on where tests run.
    """

    def run(
        *args: str | os.PathLike[str],
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
        environment["NO_COLOR"] = "1"
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "bvplan", *map(str, args)],
            cwd=cwd,
            env=environment,
            input=input,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run


def run_in_terminal(cwd: Path, *args: str, columns: int = 160, no_color: bool = False) -> str:
    """Run `python -m bvplan ARGS` attached to a real pseudo-terminal, as a person at a terminal would;
    returns everything it printed (stdout and stderr), with the terminal's CRLF turned back into LF."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS", "TERM")}
    environment.update({"TERM": "xterm-256color", "COLUMNS": str(columns)})
    if no_color:
        environment["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bvplan", *args], cwd=cwd, env=environment, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")
