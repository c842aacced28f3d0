"""The self-assessment heat map in the formats people ask for: a plain table, Markdown, HTML, CSV, JSON, xlsx.

Every cell gives the level in words (and the change since the same series' previous rating), so
colour never carries the meaning alone: the HTML and the workbook add the scale's colour as the
cell's fill. The same heat map gives the same bytes, in every format.

Rows are the characteristics of the plan's frameworks, theme by theme; columns are the assessment
dates, the self-assessments and the external ones apart (rules/assessments.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from collections.abc import Sequence
from typing import Any

from bvplan.papers.cells import csv_cell, xlsx_row
from bvplan.papers.markdown import escape
from bvplan.papers.office import office_module, stable_workbook
from bvplan.papers.status_views import fixed_width, one_line
from bvplan.rules.assessments import Cell, Heatmap, HeatRow

FLAG = "Optimism bias"
SUMMARY = "Rated good while the actions serving them slip"


def _row_cells(row: HeatRow, empty: str = "") -> list[str]:
    """Each column's rating in words; `empty` where the characteristic was not rated that day."""
    return [cell.words or empty for cell in row.cells]


def _flag(row: HeatRow) -> str:
    return row.optimism.words if row.optimism is not None else ""


def _legend(heatmap: Heatmap) -> list[str]:
    lines = []
    for framework in heatmap.frameworks:
        good = set(framework.model.scale.good)
        levels = ", ".join(
            f"{lv.words} ({lv.id}{', good' if lv.id in good else ''})" for lv in framework.model.scale.levels
        )
        lines.append(f"{framework.model.title}: {levels}")
    return lines


def _groups(heatmap: Heatmap) -> list[tuple[str, list[HeatRow]]]:
    """Rows by theme, in order: (heading, rows); the heading names the framework when there are several."""
    groups: dict[tuple[str, str], list[HeatRow]] = {}
    for row in heatmap.rows:
        groups.setdefault((row.framework.id, row.theme.id), []).append(row)
    several = len(heatmap.frameworks) > 1
    return [
        (f"{rows[0].framework.model.title}: {rows[0].theme.title}" if several else rows[0].theme.title, rows)
        for rows in groups.values()
    ]


def _header(heatmap: Heatmap) -> list[str]:
    return ["ID", "Characteristic", *(c.label for c in heatmap.columns), FLAG]


def as_plain_table(heatmaps: Sequence[Heatmap]) -> str:
    out: list[str] = []
    for heatmap in heatmaps:
        out += [f"Self-assessment as at {heatmap.as_of.isoformat()}: {one_line(heatmap.title)}"]
        out += [f"Scale, lowest first: {one_line(line)}" for line in _legend(heatmap)]
        if not heatmap.columns:
            out += ["No assessments yet ('bvplan assess' records one)."]
        for heading, rows in _groups(heatmap):
            body = [[r.id, r.characteristic.text, *_row_cells(r, "-"), _flag(r)] for r in rows]
            out += ["", one_line(heading), *fixed_width(_header(heatmap), body)]
        flagged = heatmap.flagged
        out += ["", f"{SUMMARY}: {len(flagged)}"]
        out += [f"  {r.id}: {one_line(r.optimism.words)}" for r in flagged if r.optimism is not None]
        out.append("")
    return "\n".join(out)


def as_markdown(heatmaps: Sequence[Heatmap]) -> str:
    out: list[str] = []
    for heatmap in heatmaps:
        out += [f"# Self-assessment as at {heatmap.as_of.isoformat()}: {escape(heatmap.title)}", ""]
        out += [f"Scale, lowest first: {escape(line)}" for line in _legend(heatmap)]
        out.append("")
        for heading, rows in _groups(heatmap):
            header = _header(heatmap)
            out += [f"## {escape(heading)}", "", "| " + " | ".join(escape(h) for h in header) + " |"]
            out.append("|" + "---|" * len(header))
            for r in rows:
                cells = [r.id, r.characteristic.text, *_row_cells(r), _flag(r)]
                out.append("| " + " | ".join(escape(c) for c in cells) + " |")
            out.append("")
        flagged = heatmap.flagged
        out += [f"{SUMMARY}: {len(flagged)}", ""]
        out += [f"- {escape(r.id)}: {escape(r.optimism.words)}" for r in flagged if r.optimism is not None]
        if flagged:
            out.append("")
    return "\n".join(out)


_STYLE = """\
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
caption { text-align: left; font-weight: bold; font-size: 1.2em; padding: 0.5em 0; }
th, td { border: 1px solid #505a5f; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
thead th { background: #f3f2f1; }
.flag { font-weight: bold; }
"""


def _html_cell(cell: Cell) -> str:
    if cell.level is None:
        return "<td></td>"
    colour = html.escape(cell.level.colour)
    return f'<td style="background-color: {colour}">{html.escape(cell.words)}</td>'


