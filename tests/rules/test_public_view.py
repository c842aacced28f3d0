"""The public view (rules/public_view.py): every exempt item out, counted, before anything sees the plans.

`--public`: every number in public output is counted from the public items only, in every command and
format, and agrees with the public items the same output lists."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bvplan.format.loader import load, load_sources
from bvplan.format.workspace import Workspace
from bvplan.papers.status_views import filter_rows, rows_of
from bvplan.rules.public_view import Withheld, public_plan, public_view, withheld_in_paper
from bvplan.rules.status import Status, status_of
from tests.conftest import SHIPPED_PLANS, RunCli

DEMO_PLAN = b"""\
id: demo
title: Demo plan
authority: A council
board: The Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
themes: [alpha, secret]
updates:
  "2018-19 Q1": {summary: Public overview}
  "2018-19 Q2": {summary: Exempt overview, exempt: true}
sections:
  finance: {text: Public finance text}
  legal: {text: Exempt legal advice, exempt: true}
meetings:
  - period: 2018-19 Q1
    date: 2018-07-19
    sections:
      risk: {text: Exempt risk, exempt: true}
  - period: 2018-19 Q2
    date: 2018-10-18
    sections:
      risk: {text: Another exempt risk, exempt: true}
"""

ALPHA = b"""\
theme: Alpha
lead: Head of Alpha
updates:
  "2018-19 Q1": {summary: Exempt progress, exempt: true}
measures:
  - {id: AM1, title: Public measure, unit: number, better: higher}
  - {id: AM2, title: Exempt measure, unit: number, better: higher, exempt: true}
actions:
  - id: A1
    title: Public action
    milestones:
      - id: A1.1
        title: Public milestone
        due: 2018-06-30
        notes:
          - {on: 2018-05-01, text: The public note}
          - {on: 2018-06-01, text: The exempt note, exempt: true}
      - {id: A1.2, title: Exempt milestone, due: 2018-05-31, exempt: true, notes: [{on: 2018-05-01, text: N}]}
      - {id: A1.3, title: Another public milestone, due: 2018-05-31, completed: 2018-05-20}
  - id: A2
    title: Exempt action
    exempt: true
    measures:
      - {id: A2M1, title: Its measure, unit: number, better: higher}
    milestones:
      - {id: A2.1, title: Under an exempt action, due: 2018-05-31}
"""

SECRET = b"""\
theme: Secret
exempt: true
updates:
  "2018-19 Q1": {summary: Secret progress}
  "2018-19 Q2": {summary: Later secret progress}
actions:
  - id: S1
    title: Secret action
    milestones:
      - {id: S1.1, title: Secret milestone, due: 2018-05-31, notes: [{on: 2018-05-01, text: Secret note}]}
