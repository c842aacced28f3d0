"""`bvplan status`: where the plan stands on a reporting date."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, EXIT_OK, EXIT_PROBLEMS, console, fail, load_or_exit, require_sound


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class FailOn(StrEnum):
    overdue = "overdue"
    due_soon = "due-soon"


class StatusChoice(StrEnum):
    completed = "completed"
    in_progress = "in-progress"
    overdue = "overdue"
    not_started = "not-started"
    cancelled = "cancelled"
    due_soon = "due-soon"  # in progress with its deadline within the plan's due_soon_days


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Reporting date: 2018-06-30, or a period (q1-q4, h1, h2, year, '2018-19 q1', 2018-19) meaning its last "
        "day. Default: today.",
        show_default=False,
    ),
]
PlanOption = Annotated[
    str | None,
    typer.Option("--plan", metavar="PLAN", help="Plan id. Default: every plan live on the date.", show_default=False),
]
PlansDir = Annotated[Path, typer.Option("--plans", metavar="PATH", help="The plans folder.")]


@app.command(short_help="Where each milestone stands on a reporting date.")
def status(
    as_of: AsOf = None,
    plan: PlanOption = None,
    theme: Annotated[str | None, typer.Option(help="Only this theme (file name or title).", show_default=False)] = None,
    owner: Annotated[
        str | None, typer.Option(help="Only milestones whose owner contains this.", show_default=False)
    ] = None,
    only: Annotated[
        list[StatusChoice] | None,
        typer.Option("--status", help="Only milestones with this status (repeatable).", show_default=False),
    ] = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", help="table, json, csv or markdown.")
    ] = StatusFormat.table,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on", help="Exit 1 if any milestone is overdue (or due soon): a CI gate.", show_default=False
        ),
    ] = None,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Status of every milestone on a reporting date, by theme, with the counts the board papers give.

    Completed, In Progress and Overdue as the papers define them, plus Not Started and Cancelled.
    Only facts dated on or before the reporting date count, so a past date gives the same answer
    every time.
    """
    from bvplan.papers import status_views as views
    from bvplan.rules.selection import SelectionError, select, status_of
    from bvplan.rules.status import Status

    loaded = load_or_exit([plans_dir])
    try:
        selection = select(loaded.workspace, as_of, plan, dt.date.today())
    except SelectionError as exc:
        require_sound(loaded, loaded.workspace.plans, everything=True)  # errors may be why nothing was found
        fail(str(exc))
    require_sound(loaded, selection.plans)
    rows = views.rows_of(status_of(p, selection.as_of) for p in selection.plans)
    if theme and not any(theme.casefold() in (r.theme_slug.casefold(), r.theme_name.casefold()) for r in rows):
        names = sorted({r.theme_slug for r in rows})
        fail(f"no theme '{theme}' in the chosen plans; themes: {', '.join(names)}")
    chosen = set(only or [])
    wanted = [Status[s.name.upper()] for s in chosen - {StatusChoice.due_soon}]
    soon = StatusChoice.due_soon in chosen  # due soon is a kind of In Progress, not a status of its own
    rows = [
        r
        for r in views.filter_rows(rows, theme, owner, [])
        if not chosen
        or r.milestone.status in wanted
        or (soon and r.milestone.status is Status.IN_PROGRESS and r.milestone.due_soon)
    ]
    if not rows and output_format in (StatusFormat.table, StatusFormat.markdown):
        plans = ", ".join(p.id for p in selection.plans)
        console().print(f"No milestones match on {selection.as_of} in {plans}.")
        raise typer.Exit(EXIT_OK)
    out = console()
    if output_format is StatusFormat.json:
        views.write_json(rows, selection.period, out.file)
    elif output_format is StatusFormat.csv:
        out.file.write(views.as_csv(rows))
    elif output_format is StatusFormat.markdown:
        out.file.write(views.as_markdown(rows, selection.period))
    else:
        out.print(views.as_table(rows, selection.period))
    if fail_on is FailOn.overdue and any(r.milestone.status is Status.OVERDUE for r in rows):
        raise typer.Exit(EXIT_PROBLEMS)
    if fail_on is FailOn.due_soon and any(r.milestone.status is Status.OVERDUE or r.milestone.due_soon for r in rows):
        raise typer.Exit(EXIT_PROBLEMS)
    raise typer.Exit(EXIT_OK)
