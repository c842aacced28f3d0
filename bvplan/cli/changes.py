"""`bvplan changes`: what moved in the plans between two git revisions."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from bvplan.cli import output
from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, compare, console, plain_table
from bvplan.cli.options import PlansDir, Public, format_option

if TYPE_CHECKING:
    from rich.console import RenderableType

    from bvplan.rules.changes import Change


class ChangesFormat(StrEnum):
    text = "text"  # a table: drawn on a terminal, plain text otherwise
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
    output_format: Annotated[str, format_option(*ChangesFormat, help="text (a table), json or markdown")] = "text",
    plans_dir: PlansDir = DEFAULT_PLANS,
    public: Public = False,
) -> None:
    """What changed in the plans between two revisions: milestones completed, cancelled, added or removed;
    deadlines proposed, agreed or moved (old → new, with the reason); actions carried forward; notes added.

    The old files are read from git itself; the checkout is not touched.
    """
    from bvplan.papers import change_views as rendering

    comparison = compare(since, until, plans_dir, public)
    found = comparison.changes
    heading = f"Changes from {comparison.since.label} to {comparison.until.label}"
    if output_format == ChangesFormat.json:
        output.stdout(json=True).write(rendering.as_json(found, comparison.since.as_dict(), comparison.until.as_dict()))
    elif output_format == ChangesFormat.markdown:
        output.stdout().write(rendering.as_markdown(found, heading))
    elif output.is_terminal():
        console().print(_table(found, heading))
    else:
        output.stdout().write(_plain(found, heading))


def _cells(found: list[Change]) -> tuple[list[str], list[list[str]]]:
    """The table's headings and rows: a Plan column only when the changes span several plans."""
    from bvplan.rules.changes import KINDS

    several = len({c.plan for c in found}) > 1
    headings = [*(["Plan"] if several else []), "Change", "Theme", "Item", "Title", "Detail"]
    rows = [[*([c.plan] if several else []), KINDS[c.kind], c.theme, c.item_id, c.title, c.detail] for c in found]
    return headings, rows


def _plain(found: list[Change], heading: str) -> str:
    if not found:
        return f"{heading}: no changes.\n"
    return f"{heading}\n\n{plain_table(*_cells(found))}"


def _table(found: list[Change], heading: str) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    if not found:
        return Text(f"{heading}: no changes.")
    headings, rows = _cells(found)
    table = Table(title=heading, title_justify="left", show_lines=False)
    for name in headings:
        table.add_column(name, no_wrap=name in ("Plan", "Item"))
    for row in rows:
        table.add_row(*row)
    return table
