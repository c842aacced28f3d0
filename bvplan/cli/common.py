"""What every command shares: loading plans, and failing with a message rather than a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from bvplan.format.diagnostics import Report

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from bvplan.format.loader import Loaded
    from bvplan.format.workspace import Plan
    from bvplan.git.history import Comparison

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DEFAULT_PLANS = Path("plans")


def console(stderr: bool = False) -> Console:
    from rich.console import Console  # a fifth of `bvplan --help`: imported only to print

    # Colour only for a terminal; rich honours NO_COLOR itself. Width is fixed when piped so that
    # output does not depend on the terminal a script happens to run in.
    file = sys.stderr if stderr else sys.stdout
    interactive = file.isatty()
    # NO_COLOR asks for plain text: no bold or underline escapes either, not only no colour.
    plain = bool(os.environ.get("NO_COLOR")) or not interactive
    return Console(
        file=file,
        highlight=False,
        soft_wrap=not interactive,
        width=None if interactive else 100,
        no_color=plain,
        color_system=None if plain else "auto",
        emoji=False,
        markup=False,
    )


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    console(stderr=True).print(f"bvplan: error: {message}")
    raise typer.Exit(code)


def load_or_exit(paths: list[Path] | None) -> Loaded:
    """Load and check plans for a command; a path that cannot be used ends it (exit 2).

    Errors in the files are not judged here: once the command knows which plans it uses,
    `require_sound` ends it if those have errors and mentions errors elsewhere.
    """
    from bvplan.format.loader import UsageError
    from bvplan.format.validation import validate

    try:
        return validate(paths or [DEFAULT_PLANS])
    except UsageError as exc:
        fail(str(exc))


def require_sound(loaded: Loaded, used: Sequence[Plan], everything: bool = False) -> None:
    """End the command (exit 1) if a plan it uses has errors; say so if plans it does not use have some.

    `everything`: every error counts as the command's own (when it could not choose its plans, a
    plan that did not load may be the one it was after).
    """
    from bvplan.format.diagnostic_format import as_text

    errors = _only_errors(loaded.report)
    folders = tuple(plan.folder.rstrip("/") + "/" for plan in used)
    mine = [d for d in errors.diagnostics if everything or d.path.startswith(folders)]
    err = console(stderr=True)
    if mine:
        for line in as_text(Report(mine, errors.files_checked), loaded.lines):
            err.print(line)
        err.print("bvplan: the plans have errors; fix them first ('bvplan validate' lists them).")
        raise typer.Exit(EXIT_PROBLEMS)
    elsewhere = sorted({d.path for d in errors.diagnostics})
    if elsewhere:
        count = len(errors.diagnostics)
        shown = ", ".join(elsewhere[:3]) + (", ..." if len(elsewhere) > 3 else "")
        err.print(
            f"bvplan: note: {count} error{'s' if count != 1 else ''} in files this command does not use ({shown}); "
            "'bvplan validate' lists them"
        )


def _only_errors(report: Report) -> Report:
    from bvplan.format.diagnostics import Severity

    return Report([d for d in report.diagnostics if d.severity is Severity.ERROR], report.files_checked)


def compare_or_exit(since: str, until: str | None, plans_dir: Path, public: bool) -> Comparison:
    """The plans' changes between two git revisions, for `changes` and `report --since`."""
    from bvplan.format.diagnostic_format import as_text
    from bvplan.format.loader import UsageError
    from bvplan.git.history import PlansDoNotLoad, compare

    try:
        # The repository is the one holding the plans folder, wherever the command is run from.
        start = plans_dir.resolve() if plans_dir.is_dir() else Path.cwd()
        return compare(start, since, until, plans_dir.resolve(), include_exempt=not public)
    except UsageError as exc:
        fail(str(exc))
    except PlansDoNotLoad as exc:
        err = console(stderr=True)
        for line in as_text(exc.loaded.report, exc.loaded.lines):
            err.print(line)
        fail(f"{exc}; both ends of a comparison must be plans that load", EXIT_PROBLEMS)
