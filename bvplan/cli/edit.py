"""`bvplan revise | agree | complete | cancel | note`: one-line edits of a milestone, safely written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, console

if TYPE_CHECKING:
    from bvplan.edits.edit_commands import Found, Operation, Outcome

MilestoneArg = Annotated[
    str, typer.Argument(help="Milestone id, e.g. PR2.3; write PLAN/ID (bvip-2018-19/PR2.3) when ids repeat.")
]
OnOption = Annotated[str | None, typer.Option("--on", help="Date, YYYY-MM-DD. Default: today.", show_default=False)]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")]
PlansDir = Annotated[Path, typer.Option("--plans", help="The plans folder.")]


def run_edit(
    plans_dir: Path,
    milestone: str,
    dry_run: bool,
    done: str,
    make: Callable[[Found, Callable[..., dt.date]], Operation],
) -> None:
    """Shared by every point edit: find, edit, validate, show the diff, write."""
    from bvplan.edits.edit_commands import CommandError, edit_milestone, parse_date

    today = dt.date.today()

    def date(text: str | None, what: str) -> dt.date:
        return parse_date(text, what, today)

    try:
        outcome = edit_milestone(plans_dir, milestone, lambda found: make(found, date), done)
        finish(outcome, dry_run)
    except CommandError as exc:
        refuse(exc)


def finish(outcome: Outcome, dry_run: bool) -> None:
    from bvplan.edits.edit_commands import write_changes
    from bvplan.format.diagnostic_format import text_lines

    out, err = console(), console(stderr=True)
    for change in outcome.changes:
        out.file.write(change.diff())
    for warning in outcome.warnings:
        for line in text_lines(warning, outcome.lines.get(warning.path)):
            err.print(line)
    if dry_run:
        err.print(f"bvplan: dry run, nothing written: {outcome.summary}")
        return
    write_changes(outcome.changes)
    err.print(f"bvplan: wrote {outcome.summary}")


def refuse(exc: Exception) -> None:
    from bvplan.edits.edit_commands import CommandError
    from bvplan.format.diagnostic_format import text_lines

    assert isinstance(exc, CommandError)
    err = console(stderr=True)
    for diagnostic in exc.diagnostics:
        for line in text_lines(diagnostic, exc.lines.get(diagnostic.path)):
            err.print(line)
    err.print(f"bvplan: error: {exc}")
    raise typer.Exit(exc.code)


@app.command()
def revise(
    milestone: MilestoneArg,
    to: Annotated[str, typer.Option("--to", help="The proposed new deadline, YYYY-MM-DD.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the date moves: the commentary the board reads.")],
    proposed: Annotated[
        str | None, typer.Option("--proposed", help="When it was proposed. Default: today.", show_default=False)
    ] = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Propose a revised deadline for a milestone (the original date is kept)."""
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        dry_run,
        "the revised date proposed for",
        lambda found, date: edits.revise(found, date(to, "--to"), reason, date(proposed, "--proposed")),
    )


@app.command()
def agree(
    milestone: MilestoneArg,
    on: OnOption = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who agreed it. Default: the plan's board.", show_default=False)
    ] = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Mark a milestone's latest proposed revision as agreed by the board."""
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        dry_run,
        "agreement of the revised date of",
        lambda found, date: edits.agree(found, date(on, "--on"), by),
    )


@app.command()
def complete(
    milestone: MilestoneArg,
    on: OnOption = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence", help="A link or repository path showing it was done (repeatable).", show_default=False
        ),
    ] = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record that a milestone was completed."""
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        dry_run,
        "completion of",
        lambda found, date: edits.complete(found, date(on, "--on"), evidence),
    )


@app.command()
def cancel(
    milestone: MilestoneArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the milestone is no longer needed.")],
    on: OnOption = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record that a milestone was cancelled (it then leaves the counts)."""
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        dry_run,
        "cancellation of",
        lambda found, date: edits.cancel(found, reason, date(on, "--on")),
    )


@app.command()
def note(
    milestone: MilestoneArg,
    text: Annotated[str, typer.Argument(help="The progress note.")],
    on: OnOption = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Add a dated progress note to a milestone."""
    from bvplan.edits import edit_commands as edits

    run_edit(plans_dir, milestone, dry_run, "a note on", lambda found, date: edits.note(found, text, date(on, "--on")))
