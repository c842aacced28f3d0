"""`bvplan import tracker`: a new plan from the spreadsheet a council keeps today."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from bvplan.edits.tracker_import import plan_year_span
from bvplan.rules.tracker import MappingError, TrackerPlan, guess_columns, tracker_date

TRACKER = [
    ["Work stream", "Strategic Action", "Key Milestone", "Lead Officer", "Target Date", "Revised Date", "RAG",
     "Date completed", "Comments", "Pentana Code"],
    ["Property", "Community Buildings Scheme", "Consider paper at AMCB", "Head of Property", "Oct-15", "Feb-16",
     "Amber", "", "Paper deferred to February", "PR-01"],
    ["Property", "Community Buildings Scheme", "Consult Directorates", "Head of Property", "30/11/2015", "",
     "Completed", "25/11/2015", "", "PR-02"],
    ["Property", "Asset Reviews", "Report to CMT", "Head of Asset Management", "31/12/2015", "", "Complete", "",
     "Draft ready, with comments", "PR-03"],
    ["Grants", "Grants scheme", "Report back to the Commissioners", "Head of Third Sector", "2016-01-31", "", "Purple",
     "", "", "GR-01"],
    ["Grants", "Grants scheme", "", "Head of Third Sector", "2016-02-29", "", "", "", "", "GR-02"],
    ["Grants", "Grants scheme", "New policy", "Head of Third Sector", "30/02/2016", "", "", "", "", "GR-03"],
]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    return path


def test_a_csv_tracker_becomes_a_valid_plan_and_what_was_left_out_is_listed(tmp_path: Path, run_main) -> None:
    tracker = write_csv(tmp_path / "tracker.csv", TRACKER)
    args = ("import", "tracker", tracker, "--plan", "bvap-2015-16", "--authority", "A borough council")

    refused = run_main(*args, "--on", "2016-01-15", cwd=tmp_path)
    assert refused.returncode == 2, refused.stderr
    assert "2 rows of tracker.csv could not be brought in (rows 6, 7, listed above); nothing written" in refused.stderr
    assert not (tmp_path / "plans").exists()

    result = run_main(*args, "--on", "2016-01-15", "--skip-bad-rows", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert "theme <- 'Work stream'" in err and "due <- 'Target Date'" in err and "ref <- 'Pentana Code'" in err
    assert "row 4, column G (RAG): 'Complete' but no completion date; left open" in err
    assert "column J (Pentana Code)" not in err
    assert "row 5, column G (RAG): status 'Purple' not understood" in err
    assert "row 6, column C (Key Milestone): no milestone title; row left out" in err
    assert (
        "row 7, column E (Target Date): 30/02/2016 is not a date (that day does not exist); write it as 30/06/2018; row left out"
        in err
    )
    assert "2 rows left out with --skip-bad-rows (listed above)" in err
    folder = tmp_path / "plans" / "bvap-2015-16"
    assert sorted(p.name for p in folder.iterdir()) == ["grants.yaml", "plan.yaml", "property.yaml"]
    assert "start: 2015-04-01\nend: 2016-03-31\n" in (folder / "plan.yaml").read_text()
    property_text = (folder / "property.yaml").read_text()
    assert "    owner: Head of Property\n" in property_text
    assert "        due: 2015-10-31\n" in property_text  # Oct-15: the end of October 2015
    assert "          - to: 2016-02-29\n" in property_text
    assert "        completed: 2015-11-25\n" in property_text
    assert run_main("validate", cwd=tmp_path).returncode == 0
    status = run_main("status", "--as-of", "2016-01-31", "--format", "csv", cwd=tmp_path)
    rows = {r["milestone"]: r for r in csv.DictReader(io.StringIO(status.stdout))}
    assert rows["PR1.1"]["deadline"] == "2016-02-29"
    assert rows["PR1.2"]["status"] == "Completed"
    assert rows["PR2.1"]["status"] == "Overdue"
    assert rows["GR1.1"]["owner"] == "Head of Third Sector"

    plans_before = {p: p.read_bytes() for p in folder.iterdir()}
    again = run_main(*args, "--skip-bad-rows", cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists; bvplan never overwrites a plan" in again.stderr
    assert {p: p.read_bytes() for p in folder.iterdir()} == plans_before


def test_an_xlsx_tracker_with_columns_named_by_map(tmp_path: Path, run_main) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tracker"
    sheet.append(["Area", "Deliverable", "Who", "When", "Progress update", "Budget"])
    sheet.append(["Elections", "Appoint the Electoral Services Manager", "Returning Officer", dt.datetime(2018, 5, 31),
                  "Interviews held"])  # fmt: skip
    sheet.append(["Elections", "Publish the canvass plan", "Returning Officer", "=DATE(2018,7,31)", ""])
    workbook.save(tmp_path / "tracker.xlsx")

    result = run_main(
        "import", "tracker", "tracker.xlsx", "--plan", "elections", "--authority", "A council",
        "--map", "Who=owner", "--map", "When=due", "--year", "2018-19", "--skip-bad-rows", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "row 3, column D (When): holds a formula (=DATE(2018,7,31)); type the value itself; row left out" in (
        result.stderr
    )
    assert "column F (Budget): no field for it (name one with --map)" in result.stderr
    assert "column E (Progress update)" not in result.stderr
    text = (tmp_path / "plans" / "elections" / "elections.yaml").read_text()
    assert "title: Appoint the Electoral Services Manager" in text
    assert "owner: Returning Officer" in text
    assert "Publish the canvass plan" not in text


def test_dry_run_writes_nothing(tmp_path: Path, run_main) -> None:
    tracker = write_csv(tmp_path / "tracker.csv", TRACKER)

    result = run_main(
        "import", "tracker", tracker, "--plan", "p", "--authority", "A", "--dry-run", "--skip-bad-rows", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert "+++ b/plans/p/plan.yaml" in result.stdout
    assert not (tmp_path / "plans").exists()


@pytest.mark.parametrize(
    ("rows", "args", "message"),
    [
        ([["Title", "Deadline"], ["x", "2018-05-01"]], [], "no column for theme, milestone;"),
        ([["Theme", "Milestone", "Due"]], ["--map", "Target=due"], "no column 'Target'"),
        ([["Theme", "Milestone", "Due"]], ["--map", "Due=deadline"], "no field 'deadline'"),
        ([["Theme", "Milestone", "Due"], ["T", "M", "not a date"]], [], "1 row of t.csv could not be brought in"),
        (
            [["Theme", "Milestone", "Due"], ["T", "M", "not a date"]],
            ["--skip-bad-rows"],
            "no row of the tracker could be read",
        ),
    ],
)
def test_trackers_that_cannot_be_mapped_are_refused(
    tmp_path: Path, run_main, rows: list[list[str]], args: list[str], message: str
) -> None:
    tracker = write_csv(tmp_path / "t.csv", rows)

    result = run_main("import", "tracker", tracker, "--plan", "p", "--authority", "A", *args, cwd=tmp_path)

    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "plans").exists()


def test_a_binary_file_is_not_a_tracker(tmp_path: Path, run_main) -> None:
    (tmp_path / "t.xlsx").write_bytes(b"\x00\x01binary")

    result = run_main("import", "tracker", "t.xlsx", "--plan", "p", "--authority", "A", cwd=tmp_path)

    assert result.returncode == 2
    assert "t.xlsx: not an .xlsx workbook" in result.stderr


def test_column_guessing_and_tracker_dates() -> None:
    header = ["Theme", "Action", "Milestone", "Owner", "Due date", "Notes"]
    assert guess_columns(header, {}) == {"theme": 0, "action": 1, "milestone": 2, "owner": 3, "due": 4, "notes": 5}
    assert guess_columns(header, {"F": "notes", "Due date": "due"})["notes"] == 5
    with pytest.raises(MappingError):
        guess_columns(["Name"], {})
    assert tracker_date("Oct-15") == dt.date(2015, 10, 31)
    assert tracker_date("February 2016") == dt.date(2016, 2, 29)
    assert tracker_date("30/06/2018") == dt.date(2018, 6, 30)
    assert tracker_date(dt.datetime(2018, 6, 30)) == dt.date(2018, 6, 30)
    for bad in ("30/02/2018", "soon"):
        with pytest.raises(ValueError, match="is not a date"):
            tracker_date(bad)


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path: Path, run_main) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "t.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))

    result = run_main("import", "tracker", "t.xlsx", "--plan", "p", "--authority", "A", cwd=tmp_path)

    assert result.returncode == 2
    assert "part xl/worksheets/sheet1.xml would unpack to 41.9 MB; refused" in result.stderr
    assert not (tmp_path / "plans").exists()


def test_the_years_a_new_plan_covers() -> None:
    tracker = TrackerPlan(
        themes={}, theme_order=[], milestones=0, first_due=dt.date(2018, 5, 1), last_due=dt.date(2019, 6, 1)
    )
    assert plan_year_span("2018-19", tracker, dt.date(2026, 1, 1)) == (dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    assert plan_year_span("2018-19:2019-20", tracker, dt.date(2026, 1, 1)) == (
        dt.date(2018, 4, 1),
        dt.date(2020, 3, 31),
    )
    # No --year: the financial years the due dates fall in.
    assert plan_year_span(None, tracker, dt.date(2026, 1, 1)) == (dt.date(2018, 4, 1), dt.date(2020, 3, 31))
    with pytest.raises(Exception, match="--year '2018-20' is not a financial year like 2018-19"):
        plan_year_span("2018-20", tracker, dt.date(2026, 1, 1))
