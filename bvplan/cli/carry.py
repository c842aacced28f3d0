"""`bvplan carry-forward`: move unfinished actions into the next plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bvplan.cli import output
from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, console, plain_table, say
from bvplan.cli.options import PlansDir, as_of_option

if TYPE_CHECKING:
    from rich.table import Table

    from bvplan.edits.edit_commands import Outcome
    from bvplan.rules.carry import Proposal


@app.command("carry-forward", short_help="Carry unfinished actions into the next plan.")
def carry_forward(
    from_plan: Annotated[
        str, typer.Option("--from", metavar="PLAN", help="The plan whose unfinished actions move on.")
    ],
    to_plan: Annotated[str, typer.Option("--to", metavar="PLAN", help="The plan they move into; created when absent.")],
    as_of: Annotated[
        str | None, as_of_option("Unfinished on this day (YYYY-MM-DD). Default: the end of --from.")
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Write the files. Without it, only show them.")] = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Carry every action with unfinished milestones into the next plan (a dry run unless --apply).

    Completed and cancelled milestones stay behind; carried items keep their dates and revisions
    and get carried_from. Running it again adds nothing new.
    """
    from bvplan.edits.carry_apply import carry_forward as plan_carry
    from bvplan.edits.carry_apply import journal_path, recover
    from bvplan.errors import UsageError
    from bvplan.format.periods import parse_date

    err = console(stderr=True)
    day = parse_date(as_of, "--as-of") if as_of is not None else None
    if journal_path(plans_dir).exists():
        if not apply:
            raise UsageError(
                f"{journal_path(plans_dir)} records a carry-forward that was interrupted; run with --apply "
                "to roll it back and carry again"
            )
        err.print(f"bvplan: {recover(plans_dir)}")
    planned = plan_carry(plans_dir, from_plan, to_plan, day)
    if not planned.proposal.actions:
        say([f"Nothing to carry forward from {from_plan} into {to_plan}{_skipped(planned.proposal)}."])
    elif output.is_terminal():
        console().print(_table(planned.proposal))
    else:
        output.stdout().write(_plain(planned.proposal))
    if not planned.outcome.changes:
        if planned.proposal.actions:
            err.print(f"bvplan: nothing to carry from {from_plan} into {to_plan}")
        return
    _finish(plans_dir, planned.outcome, dry_run=not apply)


def _finish(plans_dir: Path, outcome: Outcome, dry_run: bool) -> None:
    """As every edit finishes, except that a carry writes every file or none (bvplan.edits.carry_apply)."""
    from bvplan.cli.edit import finish
    from bvplan.edits.carry_apply import write_all

    finish(outcome, dry_run, lambda changes: write_all(plans_dir, changes))


def _title(proposal: Proposal) -> str:
    return (
        f"Carry forward from {proposal.from_plan} into {proposal.to_plan}, as at {proposal.as_of} "
        "(deadlines in force on that date): "
        f"{len(proposal.actions)} actions, {proposal.milestone_count} milestones; the new plan starts "
        f"{proposal.new_start}"
    )


def _skipped(proposal: Proposal) -> str:
    return f" (already carried: {', '.join(proposal.already_carried)})" if proposal.already_carried else ""


def _rows(proposal: Proposal) -> list[tuple[str, str, str, str, str, str]]:
    rows = []
    for carried in proposal.actions:
        action = (
            carried.action.id if carried.new_id == carried.action.id else f"{carried.action.id} -> {carried.new_id}"
        )
        for item in carried.milestones:
            milestone = (
                item.milestone.id if item.new_id == item.milestone.id else f"{item.milestone.id} -> {item.new_id}"
            )
            flag = "needs a revised date" if item.needs_revised_date else ""
            rows.append((carried.theme, action, milestone, item.status.value, item.deadline.isoformat(), flag))
    return rows


HEADINGS = ("Theme", "Action", "Milestone", "Status", "In force", "Flag")


def _plain(proposal: Proposal) -> str:
    """The proposal as plain text, for anything but a terminal: a title, then one milestone a line."""
    text = f"{_title(proposal)}\n\n{plain_table(HEADINGS, _rows(proposal))}"
    if proposal.already_carried:
        text += "\nAlready carried, skipped: " + ", ".join(proposal.already_carried) + "\n"
    return text


def _table(proposal: Proposal) -> Table:
    from rich.table import Table

    table = Table(title=_title(proposal), title_justify="left")
    table.add_column(HEADINGS[0])
    for column in HEADINGS[1:]:
        table.add_column(column, no_wrap=True)
    for row in _rows(proposal):
        table.add_row(*row)
    if proposal.already_carried:
        table.caption = "Already carried, skipped: " + ", ".join(proposal.already_carried)
    return table
