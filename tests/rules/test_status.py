"""The status rules, one test per rule, then `bvplan status` as users run it, then the shipped plans."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from bvplan.format.model import Action, Cancellation, Milestone, Note, RagOverride, RagScheme, Revision
from bvplan.papers.status_views import COLUMNS, SUMMARY_KEYS
from bvplan.rules.status import (
    Counts,
    Status,
    action_status,
    deadline_at,
    milestone_status,
    pending_revision,
    plan_status,
    rollup,
)
from tests.conftest import run_in_terminal

D = dt.date


def milestone(**fields: Any) -> Milestone:
    values: dict[str, Any] = {"id": "M1", "title": "Open the hub", "due": D(2018, 6, 30)}
    values.update(fields)
    return Milestone(**values)


def action(*milestones: Milestone, **fields: Any) -> Action:
    values: dict[str, Any] = {
        "id": "A1",
        "title": "Community buildings",
        "owner": "Director",
        "milestones": list(milestones),
    }
    values.update(fields)
    return Action(**values)


def status_at(m: Milestone, day: dt.date, **kwargs: Any) -> Any:
    return milestone_status(m, action(m), day, **kwargs)


def revision(to: dt.date, proposed: dt.date, agreed: dt.date | None = None) -> Revision:
    return Revision(to=to, reason="Listed building: longer lead-in", proposed=proposed, agreed=agreed)


# --- completion and cancellation only count from their date -------------------------------------------------------


def test_completed_after_the_date_is_not_completed_at_it() -> None:
    m = milestone(completed=D(2018, 7, 10))

    assert status_at(m, D(2018, 7, 9)).status is Status.OVERDUE
    assert status_at(m, D(2018, 7, 9)).completed is None
    assert status_at(m, D(2018, 7, 10)).status is Status.COMPLETED
    assert status_at(m, D(2018, 7, 10)).completed == D(2018, 7, 10)


def test_cancellation_after_the_date_has_not_happened() -> None:
    m = milestone(cancelled=Cancellation(on=D(2018, 5, 1), reason="Superseded by the Asset Strategy"))

    assert status_at(m, D(2018, 4, 30)).status is Status.IN_PROGRESS
    assert status_at(m, D(2018, 4, 30)).cancelled is None
    cancelled = status_at(m, D(2018, 5, 1))
    assert cancelled.status is Status.CANCELLED
    assert cancelled.rag is None
    assert cancelled.cancelled is not None and cancelled.cancelled.reason == "Superseded by the Asset Strategy"


# --- the deadline in force ----------------------------------------------------------------------------------------


def test_proposed_revision_does_not_move_the_deadline_but_shows() -> None:
    m = milestone(revisions=[revision(D(2018, 10, 31), proposed=D(2018, 6, 11))])

    before = status_at(m, D(2018, 6, 10))
    after = status_at(m, D(2018, 7, 1))

    assert before.proposed is None
    assert after.deadline == D(2018, 6, 30)
    assert after.status is Status.OVERDUE
    assert after.proposed is not None and after.proposed.to == D(2018, 10, 31)
    assert not after.revised


def test_revision_agreed_after_the_date_does_not_move_it() -> None:
    m = milestone(revisions=[revision(D(2018, 10, 31), proposed=D(2018, 6, 11), agreed=D(2018, 7, 15))])

    at_july = status_at(m, D(2018, 7, 14))
    at_agreement = status_at(m, D(2018, 7, 15))

    assert (at_july.deadline, at_july.status) == (D(2018, 6, 30), Status.OVERDUE)
    assert at_july.proposed is not None
    assert (at_agreement.deadline, at_agreement.status) == (D(2018, 10, 31), Status.IN_PROGRESS)
    assert at_agreement.proposed is None
    assert at_agreement.revised and at_agreement.original_due == D(2018, 6, 30)


def test_latest_agreed_revision_wins() -> None:
    m = milestone(
        revisions=[
            revision(D(2018, 9, 30), proposed=D(2018, 6, 1), agreed=D(2018, 6, 1)),
            revision(D(2018, 12, 31), proposed=D(2018, 9, 1), agreed=D(2018, 9, 20)),
            revision(D(2019, 3, 31), proposed=D(2018, 12, 1)),
        ]
    )

    assert deadline_at(m, D(2018, 5, 31)) == D(2018, 6, 30)
    assert deadline_at(m, D(2018, 6, 1)) == D(2018, 9, 30)
    assert deadline_at(m, D(2018, 9, 19)) == D(2018, 9, 30)
    assert deadline_at(m, D(2018, 9, 20)) == D(2018, 12, 31)
    assert deadline_at(m, D(2019, 6, 1)) == D(2018, 12, 31)
    pending = pending_revision(m, D(2018, 9, 5))
    assert pending is not None and pending.to == D(2018, 12, 31)
    last = pending_revision(m, D(2019, 1, 1))
    assert last is not None and last.to == D(2019, 3, 31)


def test_on_time_and_late_against_the_deadline_in_force_when_completed() -> None:
    revised = [revision(D(2018, 10, 31), proposed=D(2018, 6, 11), agreed=D(2018, 8, 1))]
    before_agreement = milestone(revisions=revised, completed=D(2018, 7, 20))
    after_agreement = milestone(revisions=revised, completed=D(2018, 9, 1))
    on_due = milestone(completed=D(2018, 6, 30))

    late = status_at(before_agreement, D(2019, 1, 1))
    assert (late.status, late.on_time) == (Status.COMPLETED, False)
    assert status_at(after_agreement, D(2019, 1, 1)).on_time is True
    assert status_at(on_due, D(2018, 7, 1)).on_time is True
    assert status_at(milestone(), D(2018, 6, 1)).on_time is None


# --- Overdue / In Progress / Not Started ----------------------------------------------------------------------------


def test_overdue_and_in_progress_meet_exactly_at_the_deadline() -> None:
    m = milestone()

    on_the_day = status_at(m, D(2018, 6, 30))
    day_after = status_at(m, D(2018, 7, 1))

    assert (on_the_day.status, on_the_day.days_overdue) == (Status.IN_PROGRESS, 0)
    assert (day_after.status, day_after.days_overdue) == (Status.OVERDUE, 1)


def test_not_started_until_its_start() -> None:
    m = milestone(start=D(2018, 5, 1))

    assert status_at(m, D(2018, 4, 30)).status is Status.NOT_STARTED
    assert status_at(m, D(2018, 5, 1)).status is Status.IN_PROGRESS
    assert status_at(m, D(2018, 4, 30)).due_soon is False


def test_cancelled_is_out_of_the_counts() -> None:
    statuses = [
        status_at(milestone(id="M1", completed=D(2018, 5, 1)), D(2018, 7, 1)),
        status_at(milestone(id="M2"), D(2018, 7, 1)),
        status_at(milestone(id="M3", due=D(2018, 9, 30)), D(2018, 7, 1)),
        status_at(milestone(id="M4", cancelled=Cancellation(on=D(2018, 6, 1), reason="Not needed")), D(2018, 7, 1)),
    ]

    counts = Counts.of(statuses)

    assert (counts.completed, counts.overdue, counts.in_progress, counts.cancelled) == (1, 1, 1, 1)
    assert counts.total == 3
    assert counts.percent_delivered == pytest.approx(100 / 3)
    assert Counts().percent_delivered == 0.0


# --- due soon ---------------------------------------------------------------------------------------------------------


def test_due_soon_defaults_to_thirty_days() -> None:
    m = milestone()

    assert status_at(m, D(2018, 5, 31)).due_soon is True  # 30 days before
    assert status_at(m, D(2018, 5, 30)).due_soon is False  # 31 days before
    assert status_at(m, D(2018, 6, 30)).due_soon is True
    assert status_at(m, D(2018, 7, 1)).due_soon is False  # overdue, not due soon


def test_due_soon_days_per_plan() -> None:
    m = milestone()

    assert status_at(m, D(2018, 5, 30), due_soon_days=31).due_soon is True
    assert status_at(m, D(2018, 6, 20), due_soon_days=7).due_soon is False
    assert status_at(m, D(2018, 6, 23), due_soon_days=7).due_soon is True


# --- roll-up -----------------------------------------------------------------------------------------------------------


def test_action_rolls_up_from_its_milestones() -> None:
    day = D(2018, 7, 1)
    done = milestone(id="M1", completed=D(2018, 6, 1))
    late = milestone(id="M2")
    later = milestone(id="M3", due=D(2018, 12, 31))
    future = milestone(id="M4", start=D(2018, 9, 1), due=D(2018, 12, 31))
    gone = milestone(id="M5", cancelled=Cancellation(on=D(2018, 6, 1), reason="Not needed"))

    def rolled(*ms: Milestone) -> Status:
        return action_status(action(*ms), day).status

    assert rolled(done, late, later) is Status.OVERDUE
    assert rolled(done, later) is Status.IN_PROGRESS
    assert rolled(done, gone) is Status.COMPLETED
    assert rolled(future) is Status.NOT_STARTED
    assert rolled(gone) is Status.CANCELLED
    assert rollup([]) is Status.NOT_STARTED


def test_plan_counts_and_action_counts() -> None:
    day = D(2018, 7, 1)
    first = action(milestone(id="M1", completed=D(2018, 6, 1)), milestone(id="M2"), id="A1")
    second = action(milestone(id="M3", due=D(2018, 12, 31)), id="A2")

    result = plan_status("demo", "Demo", [("property", "Property", [first]), ("grants", "Grants", [second])], day)

    assert result.counts.total == 3
    assert (result.counts.completed, result.counts.overdue, result.counts.in_progress) == (1, 1, 1)
    assert result.action_counts[Status.OVERDUE] == 1
    assert result.action_counts[Status.IN_PROGRESS] == 1
    assert [t.counts.total for t in result.themes] == [2, 1]


# --- RAG ---------------------------------------------------------------------------------------------------------------


def test_default_rag_mapping() -> None:
    day = D(2018, 5, 1)

    assert status_at(milestone(completed=D(2018, 4, 20)), day).rag == "blue"
    assert status_at(milestone(due=D(2018, 12, 31)), day).rag == "green"
    assert status_at(milestone(due=D(2018, 5, 20)), day).rag == "amber"  # due soon
    assert status_at(milestone(due=D(2018, 4, 30)), day).rag == "red"
    revised = milestone(due=D(2018, 4, 30), revisions=[revision(D(2018, 12, 31), D(2018, 4, 1), D(2018, 4, 2))])
    assert status_at(revised, day).rag == "amber"
    proposed = milestone(due=D(2018, 12, 1), revisions=[revision(D(2019, 1, 31), D(2018, 4, 1))])
    assert status_at(proposed, day).rag == "amber"
    assert status_at(milestone(start=D(2018, 9, 1), due=D(2018, 12, 31)), day).rag == "green"


def test_plan_rag_scheme() -> None:
    scheme = RagScheme(completed="green", due_soon="green", overdue="amber")
    day = D(2018, 5, 1)

    assert status_at(milestone(completed=D(2018, 4, 20)), day, scheme=scheme).rag == "green"
    assert status_at(milestone(due=D(2018, 5, 20)), day, scheme=scheme).rag == "green"
    assert status_at(milestone(due=D(2018, 4, 30)), day, scheme=scheme).rag == "amber"


def test_board_override_wins_from_its_date_with_its_reason() -> None:
    override = RagOverride(status="red", reason="The Board is concerned about the lead-in", on=D(2018, 5, 15))
    m = milestone(due=D(2018, 12, 31), rag=override)

    before = status_at(m, D(2018, 5, 14))
    after = status_at(m, D(2018, 5, 15))

    assert (before.rag, before.rag_override) == ("green", None)
    assert after.rag == "red"
    assert after.rag_override is not None and after.rag_override.reason == override.reason
    assert after.status is Status.IN_PROGRESS  # the override colours, it does not change the status


def test_action_rag_is_worst_live_milestone_unless_overridden() -> None:
    day = D(2018, 7, 1)
    ms = (milestone(id="M1", completed=D(2018, 6, 1)), milestone(id="M2", due=D(2018, 12, 31)))
    override = RagOverride(status="amber", reason="Funding not yet agreed", on=D(2018, 6, 1))

    assert action_status(action(*ms), day).rag == "green"
    overridden = action_status(action(*ms, rag=override), day)
    assert (overridden.rag, overridden.rag_override) == ("amber", override)


def test_notes_only_from_their_date() -> None:
    m = milestone(notes=[Note(on=D(2018, 5, 1), text="Tender out"), Note(on=D(2018, 6, 1), text="Contract let")])

    assert status_at(m, D(2018, 4, 30)).note is None
    note = status_at(m, D(2018, 5, 31)).note
    assert note is not None and note.text == "Tender out"


# --- the command -------------------------------------------------------------------------------------------------------

PLAN = """\
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
actions:
  - id: PR1
    title: Community buildings
    owner: Director of Property
    milestones:
      - id: PR1.1
        title: Open the hub
        due: 2018-06-30
        completed: 2018-06-20
      - id: PR1.2
        title: "Fit out, the second | hub"
        due: 2018-05-31
        revisions:
          - {to: 2018-09-30, reason: Listed building, proposed: 2018-06-11}
        notes:
          - {on: 2018-06-15, text: Planning application submitted}
      - id: PR1.3
        title: Open the third hub
        owner: Head of Asset Management
        due: 2018-07-20
