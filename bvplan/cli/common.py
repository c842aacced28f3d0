"""What every command shares: loading plans, and failing with a message rather than a traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from bvplan.format.diagnostics import Report
    from bvplan.format.loader import Loaded
    from bvplan.format.workspace import Plan
    from bvplan.git.history import Comparison

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_OUTPUT_FAILED = 74  # an output could not be written in full (bvplan.errors.OutputFailed)
DEFAULT_PLANS = Path("plans")


def console(stderr: bool = False) -> Console:
    """The console every command prints with: checked writes, and text made safe (bvplan.cli.output)."""
    from bvplan.cli.output import console as safe_console

    return safe_console(stderr)


# What rich leaves out of printed text (bell, backspace, vertical tab, form feed, carriage return):
# plain output drops the same, so that it reads the same with or without a terminal.
_STRIPPED = dict.fromkeys((7, 8, 11, 12, 13))


def as_printed(text: str) -> str:
    """`text` as rich's console prints it unstyled: those control codes dropped, tabs expanded to 8."""
    text = text.translate(_STRIPPED)
    if "\t" not in text:
        return text
    from rich.cells import cell_len

    lines = []
    for line in text.split("\n"):
        column, pieces = 0, []
        parts = line.split("\t")
        for part in parts[:-1]:
            column += cell_len(part)
            pad = 8 - column % 8
            pieces.append(part + " " * pad)
            column += pad
        lines.append("".join(pieces) + parts[-1])
    return "\n".join(lines)


def say(lines: Iterable[str], stderr: bool = False) -> None:
    """Print plain lines: through rich on a terminal, written as they are (as rich would) otherwise."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        out = console(stderr)
        for line in lines:
            out.print(line)
    else:
        stream.write("".join(as_printed(line) + "\n" for line in lines))


def show_diagnostics(report: Report, sources: Mapping[str, Sequence[str]], stderr: bool = False) -> None:
    """Diagnostics with excerpts: styled by rich on a terminal, plain text (no rich) otherwise."""
    from bvplan.format.diagnostic_format import as_plain_text, as_text

    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        out = console(stderr)
        for text in as_text(report, sources):
            out.print(text)
    else:
        stream.write("".join(as_printed(line) + "\n" for line in as_plain_text(report, sources)))


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    say([f"bvplan: error: {message}"], stderr=True)
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
    from bvplan.format.diagnostics import Report

    errors = _only_errors(loaded.report)
    folders = tuple(plan.folder.rstrip("/") + "/" for plan in used)
    mine = [d for d in errors.diagnostics if everything or d.path.startswith(folders)]
    if mine:
        show_diagnostics(Report(mine, errors.files_checked), loaded.lines, stderr=True)
        say(["bvplan: the plans have errors; fix them first ('bvplan validate' lists them)."], stderr=True)
        raise typer.Exit(EXIT_PROBLEMS)
    elsewhere = sorted({d.path for d in errors.diagnostics})
    if elsewhere:
        count = len(errors.diagnostics)
        shown = ", ".join(elsewhere[:3]) + (", ..." if len(elsewhere) > 3 else "")
        say(
            [
                f"bvplan: note: {count} error{'s' if count != 1 else ''} in files this command does not use "
                f"({shown}); 'bvplan validate' lists them"
            ],
            stderr=True,
        )


def _only_errors(report: Report) -> Report:
    from bvplan.format.diagnostics import Report, Severity

    return Report([d for d in report.diagnostics if d.severity is Severity.ERROR], report.files_checked)


def compare_or_exit(since: str, until: str | None, plans_dir: Path, public: bool) -> Comparison:
    """The plans' changes between two git revisions, for `changes` and `report --since`."""
    from bvplan.format.loader import UsageError
    from bvplan.git.history import PlansDoNotLoad, compare

    try:
        # The repository is the one holding the plans folder, wherever the command is run from.
        start = plans_dir.resolve() if plans_dir.is_dir() else Path.cwd()
        return compare(start, since, until, plans_dir.resolve(), include_exempt=not public)
    except UsageError as exc:
        fail(str(exc))
    except PlansDoNotLoad as exc:
        show_diagnostics(exc.loaded.report, exc.loaded.lines, stderr=True)
        fail(f"{exc}; both ends of a comparison must be plans that load", EXIT_PROBLEMS)
