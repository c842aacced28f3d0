"""`bvplan report`: the board paper for a reporting period, in Markdown and HTML."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, EXIT_OK, compare_or_exit, console, fail, load_or_exit, require_sound

if TYPE_CHECKING:
    from bvplan.papers.report import Paper

SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
# A paper written over a plan file would lose the user's plan: refuse those names outright.
PROTECTED_SUFFIXES = (".yaml", ".yml")


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    all = "all"


def _date(text: str | None, flag: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{flag} '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2018-07-19")


def _targets(output: Path | None, chosen: ReportFormat | None) -> list[tuple[str, Path | None]]:
    """(format, path) pairs to write; a None path means standard output."""
    if output is None:
        if chosen is ReportFormat.all:
            fail("--format all writes two files; give -o PATH (PATH.md and PATH.html are written)")
        return [(chosen.value if chosen else "md", None)]
    if output.is_dir():
        fail(f"'{output}' is a folder; give a file name for the report")
    inferred = SUFFIXES.get(output.suffix.lower())
    if chosen is ReportFormat.all:
        stem = output.with_suffix("") if inferred else output
        return [("md", stem.with_name(stem.name + ".md")), ("html", stem.with_name(stem.name + ".html"))]
    if chosen is None and inferred is None:
        fail(f"cannot tell the format of '{output}' from its extension; name it .md or .html, or use --format")
    return [(chosen.value if chosen else str(inferred), output)]


def _check_writable(path: Path) -> None:
    if path.suffix.lower() in PROTECTED_SUFFIXES:
        fail(f"will not write a report to '{path}': that name is for plan files")
    if path.is_dir():
        fail(f"'{path}' is a folder; give a file name for the report")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        fail(f"cannot write '{path}': the folder '{parent}' does not exist")


def _write(path: Path, text: str) -> None:
    """Write atomically, so that a failed write leaves the previous report (or none), never half of one."""
    from bvplan.edits.atomic import WriteError, read_snapshot, write_atomic

    try:
        write_atomic(read_snapshot(path), text.encode("utf-8"))
    except WriteError as exc:
        fail(str(exc))


def _paper(
    plans_dir: Path,
    period_text: str,
    plan_id: str | None,
    as_of: str | None,
    options_for_cover: tuple[bool, dt.date | None, str | None, str | None],
    since: str | None = None,
) -> Paper:
    from bvplan.format.periods import Period
    from bvplan.papers.report import Options, build_paper
    from bvplan.rules.selection import SelectionError, select

    loaded = load_or_exit([plans_dir])
    try:
        selection = select(loaded.workspace, period_text, plan_id, dt.date.today())
    except SelectionError as exc:
        require_sound(loaded, loaded.workspace.plans, everything=True)  # errors may be why nothing was found
        fail(str(exc))
    if len(selection.plans) > 1:
        ids = ", ".join(p.id for p in selection.plans)
        fail(f"several plans are live on {selection.as_of} ({ids}); choose one with --plan")
    require_sound(loaded, selection.plans)
    if plan_id is None:
        chosen = selection.plans[0].id
        console(stderr=True).print(
            f"bvplan: reporting {selection.period.label} of {chosen}, the plan live on {selection.as_of} "
            "(choose another with --plan)"
        )
    period = selection.period
    day = _date(as_of, "--as-of")
    if day is not None:
        if not period.start <= day <= period.end:
            fail(f"--as-of {day} is outside {period.label} ({period.start} to {period.end})")
        period = Period(period.label, period.start, day, period.year, period.part)
    public, meeting_date, item, author = options_for_cover
    titles = {p.id: p.model.title for p in loaded.workspace.plans}
    options = Options(public=public, meeting_date=meeting_date, item=item, author=author)
    changes = compare_or_exit(since, None, plans_dir, public).changes if since else None
    return build_paper(selection.plans[0], period, options, changes=changes, plan_titles=titles)


@app.command(short_help="Write the board paper for a reporting period.")
def report(
    period: Annotated[
        list[str],
        typer.Argument(
            help="The period reported: q1-q4, h1, h2 or year (in the plan's year), 2018-19 q1, 2018-19, "
            "or a reporting date (2016-01-26).",
            metavar="PERIOD",
            show_default=False,
        ),
    ],
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan",
            metavar="PLAN",
            help="Plan id. Default: the one plan live on the reporting date.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            help="md, html, or all (with -o PATH: writes PATH.md and PATH.html). Default: from -o's extension, "
            "else md.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="PATH", help="Write to this file instead of standard output.", show_default=False
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="PATH",
            help="Folder of house templates; a file here replaces bvplan's own of the same name.",
            show_default=False,
        ),
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Leave out everything marked exempt, figures included.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Report the position on this date within the period (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    meeting_date: Annotated[
        str | None,
        typer.Option(
            "--meeting-date", metavar="DATE", help="Board meeting date for the cover (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    item: Annotated[
        str | None, typer.Option("--item", metavar="TEXT", help="Agenda item number.", show_default=False)
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", metavar="TEXT", help="The paper's author.", show_default=False)
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="REV",
            help="Add 'Changes since the last meeting': what moved since this git revision (a tag such as "
            "board-2018-06-11, a commit, or a date).",
            show_default=False,
        ),
    ] = None,
    plans_dir: Annotated[Path, typer.Option("--plans", metavar="PATH", help="The plans folder.")] = DEFAULT_PLANS,
) -> None:
    """Write the board paper: cover, introduction, status summary and chart, progress by theme,
    revisions to target dates and Appendix 1, from the plan files alone.

    Markdown goes to standard output unless -o names a file. The same plans always give the same
    bytes, so papers diff well in git.
    """
    from bvplan.papers.rendering import TemplateProblem, render

    if templates is not None and not templates.is_dir():
        fail(f"--templates '{templates}' is not a folder")
    targets = _targets(output, output_format)
    for _fmt, path in targets:
        if path is not None:
            _check_writable(path)
    cover = (public, _date(meeting_date, "--meeting-date"), item, author)
    paper = _paper(plans_dir, " ".join(period), plan, as_of, cover, since)
    try:
        texts = [(render(paper, fmt, templates), path) for fmt, path in targets]
    except TemplateProblem as exc:
        fail(str(exc))
    for text, path in texts:
        if path is None:
            console().file.write(text)
        else:
            _write(path, text)
            console(stderr=True).print(f"wrote {path}")
    raise typer.Exit(EXIT_OK)
