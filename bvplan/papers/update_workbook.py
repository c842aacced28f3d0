"""The update workbook sent to one action owner: their open milestones, with columns to fill in.

One workbook per owner: each owner gets only their own milestones (and cannot see or change anyone
else's), the files go out and come back independently, and a late or damaged return holds up no
one else's. The workbook has the owner's sheet (plan facts locked, fill-in cells open, dates and
choices validated), an Instructions sheet, and a very hidden `bvplan` sheet recording the export:
the reporting date and, for each row, the milestone and its fingerprint as exported, so the import
can refuse rows that were moved, pasted from elsewhere, or whose milestone changed since.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from bvplan.papers.cells import xlsx_row
from bvplan.rules.owners import OwnedMilestone
from bvplan.rules.status import status_words
from bvplan.rules.updates import (
    COLUMNS,
    DATE_COLUMNS,
    FILL_IN,
    FIRST_ROW,
    FORMAT,
    HEADERS,
    HIDDEN,
    INSTRUCTIONS_SHEET,
    MAX_TEXT,
    META_SHEET,
    PUBLISH_CHOICES,
    sheet_title,
)

DATE_FORMAT = "dd/mm/yyyy"

INSTRUCTIONS = [
    "How to fill in this workbook",
    "",
    "The sheet named after you lists your milestones that are not yet delivered, as the plan stood on {as_of}.",
    "Fill in only the columns with a pale yellow heading; the others are locked.",
    "",
    "Completed on: the date the milestone was achieved, e.g. 30/06/2018. Leave it blank if it is not done.",
    "Progress note: one or two sentences on where things stand, as you would tell the board.",
    "May the note be published?: choose No if the note must not appear in the public paper.",
    "Proposed new deadline and Reason: only if the milestone needs more time. Both are needed; the board agrees "
    "new deadlines, so this is a proposal.",
    "",
    "Type dates and text; do not paste formulas, merge cells, add or rename sheets, or move rows.",
    "Leave a row blank if you have nothing to report for it.",
    "Return the file to {officer}; it is read back into the plan automatically.",
    "A row whose milestone was changed in the plan after this workbook was made is not applied; you will be asked "
    "again.",
]


def workbook_bytes(
    owner: str, rows: Sequence[OwnedMilestone], as_of: dt.date, officer: str = "the performance officer"
) -> bytes:
    """The owner's workbook as the bytes of an .xlsx file (the caller writes it atomically)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    stamp = dt.datetime.combine(as_of, dt.time())
    workbook.properties.creator = "bvplan"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    sheet = workbook.active
    assert sheet is not None
    title = sheet_title(owner)
    sheet.title = title
    sheet.append(list(HEADERS))
    header_font = Font(bold=True)
    fill_in = PatternFill("solid", fgColor="FFF2CC")
    for letter, _header, width in COLUMNS:
        cell = sheet[f"{letter}1"]
        cell.font = header_font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if letter in FILL_IN:
            cell.fill = fill_in
        sheet.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    for number, row in enumerate(rows, start=FIRST_ROW):
        status = row.status
        note = f"{status.note.on:%d/%m/%Y}: {status.note.text}" if status.note else None
        sheet.append(
            xlsx_row(
                sheet,
                [
                    row.plan_id,
                    status.id,
                    status.milestone.title,
                    f"{row.action_id} {row.action_title}",
                    status.deadline,
                    status_words(status, vocabulary=row.vocabulary),
                    note,
                    None,
                    None,
                    None,
                    None,
                    None,
                    row.reference,
                    row.fingerprint,
                ],
            )
        )
        for letter, _header, _width in COLUMNS:
            cell = sheet[f"{letter}{number}"]
            cell.alignment = wrap
            if letter in FILL_IN:
                cell.protection = unlocked
        sheet[f"E{number}"].number_format = DATE_FORMAT
        for letter in DATE_COLUMNS:
            sheet[f"{letter}{number}"].number_format = DATE_FORMAT
    last = FIRST_ROW + max(len(rows), 1) - 1
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a date",
        error="Type a date, e.g. 30/06/2018.",
        showInputMessage=True,
        promptTitle="A date",
        prompt="Type a date, e.g. 30/06/2018.",
    )
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(PUBLISH_CHOICES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Yes or No",
        error="Choose Yes or No (blank means Yes).",
    )
    text = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(MAX_TEXT),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Too long",
        error=f"At most {MAX_TEXT} characters.",
    )
    for validation in (dates, choices, text):
        sheet.add_data_validation(validation)
    for letter in DATE_COLUMNS:
        dates.add(f"{letter}{FIRST_ROW}:{letter}{last}")
    choices.add(f"J{FIRST_ROW}:J{last}")
    text.add(f"I{FIRST_ROW}:I{last}")
    text.add(f"L{FIRST_ROW}:L{last}")
    for letter in HIDDEN:
        sheet.column_dimensions[letter].hidden = True
    sheet.freeze_panes = "C2"
    # Locked cells guard against accidents, not malice (no password): the import checks every row anyway.
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    instructions.column_dimensions["A"].width = 110
    for line in INSTRUCTIONS:
        instructions.append(xlsx_row(instructions, [line.format(as_of=f"{as_of:%d/%m/%Y}", officer=officer)]))
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.protection.sheet = True

    meta = workbook.create_sheet(META_SHEET)
    meta.append(xlsx_row(meta, ["format", FORMAT]))
    meta.append(xlsx_row(meta, ["as_of", as_of.isoformat()]))
    meta.append(xlsx_row(meta, ["owner", owner]))
    meta.append(xlsx_row(meta, ["sheet", title]))
    meta.append(xlsx_row(meta, ["rows", len(rows)]))
    meta.append(xlsx_row(meta, ["row", "reference", "fingerprint"]))
    for number, row in enumerate(rows, start=FIRST_ROW):
        meta.append(xlsx_row(meta, [number, row.reference, row.fingerprint]))
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
