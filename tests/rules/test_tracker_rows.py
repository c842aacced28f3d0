"""A tracker's rows are taken whole or named: every row that cannot be brought in is listed with
its column and why; revisions keep the dates the tracker gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bvplan.rules.tracker import build, guess_columns

HEADER = ["Theme", "Milestone", "Due", "Revised", "Owner"]
ROWS: list[tuple[int, list[Any]]] = [
    (2, ["Grants", "Report to CMT", "30/06/2018", "", "Head of Grants"]),
    (3, ["Grants", '=HYPERLINK("http://x","click")', "30/06/2018", "", "Head of Grants"]),
    (4, ["Grants", "Serial date", 43281, "", "Head of Grants"]),
    (5, ["Grants", "No such day", "29/02/2019", "", "Head of Grants"]),
    (6, ["Grants", "Serial sixty", 60, "", "Head of Grants"]),
    (7, ["Grants", "Escape", "30/06/2018", "", "Head\x1b[2J of Grants"]),
    (8, ["Grants", "Revised", "31/05/2018", "31/08/2018", "Head of Grants"]),
]
ON = dt.date(2018, 6, 30)


def _titles(plan: Any) -> list[str]:
    return [m["title"] for t in plan.themes.values() for a in t["actions"] for m in a["milestones"]]


def test_every_row_left_out_is_named_with_its_reason() -> None:
    plan = build(HEADER, ROWS, guess_columns(HEADER, {}), ON, frozenset({(3, 1)}))

    assert plan.rows_left_out == [3, 5, 6, 7]
    assert [str(u) for u in plan.unmapped] == [
        'row 3, column B (Milestone): holds a formula (=HYPERLINK("http://x","click")); type the value itself; '
        "row left out",
        "row 5, column C (Due): 29/02/2019 is not a date (that day does not exist); write it as 30/06/2018; row left out",
        "row 6, column C (Due): serial 60 is 29/02/1900, a day that never was (Excel's 1900 leap-year bug); type the "
        "date itself; row left out",
        "row 7, column E (Owner): holds the character U+001B (escape), which is not text; row left out",
    ]
    assert _titles(plan) == ["Report to CMT", "Serial date", "Revised"]
    assert plan.milestones == 3
    serial = plan.themes["grants"]["actions"][0]["milestones"][1]
    assert serial["due"] == dt.date(2018, 6, 30)


def test_a_remark_leaves_the_row_in() -> None:
    header = ["Theme", "Milestone", "Due", "Status"]
    plan = build(header, [(2, ["T", "M", "30/06/2018", "Purple"])], guess_columns(header, {}), ON)
    assert plan.rows_left_out == []
    assert [str(u) for u in plan.unmapped] == [
        "row 2, column D (Status): status 'Purple' not understood; status is computed"
    ]


def _revision(row: list[Any], header: list[str]) -> dict[str, Any]:
    plan = build(header, [(2, row)], guess_columns(header, {}), ON)
    assert plan.unmapped == []
    [milestone] = plan.themes["t"]["actions"][0]["milestones"]
    [revision] = milestone["revisions"]
    return dict(revision)


REVISED = ["Theme", "Milestone", "Due", "Revised date", "Reason", "Date proposed", "Date agreed"]


def test_a_revision_keeps_the_dates_the_tracker_gives() -> None:
    revision = _revision(["T", "M", "30/04/2018", "30/09/2018", "Vacancies", "20/04/2018", "15/05/2018"], REVISED)
    assert revision == {
        "to": dt.date(2018, 9, 30),
        "reason": "Vacancies",
        "proposed": dt.date(2018, 4, 20),
        "agreed": dt.date(2018, 5, 15),
    }


def test_a_revision_only_proposed_is_still_waiting() -> None:
    revision = _revision(["T", "M", "30/04/2018", "30/09/2018", "Asked", "25/04/2018", ""], REVISED)
    assert revision["proposed"] == dt.date(2018, 4, 25) and "agreed" not in revision


def test_a_revision_without_dates_is_agreed_by_the_original_deadline_not_on_the_import_day() -> None:
    # The import runs long after: a past --as-of must not show the milestone overdue from 30/04.
    later = dt.date(2019, 1, 15)
    header = ["Theme", "Milestone", "Due", "Revised"]
    plan = build(header, [(2, ["T", "M", "30/04/2018", "30/09/2018"])], guess_columns(header, {}), later)
    [revision] = plan.themes["t"]["actions"][0]["milestones"][0]["revisions"]
    assert (revision["proposed"], revision["agreed"]) == (dt.date(2018, 4, 30), dt.date(2018, 4, 30))
    # Brought forward: never proposed after the new deadline itself (BV321).
    plan = build(header, [(2, ["T", "M", "30/09/2018", "30/06/2018"])], guess_columns(header, {}), later)
    [revision] = plan.themes["t"]["actions"][0]["milestones"][0]["revisions"]
    assert revision["agreed"] == dt.date(2018, 6, 30)
