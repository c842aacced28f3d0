"""Values as spreadsheet cells: the one rule for every CSV and .xlsx file bvplan writes.

Councils pass these files around, and a cell whose text begins with `=`, `+`, `-`, `@`, a tab or a
carriage return is a formula to Excel and LibreOffice (`=HYPERLINK(...)` is a live link,
`+cmd|' /C calc'!A0` runs a program). Following OWASP's guidance on CSV injection, every text cell
is written so that a spreadsheet shows it as the text it is:
- in CSV, such a text gets a single quote `'` in front (`'=HYPERLINK(...)`), which Excel and
  LibreOffice read as "this is text" (and show; the quote is the standard, visible price);
- in .xlsx, the cell is a string cell (never a formula) with Excel's own "quote prefix" style, so
  its value stays exactly the text, and editing it in Excel does not turn it into a formula.
Numbers, dates and booleans stay real: -3 is a number, not text. A list is one cell, its items
joined with "; ". Characters that no workbook can hold (control characters a plan may not contain,
see format/text.py) are written as the escapes a terminal shows (`\\x1b`): a writer never fails
on text, whatever reached it.
"""

from __future__ import annotations

import re
from typing import Any

from bvplan.format.text import starts_a_formula

LIST_SEPARATOR = "; "
# What XML 1.0 (so an .xlsx) cannot hold at all; the rest of what format/text.py refuses it can.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, decoded with surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def cell_text(text: str) -> str:
    """`text` as a cell can hold it: characters no workbook can hold shown as escapes."""
    return _NOT_IN_XML.sub(_escape, text)


def csv_cell(value: object) -> object:
    """A value as every CSV bvplan writes holds it: absent as an empty cell, booleans as true/false,
    a list joined with '; ', and text that would start a formula behind a single quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(item) for item in value if item is not None)
    if isinstance(value, str):
        text = cell_text(value)
        return "'" + text if starts_a_formula(text) else text
    return value


def xlsx_cell(sheet: Any, value: object) -> Any:
    """A value for `sheet.append`: text as a string cell that can never be a formula; numbers, dates
    and booleans as themselves."""
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(item) for item in value if item is not None)
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import Cell

    text = cell_text(value)
    cell = Cell(sheet, row=1, column=1)  # `append` gives it its place
    cell.value = text
    # openpyxl takes any text that starts with '=' for a formula; this text is a string, always.
    cell.data_type = "s"
    if starts_a_formula(text):
        cell.quotePrefix = True
    return cell


def xlsx_row(sheet: Any, values: list[Any]) -> list[Any]:
    """A row for `sheet.append`, each value by `xlsx_cell`."""
    return [xlsx_cell(sheet, value) for value in values]
