"""The pure rules behind the owners' commands: fingerprints, due lists, grouping, reading a returned row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bvplan.rules.owners import NO_OWNER, by_owner, due, fingerprint, open_milestones, owned, to_deliver, unique_slugs
from bvplan.rules.status import status_of
from bvplan.rules.updates import Cell, Requested, ReturnedRow, outstanding, read_row, sheet_title
from bvplan.rules.validation import validate

PLAN = """\
id: demo
title: Demo
authority: A council
board: The board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
"""
THEME = """\
theme: Grants
lead: Head of Third Sector
actions:
  - id: GR1
    title: Grants
    milestones:
      - id: GR1.1
        title: Overdue one
        due: 2018-06-01
      - id: GR1.2
        title: Due soon
        owner: Grants Officer
        due: 2018-06-20
      - id: GR1.3
        title: Far off
        due: 2018-12-31
      - id: GR1.4
        title: Completed after the reporting date
        due: 2018-06-25
        completed: 2018-07-02
      - id: GR1.5
        title: Done
        due: 2018-05-01
        completed: 2018-04-20
"""


def rows(tmp_path: Path, theme: str = THEME, day: dt.date = dt.date(2018, 6, 10)) -> list:  # type: ignore[type-arg]
    folder = tmp_path / "plans" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.yaml").write_text(PLAN)
    (folder / "grants.yaml").write_text(theme)
    loaded = validate([tmp_path / "plans"])
    assert not loaded.report.errors
    return owned(status_of(p, day) for p in loaded.workspace.plans)


def test_due_lists_overdue_and_what_falls_within_the_window(tmp_path: Path) -> None:
    chosen = due(open_milestones(rows(tmp_path)), dt.date(2018, 6, 10), 14)

    assert [r.status.id for r in chosen] == ["GR1.1", "GR1.2"]
    assert [r.status.id for r in due(open_milestones(rows(tmp_path)), dt.date(2018, 6, 10), 15)] == [
        "GR1.1", "GR1.2", "GR1.4",
    ]  # fmt: skip


def test_export_leaves_out_what_the_files_already_show_done(tmp_path: Path) -> None:
    open_on_the_day = open_milestones(rows(tmp_path))

    assert "GR1.4" in [r.status.id for r in open_on_the_day]  # as it stood on 10 June
    assert [r.status.id for r in to_deliver(open_on_the_day)] == ["GR1.1", "GR1.2", "GR1.3"]


def test_owners_come_through_the_chain_and_are_grouped_alphabetically(tmp_path: Path) -> None:
    groups = by_owner(open_milestones(rows(tmp_path)))

    assert list(groups) == ["Grants Officer", "Head of Third Sector"]
    assert [r.status.id for r in groups["Head of Third Sector"]] == ["GR1.1", "GR1.3", "GR1.4"]
    assert list(by_owner(open_milestones(rows(tmp_path, THEME.replace("lead: Head of Third Sector\n", "")))))[-1] == (
        NO_OWNER
    )
    assert open_milestones(rows(tmp_path), ["officer"])[0].status.id == "GR1.2"


def test_a_fingerprint_follows_the_facts_not_the_layout(tmp_path: Path) -> None:
    first = {r.status.id: r.fingerprint for r in rows(tmp_path)}
    reformatted = {
        r.status.id: r.fingerprint for r in rows(tmp_path, THEME.replace("title: Far off", "title: 'Far off'  # c"))
    }
    changed = {r.status.id: r.fingerprint for r in rows(tmp_path, THEME.replace("due: 2018-12-31", "due: 2019-01-31"))}

    assert first == reformatted
    assert changed["GR1.3"] != first["GR1.3"]
    assert {k: v for k, v in changed.items() if k != "GR1.3"} == {k: v for k, v in first.items() if k != "GR1.3"}
    milestone = rows(tmp_path)[0].status.milestone
    assert fingerprint("demo", milestone) != fingerprint("other", milestone)


def test_file_names_and_sheet_titles_for_owners() -> None:
    assert unique_slugs(["Head of Property", "Head of Property!", "***"]) == {
        "Head of Property": "head-of-property",
        "Head of Property!": "head-of-property-2",
        "***": "owner",
    }
    assert sheet_title("Director: Law/Probity [Monitoring Officer]") == "Director Law Probity Monitoring"
    assert sheet_title("Instructions") == "Owner Instructions"
    assert all(ch not in sheet_title("a[b]c:d*e?f/g\\h") for ch in "[]:*?/\\")


def row(**cells: object) -> ReturnedRow:
    values = {letter: Cell(f"{letter}7", cells.get(letter)) for letter in "HIJKL"}
    return ReturnedRow("Head of Property", 7, "demo/GR1.1", "f", values)


def test_reading_a_returned_row() -> None:
    ok = read_row(row(H=dt.datetime(2018, 6, 20), I="  Done,\n on time ", J="no"))
    assert ok.problems == []
    assert ok.requested == Requested(completed=dt.date(2018, 6, 20), note="Done, on time", note_exempt=True)
    assert read_row(row(K="31/12/2018", L="Late")).requested.new_deadline == dt.date(2018, 12, 31)
    assert read_row(row()).requested.empty

    assert read_row(row(H="30/02/2018")).problems == [
        'Sheet "Head of Property", H7: 30/02/2018 is not a date (that day does not exist); write it as 30/06/2018'
    ]
    assert (
        read_row(row(H=dt.datetime(2018, 6, 20, 14, 5)))
        .problems[0]
        .endswith("is not a date (it has a time of day); write it as 30/06/2018")
    )
    assert read_row(row(K=dt.datetime(2018, 12, 31))).problems == [
        'Sheet "Head of Property", L7: a proposed new deadline needs its reason'
    ]
    assert read_row(row(L="Why")).problems == [
        'Sheet "Head of Property", K7: a reason is given but no proposed new deadline'
    ]
    assert "is not one of Yes, No" in read_row(row(I="x", J="Maybe")).problems[0]
    assert "fill in one or the other" in read_row(row(H=dt.datetime(2018, 6, 1), K="31/12/2018", L="x")).problems[0]
    assert "is a date, not text" in read_row(row(I=dt.datetime(2018, 6, 1))).problems[0]
    assert "holds the character U+0007 (bell), which is not text" in read_row(row(I="bell\x07")).problems[0]
    assert "at most 2000" in read_row(row(I="x" * 2001)).problems[0]
    formula = ReturnedRow(
        "S", 2, "r", "f", {letter: Cell(f"{letter}2", "=NOW()", formula=letter == "H") for letter in "HIJKL"}
    )
    assert read_row(formula).problems[0] == 'Sheet "S", H2: holds a formula; type the date itself, e.g. 30/06/2018'


def test_what_is_already_in_the_plan_is_not_asked_again(tmp_path: Path) -> None:
    milestone = rows(tmp_path)[4].status.milestone  # GR1.5, completed 2018-04-20
    asked = Requested(completed=dt.date(2018, 4, 20), note="Closed", new_deadline=None)

    left = outstanding(asked, milestone, dt.date(2018, 6, 30))

    assert left.completed is None and left.note == "Closed"
