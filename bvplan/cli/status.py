"""`bvplan status`: where the plan stands on a reporting date."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, console, fail, plans_on, say
from bvplan.cli.options import AsOf, OutputFile, Owner, PlanId, PlansDir, Public, format_option

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import IO

    from rich.console import Console

    from bvplan.format.periods import Period
    from bvplan.papers.measure_views import PlanExtras as Extras
    from bvplan.papers.status_views import Row


class StatusFormat(StrEnum):
    text = "text"  # the table: drawn on a terminal, plain text otherwise
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


# `-o tracker.xlsx` says the format by itself.
OUTPUT_SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown"}


class RowsChoice(StrEnum):
    milestones = "milestones"
    measures = "measures"
    directions = "directions"
    confidence = "confidence"


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


@app.command(short_help="Where each milestone stands on a reporting date.")
def status(
    as_of: AsOf = None,
    plan: PlanId = None,
    theme: Annotated[
        str | None,
        typer.Option(help="Only this theme (file name or title).", metavar="THEME", show_default=False),
    ] = None,
    owner: Owner = None,
    only: Annotated[
        list[StatusChoice] | None,
        typer.Option(
            "--status",
            metavar="[" + "|".join(StatusChoice) + "]",
            help="Only milestones with this status (repeatable).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        format_option(
            *StatusFormat,
            help="text (a table), json, csv, markdown or xlsx (a workbook: needs -o). "
            "Default: from -o's extension, else text",
        ),
    ] = None,
    output: OutputFile = None,
    csv_rows: Annotated[
        RowsChoice,
        typer.Option(
            "--rows",
            metavar="[" + "|".join(RowsChoice) + "]",
            help="With --format csv: milestones, measures, directions or confidence rows.",
        ),
    ] = RowsChoice.milestones,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            metavar="[" + "|".join(FailOn) + "]",
            help="Exit 1 if any milestone is overdue (or due soon): a CI gate.",
            show_default=False,
        ),
    ] = None,
    public: Public = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Status of every milestone on a reporting date, by theme, with the counts the board papers give.

    Completed, In Progress and Overdue as the papers define them, plus Not Started and Cancelled.
    Only facts dated on or before the reporting date count, so a past date gives the same answer
    every time.
    """
    from bvplan.errors import CheckFailed
    from bvplan.papers import status_views as views
    from bvplan.rules.selection import theme_matches
    from bvplan.rules.status import Status, status_of

    chosen_format = _chosen_format(StatusFormat(output_format) if output_format else None, output)
    if csv_rows is not RowsChoice.milestones and chosen_format is not StatusFormat.csv:
        fail("--rows goes with --format csv; the other formats show measures and Directions already")
    loaded, selection = plans_on(plans_dir, as_of, plan, public)
    statuses = [(p, status_of(p, selection.as_of)) for p in selection.plans]
    rows = views.rows_of(s for _p, s in statuses)
    if theme and not any(theme_matches(r.theme_slug, r.theme_name, theme) for r in rows):
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
    if not rows and output is None and chosen_format in (StatusFormat.text, StatusFormat.markdown):
        plans = ", ".join(p.id for p in selection.plans)
        say([f"No milestones match on {selection.as_of} in {plans}."])
        return
    # Measures, Directions and confidence: shown by every format but the milestone rows of a CSV and
    # the workbook, which need not pay for working them out.
    extras: dict[str, Extras] = {}
    if chosen_format is not StatusFormat.xlsx and (
        chosen_format is not StatusFormat.csv or csv_rows is not RowsChoice.milestones
    ):
        from bvplan.papers import measure_views

        frameworks = loaded.workspace.frameworks_of
        extras = {p.id: measure_views.extras_of(p, s, theme, owner, frameworks(p)) for p, s in statuses}
    if output is not None:
        _write_output(output, _file_bytes(rows, selection.period, chosen_format, extras, csv_rows), plans_dir)
    else:
        from bvplan.cli import output as checked

        # Standard output is checked and made safe (bvplan.cli.output); JSON keeps its data, escaped.
        streams = (checked.stdout(), checked.stdout(json=True))
        _print(console, rows, selection.period, chosen_format, extras, csv_rows, *streams)
    if fail_on is FailOn.overdue and any(r.milestone.status is Status.OVERDUE for r in rows):
        raise CheckFailed("")  # the rows printed say which (--fail-on overdue)
    if fail_on is FailOn.due_soon and any(r.milestone.status is Status.OVERDUE or r.milestone.due_soon for r in rows):
        raise CheckFailed("")


