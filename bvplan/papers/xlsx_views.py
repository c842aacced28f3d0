"""Status as an Excel workbook: a summary sheet, then one sheet per theme with the CSV's columns.

Each theme sheet has one row per milestone, the columns of `bvplan status --format csv` in the same
order (so a workbook and a CSV of the same plans agree cell by cell; text that would start a formula
has the CSV's single quote as the cell's quote-prefix style instead), dates as real dates, yes/no
as real booleans, and RAG as its word and as the cell's fill. Every cell is made by the one cell
rule (papers/cells.py): text is always text, never a formula. The header row is frozen and filters
are on, which is how board members and scrutiny officers sort and slice a tracker.

openpyxl is part of the optional `office` extra and is imported only here, when a workbook is written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from bvplan.format.periods import Period
from bvplan.papers.cells import xlsx_row
from bvplan.papers.office import office_module, stable_zip
from bvplan.papers.status_views import COLUMNS, SUMMARY_KEYS, Row, row_dict, summary_dict
from bvplan.rules.status import Counts

DATE_COLUMNS = frozenset({"start", "due", "deadline", "proposed_deadline", "completed", "cancelled"})
DATE_FORMAT = "yyyy-mm-dd"
# Excel's own "good, neutral, bad" fills, with blue for completed: each keeps black text legible.
RAG_FILLS = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE", "blue": "BDD7EE"}
HEADER_FILL = "D9D9D9"
SUMMARY_SHEET = "Summary"
SUMMARY_COLUMNS = ("plan", "theme", *SUMMARY_KEYS)
_WIDTHS = {"title": 60, "action_title": 45, "owner": 30, "latest_note": 60, "proposed_reason": 40, "rag_reason": 40}
_SHEET_NAME_LIMIT = 31  # Excel's limit
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name for a theme: Excel forbids []:*?/\\, allows 31 characters, and
    compares names without case."""
    base = _NOT_IN_SHEET_NAMES.sub("-", name).strip("'") or "Theme"
    candidate = base[:_SHEET_NAME_LIMIT]
    number = 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate = base[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(candidate.casefold())
    return candidate


def cell_value(column: str, value: object) -> object:
    """A CSV field as a spreadsheet cell's value: ISO dates become dates, everything else is kept
    (text is made a cell by the one cell rule, papers/cells.py)."""
    if column in DATE_COLUMNS and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _themes(rows: Sequence[Row]) -> list[tuple[str, str, list[Row]]]:
    """(plan id, theme name, rows) in the order of the rows."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.plan.plan_id, row.theme_name), []).append(row)
    return [(plan, theme, theme_rows) for (plan, theme), theme_rows in groups.items()]


def workbook_bytes(rows: Sequence[Row], period: Period) -> bytes:
    """The workbook for `rows` on the reporting date `period.end`; the same rows give the same bytes."""
    openpyxl = office_module("openpyxl", "--format xlsx")
    styles = office_module("openpyxl.styles", "--format xlsx")
    utils = office_module("openpyxl.utils", "--format xlsx")

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = SUMMARY_SHEET
    bold = styles.Font(bold=True)
    header_fill = styles.PatternFill("solid", fgColor=HEADER_FILL)
    fills = {rag: styles.PatternFill("solid", fgColor=colour) for rag, colour in RAG_FILLS.items()}
    groups = _themes(rows)

    summary.append(list(SUMMARY_COLUMNS))
    by_plan: dict[str, Counts] = {}
    for plan, theme, theme_rows in groups:
        counts = Counts.of(r.milestone for r in theme_rows)
        by_plan[plan] = by_plan.get(plan, Counts()) + counts
        summary.append(xlsx_row(summary, [plan, theme, *summary_dict(counts).values()]))
    for plan, counts in by_plan.items():
        summary.append(xlsx_row(summary, [plan, "Total", *summary_dict(counts).values()]))
        for cell in summary[summary.max_row]:
            cell.font = bold
    _finish(summary, SUMMARY_COLUMNS, bold, header_fill, utils)

    taken = {SUMMARY_SHEET.casefold()}
    rag_column = COLUMNS.index("rag") + 1
    for _plan, theme, theme_rows in groups:
        sheet = book.create_sheet(sheet_name(theme, taken))
        sheet.append(list(COLUMNS))
        for row in theme_rows:
            values = row_dict(row)
            sheet.append(xlsx_row(sheet, [cell_value(c, values[c]) for c in COLUMNS]))
            line = sheet.max_row
            for c, column in enumerate(COLUMNS, start=1):
                if column in DATE_COLUMNS:
                    sheet.cell(line, c).number_format = DATE_FORMAT
            rag = values["rag"]
            if isinstance(rag, str) and rag in fills:
                sheet.cell(line, rag_column).fill = fills[rag]
        _finish(sheet, COLUMNS, bold, header_fill, utils)

    stamp = dt.datetime.combine(period.end, dt.time())
    book.properties.title = f"Status as at {period.end.isoformat()} ({period.label})"
    book.properties.creator = "bvplan"
    book.properties.language = "en-GB"
    book.properties.created = stamp
    book.properties.modified = stamp
    # openpyxl's `save` stamps the modified time with the clock; its writer, used directly, keeps ours.
    writer = office_module("openpyxl.writer.excel", "--format xlsx")
    buffer = io.BytesIO()
    writer.ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return stable_zip(buffer.getvalue(), period.end)


def _finish(sheet: Any, columns: Sequence[str], bold: Any, header_fill: Any, utils: Any) -> None:
    """Header row bold and frozen, filters on, columns wide enough to read."""
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = header_fill
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for c, column in enumerate(columns, start=1):
        width = _WIDTHS.get(column, 12 if column in DATE_COLUMNS else max(10, len(column) + 2))
        sheet.column_dimensions[utils.get_column_letter(c)].width = width
