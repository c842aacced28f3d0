"""`bvplan complete | note | revise | agree | withdraw | cancel | reopen`: one-line edits of a milestone, safely written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, console
from bvplan.cli.completion import complete_milestone
from bvplan.cli.options import On, PlanId, PlansDir

if TYPE_CHECKING:
    from bvplan.edits.edit_commands import FileChange, Found, Operation, Outcome

MilestoneArg = Annotated[
    str,
    typer.Argument(
        help="Milestone id, e.g. PR2.3: the one in the plan live on the edit's date, else in the latest plan. "
        "Write PLAN/ID (bvip-2017-18/PR2.3) or --plan to choose.",
        metavar="ID",
        autocompletion=complete_milestone,
        show_default=False,
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why, in a sentence the board can read.", metavar="TEXT")]


class DateOf(Protocol):
    """Reads a date argument; a fact (the default) may not be dated after today."""

    def __call__(self, text: str | None, what: str, fact: bool = True) -> dt.date: ...


def run_edit(
    plans_dir: Path,
    milestone: str,
    plan_id: str | None,
    dry_run: bool,
    done: str,
    when: tuple[str | None, str],
    make: Callable[[Found, DateOf], Operation],
) -> None:
    """Shared by every point edit: find (as on the edit's date `when`), edit, validate, show the diff, write."""
    from bvplan.clock import today
    from bvplan.edits.edit_commands import edit_milestone, fact_date
    from bvplan.format.periods import parse_date

    now = today()

    def date(text: str | None, what: str, fact: bool = True) -> dt.date:
        if fact:
            return fact_date(text, what, now)
        return now if text is None else parse_date(text, what)

    day = date(*when)
    finish(edit_milestone(plans_dir, milestone, lambda found: make(found, date), done, day, plan_id), dry_run)


def finish(outcome: Outcome, dry_run: bool, write: Callable[[list[FileChange]], None] | None = None) -> None:
    """Show the diffs and new warnings; then, unless a dry run, write the changes (with `write`, if
    given: carry-forward writes every file or none)."""
    from bvplan.cli.output import stdout
    from bvplan.edits.edit_commands import write_changes
    from bvplan.format.diagnostic_format import text_lines

    err = console(stderr=True)
    if outcome.chosen:
        err.print(f"bvplan: {outcome.chosen}")
    for change in outcome.changes:
        stdout().write(change.diff())
    for warning in outcome.warnings:
        for line in text_lines(warning, outcome.lines.get(warning.path)):
            err.print(line)
    if dry_run:
        err.print(f"bvplan: dry run, nothing written: {outcome.summary}")
        return
    (write or write_changes)(outcome.changes)
    err.print(f"bvplan: wrote {outcome.summary}")


@app.command(short_help="Record that a milestone was completed.")
def complete(
    milestone: MilestoneArg,
    on: On = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            metavar="LINK",
            help="A link or repository path showing it was done (repeatable).",
            show_default=False,
        ),
    ] = None,
    plan: PlanId = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record that a milestone was completed."""
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        plan,
        dry_run,
        "completion of",
        (on, "--on"),
        lambda found, date: edits.complete(found, date(on, "--on"), evidence),
    )


@app.command(short_help="Add a dated progress note to a milestone.")
def note(
    milestone: MilestoneArg,
    text: Annotated[str, typer.Argument(help="The progress note.", metavar="TEXT", show_default=False)],
    on: On = None,
    plan: PlanId = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Add a dated progress note to a milestone (kept in date order).

    Of two notes on the same day, the one written last is the latest; the same note twice on one
    day is refused.
    """
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        plan,
        dry_run,
        "a note on",
        (on, "--on"),
        lambda found, date: edits.note(found, text, date(on, "--on")),
    )


@app.command(short_help="Propose a revised deadline for a milestone.")
def revise(
    milestone: MilestoneArg,
    to: Annotated[
        str,
        typer.Option("--to", help="The proposed new deadline, not before --proposed.", metavar="DATE"),
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why the date moves: the commentary the board reads.", metavar="TEXT")
    ],
    proposed: Annotated[
        str | None,
        typer.Option("--proposed", help="When it was proposed. Default: today.", metavar="DATE", show_default=False),
    ] = None,
    plan: PlanId = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Propose a revised deadline (the original date is kept).

    A new proposal supersedes any still waiting: only the latest can be agreed or withdrawn.
    """
    from bvplan.edits import edit_commands as edits

    def make(found: Found, date: DateOf) -> Operation:
        operation = edits.revise(found, date(to, "--to", False), reason, date(proposed, "--proposed"))
        for old in edits.superseded(found):
            console(stderr=True).print(f"bvplan: this supersedes {old}, which was waiting to be agreed")
        return operation

    run_edit(plans_dir, milestone, plan, dry_run, "the revised date proposed for", (proposed, "--proposed"), make)


@app.command(short_help="Record the board's agreement of a proposed deadline.")
def agree(
    milestone: MilestoneArg,
    on: On = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Who agreed it. Default: the plan's board.", metavar="TEXT", show_default=False),
    ] = None,
    plan: PlanId = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record the board's agreement of a milestone's proposed revision (the latest, while it waits)."""
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        plan,
        dry_run,
        "agreement of the revised date of",
        (on, "--on"),
        lambda found, date: edits.agree(found, date(on, "--on"), by),
    )


@app.command(short_help="Withdraw a proposed deadline before it is agreed.")
def withdraw(
    milestone: MilestoneArg,
    reason: ReasonOption,
    on: On = None,
    plan: PlanId = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Withdraw a milestone's proposed revision before the board agrees it; the deadline stays."""
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        plan,
        dry_run,
        "withdrawal of the proposed date of",
        (on, "--on"),
        lambda found, date: edits.withdraw(found, reason, date(on, "--on")),
    )


@app.command(short_help="Record that a milestone was cancelled.")
def cancel(
    milestone: MilestoneArg,
    reason: ReasonOption,
    on: On = None,
    plan: PlanId = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record that a milestone was cancelled (it then leaves the counts)."""
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        plan,
        dry_run,
        "cancellation of",
        (on, "--on"),
        lambda found, date: edits.cancel(found, reason, date(on, "--on")),
    )


@app.command(short_help="Take back a completion or cancellation made by mistake.")
def reopen(
    milestone: MilestoneArg,
    reason: ReasonOption,
    on: On = None,
    plan: PlanId = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Take back a completion or cancellation recorded by mistake; the file keeps the correction and why."""
    from bvplan.edits import edit_commands as edits

    run_edit(
        plans_dir,
        milestone,
        plan,
        dry_run,
        "correction (reopening) of",
        (on, "--on"),
        lambda found, date: edits.reopen(found, reason, date(on, "--on")),
    )
