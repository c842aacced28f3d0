"""One home for "the status of an item on a date": rules/status.py's `status_of`, used by every command and paper."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bvplan.format.loader import load
from bvplan.format.periods import parse_reporting
from bvplan.format.workspace import Plan
from bvplan.papers.ics import calendar, escape_text
from bvplan.papers.report import build_paper
from bvplan.rules.owners import due, owned
from bvplan.rules.status import MilestoneStatus, plan_status, status_of
from tests.conftest import SHIPPED_PLANS

PACKAGE = Path(__file__).resolve().parents[2] / "bvplan"
PAPERS = [("bvip-2018-19", "2018-19 q1"), ("bvip-2017-18", "2017-18"), ("bvap-2015-16", "2015-16 h2")]


def shipped(plan_id: str) -> Plan:
    plan = load([SHIPPED_PLANS]).workspace.plan(plan_id)
    assert plan is not None
    return plan


def test_only_rules_status_takes_a_plans_status() -> None:
    """No module builds a plan's status by hand: each calls `status_of`, so none can drop a link of the owner chain."""
    callers = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name != "status.py" and re.search(r"\bplan_status\(", path.read_text(encoding="utf-8"))
    ]

    assert callers == []


def test_status_of_gives_each_theme_its_lead_as_the_last_owner() -> None:
    plan = shipped("bvip-2018-19")
    day = dt.date(2018, 6, 30)
    themes = [(t.slug, t.name, t.model.actions) for t in plan.ordered_themes()]

    without_leads = plan_status(plan.id, plan.model.title, themes, day, plan.model.due_soon_days, plan.model.rag)
    ours = status_of(plan, day)

    assert [m.owner for m in ours.milestones()] != [m.owner for m in without_leads.milestones()]
    assert all(m.owner for m in ours.milestones())  # every theme of the shipped plans has a lead


@pytest.mark.parametrize(("plan_id", "period"), PAPERS)
def test_the_paper_gives_each_milestone_the_status_and_owner_that_status_gives(plan_id: str, period: str) -> None:
    plan = shipped(plan_id)
    chosen = parse_reporting(period, 2018, plan.model.cadence, plan.model.year_start)
    paper = build_paper(plan, chosen)
    expected = {m.id: m for m in status_of(plan, paper.as_of).milestones()}

    lines = [line for theme in paper.appendix for action in theme.actions for line in action.milestones]

    assert lines
    for line in lines:
        m: MilestoneStatus = expected[line.id]
        assert (line.owner, line.status, line.deadline) == (m.owner, m.status.value, m.deadline), line.id


def test_due_and_the_calendars_take_the_same_status() -> None:
    plan = shipped("bvip-2018-19")
    day = dt.date(2018, 6, 30)
    status = status_of(plan, day)
    rows = due(owned([status]), day, 30)

    assert rows
    by_id = {m.id: m for m in status.milestones()}
    for row in rows:
        assert row.status == by_id[row.status.id]
        assert escape_text(f"Owner: {row.owner}") in calendar(row.owner, [row], day).replace("\r\n ", "")
