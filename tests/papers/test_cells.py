"""The one cell rule: every CSV and .xlsx bvplan writes shows text as text, never as a formula.

Workbooks are read back with openpyxl and CSV with the csv module: no cell is a formula, and the
text is intact (in .xlsx exactly; in CSV behind the single quote OWASP's guidance prescribes).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from bvplan.format.loader import load_sources
from bvplan.format.periods import Period, make_period
from bvplan.papers import measure_views, status_views, update_workbook, xlsx_views
from bvplan.papers.cells import csv_cell, starts_a_formula, xlsx_cell
from bvplan.rules.owners import owned
from bvplan.rules.status import status_of

openpyxl = pytest.importorskip("openpyxl")

HOSTILE = [
    '=HYPERLINK("http://x","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
# What a plan may hold: a carriage return is not text in a plan (BV350), so it reaches a writer only
# from elsewhere; the cell rule itself is tested with it below.
IN_PLANS = [text for text in HOSTILE if "\r" not in text]
PLAN = b"""\
id: hp
title: Hostile Plan
authority: Test Borough
board: Improvement Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
directions:
  - id: D1
    title: "=1+1"
"""


def _theme() -> bytes:
    lines = ["theme: Grants", "actions:", "  - id: GR1", '    title: "@SUM(A1)"', "    owner: \"+cmd|' /C calc'!A0\""]
    lines.append("    milestones:")
    for number, text in enumerate(IN_PLANS, start=1):
        quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
        lines += [f"      - id: GR1.{number}", f'        title: "{quoted}"', "        due: 2018-06-30"]
        lines += ["        notes:", "          - on: 2018-06-01", f'            text: "{quoted}"']
    lines += ["measures:", "  - id: M1", '    title: "=SUM(1,2)"', "    unit: number", "    better: higher"]
    lines += ["    directions: [D1]", "    actuals:", "      - {on: 2018-05-31, value: -3}"]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def plan() -> Any:
    loaded = load_sources({"plans/hp": {"plan.yaml": PLAN, "grants.yaml": _theme()}})
    errors = [d for d in loaded.report.diagnostics if d.severity == "error"]
    assert not errors, errors
    return loaded.workspace.plans[0]


def _period() -> Period:
    return make_period(2018, "Q1", "04-01")


def _cells(book: Any) -> list[Any]:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_csv_cell_that_would_start_a_formula_is_quoted(text: str) -> None:
    assert starts_a_formula(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-3, -3),  # a negative number is a number, not text
        (2.5, 2.5),
        (None, ""),
        (True, "true"),
        ("plain", "plain"),
        ("a=b", "a=b"),  # only the first character makes a formula
        (["D1", "D2"], "D1; D2"),  # a list is one cell, not a Python repr
        (["=x", "y"], "'=x; y"),
        ("bell\x07", "bell\\x07"),  # what no workbook can hold is shown as its escape
    ],
)
def test_csv_cells_keep_numbers_and_join_lists(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_the_status_csv_reads_back_as_text(plan: Any) -> None:
    rows = status_views.rows_of([status_of(plan, dt.date(2018, 6, 30))])
    table = list(csv.DictReader(io.StringIO(status_views.as_csv(rows))))
    assert [r["title"] for r in table] == ["'" + t for t in IN_PLANS]
    assert [r["latest_note"] for r in table] == ["'" + t for t in IN_PLANS]
    assert {r["action_title"] for r in table} == {"'@SUM(A1)"}
    assert {r["owner"] for r in table} == {"'+cmd|' /C calc'!A0"}


def test_the_measures_and_directions_csv_read_back_as_text_with_numbers_kept(plan: Any) -> None:
    extras = measure_views.extras_of(plan, status_of(plan, dt.date(2018, 6, 30)))
    [measure] = csv.DictReader(io.StringIO(measure_views.as_csv([extras], "measures")))
    assert measure["title"] == "'=SUM(1,2)"
    assert measure["directions"] == "D1"
    assert "-3" in measure.values()  # a negative actual is a number: no quote
    [direction] = csv.DictReader(io.StringIO(measure_views.as_csv([extras], "directions")))
    assert direction["title"] == "'=1+1"


def test_the_status_workbook_holds_no_formula(plan: Any) -> None:
    rows = status_views.rows_of([status_of(plan, dt.date(2018, 6, 30))])
    book = openpyxl.load_workbook(io.BytesIO(xlsx_views.workbook_bytes(rows, _period())))
    cells = _cells(book)
    assert all(c.data_type != "f" for c in cells), [c.value for c in cells if c.data_type == "f"]
    texts = {c.value: c for c in cells if c.data_type == "s"}
    for text in [*IN_PLANS, "@SUM(A1)", "+cmd|' /C calc'!A0"]:
        assert text in texts, text  # intact: no quote added to the value
        assert texts[text].quotePrefix  # and Excel keeps it text when the cell is edited
    numbers = [c.value for c in book["Summary"][2]]
    assert numbers[2:] and all(isinstance(v, int) for v in numbers[2:7])


def test_the_owners_workbook_holds_no_formula_and_reads_back(plan: Any) -> None:
    rows = owned([status_of(plan, dt.date(2018, 6, 30))])
    data = update_workbook.workbook_bytes(rows[0].owner, rows, dt.date(2018, 6, 30))
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = _cells(book)
    assert all(c.data_type != "f" for c in cells), [c.value for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert set(IN_PLANS) <= values
    assert "+cmd|' /C calc'!A0" in {c.value for c in book["bvplan"]["B"]}  # the owner, as the import reads it


def test_an_xlsx_cell_keeps_numbers_dates_and_booleans() -> None:
    sheet = openpyxl.Workbook().active
    for text in HOSTILE:
        cell = xlsx_cell(sheet, text)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert xlsx_cell(sheet, -3) == -3
    assert xlsx_cell(sheet, dt.date(2018, 6, 30)) == dt.date(2018, 6, 30)
    assert xlsx_cell(sheet, True) is True
    cell = xlsx_cell(sheet, "=1+1")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)


def test_text_no_workbook_can_hold_never_stops_a_writer() -> None:
    """Defence in depth: validate refuses such text (BV350), and a writer given it anyway writes its escape."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([xlsx_cell(sheet, "vertical\x0btab"), xlsx_cell(sheet, "esc\x1b[2J"), xlsx_cell(sheet, "lone\ud800")])
    buffer = io.BytesIO()
    book.save(buffer)
    back = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [c.value for c in back[1]] == ["vertical\\x0btab", "esc\\x1b[2J", "lone\\ud800"]
