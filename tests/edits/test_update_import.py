"""`export updates` and `import updates`: an owner's workbook out, filled in with openpyxl, and back.

Real processes on a copy of the shipped plans; the workbooks are real .xlsx files filled in the
way an owner's spreadsheet program would (openpyxl), mistakes included.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

AS_OF = "2018-06-30"
GRANTS_OWNER = "Head of Third Sector Programmes"
GRANTS_BOOK = "head-of-third-sector-programmes.xlsx"


def snapshot(plans: Path) -> dict[str, bytes]:
    return {str(p.relative_to(plans)): p.read_bytes() for p in sorted(plans.rglob("*")) if p.is_file()}


@pytest.fixture
def exported(plans_copy: Path, run_main) -> Path:
    """The workbooks exported from a copy of the shipped plans: tmp/out/*.xlsx."""
    result = run_main("export", "updates", "--as-of", AS_OF, "-o", "out", cwd=plans_copy.parent)
    assert result.returncode == 0, result.stderr
    return plans_copy.parent / "out"


def fill(book: Path, cells: dict[str, object], target: Path | None = None) -> Path:
    workbook = openpyxl.load_workbook(book)
    sheet = workbook.worksheets[0]
    for address, value in cells.items():
        sheet[address] = value
    workbook.save(target or book)
    return target or book


def statuses(run_main, cwd: Path) -> dict[str, dict[str, str]]:
    result = run_main("status", "--as-of", AS_OF, "--plan", "bvip-2018-19", "--format", "csv", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return {row["milestone"]: row for row in csv.DictReader(io.StringIO(result.stdout))}


def test_export_writes_one_protected_workbook_per_owner(exported: Path) -> None:
    books = sorted(p.name for p in exported.iterdir())
    assert GRANTS_BOOK in books
    assert "divisional-director-property-and-major-programmes.xlsx" in books
    workbook = openpyxl.load_workbook(exported / GRANTS_BOOK)
    assert workbook.sheetnames == [GRANTS_OWNER, "Instructions", "bvplan"]
    assert workbook["bvplan"].sheet_state == "veryHidden"
    sheet = workbook[GRANTS_OWNER]
    assert [c.value for c in sheet[1]][:8] == [
        "Plan", "Milestone", "Title", "Action", "Deadline", "Status", "Latest note", "Completed on",
    ]  # fmt: skip
    ids = [sheet[f"B{n}"].value for n in range(2, sheet.max_row + 1)]
    assert ids[:3] == ["GR1.1", "GR1.2", "GR2.1"]
    # The Grants milestones have no owner of their own: the theme's lead owns them.
    assert all(sheet[f"A{n}"].value == "bvip-2018-19" for n in range(2, sheet.max_row + 1))
    assert sheet.protection.sheet is True
    assert sheet["C2"].protection.locked is True
    assert sheet["H2"].protection.locked is False and sheet["L2"].protection.locked is False
    assert sheet.column_dimensions["N"].hidden is True
    assert len(str(sheet["N2"].value)) == 20
    kinds = {v.type for v in sheet.data_validations.dataValidation}
    assert {"date", "list", "textLength"} <= kinds
    assert isinstance(sheet["E2"].value, dt.datetime)
    # Completed milestones are not asked about again.
    assert "GR4.1" in ids and all(i for i in ids)


def test_round_trip_applies_filled_rows_and_only_touches_their_lines(
    exported: Path, plans_copy: Path, run_main
) -> None:
    cwd = plans_copy.parent
    before = snapshot(plans_copy)
    book = fill(
        exported / GRANTS_BOOK,
        {
            "H2": dt.datetime(2018, 6, 20),  # GR1.1 completed
            "I3": "Recruitment finished, team in post; induction under way",  # GR1.2 note
            "J3": "No",
            "K4": "30/09/2018",  # GR2.1: typed as text, the UK way
            "L4": "Supplier delayed the web release",
            "H5": "30/02/2018",  # a mistake: no such date
            "K6": dt.datetime(2018, 12, 31),  # a mistake: a new deadline without its reason
        },
    )

    refused = run_main("import", "updates", book, "--apply", cwd=cwd)

    assert refused.returncode == 1
    assert f'Sheet "{GRANTS_OWNER}", H5: 30/02/2018 is not a date' in refused.stderr
    assert f'Sheet "{GRANTS_OWNER}", L6: a proposed new deadline needs its reason' in refused.stderr
    assert "nothing written" in refused.stderr
    assert snapshot(plans_copy) == before

    fill(book, {"H5": None, "K6": None})
    dry = run_main("import", "updates", book, cwd=cwd)
    assert dry.returncode == 0, dry.stderr
    assert "+        completed: 2018-06-20" in dry.stdout
    assert "dry run, nothing written" in dry.stderr
    assert snapshot(plans_copy) == before

    applied = run_main("import", "updates", book, "--apply", cwd=cwd)

    assert applied.returncode == 0, applied.stderr
    assert f"{GRANTS_OWNER}:" in applied.stderr
    assert "bvip-2018-19/GR1.1: completed on 2018-06-20" in applied.stderr
    after = snapshot(plans_copy)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["bvip-2018-19/grants.yaml"]
    old = before["bvip-2018-19/grants.yaml"].decode().splitlines(keepends=True)
    new = after["bvip-2018-19/grants.yaml"].decode().splitlines(keepends=True)
    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    assert {tag for tag, *_ in opcodes} == {"equal", "insert"}, "only lines added; none changed or removed"
    added = "".join(line for tag, _a1, _a2, b1, b2 in opcodes if tag == "insert" for line in new[b1:b2])
    assert added == (
        "        completed: 2018-06-20\n"
        "        notes:\n"
        "          - on: 2018-06-30\n"
        "            text: Recruitment finished, team in post; induction under way\n"
        "            exempt: true\n"
        "        revisions:\n"
        "          - to: 2018-09-30\n"
        "            reason: Supplier delayed the web release\n"
        "            proposed: 2018-06-30\n"
    )
    rows = statuses(run_main, cwd)
    assert rows["GR1.1"]["status"] == "Completed"
    assert rows["GR1.2"]["latest_note"] == "Recruitment finished, team in post; induction under way"
    assert rows["GR2.1"]["proposed_deadline"] == "2018-09-30"
    assert run_main("validate", cwd=cwd).returncode == 0

    again = run_main("import", "updates", book, "--apply", cwd=cwd)

    assert again.returncode == 0, again.stderr
    assert "already in the plans, skipped: bvip-2018-19/GR1.1, bvip-2018-19/GR1.2, bvip-2018-19/GR2.1" in again.stderr
    assert "nothing to apply" in again.stderr
    assert snapshot(plans_copy) == after


def test_a_row_whose_milestone_changed_since_the_export_is_refused(exported: Path, plans_copy: Path, run_main) -> None:
    cwd = plans_copy.parent
    edit = run_main("note", "bvip-2018-19/GR4.2", "Scope agreed with the voluntary sector", "--on", AS_OF, cwd=cwd)
    assert edit.returncode == 0, edit.stderr
    before = snapshot(plans_copy)
    book = fill(exported / GRANTS_BOOK, {"H2": dt.datetime(2018, 6, 20), "I9": "Policy drafted"})  # row 9: GR4.2

    result = run_main("import", "updates", book, "--apply", cwd=cwd)

    assert result.returncode == 1
    assert "row 9: bvip-2018-19/GR4.2 changed in the plan since this workbook was exported" in result.stderr
    assert snapshot(plans_copy) == before

    partial = run_main("import", "updates", book, "--apply", "--skip-rejected", cwd=cwd)

    assert partial.returncode == 1
    assert "bvip-2018-19/GR1.1: completed on 2018-06-20" in partial.stderr
    assert statuses(run_main, cwd)["GR1.1"]["status"] == "Completed"


def test_returns_from_several_owners_are_applied_together(exported: Path, plans_copy: Path, run_main) -> None:
    grants = fill(exported / GRANTS_BOOK, {"I2": "Interviews done"})
    property_book = exported / "divisional-director-property-and-major-programmes.xlsx"
    sheet = openpyxl.load_workbook(property_book).worksheets[0]
    first = sheet["B2"].value
    fill(property_book, {"H2": dt.datetime(2018, 6, 29)})

    result = run_main("import", "updates", grants, property_book, "--apply", cwd=plans_copy.parent)

    assert result.returncode == 0, result.stderr
    assert "2 milestone updates for 2 owners in 2 files" in result.stderr
    assert statuses(run_main, plans_copy.parent)[first]["status"] == "Completed"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _other_export(plans_copy: Path, run_main, book: Path) -> None:
    """An export made from another set of plans (another plan id), over `book`."""
    other = plans_copy.parent / "other" / "plans"
    shutil.copytree(plans_copy, other)
    folder = other / "bvip-2018-19"
    plan_file = folder / "plan.yaml"
    plan_file.write_text(plan_file.read_text().replace("id: bvip-2018-19", "id: other-2018-19"))
    folder.rename(other / "other-2018-19")
    result = run_main("export", "updates", "--as-of", AS_OF, "-o", "out", "--plans", "plans", cwd=other.parent)
    assert result.returncode == 0, result.stderr
    fill(other.parent / "out" / GRANTS_BOOK, {"H2": dt.datetime(2018, 6, 20)}, book)


def _hostile(name: str) -> Callable[[Path, Path, object], str]:
    def formula(book: Path, plans: Path, run_main: object) -> str:
        fill(book, {"H2": "=TODAY()"})
        return f'Sheet "{GRANTS_OWNER}", H2: holds a formula'

    def merged(book: Path, plans: Path, run_main: object) -> str:
        workbook = openpyxl.load_workbook(book)
        workbook.worksheets[0]["I2"] = "Done"
        workbook.worksheets[0].merge_cells("I2:I3")
        workbook.save(book)
        return f'Sheet "{GRANTS_OWNER}" has merged cells (I2:I3)'

    def text_in_date(book: Path, plans: Path, run_main: object) -> str:
        fill(book, {"K3": "end of next month", "L3": "Waiting for the board"})
        return f'Sheet "{GRANTS_OWNER}", K3: end of next month is not a date'

    def extra_sheet(book: Path, plans: Path, run_main: object) -> str:
        workbook = openpyxl.load_workbook(book)
        workbook.worksheets[0]["I2"] = "Done"
        workbook.create_sheet("My notes")
        workbook.save(book)
        return 'has sheets bvplan did not make ("My notes")'

    def renamed_sheet(book: Path, plans: Path, run_main: object) -> str:
        workbook = openpyxl.load_workbook(book)
        workbook.worksheets[0]["I2"] = "Done"
        workbook.worksheets[0].title = "Grants"
        workbook.save(book)
        return f'sheet "{GRANTS_OWNER}" is missing (renamed?)'

    def renamed_column(book: Path, plans: Path, run_main: object) -> str:
        fill(book, {"I1": "Comments", "I2": "Done"})
        return 'I1: heading "Comments" should be "Progress note"'

    def pasted_row(book: Path, plans: Path, run_main: object) -> str:
        fill(book, {"M2": "bvip-2018-19/PR1.4", "H2": dt.datetime(2018, 6, 1)})
        return "row 2: not the row exported"

    def another_export(book: Path, plans: Path, run_main: object) -> str:
        _other_export(plans, run_main, book)
        return "no plan 'other-2018-19'"

    def not_bvplan(book: Path, plans: Path, run_main: object) -> str:
        workbook = openpyxl.Workbook()
        workbook.active["A1"] = "Milestone"  # type: ignore[index]
        workbook.save(book)
        return "not an update workbook made by 'bvplan export updates'"

    def not_a_spreadsheet(book: Path, plans: Path, run_main: object) -> str:
        book.write_text("Milestone,Completed on\nGR1.1,20/06/2018\n")
        return "not an .xlsx workbook"

    def old_xls(book: Path, plans: Path, run_main: object) -> str:
        book.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
        return "an old .xls file: save it as .xlsx"

    def sheet_50mb(book: Path, plans: Path, run_main: object) -> str:
        row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * 200 + b"</t></is></c></row>"
        sheet = b"<worksheet><sheetData>" + row * (50 * 1024 * 1024 // len(row)) + b"</sheetData></worksheet>"
        _zip(book, {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": sheet})
        return "part xl/worksheets/sheet1.xml would unpack to 52.4 MB"

    def zip_bomb(book: Path, plans: Path, run_main: object) -> str:
        _zip(book, {"xl/workbook.xml": b"<workbook/>", "xl/sharedStrings.xml": b"\0" * (12 * 1024 * 1024)})
        return "no zip bombs"

    def lying_zip_directory(book: Path, plans: Path, run_main: object) -> str:
        # A sheet whose zip directory claims a small size and unpacks to far more: openpyxl must
        # not be allowed to inflate it, and the reader's own check stops at the declared size.
        workbook = openpyxl.load_workbook(book)
        workbook.worksheets[0]["I2"] = "Done"
        workbook.save(book)
        data = bytearray(book.read_bytes())
        name = b"xl/worksheets/sheet1.xml"
        entry = data.find(b"PK\x01\x02")
        while data[entry + 46 : entry + 46 + len(name)] != name:
            entry = data.find(b"PK\x01\x02", entry + 4)
            assert entry > 0
        data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")  # the declared uncompressed size
        book.write_bytes(bytes(data))
        return "cannot be read"

    return {
        "formula-in-a-date-cell": formula,
        "merged-cells": merged,
        "text-in-a-date-column": text_in_date,
        "extra-sheet": extra_sheet,
        "renamed-sheet": renamed_sheet,
        "renamed-column": renamed_column,
        "row-pasted-from-another-workbook": pasted_row,
        "workbook-from-another-export": another_export,
        "workbook-not-made-by-bvplan": not_bvplan,
        "not-a-spreadsheet": not_a_spreadsheet,
        "old-xls": old_xls,
        "50-mb-sheet": sheet_50mb,
        "zip-bomb": zip_bomb,
        "lying-zip-directory": lying_zip_directory,
    }[name]  # type: ignore[return-value]


HOSTILE = [
    "formula-in-a-date-cell",
    "merged-cells",
    "text-in-a-date-column",
    "extra-sheet",
    "renamed-sheet",
    "renamed-column",
    "row-pasted-from-another-workbook",
    "workbook-from-another-export",
    "workbook-not-made-by-bvplan",
    "not-a-spreadsheet",
    "old-xls",
    "50-mb-sheet",
    "zip-bomb",
    "lying-zip-directory",
]


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_workbooks_get_a_clear_error_and_nothing_written(
    case: str, exported: Path, plans_copy: Path, run_main
) -> None:
    good = fill(exported / "intranet-project-manager.xlsx", {"I2": "Content migrated"})
    book = exported / GRANTS_BOOK
    expected = _hostile(case)(book, plans_copy, run_main)
    before = snapshot(plans_copy)

    result = run_main("import", "updates", good, book, "--apply", cwd=plans_copy.parent)

    assert result.returncode == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert "nothing written" in result.stderr
    assert snapshot(plans_copy) == before, "the sound workbook beside it is not applied either"


def test_without_the_office_extra_the_commands_say_how_to_install_it(plans_copy: Path, run_cli, tmp_path: Path) -> None:
    blocker = tmp_path / "no-office"
    blocker.mkdir()
    (blocker / "openpyxl.py").write_text("raise ImportError('not installed')\n")
    env = {"PYTHONPATH": str(blocker)}
    for args in (
        ["export", "updates", "-o", "out"],
        ["import", "updates", "back.xlsx"],
        ["import", "tracker", "tracker.xlsx", "--plan", "x", "--authority", "A council"],
    ):
        result = run_cli(*args, cwd=plans_copy.parent, env=env)
        assert result.returncode == 2, (args, result.stderr)
        assert "pip install 'bvplan[office]'" in result.stderr
    assert not (plans_copy.parent / "out").exists()


def test_export_never_replaces_a_workbook_without_force(exported: Path, plans_copy: Path, run_main) -> None:
    returned = fill(exported / GRANTS_BOOK, {"I2": "An owner's answer"})
    kept = returned.read_bytes()

    again = run_main("export", "updates", "--as-of", AS_OF, "-o", "out", cwd=plans_copy.parent)

    assert again.returncode == 2
    assert "use --force" in again.stderr
    assert returned.read_bytes() == kept
    forced = run_main("export", "updates", "--as-of", AS_OF, "-o", "out", "--force", cwd=plans_copy.parent)
    assert forced.returncode == 0, forced.stderr
    assert returned.read_bytes() != kept


def test_export_for_one_owner_and_an_unknown_owner(plans_copy: Path, run_main) -> None:
    cwd = plans_copy.parent
    one = run_main("export", "updates", "--as-of", AS_OF, "--owner", "third sector", "-o", "one", cwd=cwd)
    assert one.returncode == 0, one.stderr
    assert [p.name for p in (cwd / "one").iterdir()] == [GRANTS_BOOK]

    unknown = run_main("export", "updates", "--as-of", AS_OF, "--owner", "Nobody", "-o", "none", cwd=cwd)
    assert unknown.returncode == 2
    assert "no owner matches 'Nobody'" in unknown.stderr
    assert not (cwd / "none").exists()
