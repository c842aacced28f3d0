"""One action owner's update workbook, opened with openpyxl as the owner's spreadsheet would."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bvplan.papers.update_workbook import workbook_bytes
from bvplan.rules.owners import by_owner, owned, to_deliver
from bvplan.rules.status import status_of
from bvplan.rules.updates import HEADERS, INSTRUCTIONS_SHEET, META_SHEET, sheet_title
from bvplan.rules.validation import validate
from tests.conftest import SHIPPED_PLANS

openpyxl = pytest.importorskip("openpyxl")
DAY = dt.date(2018, 6, 30)


def test_an_owners_workbook_lists_their_milestones_to_deliver_under_the_headers() -> None:
    plan = validate([SHIPPED_PLANS]).workspace.plan("bvip-2018-19")
    assert plan is not None
    owner, rows = next(iter(by_owner(to_deliver(owned([status_of(plan, DAY)]))).items()))
    data = workbook_bytes(owner, rows, DAY)
    assert data == workbook_bytes(owner, rows, DAY)  # the same rows give the same bytes
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[:2] == [sheet_title(owner), INSTRUCTIONS_SHEET]
    assert book[META_SHEET].sheet_state == "veryHidden"  # not to be unhidden from Excel's menu
    sheet = book[sheet_title(owner)]
    assert tuple(cell.value for cell in sheet[1]) == HEADERS
    listed = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert len(listed) == len(rows)
    assert sheet.protection.sheet and book.properties.creator == "bvplan"
