"""`bvplan export updates`, `bvplan import updates|tracker`, `bvplan due`: the plan for action owners.

Owners never touch git: they get a workbook of their open milestones, fill it in and send it back;
the import applies what they wrote through the same checked edits as `complete`, `note` and
`revise`. `due` lists what each owner has overdue or due soon, as text, Markdown or calendars.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, console, fail, load_plans
from bvplan.cli.options import AsOf, Owners, PlanId, PlansDir, as_of_option, format_option, output_option, plan_option
from bvplan.clock import today

if TYPE_CHECKING:
    from bvplan.rules.owners import OwnedMilestone
    from bvplan.rules.selection import Selection

export_app = typer.Typer(help="Write files for people who do not use bvplan.", no_args_is_help=True)
import_app = typer.Typer(help="Read files back into the plans.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")


class DueFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    ics = "ics"


def _need_office() -> None:
    from bvplan.format.spreadsheet import require_openpyxl

    require_openpyxl()


def _owned(
    plans_dir: Path, as_of: str | None, plan: str | None, public: bool = False
) -> tuple[Selection, list[OwnedMilestone], list[OwnedMilestone]]:
    """The reporting date, every milestone with its owner (public ones only when `public`), and every
    milestone whatever its marking (to know who the owners are)."""
    from bvplan.rules.owners import owned
    from bvplan.rules.public_view import public_view
    from bvplan.rules.selection import select
    from bvplan.rules.status import status_of

    loaded = load_plans([plans_dir])
    workspace = public_view(loaded.workspace).workspace if public else loaded.workspace
    selection = select(workspace, as_of, plan, today())
    rows = owned(status_of(p, selection.as_of) for p in selection.plans)
    if not public:
        return selection, rows, rows
    every = (loaded.workspace.plan(p.id) or p for p in selection.plans)
    return selection, rows, owned(status_of(p, selection.as_of) for p in every)


def _check_owners(rows: list[OwnedMilestone], wanted: list[str]) -> None:
    from bvplan.rules.owners import matches_owner

    for name in wanted:
        if not any(matches_owner(r.owner, [name]) for r in rows):
            owners = sorted({r.owner for r in rows}, key=str.casefold)
            fail(f"no owner matches '{name}'; owners: {'; '.join(owners)}")


def _output_folder(output: Path, files: list[Path], plans_dir: Path) -> None:
    """Make the folder, once the output guard has passed it and every file to be written in it, so
    that a link to a plan file in the folder stops the command before any file is written."""
    from bvplan.edits.files import refuse_plan_paths

    for path in [output, *files]:
        refuse_plan_paths(path, [plans_dir])
    if output.exists() and not output.is_dir():
        fail(f"{output} is not a folder")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create {output}: {exc.strerror}")


def _write(path: Path, data: bytes, replace: bool, plans_dir: Path) -> None:
    """Through the output guard (bvplan.edits.files.write_output): never onto the plans, even through
    a link placed in the folder."""
    from bvplan.edits.files import write_output

    write_output(path, data, plans=[plans_dir], replace=replace)


@export_app.command("updates")
def export_updates(
    output: Annotated[Path, output_option("The folder to write the workbooks in.")],
    as_of: AsOf = None,
    plan: PlanId = None,
    owner: Owners = None,
    force: Annotated[bool, typer.Option("--force", help="Replace workbooks already in the folder.")] = False,
    officer: Annotated[
        str,
        typer.Option(
            "--return-to", metavar="WHO", help="Who owners send the workbook back to (shown in the instructions)."
        ),
    ] = "the performance officer",
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """One workbook per action owner: their open milestones, with columns to fill in and send back.

    Each owner gets only their own milestones. A milestone's owner is its own `owner`, else its
    action's, else its theme's `lead`. Read the returns with 'bvplan import updates'.
    """
    _need_office()
    from bvplan.papers.update_workbook import workbook_bytes
    from bvplan.rules.owners import by_owner, open_milestones, to_deliver, unique_slugs

    selection, rows, _every = _owned(plans_dir, as_of, plan)
    wanted = owner or []
    _check_owners(rows, wanted)
    groups = by_owner(to_deliver(open_milestones(rows, wanted)))
    err = console(stderr=True)
    if not groups:
        err.print(f"bvplan: no open milestones on {selection.as_of}; nothing written")
        return
    names = unique_slugs(groups)
    targets = {owner_name: output / f"{names[owner_name]}.xlsx" for owner_name in groups}
    _output_folder(output, list(targets.values()), plans_dir)
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        fail(f"already there: {', '.join(existing)}; nothing written (use --force to replace them)")
    out = console()
    for owner_name, items in groups.items():
        _write(targets[owner_name], workbook_bytes(owner_name, items, selection.as_of, officer), force, plans_dir)
        out.print(f"{targets[owner_name]}: {len(items)} milestone{'s' if len(items) != 1 else ''} for {owner_name}")
    err.print(
        f"bvplan: wrote {len(groups)} workbook{'s' if len(groups) != 1 else ''} as at {selection.as_of} in {output}"
    )


@import_app.command("updates")
def import_updates(
    files: Annotated[list[Path], typer.Argument(help="The returned workbooks (.xlsx).", metavar="FILE.xlsx...")],
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the plan files. Without it, only show the diff.")
    ] = False,
    skip_rejected: Annotated[
        bool, typer.Option("--skip-rejected", help="Apply the sound rows even if others are rejected.")
    ] = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Apply owners' returned workbooks to the plans: a dry run with the diff unless --apply.

    Each filled-in row becomes the edits 'complete', 'note' and 'revise' make, checked the same
    way; all edits to a file are validated together and written all or nothing. Rows with
    mistakes, and rows whose milestone changed since the export, are listed with their cell and
    refused; then nothing is written unless --skip-rejected. Importing a file twice adds nothing.
    """
    _need_office()
    from bvplan.edits.edit_commands import write_changes
    from bvplan.edits.update_import import plan_import
    from bvplan.errors import CheckFailed
    from bvplan.format.diagnostic_format import text_lines

    out, err = console(), console(stderr=True)
    result = plan_import(plans_dir, files, skip_rejected)
    for message in result.rejected:
        err.print(f"bvplan: rejected: {message}")
    if result.rejected and not skip_rejected:
        err.print(
            f"bvplan: {len(result.rejected)} problem{'s' if len(result.rejected) != 1 else ''} in the returned "
            "workbooks; nothing written (fix them, or use --skip-rejected to apply the other rows)"
        )
        raise CheckFailed("")  # each rejected row is listed above
    outcome = result.outcome
    for change in outcome.changes:
        out.file.write(change.diff())
    for warning in outcome.warnings:
        for line in text_lines(warning, outcome.lines.get(warning.path)):
            err.print(line)
    by_owner: dict[str, list[str]] = {}
    for item in result.applied:
        by_owner.setdefault(item.owner, []).append(f"{item.reference}: {', '.join(item.what)}")
    for owner_name, updates in by_owner.items():
        err.print(f"{owner_name}:")
        for update in updates:
            err.print(f"  {update}")
    if result.already:
        err.print(f"bvplan: already in the plans, skipped: {', '.join(sorted(set(result.already)))}")
    if not outcome.changes:
        err.print("bvplan: nothing to apply")
    elif not apply:
        err.print(f"bvplan: dry run, nothing written: {outcome.summary} (--apply writes)")
    else:
        write_changes(outcome.changes)
        err.print(
            f"bvplan: wrote {outcome.summary} in {len(outcome.changes)} file{'s' if len(outcome.changes) != 1 else ''}"
        )
    if result.rejected:
        raise CheckFailed("")  # the rejected rows are listed above; the others were applied


