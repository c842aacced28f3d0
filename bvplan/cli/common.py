"""What every command shares: loading plans, printing lines and diagnostics, and refusing with a message.

Nothing here picks an exit code: a refusal raises an error of `bvplan.errors`, and the error
boundary (`bvplan.cli.boundary`) prints it and ends the command with its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from bvplan.cli import output
from bvplan.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from bvplan.format.diagnostics import Report
    from bvplan.format.loader import Loaded
    from bvplan.format.workspace import Plan
    from bvplan.git.history import Comparison
    from bvplan.rules.selection import Selection

DEFAULT_PLANS = Path("plans")


def console(stderr: bool = False) -> Console:
    """The console every command prints with: checked writes, and text made safe (bvplan.cli.output)."""
    return output.console(stderr)


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
    if output.is_terminal(stderr):
        out = console(stderr)
        for line in lines:
            out.print(line)
    else:
        stream = output.stderr() if stderr else output.stdout()
        stream.write("".join(as_printed(line) + "\n" for line in lines))


def show_diagnostics(report: Report, sources: Mapping[str, Sequence[str]], stderr: bool = False) -> None:
    """Diagnostics with excerpts: styled by rich on a terminal, plain text (no rich) otherwise."""
    from bvplan.format.diagnostic_format import as_plain_text, as_text

    if output.is_terminal(stderr):
        out = console(stderr)
        for text in as_text(report, sources):
            out.print(text)
    else:
        stream = output.stderr() if stderr else output.stdout()
        stream.write("".join(as_printed(line) + "\n" for line in as_plain_text(report, sources)))


def fail(message: str) -> NoReturn:
    """Refuse what was asked: a UsageError, which the error boundary prints and ends with its code."""
    raise UsageError(message)


def load_plans(paths: list[Path] | None) -> Loaded:
    """Load and check plans for a command; a path that cannot be used raises UsageError.

    Errors in the files are not judged here: once the command knows which plans it uses,
    `require_sound` refuses if those have errors and mentions errors elsewhere.
    """
    from bvplan.rules.validation import validate

    return validate(paths or [DEFAULT_PLANS])


def plans_on(plans_dir: Path, when: str | None, plan_id: str | None, public: bool = False) -> tuple[Loaded, Selection]:
    """The plans a reporting command is about: loaded, chosen by `--as-of` (or a period) and `--plan`
    (bvplan.rules.selection), and sound; their public view (bvplan.rules.public_view) when `public`.
    When none can be chosen, errors in the files come first: they may be why."""
    from bvplan.clock import today
    from bvplan.rules.selection import SelectionError, select

    loaded = load_plans([plans_dir])
    if public:
        from bvplan.rules.public_view import public_view

        workspace = public_view(loaded.workspace).workspace
    else:
        workspace = loaded.workspace
    try:
        selection = select(workspace, when, plan_id, today())
    except SelectionError:
        require_sound(loaded, loaded.workspace.plans, everything=True)
        raise
    require_sound(loaded, selection.plans)
    return loaded, selection


def require_sound(loaded: Loaded, used: Sequence[Plan], everything: bool = False) -> None:
    """Refuse (PlansInvalid, with the diagnostics) if a plan the command uses has errors; say so if
    plans it does not use have some.

    `everything`: every error counts as the command's own (when it could not choose its plans, a
    plan that did not load may be the one it was after).
    """
    from bvplan.format.diagnostics import PlansInvalid

    errors = _only_errors(loaded.report)
    folders = tuple(plan.folder.rstrip("/") + "/" for plan in used)
    mine = [d for d in errors.diagnostics if everything or d.path.startswith(folders)]
    if mine:
        raise PlansInvalid(
            "the plans have errors; fix them first ('bvplan validate' lists them)",
            mine,
            loaded.lines,
            errors.files_checked,
        )
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


def compare(since: str, until: str | None, plans_dir: Path, public: bool) -> Comparison:
    """The plans' changes between two git revisions, for `changes` and `report --since`."""
    from bvplan.git.history import compare as compare_revisions

    # The repository is the one holding the plans folder, wherever the command is run from.
    start = plans_dir.resolve() if plans_dir.is_dir() else Path.cwd()
    return compare_revisions(start, since, until, plans_dir.resolve(), include_exempt=not public)


def plain_table(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table as plain text, for anything but a terminal: one row a line, columns padded to their
    widest cell and two spaces apart, so that `grep`, `cut` and a diff read it as well as a person."""
    table = [list(headings), *(list(row) for row in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(headings))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    return "".join(line + "\n" for line in lines)
