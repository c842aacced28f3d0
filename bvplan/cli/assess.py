"""`bvplan assess`: record a dated rating of a framework characteristic, safely written."""

from __future__ import annotations

from typing import Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS
from bvplan.cli.options import PlansDir
from bvplan.clock import today


@app.command(short_help="Record a dated rating of a framework characteristic.")
def assess(
    characteristic: Annotated[
        str,
        typer.Argument(
            metavar="CHARACTERISTIC", help="Characteristic id, e.g. CI001; write PLAN/ID when plans share it."
        ),
    ],
    level: Annotated[
        str, typer.Argument(metavar="LEVEL", help="A level of the framework's rating scale, e.g. amber or green.")
    ],
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="Date, YYYY-MM-DD. Default: today.", show_default=False)
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            metavar="LINK",
            help="A link or repository path the rating rests on (repeatable).",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What the rating rests on.", show_default=False)
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="WHO",
            help="Who rated it: the council's officers, a peer challenge, the commissioners.",
            show_default=False,
        ),
    ] = None,
    external: Annotated[
        bool,
        typer.Option("--external", help="Rated from outside the council (peer challenge, commissioners, inspectors)."),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")] = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Record a dated rating of a characteristic of the plan's frameworks (e.g. best-value-2024's CI001).

    A self-assessment by default; --external for a peer challenge's, the commissioners' or an
    inspector's rating. Both are kept, apart, and 'bvplan heatmap' shows them side by side.
    """
    from bvplan.cli.edit import finish
    from bvplan.edits.assess import assess as record_assessment
    from bvplan.format.periods import parse_date

    day = today() if on is None else parse_date(on, "--on")
    finish(record_assessment(plans_dir, characteristic, level, day, evidence, note, by, external), dry_run)
