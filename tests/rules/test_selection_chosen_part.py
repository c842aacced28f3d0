"""`chosen_part`: what `--theme` and `--owner` choose, with every count and roll-up taken again from it."""

from __future__ import annotations

import datetime as dt

from bvplan.format.loader import load_sources
from bvplan.rules.selection import chosen_part
from bvplan.rules.status import PlanStatus, Status, status_of

PLAN = b"id: demo\ntitle: Demo\nauthority: A\nboard: B\nstart: 2018-04-01\nend: 2019-03-31\ncadence: quarterly\n"
ALPHA = b"""\
theme: Alpha
lead: Head of Alpha
actions:
  - id: A1
    title: Shared action
    owner: Xavier
    milestones:
      - {id: A1.1, title: Yolanda's part, owner: Yolanda, due: 2018-05-31}
      - {id: A1.2, title: Xavier's part, due: 2018-05-31, completed: 2018-05-20}
  - id: A2
    title: The lead's action
    milestones:
      - {id: A2.1, title: Lead's part, due: 2018-09-30}
"""
BETA = b"""\
theme: Beta
actions:
  - id: B1
    title: Nobody's action
    milestones:
      - {id: B1.1, title: Unowned, due: 2018-09-30}
"""
DAY = dt.date(2018, 6, 30)


def _status() -> PlanStatus:
    loaded = load_sources({"plans/demo": {"plan.yaml": PLAN, "alpha.yaml": ALPHA, "beta.yaml": BETA}})
    [plan] = loaded.workspace.plans
    return status_of(plan, DAY)


def test_an_owner_gets_their_milestones_and_their_actions_rolled_up_from_them() -> None:
    whole = _status()
    xavier = chosen_part(whole, owner="xavier")
    yolanda = chosen_part(whole, owner="Yolanda")

    assert whole.actions()[0].status is Status.OVERDUE  # A1 as the plan sees it
    assert [(a.action.id, a.status, a.counts.total) for a in xavier.actions()] == [("A1", Status.COMPLETED, 1)]
    assert [(a.action.id, a.status, a.counts.total) for a in yolanda.actions()] == [("A1", Status.OVERDUE, 1)]
    assert xavier.counts.total == 1 and xavier.action_counts[Status.COMPLETED] == 1
    assert [t.slug for t in yolanda.themes] == ["alpha"]


def test_the_lead_owns_what_no_one_else_does_and_an_unowned_milestone_matches_no_owner() -> None:
    lead = chosen_part(_status(), owner="Head of Alpha")

    assert [m.id for m in lead.milestones()] == ["A2.1"]
    assert chosen_part(_status(), owner="Unowned").milestones() == []


def test_a_theme_keeps_all_its_items_and_nothing_chosen_is_the_whole_status() -> None:
    whole = _status()

    assert [m.id for m in chosen_part(whole, theme="beta").milestones()] == ["B1.1"]
    assert [m.id for m in chosen_part(whole, theme="Alpha", owner="xavier").milestones()] == ["A1.2"]
    assert chosen_part(whole) is whole
