"""Under `--owner` (or `--theme`) the Directions count that owner's items only, in every format alike."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from rich.console import Console

from bvplan.format.loader import load
from bvplan.format.workspace import Plan
from bvplan.papers.measure_views import as_csv, extras_of, json_keys, markdown, plain_tables, tables
from bvplan.rules.status import status_of
from tests.conftest import SHIPPED_PLANS

DAY = dt.date(2018, 6, 30)


@pytest.fixture(scope="module")
def plan() -> Plan:
    found = load([SHIPPED_PLANS]).workspace.plan("bvip-2018-19")
    assert found is not None
    return found


def _directions_csv(plan: Plan, **chosen: str) -> list[dict[str, str]]:
    extras = extras_of(plan, status_of(plan, DAY), **chosen)
    return list(csv.DictReader(io.StringIO(as_csv([extras], "directions"))))


def test_the_whole_plan_counts_every_action_and_lists_every_direction(plan: Plan) -> None:
    rows = {r["direction"]: r for r in _directions_csv(plan)}

    assert (rows["D2017.1"]["completed"], rows["D2017.1"]["total"]) == ("18", "43")
    assert rows["D2017.1"]["actions"].count("'") == 2 * 14 or rows["D2017.1"]["actions"].count(";") == 13
    assert rows["D2017.3"]["total"] == "0"  # served by no action: still listed for the whole plan


def test_an_owner_gets_only_their_actions_and_milestones_counted(plan: Plan) -> None:
    status = status_of(plan, DAY)
    theirs = [m for m in status.milestones() if m.owner and "third sector" in m.owner.casefold()]

    rows = _directions_csv(plan, owner="Third Sector")

    assert [r["direction"] for r in rows] == ["D2017.1"]  # the Directions none of their actions serves are left out
    [row] = rows
    assert int(row["total"]) == len(theirs) == 10
    assert int(row["completed"]) == sum(m.status.value == "Completed" for m in theirs)
    assert row["actions"].count("GR") == 4 and "PR" not in row["actions"]


def test_every_format_gives_the_owners_figures(plan: Plan) -> None:
    extras = extras_of(plan, status_of(plan, DAY), owner="Third Sector")
    [direction] = extras.directions

    assert len(direction.actions) == 4
    assert direction.actions == ("GR1", "GR2", "GR3", "GR4")
    documents = json_keys(extras)["directions"]
    assert isinstance(documents, list)
    assert [(d["direction"], d["total"], d["actions"]) for d in documents] == [("D2017.1", 10, list(direction.actions))]
    table = plain_tables([extras])
    [line] = [line for line in table.splitlines() if line.startswith("D2017.1")]
    assert line.split()[-3:] == ["4", "0/10", "0"]  # actions, milestones completed, overdue
    assert "D2017.2" not in table and "D2017.3" not in table
    terminal = Console(file=io.StringIO(), width=400, no_color=True)
    for part in tables([extras]):
        terminal.print(part)
    drawn = terminal.file.getvalue()  # type: ignore[attr-defined]
    assert re.search(r"D2017\.1: Submit quarterly.*│ 4 +│ 0/10 +│ 0 ", drawn)
    assert "D2017.2" not in drawn
    text = markdown([extras])
    assert "| 4 | 0/10 | 0 |" in text and "D2017.2" not in text
    assert all(c.action.action.id.startswith("GR") for c in extras.confidence)


def test_a_theme_gets_only_its_own_figures_too(plan: Plan) -> None:
    rows = _directions_csv(plan, theme="grants")

    assert [(r["direction"], r["total"]) for r in rows] == [("D2017.1", "10")]


def test_an_owner_with_nothing_in_a_direction_gets_no_row(plan: Plan) -> None:
    assert _directions_csv(plan, owner="nobody at all") == []