"""

DAY = dt.date(2018, 6, 30)


def demo() -> Workspace:
    loaded = load_sources({"plans/demo": {"plan.yaml": DEMO_PLAN, "alpha.yaml": ALPHA, "secret.yaml": SECRET}})
    assert not loaded.report.errors, loaded.report.diagnostics
    return loaded.workspace


def _exempt_anywhere(value: object) -> bool:
    if isinstance(value, dict):
        return value.get("exempt") is True or any(_exempt_anywhere(v) for v in value.values())
    if isinstance(value, list):
        return any(_exempt_anywhere(v) for v in value)
    return False


def _dumps(workspace: Workspace) -> str:
    return json.dumps(
        [
            [p.model.model_dump(mode="json"), [t.model.model_dump(mode="json") for t in p.themes]]
            for p in workspace.plans
        ]
    )


def test_nothing_exempt_is_left_anywhere_in_the_public_view() -> None:
    view = public_view(demo())
    [plan] = view.workspace.plans

    assert not _exempt_anywhere(plan.model.model_dump())
    assert not any(_exempt_anywhere(t.model.model_dump()) for t in plan.themes)
    assert [t.slug for t in plan.themes] == ["alpha"]
    assert plan.milestone_ids == {"A1.1", "A1.3"}
    assert [a.id for _t, _i, a in plan.actions()] == ["A1"]
    [alpha] = plan.themes
    assert [m.id for m in alpha.model.measures] == ["AM1"]
    assert alpha.model.updates == {}
    assert list(plan.model.updates) == ["2018-19 Q1"]
    assert list(plan.model.sections) == ["finance"]
    assert [m.sections for m in plan.model.meetings] == [{}, {}]  # the meetings stay, their exempt sections go


def test_every_item_withheld_is_counted_with_what_it_held() -> None:
    view = public_view(demo())
    withheld = Withheld.of(view.withheld)

    # Themes: secret. Actions: A2, S1. Milestones: A1.2, A2.1, S1.1. Notes: A1.1's exempt one, A1.2's,
    # S1.1's. Measures: AM2, A2M1. Summaries: alpha Q1, secret Q1 and Q2, the plan's Q2. Sections:
    # legal and the two meetings' risk.
    assert withheld.parts == (
        "1 theme",
        "2 actions",
        "3 milestones",
        "3 notes",
        "2 measures",
        "4 progress summaries",
        "3 sections",
    )
    assert withheld.total == 18
    assert view.withheld_ids >= {("demo", "A2"), ("demo", "A2.1"), ("demo", "S1"), ("demo", "S1.1"), ("demo", "A1.2")}
    assert ("demo", "A1.1") not in view.withheld_ids


def test_a_paper_counts_only_its_own_period_and_meeting() -> None:
    view = public_view(demo())

    q1 = withheld_in_paper(view.withheld, ("2018-19 Q1",), 0)

    # Summaries: alpha's and secret's Q1 (not Q2, not the plan's Q2). Sections: legal and the Q1 meeting's.
    assert (q1.updates, q1.sections) == (2, 2)
    assert (q1.themes, q1.actions, q1.milestones, q1.notes, q1.measures) == (1, 2, 3, 3, 2)


def test_the_loaded_plans_are_left_as_they_were() -> None:
    workspace = demo()
    before = _dumps(workspace)

    public_view(workspace)

    assert _dumps(workspace) == before


def test_a_plan_with_nothing_exempt_is_its_own_public_view() -> None:
    loaded = load_sources(
        {
            "plans/demo": {
                "plan.yaml": DEMO_PLAN.split(b"updates:")[0],
                "beta.yaml": SECRET.replace(b"exempt: true\n", b""),
            }
        }
    )
    [plan] = loaded.workspace.plans

    assert public_plan(plan) is plan


def test_counts_and_the_latest_note_are_taken_after_removal() -> None:
    [plan] = public_view(demo()).workspace.plans

    status = status_of(plan, DAY)

    assert (status.counts.total, status.counts.completed, status.counts.overdue) == (2, 1, 0)
    assert status.action_counts[Status.IN_PROGRESS] == 1 and sum(status.action_counts.values()) == 1
    [a11] = [m for m in status.milestones() if m.id == "A1.1"]
    assert a11.note is not None and a11.note.text == "The public note"


def test_kept_items_keep_their_place_in_the_file() -> None:
    [full] = demo().plans
    [public] = public_view(demo()).workspace.plans
    where = {m.id: path for _t, _a, m, path in full.milestones()}

    assert {m.id: path for _t, _a, m, path in public.milestones()} == {"A1.1": where["A1.1"], "A1.3": where["A1.3"]}


def test_items_named_are_withheld_as_if_exempt() -> None:
    [plan] = public_view(demo(), also_withhold={("demo", "A1.3"), ("other", "A1.1")}).workspace.plans

    assert sorted(plan.milestone_ids) == ["A1.1"]


# --- the bug: a public status of one owner listed nothing -------------------------------------------------------


def test_a_public_status_keeps_an_owner_whose_milestones_are_public() -> None:
    workspace = load([SHIPPED_PLANS]).workspace
    public = public_view(workspace).workspace
    day = dt.date(2018, 6, 30)

    def ids(space: Workspace) -> list[str]:
        plan = space.plan("bvip-2018-19")
        assert plan is not None
        return [r.milestone.id for r in filter_rows(rows_of([status_of(plan, day)]), None, "Third Sector", [])]

    assert ids(public) == ids(workspace)
    assert ids(public)[:2] == ["GR1.1", "GR1.2"]


def test_status_public_for_an_owner_lists_their_rows(run_cli: RunCli, repo_root: Path) -> None:
    args = ("status", "--plan", "bvip-2018-19", "--as-of", "2018-06-30", "--owner", "Third Sector")

    public = run_cli(*args, "--public", "--format", "csv", cwd=repo_root)
    full = run_cli(*args, "--format", "csv", cwd=repo_root)

    assert public.returncode == 0, public.stderr
    assert "No milestones match" not in public.stdout
    assert public.stdout == full.stdout  # nothing of that owner is exempt
    assert public.stdout.count("\nbvip-2018-19,Grants,") == 10


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_status_public_leaves_out_the_exempt_note_and_keeps_the_milestone(
    run_cli: RunCli, repo_root: Path, fmt: str
) -> None:
    args = ("status", "--plan", "bvip-2018-19", "--as-of", "2018-06-30", "--format", fmt)

    public = run_cli(*args, "--public", cwd=repo_root)
    full = run_cli(*args, cwd=repo_root)

    assert "Heads of terms remain outstanding" in full.stdout
    assert "Heads of terms remain outstanding" not in public.stdout
    assert "PR1.6" in public.stdout


# --- every count in public output agrees with the public items it lists ----------------------------------------

PLAN = """\
id: {id}
title: Plan {id}
authority: A council
board: The Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
"""

THEME = """\
theme: Grants
actions:
  - id: GR1
    title: Improve grants
    milestones:
      - {id: GR1.1, title: Report to CMT, due: 2018-06-30}
"""

# One public and two exempt milestones in a new action; an exempt action; an exempt theme.
ADDED = """\
  - id: GR2
    title: Publish grant decisions
    milestones:
      - {id: GR2.1, title: Publish the first list, due: 2018-07-31}
      - {id: GR2.2, title: Brief the Commissioners, due: 2018-08-31, exempt: true}
      - {id: GR2.3, title: Settle the appeal, due: 2018-09-30, exempt: true}
  - id: GR3
    title: A confidential review
    exempt: true
    milestones:
      - {id: GR3.1, title: Interview the officers, due: 2018-07-31}
