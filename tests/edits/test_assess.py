"""`bvplan assess`: a dated rating appended to plan.yaml as an exact splice, checked as every edit is.
Real processes on real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bvplan.edits.assess import assess
from bvplan.errors import UsageError
from tests.conftest import PinToday, RunMain

PLAN = """\
# Our plan (a comment bvplan keeps)
id: demo
title: Demo improvement plan
authority: A borough council
board: Best Value Improvement Board
start: 2025-04-01
end: 2026-03-31
cadence: quarterly
frameworks: [best-value-2024]   # the 2024 guidance
"""

THEME = """\
theme: Governance
actions:
  - id: G1
    title: Strengthen scrutiny
    characteristics: [G002]
    milestones:
      - id: G1.1
        title: Train every scrutiny member
        due: 2025-06-30
        completed: 2025-06-20
"""


@pytest.fixture
def plans(tmp_path: Path, pin_today: PinToday) -> Path:
    pin_today("2025-12-01")
    folder = tmp_path / "plans" / "demo"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN)
    (folder / "governance.yaml").write_text(THEME)
    return tmp_path / "plans"


def test_a_self_and_an_external_rating_are_appended_exactly(plans: Path, run_main: RunMain) -> None:
    plan = plans / "demo" / "plan.yaml"

    first = run_main(
        "assess", "G002", "amber", "--on", "2025-07-01", "--by", "Corporate leadership team",
        "--evidence", "https://example.org/self-assessment.pdf", "--note", "Scrutiny chairs newly appointed",
        "--plans", plans,
    )  # fmt: skip
    second = run_main(
        "assess", "G002", "red", "--on", "2025-11-14", "--by", "LGA corporate peer challenge", "--external",
        "--plans", plans,
    )  # fmt: skip

    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert "wrote a self rating of G002 on 2025-07-01, Improvement needed (amber)" in first.stderr
    assert "wrote an external rating of G002 on 2025-11-14, Significant concerns (red)" in second.stderr
    assert plan.read_text() == PLAN + (
        "assessments:\n"
        "  - characteristic: G002\n"
        "    level: amber\n"
        "    on: 2025-07-01\n"
        "    by: Corporate leadership team\n"
        "    evidence:\n"
        "      - https://example.org/self-assessment.pdf\n"
        "    note: Scrutiny chairs newly appointed\n"
        "  - characteristic: G002\n"
        "    level: red\n"
        "    on: 2025-11-14\n"
        "    by: LGA corporate peer challenge\n"
        "    external: true\n"
    )
    assert run_main("validate", plans).returncode == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["G02", "amber"], 2, "no characteristic 'G02' in the plans' frameworks; did you mean 'G002'?"),
        (
            ["G002", "Amber"],
            2,
            "'Amber' is not a level of best-value-2024's rating scale (red, amber, light-green, green)",
        ),
        (
            ["G002", "amber", "--on", "2026-01-01"],
            1,
            "error[BV427]: an assessment dated 2026-01-01, which is still to come",
        ),
        (["G002", "amber", "--on", "1 July"], 2, "--on '1 July' is not a date"),
        (["G002", "amber", "--by", " "], 2, "--by must not be empty"),
        (["G002", "amber", "--evidence", ""], 2, "--evidence must not be empty"),
    ],
)
def test_a_refused_rating_writes_nothing(
    plans: Path, run_main: RunMain, args: list[str], code: int, message: str
) -> None:
    before = (plans / "demo" / "plan.yaml").read_bytes()

    result = run_main("assess", *args, "--plans", plans)

    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert (plans / "demo" / "plan.yaml").read_bytes() == before


def test_dry_run_shows_the_diff_and_writes_nothing(plans: Path, run_main: RunMain) -> None:
    before = (plans / "demo" / "plan.yaml").read_bytes()

    result = run_main("assess", "G002", "green", "--on", "2025-07-01", "--dry-run", "--plans", plans)

    assert result.returncode == 0
    assert "+  - characteristic: G002\n" in result.stdout
    assert "dry run, nothing written" in result.stderr
    assert (plans / "demo" / "plan.yaml").read_bytes() == before


def test_a_plan_naming_no_framework_says_how_to_name_one(plans: Path) -> None:
    plan = plans / "demo" / "plan.yaml"
    plan.write_text(PLAN.replace("frameworks: [best-value-2024]   # the 2024 guidance\n", ""))
    (plans / "demo" / "governance.yaml").write_text(THEME.replace("    characteristics: [G002]\n", ""))

    with pytest.raises(UsageError, match=r"no plan names a framework.*frameworks: \[best-value-2024\]"):
        assess(plans, "G002", "amber", dt.date(2025, 7, 1))


def test_two_plans_rating_one_characteristic_take_the_live_one_or_a_name(plans: Path) -> None:
    later = plans / "demo-2026-27"
    later.mkdir()
    (later / "plan.yaml").write_text(
        PLAN.replace("id: demo", "id: demo-2026-27")
        .replace("2025-04-01", "2026-04-01")
        .replace("2026-03-31", "2027-03-31")
    )
    (later / "governance.yaml").write_text(
        THEME.replace("G1.1", "G1.9")
        .replace("due: 2025-06-30", "due: 2026-06-30")
        .replace("completed: 2025-06-20", "completed: 2026-06-20")
    )

    outcome = assess(plans, "G002", "amber", dt.date(2025, 7, 1))
    assert outcome.changes[0].path == plans / "demo" / "plan.yaml"

    named = assess(plans, "demo-2026-27/G002", "amber", dt.date(2025, 7, 1))
    assert named.changes[0].path == later / "plan.yaml"

    with pytest.raises(UsageError, match="name one: demo/G002, demo-2026-27/G002"):
        assess(plans, "G002", "amber", dt.date(2024, 7, 1))


def test_a_plan_file_with_errors_is_not_edited(plans: Path, run_main: RunMain) -> None:
    plan = plans / "demo" / "plan.yaml"
    plan.write_text(PLAN + "assessments:\n  - characteristic: G002\n    level: gren\n    on: 2025-07-01\n")
    before = plan.read_bytes()

    result = run_main("assess", "G002", "amber", "--on", "2025-08-01", "--plans", plans)

    assert result.returncode == 1
    assert "has errors; fix them first" in result.stderr
    assert plan.read_bytes() == before


def test_help_names_the_arguments_as_a_person_reads_them(run_main: RunMain) -> None:
    from bvplan.cli.assess import assess as assess_command

    # The command's help is its docstring: it says how self and external ratings differ.
    assert "--external" in (assess_command.__doc__ or "")
    assess_help = run_main("assess", "--help", env={"COLUMNS": "100"}).stdout
    heatmap_help = run_main("heatmap", "--help", env={"COLUMNS": "100"}).stdout

    assert "assess [OPTIONS] CHARACTERISTIC LEVEL\n" in assess_help
    assert "--on DATE" in assess_help and "--evidence LINK" in assess_help and "--by WHO" in assess_help
    assert "--external" in assess_help
    assert "--format [text|markdown|html|csv|xlsx|json]" in heatmap_help and "--as-of DATE" in heatmap_help
    for text in (assess_help, heatmap_help):
        assert "<str" not in text and "list[" not in text
