"""Fixtures shared by every test module. Add module-specific fixtures in the module itself."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import os
import pkgutil
import pty
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import bvplan
import bvplan.clock

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLANS = REPO / "plans"
# The plans of 2015-19, from the council's papers. Tests that pin "today" in 2018 (BVPLAN_TODAY) use
# these: the invented example-2025-26 plan records facts dated 2025-26, which would then be in the future.
HISTORIC_PLANS = ("bvap-2015-16", "bvip-2017-18", "bvip-2018-19")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-goldens",
        action="store_true",
        help="rewrite the golden papers in tests/golden/ from what bvplan writes now (then read the diff)",
    )


@pytest.fixture
def regen_goldens(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are to be rewritten rather than compared (`--regen-goldens`)."""
    return bool(request.config.getoption("--regen-goldens"))


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


@dataclass(frozen=True)
class Ran:
    """What a command run in this process gave: the fields of a finished process that tests read."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


RunMain = Callable[..., Ran]


@pytest.fixture
def run_main() -> RunMain:
    """Run `bvplan ARGS` in this process through `bvplan.cli.main(argv)`: see `main_in_process`."""
    return main_in_process


def main_in_process(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: str | None = None,
) -> Ran:
    """Run `bvplan ARGS` in this process through `bvplan.cli.main(argv)`; returns its exit code and
    what it wrote to standard output and error. Usable where a fixture is not (module-scope fixtures).

    The same contract as `run_cli` without the process: `cwd`, `env` (added to this process's
    environment for the call), `input` (standard input). Colour is off (NO_COLOR), GITHUB_ACTIONS is
    cleared, and standard output is a pipe, not a terminal, as for `run_cli`. Everything changed for
    the call is put back after it. An exception that escapes `main` is a bug: it fails the test with
    its traceback.
    """
    from bvplan.cli import main

    argv = [os.fspath(arg) for arg in args]
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("GITHUB_ACTIONS", raising=False)
        patch.setenv("NO_COLOR", "1")
        patch.setenv("COLUMNS", "80")  # what a process whose output is piped takes for its width
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        if cwd is not None:
            patch.chdir(cwd)
        patch.setattr(sys, "stdin", io.StringIO(input or ""))
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        try:
            code = main(argv)
        except SystemExit as exit:
            code = _exit_status(exit.code, stderr)
        finally:
            for stream in (sys.stdout, sys.stderr):  # main may have put its own streams in place
                stream.flush()
    return Ran(argv, code if isinstance(code, int) else 0, _text_of(stdout), _text_of(stderr))


def _exit_status(code: object, stderr: io.TextIOWrapper) -> int:
    """The status a process ending with SystemExit(code) has, as Python's own exit gives it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    stderr.write(f"{code}\n")
    return 1


def _text_of(stream: io.TextIOWrapper) -> str:
    """What was written, read as `subprocess.run(text=True)` reads a pipe (universal newlines)."""
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


PinToday = Callable[[dt.date | str], None]


@pytest.fixture
def pin_today(monkeypatch: pytest.MonkeyPatch) -> PinToday:
    """Make bvplan's "today" (bvplan.clock.today) a given date for the rest of this test, in this process.

    Modules that took the function by name (`from bvplan.clock import today`) get the pinned one too.
    Every bvplan module is imported first, so none can take the pinned function by name and keep it
    after the test.
    """
    _import_every_module()
    real = bvplan.clock.today
    pinned_now: list[Callable[[], dt.date]] = [real]

    def pin(day: dt.date | str) -> None:
        date = dt.date.fromisoformat(day) if isinstance(day, str) else day

        def pinned() -> dt.date:
            return date

        for module in [m for name, m in sys.modules.items() if name == "bvplan" or name.startswith("bvplan.")]:
            for name, value in list(vars(module).items()):
                if value is real or value is pinned_now[0]:
                    monkeypatch.setattr(module, name, pinned)
        pinned_now[0] = pinned

    return pin


def _import_every_module() -> None:
    for module in pkgutil.walk_packages(bvplan.__path__, "bvplan."):
        if module.name != "bvplan.__main__":
            importlib.import_module(module.name)


RunCli = Callable[..., subprocess.CompletedProcess[str]]


def needs_weasyprint() -> None:
    """Skip the calling test unless WeasyPrint (the PDF paper) loads here, saying which step installs
    what is missing: the `office` extra (the README's set-up), or Pango, a system library that
    WeasyPrint loads at import and `.ci/run` installs (README, Development)."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        pytest.skip("WeasyPrint is not installed: pip install -e '.[test,office]' (README, Development)")
    except OSError as exc:
        pytest.skip(
            f"WeasyPrint cannot load Pango ({exc}): install Debian's libpango-1.0-0 and libpangoft2-1.0-0, "
            "as .ci/run does (README, Development)"
        )


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
