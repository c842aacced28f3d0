"""`bvplan due`: what each owner has overdue or due soon, as text, Markdown and iCalendar files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bvplan.papers.due_views import as_markdown, as_text, heading, when
from bvplan.papers.ics import escape_text, fold
from bvplan.rules.owners import due, owned
from bvplan.rules.status import status_of
from bvplan.rules.validation import validate
from tests.conftest import SHIPPED_PLANS

DEMO_PLAN = """\
id: demo
title: Demo improvement plan
authority: A borough council
board: Best Value Improvement Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
"""
PROPERTY = """\
theme: Property
lead: Director of Property
actions:
  - id: PR1
    title: Community buildings
    milestones:
      - id: PR1.1
        title: Open the hub
        due: 2018-06-10
      - id: PR1.2
        title: "Fit out the hub; paint, floors, and lights \\\\ then signs"
        owner: Head of Asset Management, Property
        due: 2018-07-05
        notes:
          - {on: 2018-06-15, text: "Contractor appointed.\\nWork starts in July."}
      - id: PR1.3
        title: Open the third hub
        due: 2018-09-30
      - id: PR1.4
        title: Already done
        due: 2018-06-01
        completed: 2018-05-20
      - id: PR1.5
        title: "Ünïcode title that is long enough to be folded over more than one line of the calendar file"
        due: 2018-06-25
