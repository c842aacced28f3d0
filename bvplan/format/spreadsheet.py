"""Opening spreadsheets people send back, safely: size limits, zip checks, then openpyxl.

An .xlsx file is a zip archive. Before openpyxl reads one, its zip directory is checked: the
declared uncompressed sizes (a "zip bomb" declares gigabytes in a few kilobytes), the number of
members and that it is a workbook at all. openpyxl is an optional extra (`bvplan[office]`) and is
imported only here, inside the functions that need it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bvplan import errors
from bvplan.errors import UsageError
from bvplan.format.text import starts_a_formula

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

INSTALL_HINT = "pip install 'bvplan[office]'"
MAX_FILE_BYTES = 16 * 1024 * 1024  # the file as stored
MAX_MEMBER_BYTES = 16 * 1024 * 1024  # one part (a sheet) uncompressed
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all parts uncompressed
MAX_MEMBERS = 2000
MAX_RATIO = 200  # uncompressed / compressed for a large part; real sheets compress 5-20 times


class SpreadsheetError(UsageError):
    """The file cannot be used; the message says which file and why."""


class MissingExtra(errors.MissingExtra):
    """openpyxl is not installed."""

    def __init__(self) -> None:
        super().__init__(f"spreadsheets need the office extra: {INSTALL_HINT}")


def require_openpyxl() -> None:
    try:
        import openpyxl  # noqa: F401
    except ImportError as exc:
        raise MissingExtra() from exc


def _size(path: Path, shown: str) -> int:
    try:
        if not path.is_file():
            raise SpreadsheetError(f"{shown}: not a file")
        return path.stat().st_size
    except OSError as exc:
        raise SpreadsheetError(f"{shown}: cannot read it: {exc.strerror}") from exc


def check_xlsx(path: Path, shown: str | None = None) -> None:
    """Refuse what is not a sound .xlsx of a sane size, from its zip directory alone."""
    shown = shown or str(path)
    size = _size(path, shown)
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(f"{shown}: {size / 1e6:.1f} MB is too large; at most {MAX_FILE_BYTES // 2**20} MiB")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        with path.open("rb") as stream:
            head = stream.read(8)
        kind = " (an old .xls file: save it as .xlsx)" if head.startswith(b"\xd0\xcf\x11\xe0") else ""
        raise SpreadsheetError(f"{shown}: not an .xlsx workbook{kind}") from exc
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetError(f"{shown}: not a plausible workbook ({len(members)} parts)")
    total = 0
    for member in members:
        total += member.file_size
        too_big = member.file_size > MAX_MEMBER_BYTES
        bomb = member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        if too_big or bomb:
            raise SpreadsheetError(
                f"{shown}: part {member.filename} would unpack to {member.file_size / 1e6:.1f} MB; "
                f"refused (at most {MAX_MEMBER_BYTES // 2**20} MiB a sheet, and no zip bombs)"
            )
    if total > MAX_TOTAL_BYTES:
        raise SpreadsheetError(f"{shown}: would unpack to {total / 1e6:.1f} MB; at most {MAX_TOTAL_BYTES // 2**20} MiB")
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(f"{shown}: a zip file, but not an .xlsx workbook")


def open_xlsx(path: Path, shown: str | None = None, read_only: bool = False) -> Workbook:
    """The workbook, with formulas kept as formulas (never computed), after `check_xlsx`."""
    shown = shown or str(path)
    check_xlsx(path, shown)
    require_openpyxl()
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; not the user's concern
            return load_workbook(path, read_only=read_only, data_only=False, keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file; none may reach the user raw
        raise SpreadsheetError(f"{shown}: the workbook cannot be read ({type(exc).__name__}: {exc})") from exc


@dataclass(frozen=True)
class Table:
    """A sheet or CSV as rows of values; row numbers and column letters as the user sees them."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number, values)
    formulas: frozenset[tuple[int, int]]  # (row number, column index) holding formulas


def is_formula(value: object, data_type: str | None) -> bool:
    """Whether a cell read from a sheet holds a formula: imports refuse formulas where a value
    belongs, naming the cell, rather than guess at what the formula would give. An .xlsx cell says
    what it is (openpyxl's `data_type`: a quote-prefixed '=...' is text); a CSV cell (no data type)
    that starts with '=' is a formula a spreadsheet would run."""
    if data_type is not None:
        return data_type == "f"
    return isinstance(value, str) and value.startswith("=")


def csv_text(cell: str) -> str:
    """A CSV cell as the text it stands for: a single quote before what would start a formula is
    the quote that every CSV bvplan writes puts there (papers/cells.py), and is not part of it."""
    return cell[1:] if cell.startswith("'") and starts_a_formula(cell[1:]) else cell


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(path: Path, shown: str | None = None, sheet: str | None = None) -> Table:
    """The first sheet (or `sheet`) of an .xlsx, or a CSV file, with its first non-empty row as header."""
    shown = shown or str(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path, shown)
    workbook = open_xlsx(path, shown, read_only=True)
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet not in names:
            raise SpreadsheetError(f"{shown}: no sheet '{sheet}'; sheets: {', '.join(names)}")
        worksheet = workbook[sheet or names[0]]
        rows: list[tuple[int, list[Any]]] = []
        formulas: set[tuple[int, int]] = set()
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            values = []
            for index, cell in enumerate(cells):
                value = cell.value
                if is_formula(value, getattr(cell, "data_type", None) or "s"):
                    formulas.add((number, index))
                values.append(value)
            rows.append((number, values))
        return _as_table(worksheet.title, rows, frozenset(formulas), shown)
    finally:
        workbook.close()


def _read_csv(path: Path, shown: str) -> Table:
    size = _size(path, shown)
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(f"{shown}: {size / 1e6:.1f} MB is too large; at most {MAX_FILE_BYTES // 2**20} MiB")
    raw = path.read_bytes()
    if b"\0" in raw[:4096]:
        raise SpreadsheetError(f"{shown}: not a CSV file (binary data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")  # what Excel on Windows saves as "CSV"
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    read = [(n, list(values)) for n, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    # A CSV holds no formulas, only their text; text starting with '=' is one a spreadsheet would run.
    formulas = {(n, i) for n, values in read for i, value in enumerate(values) if is_formula(value, None)}
    rows: list[tuple[int, list[Any]]] = [(n, [csv_text(value) for value in values]) for n, values in read]
    return _as_table(path.stem, rows, frozenset(formulas), shown)


def _as_table(name: str, rows: list[tuple[int, list[Any]]], formulas: frozenset[tuple[int, int]], shown: str) -> Table:
    filled = [(n, values) for n, values in rows if any(_present(v) for v in values)]
    if not filled:
        raise SpreadsheetError(f"{shown}: the sheet is empty")
    (_, header), body = filled[0], filled[1:]
    names = [str(v).strip() if _present(v) else "" for v in header]
    return Table(name, names, body, formulas)


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