def as_html(heatmaps: Sequence[Heatmap]) -> str:
    """A page of tables: each with its caption, column headers scoped to columns and each
    characteristic's id heading its row; the level in words in every cell, its colour as the fill."""
    title = "Self-assessment heat map"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    for heatmap in heatmaps:
        out.append(f"<h1>Self-assessment as at {heatmap.as_of.isoformat()}: {html.escape(heatmap.title)}</h1>")
        out.append("<p>Scale, lowest first:</p>\n<ul>")
        for framework in heatmap.frameworks:
            good = set(framework.model.scale.good)
            for lv in framework.model.scale.levels:
                counts = " (counts as good)" if lv.id in good else ""
                out.append(
                    f'<li><span style="background-color: {html.escape(lv.colour)}">{html.escape(lv.words)}</span> '
                    f"({html.escape(lv.id)}){counts}</li>"
                )
        out.append("</ul>")
        for heading, rows in _groups(heatmap):
            out.append("<table>")
            out.append(f"<caption>{html.escape(heading)}</caption>")
            out.append("<thead><tr>" + "".join(f'<th scope="col">{html.escape(h)}</th>' for h in _header(heatmap)))
            out[-1] += "</tr></thead>"
            out.append("<tbody>")
            for r in rows:
                flag = f'<td class="flag">{html.escape(_flag(r))}</td>' if r.optimism else "<td></td>"
                out.append(
                    f'<tr><th scope="row">{html.escape(r.id)}</th><td>{html.escape(r.characteristic.text)}</td>'
                    + "".join(_html_cell(c) for c in r.cells)
                    + flag
                    + "</tr>"
                )
            out.append("</tbody>")
            out.append("</table>")
        flagged = heatmap.flagged
        out.append(f"<p>{SUMMARY}: {len(flagged)}</p>")
        if flagged:
            out.append("<ul>")
            out += [
                f"<li>{html.escape(r.id)}: {html.escape(r.optimism.words)}</li>"
                for r in flagged
                if r.optimism is not None
            ]
            out.append("</ul>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


CSV_COLUMNS = ("plan", "as_of", "framework", "theme", "characteristic", "text")


def _csv_header(heatmap: Heatmap) -> list[str]:
    return [*CSV_COLUMNS, *(c.label for c in heatmap.columns), "latest_self", "latest_external", "optimism_bias"]


def _csv_rows(heatmap: Heatmap) -> list[list[object]]:
    rows: list[list[object]] = []
    for r in heatmap.rows:
        rows.append(
            [
                heatmap.plan_id,
                heatmap.as_of.isoformat(),
                r.framework.id,
                r.theme.title,
                r.id,
                r.characteristic.text,
                *(c.words for c in r.cells),
                r.latest_self.words if r.latest_self else "",
                r.latest_external.words if r.latest_external else "",
                r.optimism.words if r.optimism else "",
            ]
        )
    return rows


def as_csv(heatmaps: Sequence[Heatmap]) -> str:
    """One row per characteristic, one column per assessment; a plan's table after another's."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for index, heatmap in enumerate(heatmaps):
        if index:
            buffer.write("\n")
        writer.writerow([csv_cell(h) for h in _csv_header(heatmap)])
        for row in _csv_rows(heatmap):
            writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def _cell_json(cell: Cell) -> dict[str, Any] | None:
    if cell.rating is None or cell.level is None:
        return None
    return {
        "level": cell.level.id,
        "words": cell.level.words,
        "colour": cell.level.colour,
        "change": cell.change.value if cell.change else None,
        "previous": cell.previous.id if cell.previous else None,
        "by": cell.rating.by,
        "evidence": list(cell.rating.evidence),
        "note": cell.rating.note,
    }


def as_json(heatmaps: Sequence[Heatmap]) -> str:
    document = {
        "heatmaps": [
            {
                "plan": h.plan_id,
                "title": h.title,
                "as_of": h.as_of.isoformat(),
                "frameworks": [
                    {
                        "id": f.id,
                        "title": f.model.title,
                        "source": f.model.source,
                        "scale": [
                            {"level": lv.id, "words": lv.words, "colour": lv.colour, "good": f.is_good(lv.id)}
                            for lv in f.model.scale.levels
                        ],
                    }
                    for f in h.frameworks
                ],
                "columns": [{"on": c.on.isoformat(), "series": c.series, "by": list(c.by)} for c in h.columns],
                "rows": [
                    {
                        "framework": r.framework.id,
                        "theme": r.theme.title,
                        "characteristic": r.id,
                        "text": r.characteristic.text,
                        "cells": [_cell_json(c) for c in r.cells],
                        "latest_self": _cell_json(r.latest_self) if r.latest_self else None,
                        "latest_external": _cell_json(r.latest_external) if r.latest_external else None,
                        "actions": list(r.actions),
                        "optimism_bias": (
                            {
                                "overdue": list(r.optimism.overdue_actions),
                                "off_target": list(r.optimism.off_target_measures),
                            }
                            if r.optimism
                            else None
                        ),
                    }
                    for r in h.rows
                ],
            }
            for h in heatmaps
        ]
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def workbook_bytes(heatmaps: Sequence[Heatmap]) -> bytes:
    """One sheet per plan: the CSV's columns, each rated cell filled with its level's colour and
    giving the level in words; the header row frozen, filters on."""
    openpyxl = office_module("openpyxl", "A heat map workbook")
    styles = office_module("openpyxl.styles", "A heat map workbook")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for heatmap in heatmaps:
        sheet = book.create_sheet(heatmap.plan_id[:31])
        header = _csv_header(heatmap)
        sheet.append(xlsx_row(sheet, list(header)))
        for cell in sheet[1]:
            cell.font = styles.Font(bold=True)
        first = len(CSV_COLUMNS) + 1
        for r, (row, values) in enumerate(zip(heatmap.rows, _csv_rows(heatmap), strict=True), start=2):
            sheet.append(xlsx_row(sheet, values))
            for c, found in enumerate(row.cells):
                if found.level is not None:
                    fill = found.level.colour.lstrip("#").upper()
                    sheet.cell(r, first + c).fill = styles.PatternFill("solid", start_color=fill, end_color=fill)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    day = max((h.as_of for h in heatmaps), default=dt.date(1980, 1, 1))
    book.properties.title = f"Self-assessment heat map as at {day.isoformat()}"
    return stable_workbook(book, day, "A heat map workbook")
