"""`bvplan init`: start a plan repository a council can build on."""

from __future__ import annotations

import re
import shlex
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bvplan import __version__
from bvplan.cli.app import app
from bvplan.cli.common import console, fail


class Cadence(StrEnum):
    quarterly = "quarterly"
    six_monthly = "six-monthly"


def _year(text: str | None) -> int:
    from bvplan.clock import today
    from bvplan.format.periods import financial_year_of

    if text is None:
        return financial_year_of(today())
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        fail(f"--year '{text}': write the financial year like 2018-19 (it runs 1 April 2018 to 31 March 2019)")
    return int(match.group(1))


@app.command(short_help="Start a plan repository.")
def init(
    directory: Annotated[
        Path,
        typer.Argument(help="Where to create the repository (made if missing). Default: here.", metavar="DIR"),
    ] = Path("."),
    plan_id: Annotated[
        str | None,
        typer.Option("--plan-id", metavar="PLAN", help="The plan's id. Default: bvip-<year>.", show_default=False),
    ] = None,
    authority: Annotated[
        str | None, typer.Option(help="The council's name.", metavar="TEXT", show_default=False)
    ] = None,
    board: Annotated[
        str | None, typer.Option(help="The board the plan reports to.", metavar="TEXT", show_default=False)
    ] = None,
    title: Annotated[str | None, typer.Option(help="The plan's title.", metavar="TEXT", show_default=False)] = None,
    year: Annotated[
        str | None,
        typer.Option(
            help="The financial year it covers, e.g. 2018-19. Default: this one.", metavar="YEAR", show_default=False
        ),
    ] = None,
    cadence: Annotated[
        Cadence, typer.Option(help="How often the board hears about it.", metavar="[quarterly|six-monthly]")
    ] = Cadence.quarterly,
    theme: Annotated[str, typer.Option(help="The first theme's name.", metavar="TEXT")] = "Governance",
    hook_repo: Annotated[
        str | None,
        typer.Option(
            "--hook-repo",
            metavar="URL",
            help="Git URL of bvplan for a pinned pre-commit hook. Default: the hook runs the bvplan on PATH.",
            show_default=False,
        ),
    ] = None,
    install: Annotated[
        str | None,
        typer.Option(
            help="What the CI workflow pip-installs (a pip spec or git+URL). Default: bvplan from --hook-repo, "
            "else the repository variable BVPLAN_INSTALL.",
            metavar="SPEC",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a plan repository: a plan whose comments teach the format, a pre-commit hook and a CI workflow.

    Writes plans/<id>/plan.yaml and one theme file, schemas/ for editors, .pre-commit-config.yaml
    (the bvplan-validate hook) and .github/workflows/plans.yml (on every pull request: validate with
    annotations, list the changes, build this quarter's paper as an artifact). Never overwrites a
    file: if any of them exists, nothing is written.
    """
    from bvplan.edits.scaffold import WouldOverwrite, default_settings, scaffold_files, write_new_files
    from bvplan.format.model import PLAN_ID_PATTERN

    if plan_id is not None and not re.fullmatch(PLAN_ID_PATTERN, plan_id):
        fail(f"--plan-id '{plan_id}': use lower case letters, digits, '.', '_' or '-', starting with a letter or digit")
    for flag, value in (("--authority", authority), ("--board", board), ("--title", title), ("--theme", theme)):
        if value is not None and not value.strip():
            fail(f"{flag} cannot be empty")
    if directory.exists() and not directory.is_dir():
        fail(f"{directory} exists and is not a folder")
    settings = default_settings(
        _year(year), plan_id, title, authority, board, cadence.value, theme.strip(), hook_repo, install
    )
    try:
        written = write_new_files(directory, scaffold_files(settings))
    except WouldOverwrite as exc:
        names = "\n".join(f"  {path}" for path in exc.existing)
        fail(f"these files exist already, so nothing was written:\n{names}")
    out = console()
    out.print(f"Created a plan repository in {directory}:")
    for path in written:
        out.print(f"  {path}")
    out.print("Next:")
    out.print(f"  cd {shlex.quote(str(directory))}")
    out.print("  git init && git add . && git commit -m 'Start the improvement plan'")
    out.print("  pre-commit install        # check plan files on every commit")
    out.print(f"  bvplan validate && bvplan status{_status_date(settings.year, settings.cadence)}")
    if settings.install is None:
        out.print(
            "The CI workflow installs bvplan from the repository variable BVPLAN_INSTALL: set it to where your "
            f"council keeps bvplan (e.g. git+https://git.example.org/your-council/bvplan@v{__version__}), "
            "or run init again with --install SPEC."
        )


def _status_date(year: int, cadence: str) -> str:
    """`--as-of` for the first status of a plan that is not live today (a past or future year)."""
    from bvplan.clock import today
    from bvplan.format.periods import make_period

    whole = make_period(year, None)
    if whole.start <= today() <= whole.end:
        return ""
    first = make_period(year, "Q1" if cadence == "quarterly" else "H1")
    return f' --as-of "{first.label.lower()}"'
