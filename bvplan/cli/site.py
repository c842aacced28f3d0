"""`bvplan site`: the public progress site, as static HTML with open data, written to a folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import (
    DEFAULT_PLANS,
    EXIT_OK,
    EXIT_OUTPUT_FAILED,
    EXIT_USAGE,
    console,
    fail,
    load_or_exit,
    require_sound,
)
from bvplan.clock import today


@app.command(short_help="Write the public progress site and its open data.")
def site(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar="FOLDER", help="The folder to write the site to, e.g. public/."),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="The reporting date of the position shown (YYYY-MM-DD). Default: today.",
            show_default=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="PATH",
            help="Folder of house templates; a file here (a page's template or site.css) replaces bvplan's own.",
            show_default=False,
        ),
    ] = None,
    plans_dir: Annotated[Path, typer.Option("--plans", metavar="PATH", help="The plans folder.")] = DEFAULT_PLANS,
) -> None:
    """Write a static site of the public view of the plans: a home page with the position on the
    reporting date, a page per theme, action and Direction, the changes since the last board (from
    git), every past board's position, open data (CSV, JSON, an Atom feed, the JSON Schema) and an
    accessibility statement.

    Nothing marked exempt is shown or counted. No page needs a script or a server, so the folder can
    be published as it is (GitHub Pages, the council's web server or CMS). The same plans give the
    same bytes.
    """
    from bvplan.errors import BvplanError
    from bvplan.papers.site import publish_site

    day = today()
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of.strip())
        except ValueError:
            fail(f"--as-of '{as_of}' is not a date; write it as YYYY-MM-DD, e.g. 2018-06-01")
    loaded = load_or_exit([plans_dir])
    require_sound(loaded, loaded.workspace.plans)
    titles = {p.id: p.model.title for p in loaded.workspace.context}
    try:
        published = publish_site(loaded.workspace.plans, plans_dir, day, output, templates, titles)
    except BvplanError as exc:
        # Until the one error boundary maps bvplan.errors to exit codes (bvplan.cli.boundary).
        from bvplan.errors import OutputFailed

        fail(str(exc), EXIT_OUTPUT_FAILED if isinstance(exc, OutputFailed) else EXIT_USAGE)
    console(stderr=True).print(
        f"wrote {published.pages} pages and {published.files - published.pages} other files to {output}",
        markup=False,
        highlight=False,
    )
    raise typer.Exit(EXIT_OK)
