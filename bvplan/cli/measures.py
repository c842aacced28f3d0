"""`bvplan record | confidence`: a measure's actual and an action's confidence of delivery, safely written."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS

OnOption = Annotated[str | None, typer.Option("--on", help="Date, YYYY-MM-DD. Default: today.", show_default=False)]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")]
PlansDir = Annotated[Path, typer.Option("--plans", help="The plans folder.")]


class Level(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


@app.command()
def record(
    measure: Annotated[str, typer.Argument(help="Measure id; write PLAN/ID when ids repeat across plans.")],
    value: Annotated[str, typer.Argument(help="The value: 64, 64%, 1250.50 or £1,250.50.")],
    on: OnOption = None,
    note: Annotated[str | None, typer.Option("--note", help="What the figure is or where it comes from.")] = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record a measure's actual value on a date."""
    from bvplan.cli.edit import finish, refuse
    from bvplan.edits import measure_edits
    from bvplan.edits.edit_commands import CommandError, parse_date

    try:
        day = parse_date(on, "--on", dt.date.today())
        finish(measure_edits.record(plans_dir, measure, value, day, note), dry_run)
    except CommandError as exc:
        refuse(exc)


@app.command()
def confidence(
    action: Annotated[str, typer.Argument(help="Action id, e.g. PR2; write PLAN/ID when ids repeat across plans.")],
    level: Annotated[Level, typer.Argument(help="high, medium or low.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: what the confidence rests on.")],
    on: OnOption = None,
    by: Annotated[str | None, typer.Option("--by", help="Whose view: the lead, the board.", show_default=False)] = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record an action's confidence of delivery (high, medium or low), with its reason."""
    from bvplan.cli.edit import finish, refuse
    from bvplan.edits import measure_edits
    from bvplan.edits.edit_commands import CommandError, parse_date

    try:
        day = parse_date(on, "--on", dt.date.today())
        finish(measure_edits.confidence(plans_dir, action, level.value, reason, day, by), dry_run)
    except CommandError as exc:
        refuse(exc)
