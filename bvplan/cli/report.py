"""`bvplan report`: the board paper for a reporting period, in Markdown, HTML, Word and PDF."""

from __future__ import annotations

import datetime as dt
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, compare, console, fail, plans_on
from bvplan.cli.options import AsOf, OutputFile, PlanId, PlansDir, Public, format_option
from bvplan.clock import today

if TYPE_CHECKING:
    from bvplan.papers.report import Paper

SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
# Word and PDF are built from the HTML paper, and are files, never text for a terminal.
BINARY_FORMATS = ("docx", "pdf")
# A paper written over a plan file would lose the user's plan: refuse those names outright.
PROTECTED_SUFFIXES = (".yaml", ".yml")
# `bvplan report exit`: the exit-readiness paper (papers/report.py EXIT_PAPER).
EXIT_WORD = "exit"


class ReportFormat(StrEnum):
    markdown = "markdown"
    html = "html"
    docx = "docx"
    pdf = "pdf"
    all = "all"


def _date(text: str | None, flag: str) -> dt.date | None:
    from bvplan.format.periods import parse_date

    return None if text is None else parse_date(text, flag)


def _targets(output: Path | None, chosen: ReportFormat | None) -> list[tuple[str, Path | None]]:
    """(format, path) pairs to write; a None path means standard output."""
    if output is None:
        if chosen is ReportFormat.all:
            fail("--format all writes two files; give -o PATH (PATH.md and PATH.html are written)")
        if chosen is not None and chosen.value in BINARY_FORMATS:
            fail(f"--format {chosen.value} writes a file, not text; give -o PATH, e.g. -o paper.{chosen.value}")
        return [(chosen.value if chosen else "markdown", None)]
    if output.is_dir():
        fail(f"'{output}' is a folder; give a file name for the report")
    inferred = SUFFIXES.get(output.suffix.lower())
    if chosen is ReportFormat.all:
        stem = output.with_suffix("") if inferred else output
        return [("markdown", stem.with_name(stem.name + ".md")), ("html", stem.with_name(stem.name + ".html"))]
    if chosen is None and inferred is None:
        fail(
            f"cannot tell the format of '{output}' from its extension; name it .md, .html, .docx or .pdf, or use --format"
        )
    return [(chosen.value if chosen else str(inferred), output)]


def _check_writable(path: Path, plans_dir: Path) -> None:
    from bvplan.edits.files import refuse_plan_paths

    # A link is judged by what it points to: `paper.md` linking to a theme file is a plan file.
    for name in (path, Path(os.path.realpath(path))):
        if name.suffix.lower() in PROTECTED_SUFFIXES:
            fail(f"will not write a report to '{path}': that name is for plan files")
    refuse_plan_paths(path, [plans_dir])  # every file of `--format all` before the first is written
    if path.is_dir():
        fail(f"'{path}' is a folder; give a file name for the report")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        fail(f"cannot write '{path}': the folder '{parent}' does not exist")


def _write(path: Path, data: bytes, plans_dir: Path) -> str:
    """Through the output guard (bvplan.edits.files.write_output): never onto the plans, atomic, or a
    stream into a device or pipe. Returns how."""
    from bvplan.edits.files import write_output

    return write_output(path, data, plans=[plans_dir])


def _paper(
    plans_dir: Path,
    period_text: str,
    plan_id: str | None,
    as_of: str | None,
    options_for_cover: tuple[bool, dt.date | None, str | None, str | None],
    since: str | None = None,
    paper_name: str | None = None,
) -> Paper:
    from bvplan.format.periods import financial_year_of, parse_reporting
    from bvplan.papers.report import Options, build_paper, paper_kind
    from bvplan.papers.sections import find_meeting

    loaded, selection = plans_on(plans_dir, period_text, plan_id)
    if len(selection.plans) > 1:
        ids = ", ".join(p.id for p in selection.plans)
        fail(f"several plans are live on {selection.as_of} ({ids}); choose one with --plan")
    if plan_id is None:
        chosen = selection.plans[0].id
        console(stderr=True).print(
            f"bvplan: reporting {selection.period.label} of {chosen}, the plan live on {selection.as_of} "
            "(choose another with --plan)"
        )
    period = selection.period
    plan = selection.plans[0]
    public, meeting_date, item, author = options_for_cover
    options = Options(public=public, meeting_date=meeting_date, item=item, author=author, paper=paper_name)
    model = plan.model
    year = financial_year_of(model.start, model.year_start)
    day = parse_reporting(as_of, year, model.cadence, model.year_start).end if as_of is not None else None
    if day is not None:
        if not period.start <= day <= period.end:
            fail(f"--as-of {day} is outside {period.label} ({period.start} to {period.end})")
        meeting = find_meeting(plan.model, period.key, paper_kind(plan, period, options))
        held = meeting_date or (meeting.date if meeting else None)
        if held is not None and day > held:
            fail(
                f"--as-of {day} is after the meeting of {held}: a paper can only report what was known "
                "when it went out; give a date on or before the meeting"
            )
    titles = {p.id: p.model.title for p in (*loaded.workspace.plans, *loaded.workspace.context)}
    options = Options(public=public, meeting_date=meeting_date, item=item, author=author, as_of=day, paper=paper_name)
    changes = compare(since, None, plans_dir, public).changes if since else None
    return build_paper(plan, period, options, changes=changes, plan_titles=titles)


