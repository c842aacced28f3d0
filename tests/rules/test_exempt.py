"""`--public`: every number in public output is counted from the public items only, in every command and
format, and agrees with the public items the same output lists."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import RunCli

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