@app.command(short_help="Milestones overdue or due soon, by owner.")
def due(
    within: Annotated[
        int, typer.Option("--within", metavar="DAYS", min=0, max=3660, help="Days ahead that count as due soon.")
    ] = 14,
    by_owner: Annotated[bool, typer.Option("--by-owner", help="Group the list by owner.")] = False,
    as_of: AsOf = None,
    plan: PlanId = None,
    owner: Owners = None,
    output_format: Annotated[
        str, format_option(*DueFormat, help="text, markdown, or ics (one calendar file per owner, needs -o)")
    ] = "text",
    output: Annotated[Path | None, output_option("Folder for the .ics files.")] = None,
    public: Annotated[
        bool | None,
        typer.Option(
            "--public/--private",
            help="--public leaves out everything marked exempt (milestones, notes); --private keeps it. "
            "Default: public for --format ics (a calendar goes to a person's own device), private otherwise.",
            show_default=False,
        ),
    ] = None,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Milestones overdue or due within --within days, for each owner: the monthly reminder.

    A milestone's owner is its own `owner`, else its action's, else its theme's `lead`. With
    --format ics, writes one iCalendar file per owner (all-day events on each deadline) to -o;
    the calendars leave out whatever is marked exempt unless --private is given.
    """
    from bvplan.papers import due_views
    from bvplan.rules.owners import by_owner as group
    from bvplan.rules.owners import due as due_rows
    from bvplan.rules.owners import open_milestones, unique_slugs

    if output_format == DueFormat.ics and output is None:
        fail("--format ics writes one file per owner: give the folder with -o")
    if public is None:
        public = output_format == DueFormat.ics
    selection, rows, every = _owned(plans_dir, as_of, plan, public)
    wanted = owner or []
    _check_owners(every, wanted)
    still_open = open_milestones(rows, wanted)
    chosen = due_rows(still_open, selection.as_of, within)
    out = console()
    if output_format == DueFormat.text:
        out.file.write(due_views.as_text(chosen, selection.as_of, within, by_owner))
    elif output_format == DueFormat.markdown:
        out.file.write(due_views.as_markdown(chosen, selection.as_of, within, by_owner))
    else:
        from bvplan.papers.ics import calendar

        assert output is not None
        # Every owner with open milestones gets a file, empty when nothing is due, so that a folder
        # published every month never keeps last month's events for someone: an owner whose open
        # milestones are all exempt too, so that a public run replaces what a private one wrote.
        groups = {name: [r for r in chosen if r.owner == name] for name in group(open_milestones(every, wanted))}
        names = unique_slugs(groups)
        paths = {owner_name: output / f"{names[owner_name]}.ics" for owner_name in groups}
        _output_folder(output, list(paths.values()), plans_dir)
        for owner_name, items in groups.items():
            path = paths[owner_name]
            _write(path, calendar(owner_name, items, selection.as_of).encode("utf-8"), True, plans_dir)
            out.print(f"{path}: {len(items)} deadline{'s' if len(items) != 1 else ''} for {owner_name}")
        console(stderr=True).print(f"bvplan: wrote {len(groups)} calendar{'s' if len(groups) != 1 else ''} in {output}")


@import_app.command("tracker")
def import_tracker(
    file: Annotated[
        Path, typer.Argument(help="The tracker: .xlsx (its first sheet, or --sheet) or .csv.", metavar="FILE")
    ],
    plan: Annotated[str, plan_option("The new plan's id, e.g. bvip-2018-19.")],
    authority: Annotated[
        str, typer.Option("--authority", metavar="TEXT", help="The council, e.g. 'London Borough of Tower Hamlets'.")
    ],
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COLUMN=FIELD",
            help="COLUMN=FIELD, where the heading is not guessed (repeatable), e.g. 'Target'=due.",
            show_default=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="The sheet to read.", show_default=False)
    ] = None,
    board: Annotated[
        str, typer.Option("--board", metavar="TEXT", help="The board the plan reports to.")
    ] = "Best Value Improvement Board",
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="TEXT", help="Default: 'Improvement Plan YEAR'.", show_default=False),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            metavar="YEAR",
            help="Financial year(s): 2018-19 or 2018-19:2019-20. Default: from the due dates.",
            show_default=False,
        ),
    ] = None,
    cadence: Annotated[
        str, typer.Option("--cadence", metavar="[quarterly|six-monthly]", help="quarterly or six-monthly.")
    ] = "quarterly",
    as_of: Annotated[
        str | None,
        as_of_option(
            "The day the tracker is as at (YYYY-MM-DD): the notes brought in are dated on it. Default: today."
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", hidden=True, help="Old name of --as-of.", show_default=False)
    ] = None,
    skip_bad_rows: Annotated[
        bool,
        typer.Option(
            "--skip-bad-rows", help="Bring in the other rows when some cannot be (they are listed). Default: refuse."
        ),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the files; write nothing.")] = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """A new plan from the tracker a council keeps today: one row per milestone.

    Columns for theme, action, owner, due date, revised date, status and notes are found by their
    headings; name the others with --map. What cannot be used is listed by row and column. The
    plan is validated before anything is written, and an existing plan is never overwritten.
    """
    from bvplan.cli.edit import finish
    from bvplan.edits.tracker_import import new_plan
    from bvplan.format.periods import parse_date
    from bvplan.format.spreadsheet import read_table
    from bvplan.rules.tracker import FIELDS, build, guess_columns

    if cadence not in ("quarterly", "six-monthly"):
        fail(f"--cadence '{cadence}': quarterly or six-monthly")
    given: dict[str, str] = {}
    for item in mapping or []:
        column, equals, name = item.rpartition("=")
        if not equals or not column.strip():
            fail(f"--map '{item}': write COLUMN=FIELD, e.g. 'Target date'=due; fields: {', '.join(FIELDS)}")
        given[column.strip()] = name.strip()
    err = console(stderr=True)
    if on is not None:
        # `--on` means the day something happened (the edits); the tracker's date is the day it is as at.
        err.print("bvplan: warning: import tracker --on is now --as-of; --on will be removed")
        if as_of is not None:
            fail("give --as-of alone (--on is its old name)")
        as_of = on
    day = today() if as_of is None else parse_date(as_of, "--as-of")
    if file.suffix.lower() != ".csv":
        _need_office()
    table = read_table(file, str(file), sheet)
    columns = guess_columns(table.header, given)
    tracker = build(table.header, table.rows, columns, day, table.formulas)
    shown = ", ".join(f"{name} <- '{table.header[i]}'" for name, i in columns.items())
    err.print(f"bvplan: columns: {shown}")
    from bvplan.format.spreadsheet import column_letter

    used = set(columns.values())
    for index, heading in enumerate(table.header):
        if heading and index not in used:
            err.print(
                f"bvplan: not brought in: {file}: column {column_letter(index)} ({heading}): no field for it "
                "(name one with --map)"
            )
    for problem in tracker.unmapped:
        err.print(f"bvplan: not brought in: {file}: {problem}")
    planned = new_plan(
        plans_dir, plan, tracker, file.name, authority, board, title, year, cadence, today(), skip_bad_rows
    )
    from bvplan.edits.edit_commands import Outcome

    finish(Outcome(planned.changes, planned.summary), dry_run)
    left_out = len(tracker.rows_left_out)
    if left_out:
        err.print(f"bvplan: {left_out} row{'s' if left_out != 1 else ''} left out with --skip-bad-rows (listed above)")


# `import register` (bvplan.cli.register) joins the group beside `import tracker`.
from bvplan.cli.register import import_register  # noqa: E402

import_app.command("register")(import_register)