@app.command(short_help="Write the board paper for a reporting period.")
def report(
    period: Annotated[
        list[str],
        typer.Argument(
            help="The period reported: q1-q4, h1, h2 or year (in the plan's year), 2018-19 q1, 2018-19, "
            "or a reporting date (2016-01-26). 'exit': the exit-readiness paper on --as-of (default today).",
            metavar="PERIOD",
            show_default=False,
        ),
    ],
    plan: PlanId = None,
    output_format: Annotated[
        str | None,
        format_option(
            *ReportFormat,
            help="markdown, html, docx (Word), pdf (tagged PDF), or all (with -o PATH: writes PATH.md and "
            "PATH.html). docx and pdf need the 'office' extra and -o. Default: from -o's extension, else markdown",
        ),
    ] = None,
    output: OutputFile = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="PATH",
            help="Folder of house templates; a file here replaces bvplan's own of the same name.",
            show_default=False,
        ),
    ] = None,
    docx_template: Annotated[
        Path | None,
        typer.Option(
            "--docx-template",
            metavar="PATH",
            help="The council's own Word template (.docx or .dotx): the Word paper takes its styles, header, "
            "footer and logo.",
            show_default=False,
        ),
    ] = None,
    public: Public = False,
    as_of: AsOf = None,
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
    paper_name: Annotated[
        str | None,
        typer.Option(
            "--paper",
            help="Which paper: board (the update to the improvement board), cabinet (the report to Cabinet "
            "before submission), year-end, or one a --templates folder adds as NAME.md.j2 / NAME.html.j2. "
            "Default: the meeting's, else year-end for a year and board otherwise.",
            metavar="NAME",
            show_default=False,
        ),
    ] = None,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Write the board paper: cover, introduction, status summary and chart, progress by theme,
    revisions to target dates and Appendix 1, from the plan files alone.

    `bvplan report exit` writes the exit-readiness paper instead, as at --as-of (default today): for
    each Direction, exit criterion and recommendation, whether it is met, the evidence, what is
    outstanding and by when. It is also the handover to the council or to a successor authority.

    Markdown goes to standard output unless -o names a file. Word (.docx) and PDF are made from the
    HTML paper, so they carry the same sections. The same plans always give the same bytes, so
    papers diff well in git. --as-of reports the position on a day within the period (default: the
    position the meeting's paper takes).
    """
    from bvplan.cli.output import stdout
    from bvplan.papers.rendering import available_papers

    if templates is not None and not templates.is_dir():
        fail(f"--templates '{templates}' is not a folder")
    if paper_name is not None and paper_name not in available_papers(templates):
        fail(
            f"no paper '{paper_name}'; papers: {', '.join(available_papers(templates))} "
            "(a --templates folder adds a paper NAME with NAME.md.j2 and NAME.html.j2)"
        )
    targets = _targets(output, ReportFormat(output_format) if output_format else None)
    for _fmt, path in targets:
        if path is not None:
            _check_writable(path, plans_dir)
    if docx_template is not None and not any(fmt == "docx" for fmt, _ in targets):
        fail("--docx-template is for the Word paper; add --format docx or name the output .docx")
    if docx_template is not None and not docx_template.is_file():
        fail(f"--docx-template '{docx_template}' is not a file")
    cover = (public, _date(meeting_date, "--meeting-date"), item, author)
    period_text = " ".join(period)
    if period_text.strip().casefold() == EXIT_WORD:
        # The exit paper is taken on a day, not for a period: the period is the one holding that day.
        if paper_name not in (None, EXIT_WORD):
            fail(f"'report exit' writes the exit paper; --paper {paper_name} goes with a period")
        as_of = as_of or today().isoformat()
        period_text, paper_name = str(_date(as_of, "--as-of")), EXIT_WORD
    paper = _paper(plans_dir, period_text, plan, as_of, cover, since, paper_name)
    if paper.missing_sections:
        console(stderr=True).print(
            f"warning: this paper lacks the required section(s) {', '.join(paper.missing_sections)} "
            "(required_sections in plan.yaml); add them under sections, or the meeting's sections",
            markup=False,
            highlight=False,
        )
    outputs = [(_document(paper, fmt, templates, docx_template), path) for fmt, path in targets]
    for data, path in outputs:
        if path is None:
            stdout().write(data.decode("utf-8"))  # checked and made safe: bvplan.cli.output
        else:
            how = _write(path, data, plans_dir)
            console(stderr=True).print(f"{how} {path}")


def _document(paper: Paper, fmt: str, templates: Path | None, docx_template: Path | None) -> bytes:
    """The paper in `fmt` as bytes; Word and PDF are made from the HTML paper, so they carry its sections."""
    from bvplan.papers.rendering import render

    if fmt not in BINARY_FORMATS:
        return render(paper, "md" if fmt == "markdown" else fmt, templates).encode("utf-8")
    html = render(paper, "html", templates)
    if fmt == "docx":
        from bvplan.papers.docx_paper import docx_bytes

        return docx_bytes(html, paper, docx_template)
    from bvplan.papers.pdf_paper import pdf_bytes

    return pdf_bytes(html, paper)
