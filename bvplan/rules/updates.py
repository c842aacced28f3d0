"""An owner's update sheet: its columns, and what each returned row asks of the plan.

Pure: the layout shared by the export and the import, the reading of one filled-in row into the
edits it asks for (or the reasons it cannot be used, each naming its sheet and cell), and the
comparison with the milestone as it now stands that makes importing the same file twice a no-op.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bvplan.format.model import Milestone
from bvplan.format.text import describe, not_text

FORMAT = "bvplan-updates/1"
META_SHEET = "bvplan"
INSTRUCTIONS_SHEET = "Instructions"

# (letter, header, width). The first block is what the plan says; the second what the owner fills
# in; the last two are hidden and say which milestone the row is and how it stood when exported.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("A", "Plan", 14),
    ("B", "Milestone", 11),
    ("C", "Title", 48),
    ("D", "Action", 30),
    ("E", "Deadline", 12),
    ("F", "Status", 18),
    ("G", "Latest note", 40),
    ("H", "Completed on", 14),
    ("I", "Progress note", 44),
    ("J", "May the note be published?", 14),
    ("K", "Proposed new deadline", 14),
    ("L", "Reason for the new deadline", 40),
    ("M", "Reference", 10),
    ("N", "Fingerprint", 10),
)
HEADERS = tuple(header for _letter, header, _width in COLUMNS)
FILL_IN = ("H", "I", "J", "K", "L")
DATE_COLUMNS = ("H", "K")
HIDDEN = ("M", "N")
PUBLISH_CHOICES = ("Yes", "No")
FIRST_ROW = 2  # row 1 holds the headers
MAX_TEXT = 2000


@dataclass(frozen=True, slots=True)
class Cell:
    address: str  # e.g. "H7"
    value: object  # as the spreadsheet library read it: None, str, int, float, datetime, date
    formula: bool = False


@dataclass(frozen=True, slots=True)
class ReturnedRow:
    sheet: str
    row: int
    reference: str
    fingerprint: str
    cells: dict[str, Cell]  # by column letter, the fill-in columns only

    def where(self, letter: str) -> str:
        return f'Sheet "{self.sheet}", {self.cells[letter].address}'


@dataclass(frozen=True, slots=True)
class Requested:
    completed: dt.date | None = None
    note: str | None = None
    note_exempt: bool = False
    new_deadline: dt.date | None = None
    reason: str | None = None

    @property
    def empty(self) -> bool:
        return self.completed is None and self.note is None and self.new_deadline is None

    def describe(self) -> list[str]:
        words = []
        if self.completed is not None:
            words.append(f"completed on {self.completed.isoformat()}")
        if self.note is not None:
            words.append("progress note" + (" (not for publication)" if self.note_exempt else ""))
        if self.new_deadline is not None:
            words.append(f"new deadline {self.new_deadline.isoformat()} proposed")
        return words


@dataclass
class RowReading:
    requested: Requested = field(default_factory=Requested)
    problems: list[str] = field(default_factory=list)


_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def shown(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


# Excel's 1900 date system: serial 1 is 1900-01-01, and serial 60 is 29 February 1900, a day that
# never was (Lotus 1-2-3's leap-year bug, which Excel keeps), so from 61 on a serial counts from
# 1899-12-30. 2958465 is 9999-12-31, the last day Excel shows.
_EXCEL_BEFORE_LEAP_BUG = dt.date(1899, 12, 31)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_LEAP_BUG = 60
_EXCEL_LAST = 2958465
_SERIAL = re.compile(r"\d{1,7}")


def serial_date(serial: int) -> dt.date:
    """The day an Excel serial number stands for; ValueError (saying why) for one that is no day."""
    if serial == _EXCEL_LEAP_BUG:
        raise ValueError(
            "serial 60 is 29/02/1900, a day that never was (Excel's 1900 leap-year bug); type the date itself"
        )
    if not 1 <= serial <= _EXCEL_LAST:
        raise ValueError(f"{serial} is not a date; write it as 30/06/2018")
    base = _EXCEL_BEFORE_LEAP_BUG if serial < _EXCEL_LEAP_BUG else _EXCEL_EPOCH
    return base + dt.timedelta(days=serial)


def cell_date(value: object) -> dt.date:
    """A date from a cell, or ValueError saying why it is none: a real date (a datetime at midnight),
    an Excel serial number (a whole number, or the text of one: 43281 is 30/06/2018), or text written
    30/06/2018 or 2018-06-30. The one reading of dates in every spreadsheet bvplan imports."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise ValueError(f"{shown(value)} is not a date (it has a time of day); write it as 30/06/2018")
        value = value.date()
    if isinstance(value, dt.date):
        if value == _EXCEL_BEFORE_LEAP_BUG + dt.timedelta(days=_EXCEL_LEAP_BUG - 1):
            # openpyxl reads a date cell holding serial 60 as 28/02/1900, as it reads 59: which was it?
            raise ValueError(
                "28/02/1900 may be Excel's serial 60, 29/02/1900, a day that never was (Excel's 1900 leap-year "
                "bug); type the date itself"
            )
        return value
    if isinstance(value, bool):
        raise ValueError(f"{shown(value)} is not a date; write it as 30/06/2018")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return serial_date(value)
    if not isinstance(value, str):
        raise ValueError(f"{shown(value)} is not a date; write it as 30/06/2018")
    text = value.strip()
    if _SERIAL.fullmatch(text):
        return serial_date(int(text))
    parts = None
    if m := _UK_DATE.fullmatch(text):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := _ISO_DATE.fullmatch(text):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    if parts is None:
        raise ValueError(f"{text} is not a date; write it as 30/06/2018")
    try:
        return dt.date(*parts)
    except ValueError:
        raise ValueError(f"{text} is not a date (that day does not exist); write it as 30/06/2018") from None


