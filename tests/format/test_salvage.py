"""A theme file with errors in its shape still takes part in the checks across files: its sound
actions and milestones are kept, at their places in the file, so one run reports every problem."""

from __future__ import annotations

from pathlib import Path

from bvplan.format.salvage import salvage
from bvplan.format.yamlsource import parse
from tests.conftest import RunMain

PLAN = """\
id: p1
title: Test plan
authority: A borough council
board: Best Value Improvement Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
"""
BROKEN = """\
theme: A
actions:
  - id: A1
    title: first
    milestones:
      - id: A1.1
        title: good
        due: 2018-05-01
        revisions:
          - to: 2018-06-01
            reason: the venue moved
            proposed: 2018-05-02
            agreed: 2018-05-01
      - id: A1.2
        title: bad date
        due: 2018-02-30
  - id: A2
    title: 12
    milestones:
      - id: X1
        title: in a broken action
        due: 2018-05-01
updates:
  2018 Q1:
    achievements: [one]
"""
SOUND = """\
theme: B
actions:
  - id: B1
    title: second
    carried_from: nowhere/Z1
    milestones:
      - id: A1.1
        title: clash with a milestone of the broken file
        due: 2018-05-01
      - id: X1
        title: no clash: X1 stands in an action too broken to keep
        due: 2018-05-01
"""


def test_every_problem_is_reported_even_in_a_file_whose_shape_is_broken(tmp_path: Path, run_main: RunMain) -> None:
    folder = tmp_path / "plans" / "p1"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN)
    (folder / "a.yaml").write_text(BROKEN)
    (folder / "b.yaml").write_text(SOUND.replace("no clash: X1", '"no clash: X1').replace("to keep\n", 'to keep"\n'))
    result = run_main("validate", "--format", "text", cwd=tmp_path)
    found = [line.split(": ", 2)[:2] for line in result.stdout.splitlines() if "error[" in line]
    assert found == [
        ["plans/p1/a.yaml:13:21", "error[BV302]"],  # in a sound milestone of the broken file
        ["plans/p1/a.yaml:16:14", "error[BV203]"],
        ["plans/p1/a.yaml:18:12", "error[BV202]"],
        ["plans/p1/a.yaml:24:3", "error[BV309]"],  # a sound update's key
        ["plans/p1/b.yaml:5:19", "error[BV306]"],
        ["plans/p1/b.yaml:7:13", "error[BV301]"],  # clashes with a.yaml's A1.1, kept at its place
    ]
    assert "plans/p1/a.yaml:6:13" in result.stdout
    assert result.returncode == 1


def test_an_edit_to_a_file_with_errors_is_refused_and_writes_nothing(tmp_path: Path, run_main: RunMain) -> None:
    folder = tmp_path / "plans" / "p1"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN)
    (folder / "a.yaml").write_text(BROKEN)
    result = run_main("complete", "A1.1", "--on", "2018-05-01", "--plans", tmp_path / "plans")
    assert result.returncode == 1
    assert "a.yaml has errors; fix them first" in result.stderr
    assert "error[BV203]" in result.stderr and "Traceback" not in result.stderr
    assert (folder / "a.yaml").read_text() == BROKEN


def test_salvage_keeps_the_sound_actions_and_milestones_and_where_they_were() -> None:
    data = parse(BROKEN, "a.yaml").data
    kept = salvage(data)
    assert kept is not None
    theme, origin = kept
    assert theme.theme == "A"
    # A1 is kept without its impossible date's milestone A1.2; A2 (a number for a title) is dropped.
    assert [(a.id, [m.id for m in a.milestones]) for a in theme.actions] == [("A1", ["A1.1"])]
    assert origin == ((0, (0,)),)
    assert set(theme.updates) == {"2018 Q1"}


def test_salvage_finds_nothing_to_keep_in_what_is_not_a_theme() -> None:
    assert salvage(["a", "list"]) is None
    assert salvage({"theme": "A", "actions": "none"}) is None
