"""`bvplan carry-forward`: move unfinished actions into the next plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, EXIT_PROBLEMS, console
from bvplan.clock import today

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
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Unfinished on this date, YYYY-MM-DD. Default: the end of --from.",
            show_default=False,
        ),
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Write the files. Without it, only show them.")] = False,
    plans_dir: Annotated[Path, typer.Option("--plans", metavar="PATH", help="The plans folder.")] = DEFAULT_PLANS,
) -> None:
    """Carry every action with unfinished milestones into the next plan (a dry run unless --apply).

    Completed and cancelled milestones stay behind; carried items keep their dates and revisions
    and get carried_from. Running it again adds nothing new.
    """
    from bvplan.cli.edit import refuse
    from bvplan.edits.carry_apply import carry_forward as plan_carry
    from bvplan.edits.carry_apply import journal_path, recover
    from bvplan.edits.edit_commands import CommandError, parse_date

    err = console(stderr=True)
    try:
        day = parse_date(as_of, "--as-of", today()) if as_of else None
        if journal_path(plans_dir).exists():
            if not apply:
                raise CommandError(
                    f"{journal_path(plans_dir)} records a carry-forward that was interrupted; run with --apply "
                    "to roll it back and carry again",
                    EXIT_PROBLEMS,
                )
            err.print(f"bvplan: {recover(plans_dir)}")
        planned = plan_carry(plans_dir, from_plan, to_plan, day)
        console().print(_table(planned.proposal))
        if not planned.outcome.changes:
            err.print(f"bvplan: nothing to carry from {from_plan} into {to_plan}")
            return
        _finish(plans_dir, planned.outcome, dry_run=not apply)
    except CommandError as exc:
        refuse(exc)


def _finish(plans_dir: Path, outcome: Outcome, dry_run: bool) -> None:
    """As every edit finishes, except that a carry writes every file or none (bvplan.edits.carry_apply)."""
    from bvplan.cli.edit import finish
    from bvplan.edits.carry_apply import write_all

    finish(outcome, dry_run, lambda changes: write_all(plans_dir, changes))


def _table(proposal: Proposal) -> Table:
    from rich.table import Table

    table = Table(
        title=f"Carry forward from {proposal.from_plan} into {proposal.to_plan}, as at {proposal.as_of} "
        "(deadlines in force on that date): "
        f"{len(proposal.actions)} actions, {proposal.milestone_count} milestones; the new plan starts "
        f"{proposal.new_start}",
        title_justify="left",
    )
    table.add_column("Theme")
    for column in ("Action", "Milestone", "Status", "In force", "Flag"):
        table.add_column(column, no_wrap=True)
    for carried in proposal.actions:
        action = (
            carried.action.id if carried.new_id == carried.action.id else f"{carried.action.id} -> {carried.new_id}"
        )
        for item in carried.milestones:
            milestone = (
                item.milestone.id if item.new_id == item.milestone.id else f"{item.milestone.id} -> {item.new_id}"
            )
            flag = "needs a revised date" if item.needs_revised_date else ""
            table.add_row(carried.theme, action, milestone, item.status.value, item.deadline.isoformat(), flag)
    if proposal.already_carried:
        table.caption = "Already carried, skipped: " + ", ".join(proposal.already_carried)
    return table