"""


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans" / "demo"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(DEMO_PLAN)
    (folder / "property.yaml").write_text(PROPERTY)
    return tmp_path


def test_due_lists_overdue_and_due_soon_by_owner(plans: Path, run_main) -> None:
    result = run_main("due", "--as-of", "2018-06-20", "--within", "20", "--by-owner", cwd=plans)

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Due within 20 days of 2018-06-20, or overdue: 3 milestones (1 overdue) for 2 owners\n"
        "\n"
        "Director of Property (2)\n"
        "  2018-06-10  overdue by 10 days   demo/PR1.1  Open the hub\n"
        "  2018-06-25  due in 5 days        demo/PR1.5  Ünïcode title that is long enough to be folded over more "
        "than one line of the calendar file\n"
        "\n"
        "Head of Asset Management, Property (1)\n"
        "  2018-07-05  due in 15 days       demo/PR1.2  Fit out the hub; paint, floors, and lights \\ then signs\n"
    )


def test_due_markdown_escapes_titles_and_filters_by_owner(plans: Path, run_main) -> None:
    result = run_main(
        "due", "--as-of", "2018-06-20", "--within", "20", "--format", "markdown", "--owner", "asset", cwd=plans
    )

    assert result.returncode == 0, result.stderr
    assert "| 2018-07-05 | due in 15 days | demo/PR1.2 | Fit out the hub; paint, floors, and lights" in result.stdout
    assert "PR1.1" not in result.stdout


def test_ics_files_are_valid_deterministic_calendars(plans: Path, run_main) -> None:
    icalendar = pytest.importorskip("icalendar")
    args = ("due", "--as-of", "2018-06-20", "--within", "20", "--format", "ics")

    first = run_main(*args, "-o", "cal", cwd=plans)
    second = run_main(*args, "-o", "cal2", cwd=plans)

    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    names = sorted(p.name for p in (plans / "cal").iterdir())
    assert names == ["director-of-property.ics", "head-of-asset-management-property.ics"]
    quiet = run_main("due", "--as-of", "2018-05-01", "--within", "5", "--format", "ics", "-o", "cal", cwd=plans)
    assert quiet.returncode == 0, quiet.stderr
    assert b"BEGIN:VEVENT" not in (plans / "cal" / "director-of-property.ics").read_bytes(), "no stale events"
    run_main(*args, "-o", "cal", cwd=plans)
    for name in names:
        assert (plans / "cal" / name).read_bytes() == (plans / "cal2" / name).read_bytes()
    raw = (plans / "cal" / "director-of-property.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines folded at 75 octets"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [
        "OVERDUE: PR1.1 Open the hub",
        "PR1.5 Ünïcode title that is long enough to be folded over more than one line of the calendar file",
    ]
    assert events[0]["DTSTART"].dt == dt.date(2018, 6, 10)
    assert events[0]["DTEND"].dt == dt.date(2018, 6, 11)
    assert events[0]["DTSTAMP"].dt == dt.datetime(2018, 6, 20, tzinfo=dt.UTC)
    other = icalendar.Calendar.from_ical((plans / "cal" / "head-of-asset-management-property.ics").read_bytes())
    (event,) = other.walk("VEVENT")
    assert str(event["SUMMARY"]) == "PR1.2 Fit out the hub; paint, floors, and lights \\ then signs"
    assert "Latest note (2018-06-15): Contractor appointed.\nWork starts in July." in str(event["DESCRIPTION"])


def test_event_uids_stay_when_a_deadline_moves(plans: Path, run_main) -> None:
    before = run_main("due", "--as-of", "2018-06-20", "--format", "ics", "-o", "a", cwd=plans)
    moved = run_main(
        "revise", "PR1.1", "--to", "2018-06-28", "--reason", "Delay", "--proposed", "2018-06-15", cwd=plans
    )
    agreed = run_main("agree", "PR1.1", "--on", "2018-06-15", cwd=plans)
    after = run_main("due", "--as-of", "2018-06-20", "--format", "ics", "-o", "b", cwd=plans)
    assert before.returncode == moved.returncode == agreed.returncode == after.returncode == 0

    def uid_and_start(folder: str) -> list[bytes]:
        text = (plans / folder / "director-of-property.ics").read_bytes().replace(b"\r\n ", b"")
        lines = text.split(b"\r\n")
        at = next(
            i
            for i, line in enumerate(lines)
            if line.startswith(b"SUMMARY:OVERDUE: PR1.1") or line.startswith(b"SUMMARY:PR1.1")
        )
        return [line for line in lines[at - 4 : at] if line.startswith((b"UID:", b"DTSTART"))]

    a, b = uid_and_start("a"), uid_and_start("b")
    assert a[0] == b[0] and a[0].startswith(b"UID:demo-PR1.1-")
    assert a[1] == b"DTSTART;VALUE=DATE:20180610" and b[1] == b"DTSTART;VALUE=DATE:20180628"


def test_ics_needs_a_folder(plans: Path, run_main) -> None:
    result = run_main("due", "--format", "ics", cwd=plans)

    assert result.returncode == 2
    assert "give the folder with -o" in result.stderr


def test_text_escaping_and_folding_follow_rfc_5545() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("bell\x07") == "bell"
    line = "SUMMARY:" + "é" * 80
    folded = fold(line)
    assert folded.endswith("\r\n")
    parts = folded[:-2].split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


# ---- the views, called directly ----------------------------------------------------------------

DAY = dt.date(2018, 6, 30)  # for the views called directly


def rows() -> list:  # type: ignore[type-arg]
    loaded = validate([SHIPPED_PLANS])
    plan = loaded.workspace.plan("bvip-2018-19")
    assert plan is not None
    return due(owned([status_of(plan, DAY)]), DAY, 30)


def test_each_row_says_how_overdue_or_how_soon_due() -> None:
    found = {row.status.id: when(row, DAY) for row in rows()}
    assert found["PR1.4"].startswith("overdue by ") and found["PR1.4"].endswith(" days")
    assert all(text.startswith(("overdue by ", "due in ", "due today")) for text in found.values())


def test_the_heading_counts_rows_overdue_and_owners() -> None:
    listed = rows()
    overdue = sum(when(r, DAY).startswith("overdue") for r in listed)
    owners = len({r.owner for r in listed})
    assert heading(listed, DAY, 30) == (
        f"Due within 30 days of 2018-06-30, or overdue: {len(listed)} milestones ({overdue} overdue) for {owners} owners"
    )


def test_text_groups_by_owner_and_markdown_is_a_table_per_owner() -> None:
    listed = rows()
    text = as_text(listed, DAY, 30, grouped=True)
    for row in listed:
        assert f"bvip-2018-19/{row.status.id}  {row.status.milestone.title}" in text
        assert f"\n{row.owner} (" in text
    markdown = as_markdown(listed, DAY, 30, grouped=False)
    assert markdown.startswith("# Due within 30 days")
    assert markdown.count("| Deadline | When | Milestone | Title | Owner |") == 1