def as_date(value: object) -> dt.date | None:
    """`cell_date`, or None when the cell holds no date."""
    try:
        return cell_date(value)
    except ValueError:
        return None


def _blank(cell: Cell) -> bool:
    return not cell.formula and (cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()))


def _date(row: ReturnedRow, letter: str, problems: list[str]) -> dt.date | None:
    cell = row.cells[letter]
    if _blank(cell):
        return None
    if cell.formula:
        problems.append(f"{row.where(letter)}: holds a formula; type the date itself, e.g. 30/06/2018")
        return None
    try:
        day = cell_date(cell.value)
    except ValueError as exc:
        problems.append(f"{row.where(letter)}: {exc}")
        return None
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        problems.append(f"{row.where(letter)}: {day.isoformat()} is not a plausible date")
        return None
    return day


def _text(row: ReturnedRow, letter: str, problems: list[str]) -> str | None:
    cell = row.cells[letter]
    if _blank(cell):
        return None
    if cell.formula:
        problems.append(f"{row.where(letter)}: holds a formula; type the text itself")
        return None
    if isinstance(cell.value, dt.date | dt.datetime):
        problems.append(f"{row.where(letter)}: {shown(cell.value)} is a date, not text")
        return None
    text = " ".join(shown(cell.value).split())
    if len(text) > MAX_TEXT:
        problems.append(f"{row.where(letter)}: the text is {len(text)} characters; at most {MAX_TEXT}")
        return None
    refused = not_text(text)
    if refused is not None:
        problems.append(
            f"{row.where(letter)}: holds the character {describe(refused)}, which is not text; type plain text"
        )
        return None
    return text


def read_row(row: ReturnedRow) -> RowReading:
    """What a filled-in row asks for, or why it cannot be used (each problem names its cell)."""
    problems: list[str] = []
    completed = _date(row, "H", problems)
    note = _text(row, "I", problems)
    publish = _text(row, "J", problems)
    new_deadline = _date(row, "K", problems)
    reason = _text(row, "L", problems)
    exempt = False
    if publish is not None:
        if publish.casefold() not in {c.casefold() for c in PUBLISH_CHOICES}:
            problems.append(f"{row.where('J')}: {publish} is not one of {', '.join(PUBLISH_CHOICES)}")
        exempt = publish.casefold() == "no"
        if note is None and publish.casefold() == "no":
            problems.append(f"{row.where('J')}: says the note is not for publication, but there is no note")
    if new_deadline is not None and reason is None and not _has_problem(problems, row, "L"):
        problems.append(f"{row.where('L')}: a proposed new deadline needs its reason")
    if reason is not None and new_deadline is None and not _has_problem(problems, row, "K"):
        problems.append(f"{row.where('K')}: a reason is given but no proposed new deadline")
    if completed is not None and new_deadline is not None:
        problems.append(f"{row.where('K')}: a completed milestone needs no new deadline; fill in one or the other")
    if problems:
        return RowReading(problems=problems)
    return RowReading(Requested(completed, note, exempt, new_deadline, reason))


def _has_problem(problems: list[str], row: ReturnedRow, letter: str) -> bool:
    return any(p.startswith(row.where(letter) + ":") for p in problems)


def outstanding(requested: Requested, milestone: Milestone, note_on: dt.date) -> Requested:
    """The part of `requested` not already in the milestone: what importing the row again would add."""
    completed = requested.completed if requested.completed != milestone.completed else None
    note = requested.note
    if note is not None and any(n.text == note and n.on == note_on for n in milestone.notes):
        note = None
    new_deadline, reason = requested.new_deadline, requested.reason
    if new_deadline is not None and any(r.to == new_deadline and r.reason == reason for r in milestone.revisions):
        new_deadline, reason = None, None
    return Requested(completed, note, requested.note_exempt, new_deadline, reason)


def sheet_title(owner: str) -> str:
    """An Excel sheet name for an owner: at most 31 characters, none of []:*?/\\ and no leading quote."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", owner).strip().strip("'").strip()
    cleaned = " ".join(cleaned.split())[:31].strip()
    if not cleaned or cleaned.casefold() in {META_SHEET, INSTRUCTIONS_SHEET.casefold(), "history"}:
        cleaned = f"Owner {cleaned}".strip()[:31]
    return cleaned