"""

NEW_PLAN_THEME = """\
theme: Workforce
actions:
  - id: WF1
    title: Recruit a permanent Director
    milestones:
      - {id: WF1.1, title: Advertise, due: 2018-06-30}
      - {id: WF1.2, title: Settle with the interim, due: 2018-07-31, exempt: true}
  - id: WF2
    title: Discipline case
    exempt: true
    milestones:
      - {id: WF2.1, title: Hearing, due: 2018-06-30}
      - {id: WF2.2, title: Appeal, due: 2018-07-31}
"""

SECRET_THEME = """\
theme: Legal
exempt: true
actions:
  - id: LG1
    title: Litigation
    milestones:
      - {id: LG1.1, title: Hearing, due: 2018-06-30}
"""

COUNT = re.compile(r"(\d+) (action|milestone)s?\b")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "council"
    (repo / "plans/hp").mkdir(parents=True)
    (repo / "plans/hp/plan.yaml").write_text(PLAN.format(id="hp"), encoding="utf-8")
    (repo / "plans/hp/grants.yaml").write_text(THEME, encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.name", "Policy Officer")
    _git(repo, "config", "user.email", "policy@example.org")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "Plans as agreed")
    with (repo / "plans/hp/grants.yaml").open("a", encoding="utf-8") as out:
        out.write(ADDED)
    (repo / "plans/hp/legal.yaml").write_text(SECRET_THEME, encoding="utf-8")
    (repo / "plans/np").mkdir()
    (repo / "plans/np/plan.yaml").write_text(PLAN.format(id="np"), encoding="utf-8")
    (repo / "plans/np/workforce.yaml").write_text(NEW_PLAN_THEME, encoding="utf-8")
    return repo


def _public_items(repo: Path) -> dict[tuple[str, str], list[str]]:
    """(plan, action id) -> the ids of its public milestones, read from the files by this test itself."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted((repo / "plans").glob("*/*.yaml")):
        if path.name == "plan.yaml":
            continue
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        if data.get("exempt"):
            continue
        for action in data["actions"]:
            if not action.get("exempt"):
                found[(path.parent.name, action["id"])] = [m["id"] for m in action["milestones"] if not m.get("exempt")]
    return found


def _counts(detail: str) -> dict[str, int]:
    return {word: int(number) for number, word in COUNT.findall(detail)}


def test_every_count_in_public_changes_agrees_with_the_public_items(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("changes", "--since", "HEAD", "--public", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    public = _public_items(repo)
    listed = {(c["plan"], c["item_id"]) for c in changes}
    assert not {("hp", "GR3"), ("hp", "LG1"), ("np", "WF2")} & listed  # nothing exempt is named
    checked = 0
    for change in changes:
        counts = _counts(change["detail"])
        if change["kind"] in ("action-added", "action-carried-forward"):
            assert counts["milestone"] == len(public[(change["plan"], change["item_id"])]), change
            checked += 1
        if change["kind"] == "plan-added":
            actions = [key for key in public if key[0] == change["item_id"]]
            assert counts["action"] == len(actions), change
            assert counts["milestone"] == sum(len(public[key]) for key in actions), change
            checked += 1
    assert checked == 2  # GR2's "1 milestone" and np's "1 action, 1 milestone"
    for fmt in ("markdown", "table"):
        shown = run_cli("changes", "--since", "HEAD", "--public", "--format", fmt, cwd=repo)
        assert shown.returncode == 0, shown.stderr
        assert "3 milestones" not in shown.stdout and "2 actions" not in shown.stdout, shown.stdout
        assert "1 milestone" in shown.stdout
        for secret in ("GR2.2", "GR3", "LG1", "WF2", "Brief the Commissioners", "Discipline"):
            assert secret not in shown.stdout


def test_the_public_paper_counts_the_same_milestones_as_its_changes_table(repo: Path, run_cli: RunCli) -> None:
    paper = run_cli("report", "q1", "--plan", "hp", "--public", "--since", "HEAD", cwd=repo)
    assert paper.returncode == 0, paper.stderr
    section = paper.stdout.split("Changes since the last meeting", 1)[1].split("\n## ", 1)[0]
    gr2 = next(line for line in section.splitlines() if "GR2" in line)
    assert _counts(gr2) == {"milestone": 1}, gr2
    assert "GR2.2" not in paper.stdout and "GR3" not in paper.stdout and "Litigation" not in paper.stdout


def test_the_full_output_still_counts_everything(repo: Path, run_cli: RunCli) -> None:
    """The same changes without --public: the exempt items are there, and counted (the test can fail)."""
    result = run_cli("changes", "--since", "HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    details = {c["item_id"]: c["detail"] for c in json.loads(result.stdout)["changes"]}
    assert _counts(details["GR2"]) == {"milestone": 3}
    assert _counts(details["np"]) == {"action": 2, "milestone": 4}
