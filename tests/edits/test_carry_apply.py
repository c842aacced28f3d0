"""Carry-forward: the 2017-18 plan into a fresh 2018-19, idempotence, id clashes, surgical appends."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bvplan.edits.carry_apply import carry_forward, journal_path, recover, write_all
from bvplan.format.model import PlanFile
from bvplan.format.workspace import Plan
from bvplan.rules import carry
from bvplan.rules.validation import validate
from tests.conftest import RunMain
from tests.edits.test_edit_commands import tree
from tests.edits.test_yaml_edit import splice_parts

FROM, TO = "bvip-2017-18", "bvip-2018-19"


def carried_refs(plan: Plan) -> tuple[set[str], set[str]]:
    actions = {a.carried_from for _t, _i, a in plan.actions() if a.carried_from is not None}
    milestones = {m.carried_from for _t, _a, m, _p in plan.milestones() if m.carried_from is not None}
    return actions, milestones


@pytest.fixture
def fresh(plans_copy: Path) -> Path:
    """The shipped plans without the 2018-19 plan, which carry-forward is to create."""
    shutil.rmtree(plans_copy / TO)
    return plans_copy


def test_carry_into_a_fresh_plan_matches_the_papers(fresh: Path, repo_root: Path, run_main: RunMain) -> None:
    before = tree(fresh)
    done = run_main("carry-forward", "--from", FROM, "--to", TO, "--apply", "--plans", fresh)
    assert done.returncode == 0, done.stderr
    assert "14 actions, 18 milestones" in done.stdout
    assert "needs a revised date" in done.stdout
    assert "+++ b/" in done.stdout and f"{TO}/plan.yaml" in done.stdout
    after = tree(fresh)
    assert {k: v for k, v in after.items() if k in before} == before  # the source plans are untouched
    loaded = validate([fresh])
    assert loaded.report.errors == 0, loaded.report.sorted()
    new = loaded.workspace.plan(TO)
    assert new is not None
    assert (new.model.title, new.model.start, new.model.end) == (
        "Best Value Improvement Plan 2018-19", dt.date(2018, 4, 1), dt.date(2019, 3, 31)
    )  # fmt: skip
    assert (new.model.carried_from, new.model.board, new.model.cadence) == (
        FROM,
        "Best Value Improvement Board",
        "quarterly",
    )
    actions, milestones = carried_refs(new)
    # The 14 actions and their unfinished milestones, as the shipped 2018-19 plan (built from the
    # papers) records them: "14 actions carried forward" (000, 3.4).
    shipped = validate([repo_root / "plans"]).workspace.plan(TO)
    assert shipped is not None
    shipped_actions, shipped_milestones = carried_refs(shipped)
    assert len(actions) == 14
    assert actions == shipped_actions
    assert milestones == shipped_milestones
    # Theme files keep the source's names; completed milestones stay behind.
    assert sorted(t.slug for t in new.themes) == sorted(t.slug for t in validate([fresh]).workspace.plan(FROM).themes)  # type: ignore[union-attr]
    assert all(m.completed is None and m.cancelled is None for _t, _a, m, _p in new.milestones())


def test_carried_items_keep_their_dates_revisions_and_notes(fresh: Path, run_main: RunMain) -> None:
    assert run_main("carry-forward", "--from", FROM, "--to", TO, "--apply", "--plans", fresh).returncode == 0
    workspace = validate([fresh]).workspace
    source, target = workspace.plan(FROM), workspace.plan(TO)
    assert source is not None and target is not None
    originals = {f"{FROM}/{m.id}": m for _t, _a, m, _p in source.milestones()}
    for _theme, _action, milestone, _path in target.milestones():
        assert milestone.carried_from is not None
        original = originals[milestone.carried_from]
        ignore = {"carried_from"}
        assert milestone.model_dump(exclude=ignore) == original.model_dump(exclude=ignore)


def test_running_twice_adds_nothing(fresh: Path, run_main: RunMain) -> None:
    assert run_main("carry-forward", "--from", FROM, "--to", TO, "--apply", "--plans", fresh).returncode == 0
    once = tree(fresh)
    again = run_main("carry-forward", "--from", FROM, "--to", TO, "--apply", "--plans", fresh)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Nothing to carry forward from {FROM} into {TO} (already carried: EL3, ")
    assert tree(fresh) == once


def test_the_default_is_a_dry_run(fresh: Path, run_main: RunMain) -> None:
    before = tree(fresh)
    done = run_main("carry-forward", "--from", FROM, "--to", TO, "--plans", fresh)
    assert done.returncode == 0, done.stderr
    assert "dry run, nothing written" in done.stderr
    assert "+  - id: EL3" in done.stdout
    assert tree(fresh) == before


def test_carry_into_the_shipped_plan_adds_nothing(plans_copy: Path, run_main: RunMain) -> None:
    """The shipped 2018-19 already carries every open item (with its own new ids)."""
    before = tree(plans_copy)
    done = run_main("carry-forward", "--from", FROM, "--to", TO, "--apply", "--plans", plans_copy)
    assert done.returncode == 0, done.stderr
    assert tree(plans_copy) == before


def test_earlier_as_of_carries_more(fresh: Path) -> None:
    source = validate([fresh]).workspace.plan(FROM)
    assert source is not None
    at_end = carry.propose(source, TO, None, source.model.end, dt.date(2018, 4, 1))
    earlier = carry.propose(source, TO, None, dt.date(2017, 12, 31), dt.date(2018, 4, 1))
    assert earlier.milestone_count > at_end.milestone_count
    assert {a.action.id for a in at_end.actions} <= {a.action.id for a in earlier.actions}


def test_existing_target_gets_surgical_appends_and_new_ids(fresh: Path, run_main: RunMain) -> None:
    # A hand-made target plan with one theme file whose ids clash with the source's.
    (fresh / TO).mkdir()
    plan_yaml = (
        "# my comment\r\nid: bvip-2018-19\r\ntitle: Mine\r\nauthority: A\r\nboard: B\r\n"
        "start: 2018-04-01\r\nend: 2019-03-31\r\ncadence: quarterly\r\nthemes: [elections]\r\n"
    )
    elections = (
        "theme: Elections   # keep\r\nactions:\r\n  - id: EL3\r\n    title: 'A different action'\r\n"
        "    milestones:\r\n      - id: EL3.4\r\n        title: Mine\r\n        due: 2018-05-01\r\n# the end\r\n"
    )
    (fresh / TO / "plan.yaml").write_bytes(plan_yaml.encode())
    (fresh / TO / "elections.yaml").write_bytes(elections.encode())
    done = run_main("carry-forward", "--from", FROM, "--to", TO, "--apply", "--plans", fresh)
    assert done.returncode == 0, done.stderr
    assert "EL3 -> EL3-2" in done.stdout and "EL3.4 -> EL3.4-2" in done.stdout
    assert "+  - id: EL3-2\n" in done.stdout and "+      - id: EL3.4-2\n" in done.stdout
    new_elections = (fresh / TO / "elections.yaml").read_bytes()
    removed, inserted = splice_parts(elections.encode(), new_elections)
    assert removed == b"" and new_elections.startswith(elections.encode()[: -len(b"# the end\r\n")])
    assert b"\n" not in inserted.replace(b"\r\n", b"")
    new_plan = (fresh / TO / "plan.yaml").read_bytes()
    assert new_plan.startswith(plan_yaml.encode()[: -len(b"elections]\r\n")])
    assert b"themes: [elections, communications, property, grants, organisational-culture]\r\n" in new_plan
    loaded = validate([fresh])
    assert loaded.report.errors == 0, loaded.report.sorted()
    target = loaded.workspace.plan(TO)
    assert target is not None
    ids = [a.id for _t, _i, a in target.actions()] + [m.id for _t, _a, m, _p in target.milestones()]
    assert len(ids) == len(set(ids))
    assert run_main("carry-forward", "--from", FROM, "--to", TO, "--apply", "--plans", fresh).returncode == 0
    assert (fresh / TO / "elections.yaml").read_bytes() == new_elections


def test_usage_errors(fresh: Path, run_main: RunMain) -> None:
    before = tree(fresh)
    for args, message in [
        (("--from", "bvip-2017-81", "--to", TO), "did you mean 'bvip-2017-18'"),
        (("--from", FROM, "--to", "Bad Id"), "not a plan id"),
        (("--from", FROM, "--to", FROM), "same plan"),
        (("--from", FROM, "--to", TO, "--as-of", "31/03/2018"), "not a date"),
    ]:
        done = run_main("carry-forward", *args, "--apply", "--plans", fresh)
        assert done.returncode == 2, (args, done.stderr)
        assert message in done.stderr
    assert tree(fresh) == before


@pytest.mark.parametrize(
    ("title", "end", "expected_title", "expected_end"),
    [
        ("Best Value Improvement Plan 2017-18", dt.date(2018, 3, 31), "Best Value Improvement Plan 2018-19", dt.date(2019, 3, 31)),
        ("Best Value Action Plan", dt.date(2017, 3, 31), "Best Value Action Plan 2017-18", dt.date(2018, 3, 31)),
        ("Plan", dt.date(2020, 2, 28), "Plan 2019-20", dt.date(2021, 2, 28)),
    ],
)  # fmt: skip
def test_new_plan_data(title: str, end: dt.date, expected_title: str, expected_end: dt.date) -> None:
    source = PlanFile(
        id="p", title=title, authority="A", board="B", start=dt.date(2016, 4, 1), end=end, cadence="quarterly"
    )
    data = carry.new_plan_data(source, "q", ["t"])
    assert data["title"] == expected_title
    assert data["start"] == end + dt.timedelta(days=1)
    assert data["end"] == expected_end
    assert data["carried_from"] == "p"


def test_the_carry_is_worked_out_first_and_written_only_when_asked(fresh: Path) -> None:
    before = tree(fresh)
    planned = carry_forward(fresh, FROM, TO, None)
    assert (len(planned.proposal.actions), planned.proposal.milestone_count) == (14, 18)
    assert planned.outcome.summary.startswith(f"14 actions and 18 milestones carried from {FROM} into {TO}")
    assert tree(fresh) == before  # nothing is written while the carry is worked out
    assert recover(fresh) is None  # no interrupted carry to roll back
    write_all(fresh, planned.outcome.changes)
    assert (fresh / TO / "plan.yaml").is_file()
    assert not journal_path(fresh).exists()
    assert not carry_forward(fresh, FROM, TO, None).proposal.actions  # carried once, nothing more
