"""What every command shares: loading plans, and failing with a message rather than a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from bvplan.format.diagnostics import Report

if TYPE_CHECKING:
    from rich.console import Console

    from bvplan.format.loader import Loaded
    from bvplan.git.history import Comparison

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DEFAULT_PLANS = Path("plans")


def console(stderr: bool = False) -> Console:
    """The console every command prints with: checked writes, and text made safe (bvplan.cli.output)."""
    from bvplan.cli.output import console as safe_console

    return safe_console(stderr)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    console(stderr=True).print(f"bvplan: error: {message}")
    raise typer.Exit(code)


def load_or_exit(paths: list[Path] | None) -> Loaded:
    """Load and check plans for a command that needs them valid; problems end the command."""
    from bvplan.format.diagnostic_format import as_text
    from bvplan.format.loader import UsageError
    from bvplan.format.validation import validate

    try:
        loaded = validate(paths or [DEFAULT_PLANS])
    except UsageError as exc:
        fail(str(exc))
    if loaded.report.errors:
        err = console(stderr=True)
        for line in as_text(_only_errors(loaded.report), loaded.lines):
            err.print(line)
        err.print("bvplan: the plans have errors; fix them first ('bvplan validate' lists them).")
        raise typer.Exit(EXIT_PROBLEMS)
    return loaded


def _only_errors(report: Report) -> Report:
    from bvplan.format.diagnostics import Severity

    return Report([d for d in report.diagnostics if d.severity is Severity.ERROR], report.files_checked)


def compare_or_exit(since: str, until: str | None, plans_dir: Path, public: bool) -> Comparison:
    """The plans' changes between two git revisions, for `changes` and `report --since`."""
    from bvplan.format.diagnostic_format import as_text
    from bvplan.format.loader import UsageError
    from bvplan.git.history import PlansDoNotLoad, compare

    try:
        return compare(Path.cwd(), since, until, plans_dir, include_exempt=not public)
    except UsageError as exc:
        fail(str(exc))
    except PlansDoNotLoad as exc:
        err = console(stderr=True)
        for line in as_text(exc.loaded.report, exc.loaded.lines):
            err.print(line)
        fail(f"{exc}; both ends of a comparison must be plans that load", EXIT_PROBLEMS)
