"""Reading spreadsheets: what is a formula, and what is text that looks like one. An .xlsx cell says
which it is; a CSV cell starting with '=' is a formula, and the quote bvplan's own CSV puts before
formula-like text is read back off, so a status CSV or workbook can be read in again as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from bvplan.format.spreadsheet import csv_text, is_formula, read_table
from bvplan.papers.cells import csv_cell, xlsx_cell

HOSTILE = ['=HYPERLINK("http://x","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]


def test_the_quote_bvplan_writes_is_read_back_off() -> None:
    for text in HOSTILE:
        assert csv_text(str(csv_cell(text))) == text
    assert csv_text("'quoted on purpose") == "'quoted on purpose"
    assert csv_text("plain") == "plain"


def test_a_csv_cell_starting_with_equals_is_a_formula_and_a_quoted_one_is_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        'Theme,Milestone\nG,"=HYPERLINK(""http://x"",""y"")"\nG,"\'=HYPERLINK(""http://x"",""y"")"\nG,-2+3\n'
    )
    table = read_table(path)
    assert table.formulas == frozenset({(2, 1)})
    assert [values[1] for _n, values in table.rows] == ['=HYPERLINK("http://x","y")'] * 2 + ["-2+3"]


def test_an_xlsx_cell_is_a_formula_only_when_it_is_one(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Theme", "Milestone"])
    sheet.append(["G", "=1+1"])  # openpyxl writes this as a formula, as Excel would hold a typed one
    sheet.append(["G", xlsx_cell(sheet, "=1+1")])  # as bvplan writes text: a quote-prefixed string
    book.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx")
    assert table.formulas == frozenset({(2, 1)})
    assert [values[1] for _n, values in table.rows] == ["=1+1", "=1+1"]


def test_is_formula() -> None:
    assert is_formula("=A1", None) and is_formula("=A1", "f")
    assert not is_formula("=A1", "s")
    assert not is_formula("+A1", None)  # valid text from a CSV; every writer shows it as text
