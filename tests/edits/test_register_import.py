"""`bvplan import register`: a council's register of recommendations into a plan, every row or none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bvplan.rules.register_import import build_register, register_columns
from tests.conftest import REPO, SHIPPED_PLANS, RunCli

SAMPLE = REPO / "docs" / "register-example.csv"
ARGS = ["--plan", "example-2025-26", "--source", "Planning peer review (invented)", "--kind", "peer-challenge"]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(SHIPPED_PLANS / "example-2025-26", tmp_path / "plans" / "example-2025-26")
    return tmp_path


def test_the_councils_layout_is_recognised_without_a_map() -> None:
    header = ["Recommendation No", "Action", "Lead officer", "Date", "Monitoring", "RAG Status", "Key Deliverables"]
    columns = register_columns(header, {})
    assert columns == {
        "number": 0,
        "action": 1,
        "owner": 2,
        "due": 3,
        "monitoring": 4,
        "owner_rag": 5,
        "deliverables": 6,
    }


def test_every_row_comes_in_with_ongoing_kept_as_a_standing_commitment(run_cli: RunCli, workspace: Path) -> None:
    result = run_cli("import", "register", SAMPLE, *ARGS, "--source-date", "2025-11-10", cwd=workspace)

    assert result.returncode == 0, result.stderr
    assert "wrote 3 recommendations and 4 actions (1 standing)" in result.stderr
    folder = workspace / "plans" / "example-2025-26"
    plan = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
    theme = yaml.safe_load((folder / "planning-peer-review-invented.yaml").read_text(encoding="utf-8"))
    added = {r["id"]: r for r in plan["recommendations"] if r["id"].startswith("PC")}

    assert list(added) == ["PC1", "PC3", "PC4"]
    needed = ["Review report", "Action plan agreed by Cabinet", "Published improvement plan"]
    assert added["PC1"]["evidence_needed"] == needed
    assert added["PC1"]["monitoring"] == "Overview and Scrutiny Committee"
    assert str(added["PC1"]["due"]) == "2026-06-30"  # the latest of its rows ("Jun-26": the month's end)
    assert "due" not in added["PC3"]  # a standing commitment has no deadline
    actions = {a["id"]: a for a in theme["actions"]}
    assert [a["owner_rag"] for a in actions.values()] == ["green", "amber", "green", "red"]
    assert actions["PC3.1"]["ongoing"] is True and actions["PC3.1"]["milestones"] == []
    assert actions["PC1.2"]["owner"] == "Head of Planning"
    assert plan["themes"][-1] == "planning-peer-review-invented"

    assert run_cli("validate", "plans", cwd=workspace).returncode == 0
    trace = run_cli("trace", "PC3", "--plan", "example-2025-26", "--as-of", "2026-01-19", cwd=workspace)
    assert "Recommendation PC3" in trace.stdout and "[Ongoing]" in trace.stdout
    assert "owner's RAG: green" in trace.stdout


def test_a_row_that_cannot_come_in_is_named_and_nothing_is_written(
    run_cli: RunCli, workspace: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Recommendation No,Action,Responsibility,Date,RAG Status\n"
        ",Orphan action,Someone,31/03/2026,Green\n"
        "2,Do it,Someone,next year,Purple\n"
        "3,Fine,Someone,Ongoing,\n",
        encoding="utf-8",
    )
    folder = workspace / "plans" / "example-2025-26"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    result = run_cli("import", "register", bad, *ARGS, cwd=workspace)

    assert result.returncode == 2
    assert "row 2, column A (Recommendation No): no recommendation number, and none above it" in result.stderr
    assert "row 3, column D (Date): 'next year' is not a date, nor 'Ongoing'" in result.stderr
    assert "row 3, column E (RAG Status): 'Purple' is not a RAG status" in result.stderr
    assert "2 rows of bad.csv could not be brought in (listed above); nothing written" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_blank_number_continues_the_recommendation_above() -> None:
    header = ["Rec No", "Action", "Owner", "Date"]
    rows = [(2, ["7", "First", "A", "2026-01-31"]), (3, [None, "Second", "B", "Feb-26"])]
    source = {"kind": "auditor", "title": "s24"}
    register = build_register(header, rows, register_columns(header, {}), "S24-", source, set())

    assert [r["id"] for r in register.recommendations] == ["S24-7"]
    assert [a["answers"] for a in register.actions] == [["S24-7"], ["S24-7"]]
    assert str(register.recommendations[0]["due"]) == "2026-02-28"


def test_the_ids_a_register_must_not_take_are_every_id_the_plan_uses() -> None:
    from bvplan.edits.register_import import taken_ids
    from bvplan.format.loader import load

    taken = taken_ids(SHIPPED_PLANS, "example-2025-26")
    plan = load([SHIPPED_PLANS / "example-2025-26"]).workspace.plan("example-2025-26")
    assert plan is not None
    assert plan.action_ids | plan.milestone_ids <= taken
    assert {d.id for d in plan.model.directions} <= taken
    assert {r.id for r in plan.model.recommendations} <= taken
    assert taken_ids(SHIPPED_PLANS, "no-such-plan") == set()
