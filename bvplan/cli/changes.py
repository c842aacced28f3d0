"""`bvplan changes`: what moved in the plans between two git revisions."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bvplan.cli import output
from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, EXIT_OK, compare_or_exit, console

if TYPE_CHECKING:
    from rich.console import RenderableType

    from bvplan.rules.changes import Change


class ChangesFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command(short_help="What moved in the plans between two git revisions.")
def changes(
    since: Annotated[
        str,
        typer.Option(
            "--since",
            metavar="REV",
            help="Where to start: a tag (board-2018-06-11), branch, commit, or a date YYYY-MM-DD meaning the last "
            "commit on or before that day.",
            show_default=False,
        ),
    ],
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="REV",
            help="Where to stop, named the same way. Default: the working tree.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ChangesFormat, typer.Option("--format", help="table, json or markdown.")
    ] = ChangesFormat.table,
    plans_dir: Annotated[Path, typer.Option("--plans", metavar="PATH", help="The plans folder.")] = DEFAULT_PLANS,
    public: Annotated[
        bool, typer.Option("--public", help="Leave out items and notes marked exempt (not for publication).")
    ] = False,
) -> None:
    """What changed in the plans between two revisions: milestones completed, cancelled, added or removed;
    deadlines proposed, agreed or moved (old → new, with the reason); actions carried forward; notes added.

    The old files are read from git itself; the checkout is not touched.
    """
    from bvplan.papers import change_views as rendering

    comparison = compare_or_exit(since, until, plans_dir, public)
    found = comparison.changes
    heading = f"Changes from {comparison.since.label} to {comparison.until.label}"
    out = console()
    if output_format is ChangesFormat.json:
        output.stdout(json=True).write(rendering.as_json(found, comparison.since.as_dict(), comparison.until.as_dict()))
    elif output_format is ChangesFormat.markdown:
        output.stdout().write(rendering.as_markdown(found, heading))
    else:
        out.print(_table(found, heading))
    raise typer.Exit(EXIT_OK)


def _table(found: list[Change], heading: str) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    from bvplan.rules.changes import KINDS

    if not found:
        return Text(f"{heading}: no changes.")
    several = len({c.plan for c in found}) > 1
    table = Table(title=heading, title_justify="left", show_lines=False)
    if several:
        table.add_column("Plan", no_wrap=True)
    table.add_column("Change")
    table.add_column("Theme")
    table.add_column("Item", no_wrap=True)
    table.add_column("Title")
    table.add_column("Detail")
    for change in found:
        cells = [KINDS[change.kind], change.theme, change.item_id, change.title, change.detail]
        table.add_row(*([change.plan] if several else []), *cells)
    return table