def _chosen_format(chosen: StatusFormat | None, output: Path | None) -> StatusFormat:
    """--format, else -o's extension, else the table; a workbook is never written to a terminal."""
    if output is not None:
        if output.suffix.lower() in (".yaml", ".yml"):
            fail(f"will not write status to '{output}': that name is for plan files")
        if output.is_dir():
            fail(f"'{output}' is a folder; give a file name, e.g. -o tracker.xlsx")
        parent = output.parent if str(output.parent) else Path(".")
        if not parent.is_dir():
            fail(f"cannot write '{output}': the folder '{parent}' does not exist")
    if chosen is None:
        inferred = OUTPUT_SUFFIXES.get(output.suffix.lower()) if output is not None else None
        chosen = StatusFormat(inferred) if inferred else StatusFormat.text
    if chosen is StatusFormat.xlsx and output is None:
        fail("--format xlsx writes a workbook, not text; give a file with -o, e.g. -o tracker.xlsx")
    return chosen


def _file_bytes(
    rows: Sequence[Row], period: Period, chosen: StatusFormat, extras: Mapping[str, Extras], csv_rows: RowsChoice
) -> bytes:
    """What -o writes: the same text the terminal would get (the table without colour), or a workbook."""
    import io

    from rich.console import Console

    if chosen is StatusFormat.xlsx:
        from bvplan.papers.xlsx_views import workbook_bytes

        return workbook_bytes(rows, period)
    buffer = io.StringIO()

    def plain() -> Console:
        return Console(file=buffer, width=100, no_color=True, color_system=None, highlight=False, emoji=False)

    _print(plain, rows, period, chosen, extras, csv_rows, buffer)
    return buffer.getvalue().encode("utf-8")


def _print(
    make_console: Callable[[], Console],
    rows: Sequence[Row],
    period: Period,
    chosen: StatusFormat,
    extras: Mapping[str, Extras],
    csv_rows: RowsChoice,
    text_stream: IO[str] | None = None,
    json_stream: IO[str] | None = None,
) -> None:
    """The status in a text format: milestones, then the plans' measures and Directions.

    CSV, Markdown and the plain table go to `text_stream`, JSON to `json_stream` when given (standard
    output's checked streams); only a terminal gets rich's table, from `make_console`, so that nothing
    else pays for importing rich.
    """
    from bvplan.papers import status_views as views

    text = text_stream or make_console().file
    if chosen is StatusFormat.csv and csv_rows is RowsChoice.milestones:
        text.write(views.as_csv(rows))
        return
    from bvplan.papers import measure_views

    if chosen is StatusFormat.json:
        views.write_json(rows, period, json_stream or text, lambda s: measure_views.json_keys(extras[s.plan_id]))
    elif chosen is StatusFormat.csv and csv_rows is not RowsChoice.milestones:
        text.write(measure_views.as_csv(extras.values(), csv_rows.value))
    elif chosen is StatusFormat.csv:
        text.write(views.as_csv(rows))
    elif chosen is StatusFormat.markdown:
        text.write(views.as_markdown(rows, period))
        more = measure_views.markdown(list(extras.values()))
        if more:
            text.write("\n" + more)
    else:
        if text.isatty():
            out = make_console()
            out.print(views.as_table(rows, period))
            for part in measure_views.tables(list(extras.values())):
                out.print(part)
        else:
            text.write(views.as_plain_table(rows, period))
            text.write(measure_views.plain_tables(list(extras.values())))


def _write_output(path: Path, data: bytes, plans_dir: Path) -> None:
    """Through the output guard (bvplan.edits.files.write_output): never onto the plans, atomic, or a
    stream into a device or pipe."""
    from bvplan.edits.files import write_output

    how = write_output(path, data, plans=[plans_dir])
    console(stderr=True).print(f"{how} {path}")
