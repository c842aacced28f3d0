"""Owners' returned update workbooks, read back and turned into edits of the plan files.

Each workbook is checked as a whole first (is it one bvplan made, with its sheets, headings and
rows as exported, and no merged cells), then each filled-in row is read (rules/updates.py), matched
to its milestone, compared with the fingerprint the milestone had when exported, and turned into
the point edits `complete`, `note` and `revise` make. Every edit to one file is combined and the
plans validated once (batch.py). A row already in the plan is skipped, so importing a file twice
adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bvplan.edits import edit_commands as edits
from bvplan.edits.batch import MilestoneEdits, combine
from bvplan.edits.edit_commands import Found, Operation, Outcome
from bvplan.edits.yaml_edit import Edited, Source, set_key
from bvplan.errors import BvplanError
from bvplan.format.spreadsheet import SpreadsheetError, is_formula, open_xlsx
from bvplan.rules.owners import fingerprint
from bvplan.rules.updates import (
    FILL_IN,
    FIRST_ROW,
    FORMAT,
    HEADERS,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    Cell,
    Requested,
    ReturnedRow,
    outstanding,
    read_row,
)


@dataclass
class Returned:
    path: Path
    owner: str
    sheet: str
    as_of: dt.date
    rows: list[ReturnedRow]


@dataclass
class Applied:
    owner: str
    reference: str
    what: list[str]


@dataclass
class ImportResult:
    outcome: Outcome
    applied: list[Applied] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def read_returned(path: Path) -> Returned:
    """The filled-in rows of one returned workbook; SpreadsheetError if the workbook cannot be trusted."""
    shown = str(path)
    workbook = open_xlsx(path, shown)
    try:
        return _read(workbook, path, shown)
    finally:
        workbook.close()


def _read(workbook: Any, path: Path, shown: str) -> Returned:
    if META_SHEET not in workbook.sheetnames:
        raise SpreadsheetError(f"{shown}: not an update workbook made by 'bvplan export updates'")
    meta_sheet = workbook[META_SHEET]
    meta: dict[str, Any] = {}
    listed: dict[int, tuple[str, str]] = {}
    in_rows = False
    for values in meta_sheet.iter_rows(values_only=True):
        key, value, extra = [*values, None, None, None][:3]
        if in_rows:
            if isinstance(key, int) and isinstance(value, str) and isinstance(extra, str):
                listed[key] = (value, extra)
        elif key == "row":
            in_rows = True
        elif isinstance(key, str):
            meta[key] = value
    if meta.get("format") != FORMAT:
        raise SpreadsheetError(f"{shown}: made by another version of bvplan ({meta.get('format')}); export it again")
    try:
        as_of = dt.date.fromisoformat(str(meta["as_of"]))
        owner, title = str(meta["owner"]), str(meta["sheet"])
    except (KeyError, ValueError) as exc:
        raise SpreadsheetError(f"{shown}: its hidden bvplan sheet is damaged; export it again") from exc
    expected = [title, INSTRUCTIONS_SHEET, META_SHEET]
    extra_sheets = [name for name in workbook.sheetnames if name not in expected]
    missing = [name for name in expected if name not in workbook.sheetnames]
    if missing:
        found = f"; it has {', '.join(repr(n) for n in extra_sheets)}" if extra_sheets else ""
        raise SpreadsheetError(f'{shown}: sheet "{missing[0]}" is missing (renamed?){found}; give it back its name')
    if extra_sheets:
        names = ", ".join(f'"{n}"' for n in extra_sheets)
        raise SpreadsheetError(f"{shown}: has sheets bvplan did not make ({names}); remove them and import again")
    sheet = workbook[title]
    merged = [str(r) for r in sheet.merged_cells.ranges]
    if merged:
        raise SpreadsheetError(f'{shown}: Sheet "{title}" has merged cells ({", ".join(merged[:5])}); unmerge them')
    for index, header in enumerate(HEADERS):
        cell = sheet.cell(row=1, column=index + 1)
        if cell.value != header:
            raise SpreadsheetError(
                f'{shown}: Sheet "{title}", {cell.coordinate}: heading "{cell.value}" should be "{header}"; '
                "columns must stay as exported"
            )
    rows: list[ReturnedRow] = []
    problems: list[str] = []
    last = max(sheet.max_row, FIRST_ROW + len(listed) - 1)
    for number in range(FIRST_ROW, last + 1):
        cells = {letter: _cell(sheet, letter, number) for letter in FILL_IN}
        reference, mark = sheet[f"M{number}"].value, sheet[f"N{number}"].value
        exported = listed.get(number)
        filled = any(c.formula or (c.value is not None and str(c.value).strip()) for c in cells.values())
        if exported is None:
            if filled or reference:
                problems.append(f'Sheet "{title}", row {number}: a row bvplan did not export; use the rows listed')
            continue
        if (reference, mark) != exported:
            problems.append(
                f'Sheet "{title}", row {number}: not the row exported (rows moved, or pasted from another workbook)'
            )
            continue
        rows.append(ReturnedRow(title, number, exported[0], exported[1], cells))
    if problems:
        raise SpreadsheetError(f"{shown}: " + "; ".join(problems))
    return Returned(path, owner, title, as_of, rows)


def _cell(sheet: Any, letter: str, number: int) -> Cell:
    cell = sheet[f"{letter}{number}"]
    value = cell.value
    formula = is_formula(value, cell.data_type)
    return Cell(cell.coordinate, value, formula)


def plan_import(plans_dir: Path, paths: Sequence[Path], skip_rejected: bool = False) -> ImportResult:
    """Read every workbook and make the edits their rows ask for (not yet written)."""
    loaded = edits.load_plans(plans_dir)
    rejected: list[str] = []
    returned: list[Returned] = []
    for path in paths:
        try:
            returned.append(read_returned(path))
        except SpreadsheetError as exc:
            rejected.append(str(exc))
    milestone_edits: list[MilestoneEdits] = []
    applied: list[Applied] = []
    already: list[str] = []
    seen: dict[str, str] = {}
    for workbook in returned:
        for row in workbook.rows:
            where = f'{workbook.path}: Sheet "{row.sheet}", row {row.row}'
            reading = read_row(row)
            if reading.problems:
                rejected += [f"{workbook.path}: {p}" for p in reading.problems]
                continue
            if reading.requested.empty:
                continue
            try:
                found = edits.find_milestone(loaded, row.reference)
            except BvplanError as exc:
                rejected.append(f"{where}: {exc}; is this workbook from another set of plans?")
                continue
            remaining = outstanding(reading.requested, found.milestone, workbook.as_of)
            if remaining.empty:
                already.append(found.reference)
                continue
            if fingerprint(found.plan.id, found.milestone) != row.fingerprint:
                rejected.append(
                    f"{where}: {found.reference} changed in the plan since this workbook was exported "
                    f"(as at {workbook.as_of.isoformat()}); not applied: export again for {workbook.owner}"
                )
                continue
            if found.reference in seen:
                rejected.append(f"{where}: {found.reference} is also updated in {seen[found.reference]}; import one")
                continue
            try:
                operations = _operations(found, remaining, workbook.as_of)
            except BvplanError as exc:
                rejected.append(f"{where}: {exc}")
                continue
            seen[found.reference] = str(workbook.path)
            milestone_edits.append(MilestoneEdits(found, operations))
            applied.append(Applied(workbook.owner, found.reference, remaining.describe()))
    if rejected and not skip_rejected:
        return ImportResult(Outcome([], "nothing"), [], already, rejected)
    owners = len({a.owner for a in applied})
    summary = f"{len(applied)} milestone update{'s' if len(applied) != 1 else ''} for {owners} owner" + (
        "s" if owners != 1 else ""
    )
    outcome = combine(plans_dir, loaded, milestone_edits, summary)
    return ImportResult(outcome, applied, already, rejected)


def _operations(found: Found, wanted: Requested, as_of: dt.date) -> list[Operation]:
    operations: list[Operation] = []
    if wanted.completed is not None:
        operations.append(edits.complete(found, wanted.completed))
    if wanted.note is not None:
        operations.append(edits.note(found, wanted.note, as_of))
        if wanted.note_exempt:
            operations.append(_mark_last_note_exempt)
    if wanted.new_deadline is not None and wanted.reason is not None:
        operations.append(edits.revise(found, wanted.new_deadline, wanted.reason, as_of))
    return operations


def _mark_last_note_exempt(source: Source, found: Found) -> Edited:
    notes = source.get((*found.path, "notes"))
    return set_key(source, (*found.path, "notes", len(notes) - 1), "exempt", True)
