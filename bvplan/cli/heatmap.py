"""`bvplan heatmap`: the self-assessment against the plan's frameworks, over time."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, console, fail, plans_on
from bvplan.cli.options import PlansDir, Public, as_of_option, format_option, output_option, plan_option


class HeatmapFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


# `-o heatmap.html` says the format by itself.
SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
}


@app.command(short_help="The self-assessment heat map: ratings by date.")
def heatmap(
    plan: Annotated[
        str | None,
        plan_option("Plan id. Default: every plan live on the date."),
    ] = None,
    as_of: Annotated[
        str | None,
        as_of_option(
            "Only assessments on or before this date: 2025-09-30, or a period (q2, '2025-26 q2') meaning its "
            "last day. Default: today."
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        format_option(
            *HeatmapFormat,
            help="text, markdown, html, csv, xlsx (a workbook: needs -o) or json. Default: from -o's extension, else text",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        output_option(),
    ] = None,
    public: Public = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """Themes and characteristics of the plan's frameworks against the dates they were assessed.

    Self-assessments and external ratings (peer challenge, commissioners) are separate columns.
    Every cell gives the level in words and the change since that series' previous rating; a
    characteristic rated good while the actions serving it are overdue, or their measures off
    target, is flagged (optimism bias).
    """
    from bvplan.papers import heatmap as views
    from bvplan.rules.assessments import heatmaps
    from bvplan.rules.public_view import public_view

    chosen = _chosen_format(HeatmapFormat(output_format) if output_format else None, output)
    loaded, selection = plans_on(plans_dir, as_of, plan, public)
    workspace = public_view(loaded.workspace).workspace if public else loaded.workspace
    maps = heatmaps(workspace, selection.plans, selection.as_of)
    if not maps:
        names = ", ".join(p.id for p in selection.plans)
        fail(
            f"{names} name{'s' if len(selection.plans) == 1 else ''} no framework; add one to plan.yaml, e.g. "
            "frameworks: [best-value-2024]"
        )
    if chosen is HeatmapFormat.xlsx:
        data = views.workbook_bytes(maps)
    else:
        render = {
            HeatmapFormat.text: views.as_plain_table,
            HeatmapFormat.markdown: views.as_markdown,
            HeatmapFormat.html: views.as_html,
            HeatmapFormat.csv: views.as_csv,
            HeatmapFormat.json: views.as_json,
        }[chosen]
        text = render(maps)
        if output is None:
            from bvplan.cli import output as checked

            checked.stdout(json=chosen is HeatmapFormat.json).write(text)
            return
        data = text.encode("utf-8")
    assert output is not None
    # Through the output guard: never onto the plans, atomic, or a stream into a device or pipe.
    from bvplan.edits.files import write_output

    how = write_output(output, data, plans=[plans_dir])
    console(stderr=True).print(f"{how} {output}")


def _chosen_format(chosen: HeatmapFormat | None, output: Path | None) -> HeatmapFormat:
    if output is not None:
        if output.suffix.lower() in (".yaml", ".yml"):
            fail(f"will not write the heat map to '{output}': that name is for plan files")
        if output.is_dir():
            fail(f"'{output}' is a folder; give a file name, e.g. -o heatmap.html")
    if chosen is None:
        inferred = SUFFIXES.get(output.suffix.lower()) if output is not None else None
        chosen = HeatmapFormat(inferred) if inferred else HeatmapFormat.text
    if chosen is HeatmapFormat.xlsx and output is None:
        fail("--format xlsx writes a workbook, not text; give a file with -o, e.g. -o heatmap.xlsx")
    return chosen
