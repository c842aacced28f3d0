"""`bvplan site`: the public progress site, as static HTML with open data, written to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, console, load_plans, require_sound
from bvplan.cli.options import PlansDir, as_of_option, output_option
from bvplan.clock import today


@app.command(short_help="Write the public progress site and its open data.")
def site(
    output: Annotated[
        Path,
        output_option("The folder to write the site to, e.g. public/."),
    ],
    as_of: Annotated[
        str | None,
        as_of_option("The reporting date of the position shown (YYYY-MM-DD). Default: today."),
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
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Write a static site of the public view of the plans: a home page with the position on the
    reporting date, a page per theme, action and Direction, the changes since the last board (from
    git), every past board's position, open data (CSV, JSON, an Atom feed, the JSON Schema) and an
    accessibility statement.

    Nothing marked exempt is shown or counted. No page needs a script or a server, so the folder can
    be published as it is (GitHub Pages, the council's web server or CMS). The same plans give the
    same bytes.
    """
    from bvplan.format.periods import parse_date
    from bvplan.papers.site import publish_site

    day = today()
    if as_of is not None:
        day = parse_date(as_of, "--as-of")
    loaded = load_plans([plans_dir])
    require_sound(loaded, loaded.workspace.plans)
    titles = {p.id: p.model.title for p in loaded.workspace.context}
    published = publish_site(loaded.workspace.plans, plans_dir, day, output, templates, titles)
    console(stderr=True).print(
        f"wrote {published.pages} pages and {published.files - published.pages} other files to {output}",
        markup=False,
        highlight=False,
    )
