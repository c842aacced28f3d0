"""Opening spreadsheets people send back: refused by what they are before openpyxl reads them, then
read as a table with the row numbers and column letters the person sees."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from bvplan.format.spreadsheet import SpreadsheetError, check_xlsx, column_letter, read_table

openpyxl = pytest.importorskip("openpyxl")


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_as_a_spreadsheet_names_them(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_a_file_that_is_not_a_workbook_is_refused_by_name(tmp_path: Path) -> None:
    text = tmp_path / "returned.xlsx"
    text.write_text("id,completed\n")
    with pytest.raises(SpreadsheetError, match=r"returned\.xlsx: not an \.xlsx workbook$"):
        check_xlsx(text, "returned.xlsx")
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(SpreadsheetError, match=r"an old \.xls file: save it as \.xlsx"):
        check_xlsx(old, "old.xlsx")


def test_a_zip_that_holds_no_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.txt", "not a workbook")
    with pytest.raises(SpreadsheetError):
        read_table(path, "photos.xlsx")


def test_a_sheet_reads_as_rows_under_its_header_with_the_formulas_marked(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Milestones"
    sheet.append([])  # an empty first row: the header is the first row that holds something
    sheet.append(["id", "title", "days"])
    sheet.append(["GR1.1", "Report to Cabinet", 3])
    sheet.append(["GR1.2", "Consult", "=C3*2"])
    workbook.save(path)
    table = read_table(path, "tracker.xlsx")
    assert (table.name, table.header) == ("Milestones", ["id", "title", "days"])
    assert [number for number, _values in table.rows] == [3, 4]
    assert table.rows[0][1][:3] == ["GR1.1", "Report to Cabinet", 3]
    assert (4, 2) in table.formulas
    with pytest.raises(SpreadsheetError, match="no sheet 'Owners'; sheets: Milestones"):
        read_table(path, "tracker.xlsx", sheet="Owners")