"""
GRANTS = """\
theme: Grants
actions:
  - id: GR1
    title: Grants
    owner: Head of Third Sector
    milestones:
      - id: GR1.1
        title: New grants scheme
        start: 2018-08-01
        due: 2018-12-31
      - id: GR1.2
        title: Old scheme closed
        due: 2018-12-31
        cancelled: {on: 2018-05-01, reason: Merged into GR1.1}
"""


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans" / "demo"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN)
    (folder / "property.yaml").write_text(PROPERTY)
    (folder / "grants.yaml").write_text(GRANTS)
    return tmp_path


def test_json_is_the_documented_contract(plans: Path, run_main) -> None:
    result = run_main("status", "--as-of", "q1", "--format", "json", cwd=plans)

    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["as_of", "period", "summary", "plans"]
    assert (document["as_of"], document["period"]) == ("2018-06-30", "2018-19 Q1")
    assert tuple(document["summary"]) == SUMMARY_KEYS
    assert document["summary"] == {
        "completed": 1,
        "in_progress": 1,
        "overdue": 1,
        "not_started": 1,
        "total": 4,
        "percent_delivered": 25.0,
        "cancelled": 1,
        "due_soon": 1,
        "completed_late": 0,
    }
    [plan] = document["plans"]
    assert list(plan) == ["id", "title", "summary", "themes", "measures", "directions", "confidence"]
    assert [t["theme"] for t in plan["themes"]] == ["Grants", "Property"]
    assert list(plan["themes"][0]) == ["theme", "summary", "milestones"]
    overdue = plan["themes"][1]["milestones"][1]
    assert tuple(overdue) == COLUMNS
    assert overdue == {
        "plan": "demo",
        "theme": "Property",
        "action": "PR1",
        "action_title": "Community buildings",
        "milestone": "PR1.2",
        "title": "Fit out, the second | hub",
        "owner": "Director of Property",
        "start": None,
        "due": "2018-05-31",
        "deadline": "2018-05-31",
        "revised": False,
        "proposed_deadline": "2018-09-30",
        "proposed_reason": "Listed building",
        "status": "Overdue",
        "on_time": None,
        "completed": None,
        "cancelled": None,
        "due_soon": False,
        "days_overdue": 30,
        "rag": "red",
        "rag_reason": None,
        "latest_note": "Planning application submitted",
        "ref": None,
    }


def test_csv_columns_are_the_documented_contract(plans: Path, run_main) -> None:
    result = run_main("status", "--as-of", "2018-06-30", "--format", "csv", cwd=plans)

    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        "plan,theme,action,action_title,milestone,title,owner,start,due,deadline,revised,proposed_deadline,"
        "proposed_reason,status,on_time,completed,cancelled,due_soon,days_overdue,rag,rag_reason,latest_note,ref"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["milestone"] for r in rows] == ["GR1.1", "GR1.2", "PR1.1", "PR1.2", "PR1.3"]
    assert rows[2]["on_time"] == "true"
    assert rows[3]["title"] == "Fit out, the second | hub"
    assert rows[1]["status"] == "Cancelled"
    assert rows[1]["cancelled"] == "2018-05-01"
    assert rows[0]["status"] == "Not Started"
    assert rows[4]["owner"] == "Head of Asset Management"
    assert rows[4]["due_soon"] == "true"


def test_markdown_groups_by_theme_and_escapes(plans: Path, run_main) -> None:
    result = run_main("status", "--as-of", "2018-06-30", "--format", "markdown", cwd=plans)

    out = result.stdout
    assert out.startswith("# Status as at 2018-06-30 (2018-19 Q1)\n")
    assert "### Property" in out
    assert r"| PR1.2 | Fit out, the second \| hub | Director of Property | 2018-05-31 (proposed 2018-09-30) |" in out
    assert "| Overdue (30 days) | Red |" in out
    assert "| **Total** | 1 | 1 | 1 | 1 | 4 | 25% |" in out


def test_table_shows_revised_deadline_and_summary(plans: Path, run_main) -> None:
    result = run_main("status", "--as-of", "2018-10-01", "--plan", "demo", cwd=plans)

    out = result.stdout
    assert result.returncode == 0
    assert "Status as at 2018-10-01 (2018-19 Q3)" in out
    assert "Overdue (123 days)" in out  # PR1.2: the proposed revision was never agreed
    assert "Cancelled" in out
    assert "Summary" in out
    assert "\x1b[" not in out


@pytest.mark.parametrize(
    ("args", "milestones"),
    [
        (["--theme", "grants"], ["GR1.1", "GR1.2"]),
        (["--theme", "Property"], ["PR1.1", "PR1.2", "PR1.3"]),
        (["--owner", "asset"], ["PR1.3"]),
        (["--owner", "Director of Property"], ["PR1.1", "PR1.2"]),
        (["--status", "overdue"], ["PR1.2"]),
        (["--status", "completed", "--status", "not-started"], ["GR1.1", "PR1.1"]),
        (["--theme", "property", "--status", "in-progress"], ["PR1.3"]),
    ],
)
def test_filters(plans: Path, run_main, args: list[str], milestones: list[str]) -> None:
    result = run_main("status", "--as-of", "q1", "--format", "csv", *args, cwd=plans)

    assert result.returncode == 0, result.stderr
    assert [r["milestone"] for r in csv.DictReader(io.StringIO(result.stdout))] == milestones


@pytest.mark.parametrize(
    ("as_of", "fail_on", "code"),
    [
        ("2018-06-30", "overdue", 1),
        ("2018-05-31", "overdue", 0),
        ("2018-05-31", "due-soon", 1),
        ("2018-04-15", "due-soon", 0),
        ("2018-05-31", None, 0),
    ],
)
def test_fail_on(plans: Path, run_main, as_of: str, fail_on: str | None, code: int) -> None:
    extra = ["--fail-on", fail_on] if fail_on else []

    result = run_main("status", "--as-of", as_of, "--format", "csv", *extra, cwd=plans)

    assert result.returncode == code, result.stdout + result.stderr
    assert result.stdout.startswith("plan,theme,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2018-02-30"], "'2018-02-30' is not a date; write it as YYYY-MM-DD"),
        (["--as-of", "tomorrow"], "'tomorrow' is not a period or date"),
        (["--as-of", "9999-12-31"], "no plan is live on 9999-12-31"),  # the calendar's last day is a date like any
        (["--as-of", "2016-06-30"], "no plan is live on 2016-06-30 (demo 2018-04-01 to 2019-03-31)"),
        (["--plan", "dmeo"], "no plan 'dmeo'; did you mean 'demo'?"),
        (["--as-of", "q1", "--theme", "housing"], "no theme 'housing' in the chosen plans; themes: grants, property"),
        (["--plans", "nowhere"], "nowhere: no such file or folder"),
        (["--status", "late"], "Invalid value for '--status'"),
        (["--fail-on", "late"], "Invalid value for '--fail-on'"),
    ],
)
def test_bad_input_exits_two_with_a_message(plans: Path, run_main, args: list[str], message: str) -> None:
    result = run_main("status", *args, cwd=plans)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_plan_sets_due_soon_days_and_rag_scheme(plans: Path, run_main) -> None:
    plan_file = plans / "plans" / "demo" / "plan.yaml"
    plan_file.write_text(PLAN + "due_soon_days: 7\nrag:\n  overdue: amber\n  completed: green\n")

    result = run_main("status", "--as-of", "2018-06-30", "--format", "csv", "--theme", "property", cwd=plans)

    rows = {r["milestone"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["PR1.1"]["status"], rows["PR1.1"]["rag"]) == ("Completed", "green")
    assert (rows["PR1.2"]["status"], rows["PR1.2"]["rag"]) == ("Overdue", "amber")
    assert (rows["PR1.3"]["due_soon"], rows["PR1.3"]["rag"]) == ("false", "green")  # 20 days away, more than 7


def test_plans_with_errors_are_not_reported_on(plans: Path, run_main) -> None:
    (plans / "plans" / "demo" / "grants.yaml").write_text(GRANTS.replace("due:", "deu:", 1))

    result = run_main("status", "--as-of", "q1", cwd=plans)

    assert result.returncode == 1
    assert "plans/demo/grants.yaml:10:9: error[BV201]: unknown key 'deu'" in result.stderr
    assert result.stdout == ""


def test_piped_output_has_no_colour_even_without_no_color(plans: Path, run_main) -> None:
    result = run_main("status", "--as-of", "q1", cwd=plans, env={"NO_COLOR": ""})

    assert "\x1b[" not in result.stdout
    assert "Overdue (30 days)" in result.stdout


def test_colour_in_a_terminal_unless_no_color(plans: Path) -> None:
    coloured = run_in_terminal(plans, "status", "--as-of", "q1", no_color=False)
    plain = run_in_terminal(plans, "status", "--as-of", "q1", no_color=True)

    assert "\x1b[" in coloured
    assert "\x1b[" not in plain
    # Colour never carries meaning alone: the words are there either way.
    for out in (coloured, plain):
        assert "Overdue" in out
        assert "Red" in out


# --- the shipped plans -------------------------------------------------------------------------------------------------


def shipped_status(run_main, repo_root: Path, *args: str) -> dict[str, Any]:
    result = run_main("status", "--format", "json", *args, cwd=repo_root)
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_shipped_2018_19_at_q1(run_main, repo_root: Path) -> None:
    document = shipped_status(run_main, repo_root, "--plan", "bvip-2018-19", "--as-of", "2018-06-30")

    [plan] = document["plans"]
    milestones = [m for t in plan["themes"] for m in t["milestones"]]
    assert plan["summary"]["total"] == 43
    assert len(milestones) == 43
    assert len({m["action"] for m in milestones}) == 14
    by_id = {m["milestone"]: m for m in milestones}
    # PR1.1 was due 30 April; the revision to 31 March 2019 was agreed on 11 June 2018.
    assert by_id["PR1.1"]["status"] == "In Progress"
    assert (by_id["PR1.1"]["due"], by_id["PR1.1"]["deadline"], by_id["PR1.1"]["revised"]) == (
        "2018-04-30",
        "2019-03-31",
        True,
    )


def test_shipped_2018_19_before_the_revision_was_agreed(run_main, repo_root: Path) -> None:
    document = shipped_status(run_main, repo_root, "--plan", "bvip-2018-19", "--as-of", "2018-06-10")

    by_id = {m["milestone"]: m for t in document["plans"][0]["themes"] for m in t["milestones"]}
    assert by_id["PR1.1"]["status"] == "Overdue"
    assert by_id["PR1.1"]["deadline"] == "2018-04-30"


def test_shipped_2017_18_year_end_over_80_percent(run_main, repo_root: Path) -> None:
    document = shipped_status(run_main, repo_root, "--plan", "bvip-2017-18", "--as-of", "2018-03-31")

    assert document["summary"]["percent_delivered"] > 80


def test_shipped_bare_quarter_takes_the_chosen_plans_year(run_main, repo_root: Path) -> None:
    chosen = shipped_status(run_main, repo_root, "--plan", "bvip-2017-18", "--as-of", "q1")
    latest = shipped_status(run_main, repo_root, "--as-of", "q1")

    assert (chosen["as_of"], chosen["period"]) == ("2017-06-30", "2017-18 Q1")
    assert (latest["as_of"], latest["period"]) == ("2025-06-30", "2025-26 Q1")  # example-2025-26 is the latest


def test_shipped_past_status_is_reproducible(run_main, repo_root: Path) -> None:
    first = run_main("status", "--as-of", "2018-19 q1", "--format", "csv", cwd=repo_root)
    second = run_main("status", "--as-of", "2018-06-30", "--format", "csv", cwd=repo_root)

    assert first.returncode == 0
    assert first.stdout == second.stdout
