"""`bvplan record | confidence`: a measure's actual and an action's confidence of delivery, safely written."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS
from bvplan.cli.edit import DryRun
from bvplan.cli.options import On, PlansDir
from bvplan.clock import today


class Level(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


@app.command(short_help="Record a measure's actual value on a date.")
def record(
    measure: Annotated[
        str, typer.Argument(metavar="MEASURE", help="Measure id; write PLAN/ID when ids repeat across plans.")
    ],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The value: 64, 64%, 1250.50 or £1,250.50.")],
    on: On = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What the figure is or where it comes from.")
    ] = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record a measure's actual value on a date."""
    from bvplan.cli.edit import finish
    from bvplan.edits import measure_edits
    from bvplan.format.periods import parse_date

    day = today() if on is None else parse_date(on, "--on")
    finish(measure_edits.record(plans_dir, measure, value, day, note), dry_run)


@app.command(short_help="Record an action's confidence of delivery.")
def confidence(
    action: Annotated[
        str,
        typer.Argument(metavar="ACTION", help="Action id, e.g. PR2; write PLAN/ID when ids repeat across plans."),
    ],
    level: Annotated[Level, typer.Argument(metavar="[high|medium|low]", help="high, medium or low.")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why: what the confidence rests on.")],
    on: On = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="WHO", help="Whose view: the lead, the board.", show_default=False)
    ] = None,
    dry_run: DryRun = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record an action's confidence of delivery (high, medium or low), with its reason."""
    from bvplan.cli.edit import finish
    from bvplan.edits import measure_edits
    from bvplan.format.periods import parse_date

    day = today() if on is None else parse_date(on, "--on")
    finish(measure_edits.confidence(plans_dir, action, level.value, reason, day, by), dry_run)
